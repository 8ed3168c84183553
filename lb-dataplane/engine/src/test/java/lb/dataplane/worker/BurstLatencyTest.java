package lb.dataplane.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BurstLatencyTest {
    @Test
    void writesTheSumOfTheWorkersAsNsAndCountLines(@TempDir final Path dir) throws Exception {
        final Histogram a = BurstLatency.newHistogram();
        final Histogram b = BurstLatency.newHistogram();
        a.recordValueWithCount(100, 3);
        b.recordValueWithCount(100, 2);
        b.recordValue(5_000);
        final Path file = dir.resolve("latency.txt");

        final long bursts = BurstLatency.write(Arrays.asList(a, null, b), file);

        assertEquals(6, bursts);
        final List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), lines::toString);
        assertEquals("100 5", lines.get(0));
        final String[] last = lines.get(1).split(" ");
        final long ns = Long.parseLong(last[0]);
        assertTrue(ns >= 5_000 && ns <= 5_005, "5000 ns within the histogram's 3 digits, was " + ns);
        assertEquals("1", last[1]);
        assertTrue(Files.notExists(dir.resolve("latency.txt.tmp")), "no temporary file left");
    }

    @Test
    void clampsWhatTheHistogramCannotHold() {
        final BurstLatency latency = new BurstLatency(0);
        latency.record(System.nanoTime() - 5 * BurstLatency.HIGHEST_NS);
        assertEquals(1, latency.histogram().getTotalCount());
        assertTrue(latency.histogram().getMaxValue() >= BurstLatency.HIGHEST_NS);
    }

    @Test
    void discardsWhatWarmUpRecordedAndKeepsWhatFollows() {
        final BurstLatency latency = new BurstLatency(50_000_000L);
        final long t0 = 1_000_000_000L;
        // Warm-up: slow bursts, as while the JIT compiles.
        latency.record(t0 - 900_000, t0);
        latency.record(t0 + 10_000_000 - 900_000, t0 + 10_000_000);
        assertEquals(2, latency.histogram().getTotalCount(), "kept until warm-up ends");
        final long t1 = t0 + 60_000_000;
        latency.record(t1 - 1_000, t1);
        latency.record(t1 + 1_000_000 - 1_000, t1 + 1_000_000);
        assertEquals(2, latency.histogram().getTotalCount(), "warm-up's records cleared once");
        assertTrue(latency.histogram().getMaxValue() < 900_000, "only steady-state bursts remain");
        final long t2 = t1 + 60_000_000;
        latency.record(t2 - 1_000, t2);
        assertEquals(3, latency.histogram().getTotalCount(), "cleared only once");
    }
}
