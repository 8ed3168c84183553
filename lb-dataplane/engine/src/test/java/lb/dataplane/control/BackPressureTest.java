package lb.dataplane.control;

import java.nio.file.Path;

import io.aeron.Publication;
import io.aeron.Subscription;
import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.DataplaneControlProxy;
import lb.dataplane.api.IpcFixture;
import lb.dataplane.api.MessageScreen;
import lb.dataplane.api.Offers;
import lb.dataplane.control.RecordingControlListener.Flush;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A proxy reports what stops a send (back pressure, no dataplane, a message too large) as its result, after one
 * attempt, and a retried send is delivered exactly once.
 */
class BackPressureTest {
    private static final int ATTEMPTS = 10_000;

    @TempDir
    Path dir;

    private IpcFixture ipc;

    @BeforeEach
    void start() {
        ipc = new IpcFixture(dir);
    }

    @AfterEach
    void close() {
        ipc.close();
    }

    @Test
    void shouldReportBackPressureThenDeliverEveryRequestOnceWhenRetried() {
        final IpcFixture.Stream stream = ipc.stream(IpcFixture.SMALL_TERMS, ControlChannels.controlStreamId());
        final DataplaneControlProxy proxy = new DataplaneControlProxy(stream.publication(), 1);
        final RecordingControlListener listener = new RecordingControlListener();
        final ControlAdapter adapter = new ControlAdapter(stream.subscription(), listener,
            new MessageScreen("test", ipc.counter("skipped"), ipc.errorHandler()));

        long correlationId = 0;
        long result = 0;
        while (correlationId < ATTEMPTS && Offers.isSent(result = proxy.flush(correlationId, true, true, 0))) {
            correlationId++;
        }
        assertEquals(Publication.BACK_PRESSURED, result, Offers.describe(result));
        assertTrue(Offers.isRetryable(result));

        final long stuck = correlationId;
        assertTrue(Offers.isSent(IpcFixture.sendDraining(() -> proxy.flush(stuck, true, true, 0),
            () -> adapter.poll(100))));
        IpcFixture.pollUntil("every flush", () -> listener.received.size() == stuck + 1, () -> adapter.poll(100));

        for (int i = 0; i <= stuck; i++) {
            assertEquals(new Flush(i, 1, true, true, 0), listener.received.get(i));
        }
    }

    @Test
    void shouldReportNotConnectedWhenNoDataplaneSubscribes() {
        final Publication publication = ipc.aeron().addExclusivePublication(IpcFixture.SMALL_TERMS, 4711);
        final long result = new DataplaneControlProxy(publication, 1).flush(1, true, true, ControlProtocol.ALL_RULES);

        assertEquals(Publication.NOT_CONNECTED, result);
        assertTrue(Offers.isRetryable(result));
    }

    @Test
    void shouldRefuseAConfigLargerThanTheMaximumMessageWithoutRetrying() {
        final IpcFixture.Stream stream = ipc.stream(IpcFixture.SMALL_TERMS, ControlChannels.controlStreamId());
        final Subscription subscription = stream.subscription();
        final byte[] config = new byte[stream.publication().maxMessageLength()];

        final long result = new DataplaneControlProxy(stream.publication(), 1)
            .applyConfig(1, new byte[ControlProtocol.FINGERPRINT_LENGTH], new UnsafeBuffer(config), 0, config.length);

        assertEquals(Offers.MESSAGE_TOO_LARGE, result);
        assertFalse(Offers.isRetryable(result));
        assertEquals(0, subscription.poll((buffer, offset, length, header) -> { }, 10));
    }
}
