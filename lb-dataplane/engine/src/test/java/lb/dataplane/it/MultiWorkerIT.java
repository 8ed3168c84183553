package lb.dataplane.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import lb.dataplane.api.CounterTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two worker lcores on a multi-queue port (DPDK net_null, an endless source and sink): each worker
 * polls its own queue, counts into its own counters, and the shutdown returns every mbuf even from a
 * device that never runs dry.
 */
class MultiWorkerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldRunOneWorkerPerQueueAndStopCleanlyOnAnEndlessSource() throws Exception {
        try (DataplaneProcess dataplane = DataplaneProcess.start(dir, List.of("--vdev=net_null0"),
            List.of("--port", "net_null0", "--workers", "2"))) {
            dataplane.awaitCounter(CounterTypes.WORKER_RX_PACKETS, 0, n -> n > 100_000, TIMEOUT);
            dataplane.awaitCounter(CounterTypes.WORKER_RX_PACKETS, 1, n -> n > 100_000, TIMEOUT);

            assertEquals(0, dataplane.stop("TERM"), dataplane.output());
            final String log = dataplane.output();
            assertTrue(log.contains("worker 0 is lcore") && log.contains("on queue 0"), log);
            assertTrue(log.contains("worker 1 is lcore") && log.contains("on queue 1"), log);
            assertTrue(log.contains("mbufs in use at exit: 0"), log);
        }
    }
}
