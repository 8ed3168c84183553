package lb.dataplane.control;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.aeron.Publication;
import lb.dataplane.api.Addresses;
import lb.dataplane.api.ClientEntries;
import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.DataplaneEventsAdapter;
import lb.dataplane.api.IpcFixture;
import lb.dataplane.api.MessageScreen;
import lb.dataplane.api.Offers;
import lb.dataplane.api.StatusReport;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.DataplaneStatusEncoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.MessageHeaderEncoder;
import lb.dataplane.api.sbe.VipAnnounceState;
import lb.dataplane.control.RecordingControlListener.Entry;
import lb.dataplane.control.RecordingControlListener.Vip;
import lb.dataplane.control.RecordingEventsListener.Ack;
import lb.dataplane.control.RecordingEventsListener.Chunk;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every answer from {@link DataplaneEventsProxy} (and {@link StickyClientsExport}) through real Aeron IPC to
 * {@link DataplaneEventsAdapter}.
 */
class EventsRoundTripTest {
    private static final long INCARNATION = 77;

    @TempDir
    Path dir;

    private IpcFixture ipc;
    private final RecordingEventsListener listener = new RecordingEventsListener();
    private IpcFixture.Stream stream;
    private AtomicCounter skipped;
    private DataplaneEventsProxy events;
    private DataplaneEventsAdapter adapter;

    private void connect(final String channel) {
        ipc = new IpcFixture(dir);
        stream = ipc.stream(channel, ControlChannels.eventsStreamId());
        skipped = ipc.counter("skipped");
        events = new DataplaneEventsProxy(stream.publication(), INCARNATION);
        adapter = new DataplaneEventsAdapter(stream.subscription(), listener,
            new MessageScreen("test events adapter", skipped, ipc.errorHandler()));
    }

    @AfterEach
    void close() {
        ipc.close();
    }

    @Test
    void shouldRoundTripAcksWithAndWithoutDetail() {
        connect(ControlChannels.channel());

        send(() -> events.ack(1, AckStatus.OK, ""));
        send(() -> events.ack(2, AckStatus.REJECTED_STALE_EPOCH, "view epoch 4 ≤ applied 7"));

        assertEquals(List.of(new Ack(1, INCARNATION, AckStatus.OK, ""),
            new Ack(2, INCARNATION, AckStatus.REJECTED_STALE_EPOCH, "view epoch 4 ≤ applied 7")), listener.received);
    }

    @Test
    void shouldRoundTripDataplaneStatusWithVipStates() {
        connect(ControlChannels.channel());
        final byte[] fingerprint = new byte[32];
        fingerprint[0] = 1;
        fingerprint[31] = (byte)0xff;
        final StatusReport sent = new StatusReport()
            .process(4242, 1_700_000_000_000L, 2)
            .controlIncarnation(99)
            .appliedViewEpoch(12)
            .appliedConfigFingerprint(new UnsafeBuffer(fingerprint), 0)
            .trackedConnections(123_456_789_012L)
            .addVip(IpVersion.V4, 0, Addresses.ipv4MappedLow(0x0a00_0064), VipAnnounceState.ANNOUNCING, 3)
            .addVip(IpVersion.V6, 0x2001_0db8_0000_0000L, 1, VipAnnounceState.SILENT, 0);
        for (int i = 0; i < 20; i++) {
            sent.addVip(IpVersion.V4, 0, Addresses.ipv4MappedLow(0x0a00_0100 + i), VipAnnounceState.ANSWERING, 0);
        }

        send(() -> events.dataplaneStatus(sent));

        final StatusReport received = (StatusReport)listener.received.getFirst();
        assertEquals(INCARNATION, received.incarnation());
        assertEquals(4242, received.pid());
        assertEquals(1_700_000_000_000L, received.startTimeMs());
        assertEquals(2, received.workerCount());
        assertEquals(99, received.controlIncarnation());
        assertEquals(12, received.appliedViewEpoch());
        assertEquals(new UnsafeBuffer(fingerprint), received.appliedConfigFingerprint());
        assertEquals(123_456_789_012L, received.trackedConnections());
        assertEquals(vips(sent), vips(received));
    }

