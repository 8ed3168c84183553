package lb.dataplane.aeron;

import java.io.File;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.Counter;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The dataplane's Aeron client. It joins the media driver already running in the Aeron directory
 * (the one lbd embeds) or, when there is none, embeds a small one of its own there, so that its
 * counters are always in a CnC file that AeronStat and lbctl can read.
 */
public final class AeronHost implements CounterAllocator, AutoCloseable {
    private static final long DRIVER_PROBE_TIMEOUT_MS = 1_000;

    private final MediaDriver embeddedDriver;
    private final Aeron aeron;
    private final UnsafeBuffer keyBuffer = new UnsafeBuffer(new byte[Integer.BYTES]);

    private AeronHost(final MediaDriver embeddedDriver, final Aeron aeron) {
        this.embeddedDriver = embeddedDriver;
        this.aeron = aeron;
    }

    /**
     * @param aeronDir Aeron directory to join or to create.
     * @return a connected client.
     */
    public static AeronHost connect(final String aeronDir) {
        MediaDriver driver = null;
        if (!CommonContext.isDriverActive(new File(aeronDir), DRIVER_PROBE_TIMEOUT_MS, message -> { })) {
            driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(aeronDir)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000))
                .termBufferSparseFile(true)
                .ipcTermBufferLength(64 * 1024)
                .publicationTermBufferLength(64 * 1024)
                .warnIfDirectoryExists(false));
        }
        try {
            final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            return new AeronHost(driver, aeron);
        } catch (final RuntimeException ex) {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /**
     * @return true when this process runs its own media driver.
     */
    public boolean embedsDriver() {
        return embeddedDriver != null;
    }

    /**
     * @return the Aeron directory in use.
     */
    public String aeronDir() {
        return aeron.context().aeronDirectoryName();
    }

    /**
     * Allocates a counter whose key is {@code key} (see CounterTypes).
     *
     * @param typeId counter type id (at least 1000).
     * @param key    id of the thing counted.
     * @param label  human-readable label.
     * @return the counter; the caller is its single writer.
     */
    @Override
    public Counter addCounter(final int typeId, final int key, final String label) {
        keyBuffer.putInt(0, key);
        final UnsafeBuffer labelBuffer = new UnsafeBuffer(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return aeron.addCounter(typeId, keyBuffer, 0, Integer.BYTES, labelBuffer, 0, labelBuffer.capacity());
    }

    /**
     * @param channel  channel URI.
     * @param streamId stream id.
     * @return a subscription, closed with this host.
     */
    public io.aeron.Subscription addSubscription(final String channel, final int streamId) {
        return aeron.addSubscription(channel, streamId);
    }

    /**
     * @param channel  channel URI.
     * @param streamId stream id.
     * @return an exclusive publication (one writer: the conductor), closed with this host.
     */
    public io.aeron.ExclusivePublication addExclusivePublication(final String channel, final int streamId) {
        return aeron.addExclusivePublication(channel, streamId);
    }

    @Override
    public void close() {
        CloseHelper.closeAll(aeron, embeddedDriver);
    }
}
