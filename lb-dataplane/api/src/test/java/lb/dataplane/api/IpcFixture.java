package lb.dataplane.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A real media driver (embedded, SHARED threading, small terms) in a temporary directory, and helpers that drive
 * both ends of an IPC stream synchronously with bounded polling loops.
 */
public final class IpcFixture implements AutoCloseable {
    /** 64 KiB terms: messages above 8 KiB are too large and back pressure comes quickly. */
    public static final String SMALL_TERMS = "aeron:ipc?term-length=64k";

    private static final long TIMEOUT_NS = 10_000_000_000L;

    private final MediaDriver driver;
    private final Aeron aeron;
    private final List<String> errors = new ArrayList<>();

    /**
     * @param dir an empty directory for the driver's files.
     */
    public IpcFixture(final Path dir) {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(dir.resolve("aeron").toString())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .termBufferSparseFile(true)
            .ipcTermBufferLength(64 * 1024)
            .publicationTermBufferLength(64 * 1024));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    /**
     * @return the client.
     */
    public Aeron aeron() {
        return aeron;
    }

    /**
     * @param channel  IPC channel.
     * @param streamId stream.
     * @return a publication and a subscription on it, connected.
     */
    public Stream stream(final String channel, final int streamId) {
        final ExclusivePublication publication = aeron.addExclusivePublication(channel, streamId);
        final Subscription subscription = aeron.addSubscription(channel, streamId);
        await("publication connected", publication::isConnected);
        return new Stream(publication, subscription);
    }

    /**
     * @param name label of a fresh counter.
     * @return a counter in the driver's CnC file, as the processes allocate theirs.
     */
    public AtomicCounter counter(final String name) {
        return aeron.addCounter(CounterTypes.CONTROL_MESSAGES_SKIPPED, name);
    }

    /**
     * @return an error handler that records each message.
     */
    public ErrorHandler errorHandler() {
        return error -> errors.add(error.getMessage());
    }

    /**
     * @return messages the error handler received.
     */
    public List<String> errors() {
        return errors;
    }

    /**
     * Calls {@code work} until {@code done} holds, failing after a bounded time.
     *
     * @param what  what is awaited, for the failure.
     * @param done  the condition.
     * @param work  a duty cycle, e.g. an adapter's poll.
     */
    public static void pollUntil(final String what, final BooleanSupplier done, final IntSupplier work) {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!done.getAsBoolean()) {
            if (work.getAsInt() == 0) {
                Thread.onSpinWait();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
        }
    }

    /**
     * @param what what is awaited, for the failure.
     * @param done the condition.
     */
    public static void await(final String what, final BooleanSupplier done) {
        pollUntil(what, done, () -> 0);
    }

    /**
     * Offers until the result is not retryable, calling {@code drain} between tries (the receiver's duty cycle).
     *
     * @param send  one attempt.
     * @param drain the receiver's poll.
     * @return the final result.
     */
    public static long sendDraining(final LongSupplier send, final IntSupplier drain) {
        final long[] result = {send.getAsLong()};
        pollUntil("send to succeed", () -> !Offers.isRetryable(result[0]), () -> {
            final int work = drain.getAsInt();
            result[0] = send.getAsLong();
            return work;
        });
        return result[0];
    }

    @Override
    public void close() {
        CloseHelper.closeAll(aeron, driver);
    }

    /**
     * Both ends of one IPC stream.
     *
     * @param publication  the sending end.
     * @param subscription the receiving end.
     */
    public record Stream(Publication publication, Subscription subscription) {
    }
}