    @Test
    void shouldDecodeAVersion1StatusWithoutTrackedConnectionsAsZero() {
        connect(ControlChannels.channel());
        final StatusReport sent = new StatusReport()
            .process(4242, 1_700_000_000_000L, 2)
            .appliedViewEpoch(12)
            .trackedConnections(55)
            .addVip(IpVersion.V4, 0, Addresses.ipv4MappedLow(0x0a00_0064), VipAnnounceState.ANSWERING, 0)
            .addVip(IpVersion.V6, 0x2001_0db8_0000_0000L, 1, VipAnnounceState.SILENT, 0);

        assertTrue(Offers.isSent(offerAsVersion1(sent)));
        IpcFixture.pollUntil("the status to arrive", () -> !listener.received.isEmpty(), () -> adapter.poll(10));

        final StatusReport received = (StatusReport)listener.received.getFirst();
        assertEquals(0, skipped.get(), "an older version is decoded, not skipped");
        assertEquals(4242, received.pid());
        assertEquals(2, received.workerCount());
        assertEquals(12, received.appliedViewEpoch());
        assertEquals(0, received.trackedConnections(), "a version 1 status has no tracked connections");
        assertEquals(vips(sent), vips(received), "the groups follow the shorter version 1 block");
    }

    /** Offers the status as a version 1 dataplane sent it: header version 1, the block without trackedConnections. */
    private long offerAsVersion1(final StatusReport report) {
        final UnsafeBuffer current = new UnsafeBuffer(new byte[4096]);
        final DataplaneStatusEncoder encoder = new DataplaneStatusEncoder()
            .wrapAndApplyHeader(current, 0, new MessageHeaderEncoder())
            .incarnation(INCARNATION);
        report.encode(encoder);
        final int header = MessageHeaderEncoder.ENCODED_LENGTH;
        // trackedConnections, the only field version 2 added, ends the block: version 1's block stops where it starts.
        final int block1 = DataplaneStatusEncoder.trackedConnectionsEncodingOffset();
        final int groups = encoder.encodedLength() - DataplaneStatusEncoder.BLOCK_LENGTH;
        final UnsafeBuffer old = new UnsafeBuffer(new byte[4096]);
        old.putBytes(0, current, 0, header + block1);
        old.putBytes(header + block1, current, header + DataplaneStatusEncoder.BLOCK_LENGTH, groups);
        new MessageHeaderEncoder().wrap(old, 0).blockLength(block1).version(1);
        return stream.publication().offer(old, 0, header + block1 + groups);
    }

    @Test
    void shouldChunkALargeExportWithinTheMaximumMessageAndFlagOnlyTheLastChunk() {
        connect(IpcFixture.SMALL_TERMS);
        final List<Entry> clients = clients(1000);
        final int perChunk = events.maxEntriesPerMessage();
        assertTrue(perChunk < 500, "small terms force several chunks");
        final StickyClientsExport export = new StickyClientsExport(events);

        export.start(5, 3, scanOf(clients, 64));
        IpcFixture.pollUntil("the export to end", () -> !export.isActive(), () -> export.doWork() + adapter.poll(10));
        IpcFixture.pollUntil("every chunk to arrive", () -> listener.chunks().stream().anyMatch(Chunk::last),
            () -> adapter.poll(10));

        assertChunks(listener.chunks(), 5, clients, perChunk);
    }

    @Test
    void shouldResendAChunkThatMetBackPressureSoNoneIsLostOrRepeated() {
        connect(IpcFixture.SMALL_TERMS);
        final List<Entry> clients = clients(5000);
        final StickyClientsExport export = new StickyClientsExport(events);

        export.start(6, 0, scanOf(clients, clients.size()));
        IpcFixture.pollUntil("back pressure", () -> export.lastResult() == Publication.BACK_PRESSURED,
            export::doWork);
        assertTrue(export.isActive(), "back pressure leaves the export active");
        IpcFixture.pollUntil("the export to end", () -> !export.isActive(), () -> export.doWork() + adapter.poll(10));
        IpcFixture.pollUntil("every chunk to arrive", () -> listener.chunks().stream().anyMatch(Chunk::last),
            () -> adapter.poll(10));

        assertChunks(listener.chunks(), 6, clients, events.maxEntriesPerMessage());
    }

