package lb.dataplane.table;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs several thread bodies at once for a fixed time, stops them, and collects what they report as failures,
 * including a body that does not stop (a livelock). Tests that use it are tagged {@value #TAG}: {@code mvn verify}
 * runs them in an execution of their own, after the unit tests (see the engine's pom).
 */
final class StressRun {
    /** JUnit tag of the tests that run threads for a duration. */
    static final String TAG = "stress";

    private static final int MAX_FAILURES = 20;

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    boolean running() {
        return running;
    }

    void fail(final String message) {
        if (failures.size() < MAX_FAILURES) {
            failures.add(message);
        }
    }

    List<String> failures() {
        return failures;
    }

    void run(final long durationMs, final Runnable... bodies) throws InterruptedException {
        running = true;
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            final Runnable body = bodies[i];
            final Thread thread = new Thread(() -> {
                try {
                    body.run();
                } catch (final Throwable t) {
                    final StringWriter trace = new StringWriter();
                    t.printStackTrace(new PrintWriter(trace));
                    fail(trace.toString());
                }
            }, "stress-" + i);
            threads.add(thread);
            thread.start();
        }
        Thread.sleep(durationMs);
        running = false;
        for (final Thread thread : threads) {
            thread.join(10_000);
            if (thread.isAlive()) {
                fail(thread.getName() + " did not stop within 10 s of being asked");
            }
        }
    }
}
