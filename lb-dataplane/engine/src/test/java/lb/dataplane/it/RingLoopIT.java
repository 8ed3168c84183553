package lb.dataplane.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import lb.dataplane.api.CounterTypes;
import lb.dataplane.pcap.Pcap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real dataplane on a DPDK net_ring port, whose TX ring is its own RX ring: frames injected once
 * circulate through the Java worker until it stops. Nothing may be lost or leaked on the way.
 */
class RingLoopIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int FRAMES = 64;

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryInjectedFrameCirculatingOnAPinnedLcoreAndReturnAllMbufsOnSigint() throws Exception {
        final Path seed = dir.resolve("seed.pcap");
        Pcap.write(seed, PcapForwardingIT.frames(new Random(7), FRAMES));

        try (DataplaneProcess dataplane = DataplaneProcess.start(dir, List.of("--vdev=net_ring0"),
            List.of("--port", "net_ring0", "--inject", seed.toString(), "--worker-cpus", "1"))) {
            dataplane.awaitCounter(CounterTypes.WORKER_RX_PACKETS, 0, n -> n >= 100L * FRAMES, TIMEOUT);
            assertEquals(FRAMES, dataplane.awaitCounter(CounterTypes.POOL_MBUFS_IN_USE, 0, n -> n == FRAMES, TIMEOUT));
            dataplane.awaitCounter(CounterTypes.WORKER_TX_DROPPED, 0, n -> n == 0, TIMEOUT);

            assertEquals(0, dataplane.stop("INT"), dataplane.output());
            final String log = dataplane.output();
            assertTrue(log.matches("(?s).*worker 0 is lcore \\d+ pinned to cpu 1.*"), log);
            assertTrue(log.contains("stopping (SIGINT)"), log);
            assertTrue(log.contains("tx dropped 0"), log);
            assertTrue(log.contains("drained " + FRAMES + " from rx queues"), log);
            assertTrue(log.contains("mbufs in use at exit: 0"), log);
        }
    }

    @Test
    void shouldFailStartUpNamingTheCpuWhenTheWorkerCannotBePinned() throws Exception {
        try (DataplaneProcess dataplane = DataplaneProcess.start(dir, List.of("--vdev=net_ring0"),
            List.of("--port", "net_ring0", "--worker-cpus", "1023"))) {
            assertEquals(1, dataplane.awaitExit(TIMEOUT));
            final String log = dataplane.output();
            assertTrue(log.contains("rte_thread_set_affinity(cpu 1023) failed"), log);
            assertTrue(log.contains("worker 0 did not register with EAL"), log);
            assertTrue(log.contains("mbufs in use at exit: 0"), log);
        }
    }
}