    @Test
    void shouldSendOneEmptyLastChunkWhenNothingIsSticky() {
        connect(IpcFixture.SMALL_TERMS);
        final StickyClientsExport export = new StickyClientsExport(events);

        export.start(7, 1, chunk -> true);
        IpcFixture.pollUntil("the export to end", () -> !export.isActive(), export::doWork);
        IpcFixture.pollUntil("the chunk to arrive", () -> !listener.received.isEmpty(), () -> adapter.poll(10));

        assertEquals(List.of(new Chunk(7, INCARNATION, 1, 0, true, List.of())), listener.received);
    }

    @Test
    void shouldCountAndSkipAnUnknownTemplateOnTheEventsStream() {
        connect(ControlChannels.channel());
        final UnsafeBuffer raw = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH]);
        new MessageHeaderEncoder().wrap(raw, 0).blockLength(0).templateId(250)
            .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(MessageHeaderEncoder.SCHEMA_VERSION);
        assertTrue(Offers.isSent(stream.publication().offer(raw)));

        send(() -> events.ack(3, AckStatus.OK, ""));

        assertEquals(1, skipped.get());
        assertEquals(List.of(new Ack(3, INCARNATION, AckStatus.OK, "")), listener.received);
        assertEquals(1, ipc.errors().size());
    }

    private static void assertChunks(final List<Chunk> chunks, final long correlationId, final List<Entry> clients,
        final int perChunk) {
        final int expectedChunks = (clients.size() + perChunk - 1) / perChunk;
        assertEquals(expectedChunks, chunks.size());
        final List<Entry> received = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            final Chunk chunk = chunks.get(i);
            assertEquals(correlationId, chunk.correlationId());
            assertEquals(INCARNATION, chunk.incarnation());
            assertEquals(i, chunk.chunkIndex());
            assertEquals(i == chunks.size() - 1, chunk.last());
            assertTrue(chunk.entries().size() <= perChunk);
            received.addAll(chunk.entries());
        }
        assertEquals(clients, received);
        assertFalse(chunks.getLast().entries().isEmpty(), "the last full scan step carries entries");
    }

    /** A scan that visits at most {@code step} clients per call, as a table walk bounded per duty cycle would. */
    private static StickyClientsExport.Scan scanOf(final List<Entry> clients, final int step) {
        final int[] next = {0};
        return chunk -> {
            for (int visited = 0; visited < step && next[0] < clients.size() && !chunk.isFull(); visited++) {
                final Entry entry = clients.get(next[0]++);
                chunk.add(entry.client().version(), entry.client().high(), entry.client().low(), entry.ownerHostId(),
                    entry.expiresInMs());
            }
            return next[0] == clients.size();
        };
    }

    private static List<Entry> clients(final int count) {
        final List<Entry> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(new Entry(new Vip(IpVersion.V4, 0, Addresses.ipv4MappedLow(0xc633_6400 + i)), 1 + i % 3,
                ClientEntries.MAX_EXPIRES_IN_MS - i));
        }
        return clients;
    }

    private static List<String> vips(final StatusReport report) {
        final List<String> vips = new ArrayList<>();
        for (int i = 0; i < report.vipCount(); i++) {
            vips.add(report.vipVersion(i) + " " + Long.toHexString(report.vipHigh(i)) + ":" +
                Long.toHexString(report.vipLow(i)) + " " + report.vipState(i) + " " + report.announcementsDue(i));
        }
        return vips;
    }

    private void send(final LongSupplier send) {
        final int before = listener.received.size();
        assertTrue(Offers.isSent(IpcFixture.sendDraining(send, () -> adapter.poll(10))));
        IpcFixture.pollUntil("the answer to arrive", () -> listener.received.size() > before, () -> adapter.poll(10));
    }
}
