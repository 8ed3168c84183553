package lb.control.lbd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The supervisor over real short-lived processes and a fake clock: restarts with a doubling back-off, adoption,
 * release (the dataplane outlives lbd) and stop.
 */
class DataplaneSupervisorTest {
    @TempDir
    Path dir;

    private final List<String> events = new ArrayList<>();
    private final DataplaneSupervisor.Listener listener = new DataplaneSupervisor.Listener() {
        @Override
        public void onDataplaneUp(final long pid, final boolean adopted) {
            events.add(adopted ? "adopted" : "up");
        }

        @Override
        public void onDataplaneDown(final long pid, final String why) {
            events.add("down: " + why);
        }
    };

    @Test
    void shouldRestartADataplaneThatDiesWithADoublingBackoff() throws Exception {
        final Path log = dir.resolve("dp.log");
        final DataplaneSupervisor supervisor = new DataplaneSupervisor(List.of("sh", "-c", "echo started; exit 3"),
            log, DataplaneSupervisor.detached(), listener, 100, 1_000);
        long now = 0;
        supervisor.doWork(now);
        assertEquals(List.of("up"), events);
        awaitDeath(supervisor, now);
        assertEquals("down: exited; restarting in 100 ms", events.get(1));
        supervisor.doWork(now + 99);
        assertEquals(1, supervisor.starts(), "not before the back-off");
        now += 100;
        supervisor.doWork(now);
        assertEquals(2, supervisor.starts());
        awaitDeath(supervisor, now);
        assertEquals("down: exited; restarting in 200 ms", events.get(3));
        assertTrue(Files.readString(log).contains("started"), "output goes to the log file");
    }

    @Test
    void shouldRestartAtOnceADataplaneThatRanAWhile() throws Exception {
        final DataplaneSupervisor supervisor = new DataplaneSupervisor(List.of("sh", "-c", "exit 0"),
            dir.resolve("dp.log"), DataplaneSupervisor.detached(), listener, 100, 1_000);
        supervisor.doWork(0);
        awaitDeath(supervisor, DataplaneSupervisor.STABLE_RUN_MS);
        assertEquals("down: exited; restarting", events.get(1));
    }

    @Test
    void shouldLeaveAReleasedDataplaneRunningAndStopAStoppedOne() throws Exception {
        final DataplaneSupervisor first = new DataplaneSupervisor(List.of("sleep", "30"), dir.resolve("dp.log"),
            DataplaneSupervisor.detached(), listener, 100, 1_000);
        first.doWork(0);
        final ProcessHandle dataplane = ProcessHandle.of(first.pid()).orElseThrow();
        first.release();
        first.doWork(1);
        assertTrue(dataplane.isAlive(), "lbd exiting leaves the dataplane forwarding");

        final DataplaneSupervisor second = new DataplaneSupervisor(List.of("sleep", "30"), dir.resolve("dp.log"),
            DataplaneSupervisor.detached(), listener, 100, 1_000);
        second.adopt(dataplane, 2);
        second.doWork(3);
        assertEquals(0, second.starts(), "an adopted dataplane is not started again");
        assertEquals(dataplane.pid(), second.pid());
        assertTrue(second.stop(5_000));
        assertFalse(dataplane.isAlive());
        assertEquals(List.of("up", "adopted", "down: stopped"), events);
    }

    @Test
    void shouldRetryACommandThatCannotStart() {
        final DataplaneSupervisor supervisor = new DataplaneSupervisor(List.of("/nonexistent/dataplane"),
            dir.resolve("dp.log"), (cmd, log) -> new ProcessBuilder(cmd).start().toHandle(), listener, 100, 1_000);
        supervisor.doWork(0);
        assertTrue(events.getFirst().startsWith("down: cannot start /nonexistent/dataplane"), events.toString());
        assertTrue(events.getFirst().endsWith("retrying in 100 ms"), events.toString());
    }

    private static void awaitDeath(final DataplaneSupervisor supervisor, final long nowMs) throws InterruptedException {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (supervisor.doWork(nowMs) == 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the process did not exit");
            }
            Thread.sleep(5);
        }
    }
}
