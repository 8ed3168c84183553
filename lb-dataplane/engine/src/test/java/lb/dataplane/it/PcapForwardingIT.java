package lb.dataplane.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import lb.dataplane.api.CounterTypes;
import lb.dataplane.pcap.Pcap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real dataplane over DPDK's net_pcap: frames in from a file, forwarded by the Java worker, out
 * to a file, byte for byte, then a clean shutdown on SIGTERM with every mbuf back in the pool.
 */
class PcapForwardingIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldForwardEveryFrameOfTheCaptureByteForByteAndStopCleanly() throws Exception {
        final long seed = Long.getLong("lb.seed", System.nanoTime());
        System.out.println("PcapForwardingIT seed " + seed + " (replay with -Dlb.seed=" + seed + ")");
        final List<byte[]> frames = frames(new Random(seed), 1000);
        final Path in = dir.resolve("in.pcap");
        final Path out = dir.resolve("out.pcap");
        Pcap.write(in, frames);

        try (DataplaneProcess dataplane = DataplaneProcess.start(dir,
            List.of("--vdev=net_pcap0,rx_pcap=" + in + ",tx_pcap=" + out), List.of("--port", "net_pcap0"))) {
            dataplane.awaitCounter(CounterTypes.WORKER_TX_PACKETS, 0, n -> n == frames.size(), TIMEOUT);
            assertEquals(0, dataplane.stop("TERM"), dataplane.output());
            final String log = dataplane.output();
            assertTrue(log.contains("stopping (SIGTERM)"), log);
            assertTrue(log.contains("worker 0 rx 1000, tx 1000, tx dropped 0"), log);
            assertTrue(log.contains("mbufs in use at exit: 0"), log);
        }

        final List<byte[]> forwarded = Pcap.read(out);
        assertEquals(frames.size(), forwarded.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i), forwarded.get(i), "frame " + i);
        }
    }

    @Test
    void shouldRefuseAnUnknownPortNamingIt() throws IOException, InterruptedException {
        final Path in = dir.resolve("in.pcap");
        Pcap.write(in, List.of(new byte[60]));
        try (DataplaneProcess dataplane = DataplaneProcess.start(dir,
            List.of("--vdev=net_pcap0,rx_pcap=" + in + ",tx_pcap=" + dir.resolve("out.pcap")),
            List.of("--port", "net_pcap7"))) {
            assertEquals(1, dataplane.awaitExit(TIMEOUT));
            final String log = dataplane.output();
            assertTrue(log.contains("port: no DPDK port named 'net_pcap7'"), log);
            assertTrue(log.contains("mbufs in use at exit: 0"), log);
        }
    }

    /** Ethernet frames of random sizes from the minimum to a full MTU, each distinct. */
    static List<byte[]> frames(final Random random, final int count) {
        final List<byte[]> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final byte[] frame = new byte[60 + random.nextInt(1514 - 60 + 1)];
            random.nextBytes(frame);
            frame[0] = 0x02;
            frame[12] = 0x08;
            frame[13] = 0x00;
            frame[14] = (byte)(i >> 8);
            frame[15] = (byte)i;
            frames.add(frame);
        }
        return frames;
    }
}
