package lb.dataplane;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into a request to stop, in place of the JVM's default of exiting, so the
 * dataplane stops its workers, drains and closes its ports and cleans up EAL before it exits with a
 * status that says whether the shutdown was clean.
 */
final class ShutdownSignals {
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String received;

    ShutdownSignals() {
        for (final String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> {
                received = "SIG" + signal.getName();
                stop.countDown();
            });
        }
    }

    /**
     * Waits up to {@code millis} for a stop request.
     *
     * @param millis how long to wait.
     * @return true once a stop was requested.
     * @throws InterruptedException when interrupted.
     */
    boolean await(final long millis) throws InterruptedException {
        return stop.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Requests a stop from inside the process.
     *
     * @param reason said in the shutdown message.
     */
    void request(final String reason) {
        received = reason;
        stop.countDown();
    }

    /**
     * @return what asked for the stop, or null.
     */
    String reason() {
        return received;
    }
}
