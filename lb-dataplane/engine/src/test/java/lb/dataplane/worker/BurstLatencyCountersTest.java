package lb.dataplane.worker;

import java.lang.management.ManagementFactory;

import lb.dataplane.aeron.TestCounters;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.api.LatencyBuckets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BurstLatencyCountersTest {
    private final TestCounters file = new TestCounters();

    @Test
    void countsEachBurstInItsBucketAndSumsTheDurations() {
        final BurstLatencyCounters counters = BurstLatencyCounters.allocate(file, 3);
        counters.record(100);
        counters.record(128);
        counters.record(129);
        counters.record(5_000);
        counters.record(20_000_000);

        assertEquals(2, file.value(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE, 3));
        assertEquals(1, file.value(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE + 1, 3));
        assertEquals(1, file.value(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE + LatencyBuckets.index(5_000), 3));
        assertEquals(1, file.value(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE + LatencyBuckets.OVERFLOW, 3));
        assertEquals(100 + 128 + 129 + 5_000 + 20_000_000, file.value(CounterTypes.WORKER_BURST_LATENCY_SUM_NS, 3));
        counters.close();
    }

    @Test
    void burstLatencyCountsIntoCountersWithoutAHistogram() {
        final BurstLatencyCounters counters = BurstLatencyCounters.allocate(file, 0);
        final BurstLatency latency = BurstLatency.of(1_000_000_000L, false, counters);
        latency.record(1_000, 1_700);

        assertNull(latency.histogram(), "no histogram unless --burst-latency");
        assertEquals(1, counters.bucket(LatencyBuckets.index(700)), "warm-up does not apply to the counters");
        assertEquals(700, counters.sumNs());
        assertNull(BurstLatency.of(0, false, null), "nothing to record: no timing at all");
        assertThrows(IllegalArgumentException.class, () -> new BurstLatency(0, false, null));
    }

    @Test
    void recordingAllocatesNothing() {
        final BurstLatency latency = BurstLatency.of(0, false, BurstLatencyCounters.allocate(file, 0));
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        // Warm the path (and the JIT's first compilations) before measuring.
        for (int i = 0; i < 200_000; i++) {
            latency.record(0, i * 37L);
        }
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000_000; i++) {
            latency.record(0, i * 37L);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // The measuring call itself may allocate a few bytes; a record that allocated would show 16+ MB here.
        assertEquals(0, allocated / 1024, "KiB allocated by 10^6 records: " + allocated + " bytes");
    }
}
