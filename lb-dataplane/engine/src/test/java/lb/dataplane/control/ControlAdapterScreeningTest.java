package lb.dataplane.control;

import java.nio.file.Path;
import java.util.List;

import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.DataplaneControlProxy;
import lb.dataplane.api.IpcFixture;
import lb.dataplane.api.MessageScreen;
import lb.dataplane.api.Offers;
import lb.dataplane.api.sbe.AnnounceVipEncoder;
import lb.dataplane.api.sbe.FlushEncoder;
import lb.dataplane.api.sbe.IpAddressEncoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.MessageHeaderEncoder;
import lb.dataplane.control.RecordingControlListener.AnnounceVip;
import lb.dataplane.control.RecordingControlListener.Flush;
import lb.dataplane.control.RecordingControlListener.Vip;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages the dataplane cannot read arrive over real IPC: each is counted and skipped, each kind reported once,
 * and the poll loop goes on to decode the next good message.
 */
class ControlAdapterScreeningTest {
    @TempDir
    Path dir;

    private IpcFixture ipc;
    private final RecordingControlListener listener = new RecordingControlListener();
    private IpcFixture.Stream stream;
    private AtomicCounter skipped;
    private ControlAdapter adapter;
    private final UnsafeBuffer raw = new UnsafeBuffer(new byte[64]);

    @BeforeEach
    void connect() {
        ipc = new IpcFixture(dir);
        stream = ipc.stream(ControlChannels.channel(), ControlChannels.controlStreamId());
        skipped = ipc.counter("skipped");
        adapter = new ControlAdapter(stream.subscription(), listener,
            new MessageScreen("dataplane control adapter", skipped, ipc.errorHandler()));
    }

    @AfterEach
    void close() {
        ipc.close();
    }

    @Test
    void shouldCountAndSkipAnUnknownTemplateIdThenDecodeTheNextMessage() {
        offerRaw(999, MessageHeaderEncoder.SCHEMA_ID, MessageHeaderEncoder.SCHEMA_VERSION, 16);
        offerRaw(999, MessageHeaderEncoder.SCHEMA_ID, MessageHeaderEncoder.SCHEMA_VERSION, 16);
        sendFlush(1);

        IpcFixture.pollUntil("the flush", () -> !listener.received.isEmpty(), () -> adapter.poll(10));

        assertEquals(2, skipped.get());
        assertEquals(List.of(new Flush(1, 5, true, false, ControlProtocol.ALL_RULES)), listener.received);
        assertEquals(1, ipc.errors().size(), "reported once: " + ipc.errors());
        assertTrue(ipc.errors().getFirst().contains("unknown template id 999"), ipc.errors().getFirst());
    }

    @Test
    void shouldSkipAnotherSchemaANewerVersionAndATruncatedBlockReportingEachKindOnce() {
        offerRaw(FlushEncoder.TEMPLATE_ID, 7, MessageHeaderEncoder.SCHEMA_VERSION, FlushEncoder.BLOCK_LENGTH);
        offerRaw(FlushEncoder.TEMPLATE_ID, MessageHeaderEncoder.SCHEMA_ID, MessageHeaderEncoder.SCHEMA_VERSION + 1,
            FlushEncoder.BLOCK_LENGTH);
        offerRaw(FlushEncoder.TEMPLATE_ID, MessageHeaderEncoder.SCHEMA_ID, MessageHeaderEncoder.SCHEMA_VERSION, 40);
        sendFlush(2);

        IpcFixture.pollUntil("the flush", () -> !listener.received.isEmpty(), () -> adapter.poll(10));

        assertEquals(3, skipped.get());
        assertEquals(List.of(new Flush(2, 5, true, false, ControlProtocol.ALL_RULES)), listener.received);
        assertEquals(3, ipc.errors().size(), ipc.errors().toString());
        assertTrue(ipc.errors().get(0).contains("schema 7"), ipc.errors().get(0));
        assertTrue(ipc.errors().get(1).contains("schema version " + (MessageHeaderEncoder.SCHEMA_VERSION + 1)),
            ipc.errors().get(1));
        assertTrue(ipc.errors().get(2).contains("shorter than its header and 40-byte block"), ipc.errors().get(2));
    }

    @Test
    void shouldDecodeAnEnumValueFromANewerPeerAsSbeUnknownRatherThanThrow() {
        final AnnounceVipEncoder encoder = new AnnounceVipEncoder()
            .wrapAndApplyHeader(raw, 0, new MessageHeaderEncoder())
            .correlationId(3)
            .incarnation(5)
            .count(1)
            .spacingMs(10);
        encoder.vip().version(IpVersion.V6);
        raw.putByte(encoder.vip().offset() + IpAddressEncoder.versionEncodingOffset(), (byte)9);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        assertTrue(Offers.isSent(stream.publication().offer(raw, 0, length)));

        IpcFixture.pollUntil("the announce", () -> !listener.received.isEmpty(), () -> adapter.poll(10));

        assertEquals(List.of(new AnnounceVip(3, 5, new Vip(IpVersion.SBE_UNKNOWN, 0, 0), 1, 10)), listener.received);
        assertEquals(0, skipped.get());
    }

    /** A header claiming the given identity and block length, followed by 16 zero bytes. */
    private void offerRaw(final int templateId, final int schemaId, final int version, final int blockLength) {
        new MessageHeaderEncoder().wrap(raw, 0)
            .blockLength(blockLength)
            .templateId(templateId)
            .schemaId(schemaId)
            .version(version);
        assertTrue(Offers.isSent(stream.publication().offer(raw, 0, MessageHeaderEncoder.ENCODED_LENGTH + 16)));
    }

    private void sendFlush(final long correlationId) {
        assertTrue(Offers.isSent(new DataplaneControlProxy(stream.publication(), 5)
            .flush(correlationId, true, false, ControlProtocol.ALL_RULES)));
    }
}
