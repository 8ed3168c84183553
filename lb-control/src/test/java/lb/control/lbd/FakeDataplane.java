package lb.control.lbd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import lb.dataplane.api.Addresses;
import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.Offers;
import lb.dataplane.api.StatusReport;
import lb.dataplane.api.sbe.AckEncoder;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.AnnounceVipDecoder;
import lb.dataplane.api.sbe.ApplyConfigDecoder;
import lb.dataplane.api.sbe.ApplyViewDecoder;
import lb.dataplane.api.sbe.BooleanType;
import lb.dataplane.api.sbe.DataplaneStatusEncoder;
import lb.dataplane.api.sbe.DropClaimsDecoder;
import lb.dataplane.api.sbe.DropClientsDecoder;
import lb.dataplane.api.sbe.ExportStickyClientsDecoder;
import lb.dataplane.api.sbe.FlushDecoder;
import lb.dataplane.api.sbe.InstallForeignEntriesDecoder;
import lb.dataplane.api.sbe.IpAddressDecoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.MessageHeaderDecoder;
import lb.dataplane.api.sbe.MessageHeaderEncoder;
import lb.dataplane.api.sbe.ReleaseForeignDecoder;
import lb.dataplane.api.sbe.RuleState;
import lb.dataplane.api.sbe.StickyClientsEncoder;
import lb.dataplane.api.sbe.WithdrawVipDecoder;
import lb.dataplane.config.IpAddress;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A scripted dataplane for tests of lbd's side of the control interface, over real Aeron IPC and written against the
 * api module only: it runs its own media driver in a directory of its own (the "dataplane's Aeron dir" that
 * {@link DataplaneLink} joins), records every request it decodes from the control stream and answers on the events
 * stream. Single-threaded: the test calls {@link #doWork} between the link's duty cycles.
 *
 * <p>Answers: every request gets an Ack, by default OK, or what {@link #scriptAcks} queued for its template (null
 * there: no answer; the test may {@link #ack} it later). An export is answered by the next {@link #scriptExport}
 * (chunks, or a refusal such as REJECTED_BUSY), by default one empty last chunk. Like a real dataplane it remembers
 * what an OK changes for its status: the lbd incarnation it follows, the view epoch and config it applied.
 */
final class FakeDataplane implements AutoCloseable {
    /** One request as decoded. */
    record Request(int templateId, long correlationId, long incarnation, Body body) {
        <T extends Body> T as(final Class<T> type) {
            return type.cast(body);
        }
    }

    /** What a request said, by its message type. */
    sealed interface Body permits ApplyConfig, ApplyView, AnnounceVip, WithdrawVip, Export, Install, Flush, DropClaims,
        DropClients, ReleaseForeign {
    }

    record ApplyConfig(byte[] fingerprint, String config) implements Body {
    }

    record ApplyView(long viewEpoch, byte[] fingerprint, long bucketCount, int hostId, List<Rule> rules,
        List<IpAddress> vips) implements Body {
    }

    /** One rule of an ApplyView; owners decoded to one host id per bucket. */
    record Rule(int ruleIndex, RuleState state, int[] owners, byte[] dirtyBuckets) {
    }

    record AnnounceVip(IpAddress vip, int count, long spacingMs) implements Body {
    }

    record WithdrawVip(IpAddress vip) implements Body {
    }

    record Export(int ruleIndex, byte[] buckets) implements Body {
    }

    record Install(int ruleIndex, List<Entry> entries) implements Body {
    }

    record Flush(boolean connections, boolean affinity, int ruleIndex) implements Body {
    }

    record DropClaims(int ruleIndex, byte[] buckets) implements Body {
    }

    record DropClients(int ruleIndex, List<IpAddress> clients) implements Body {
    }

    record ReleaseForeign(int ownerHostId) implements Body {
    }

    /** A sticky client, as InstallForeignEntries and StickyClients carry it. */
    record Entry(IpAddress client, long expiresInMs, int ownerHostId) {
    }

    /** One StickyClients message, index and flag as given (tests may get them wrong on purpose). */
    record Chunk(long index, boolean last, List<Entry> entries) {
    }

    /**
     * How to answer one export: an Ack with {@code refusal}, else these chunks (none: it never finishes).
     */
    record ExportAnswer(AckStatus refusal, List<Chunk> chunks) {
        static ExportAnswer refused(final AckStatus status) {
            return new ExportAnswer(status, List.of());
        }

        static ExportAnswer never() {
            return new ExportAnswer(null, List.of());
        }

        static ExportAnswer of(final Chunk... chunks) {
            return new ExportAnswer(null, List.of(chunks));
        }

        /** The entries in consecutive chunks of at most {@code perChunk}, the final one flagged last. */
        static ExportAnswer chunked(final List<Entry> entries, final int perChunk) {
            final List<Chunk> chunks = new ArrayList<>();
            for (int from = 0; from == 0 || from < entries.size(); from += perChunk) {
                final int to = Math.min(entries.size(), from + perChunk);
                chunks.add(new Chunk(chunks.size(), to == entries.size(), entries.subList(from, to)));
            }
            return new ExportAnswer(null, chunks);
        }
    }

    private final MediaDriver driver;
    private final Aeron aeron;
    private final ExclusivePublication events;
    private Subscription control;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(4096);
    private final List<Request> requests = new ArrayList<>();
    private final Map<Integer, ArrayDeque<AckStatus>> scriptedAcks = new HashMap<>();
    private final ArrayDeque<ExportAnswer> scriptedExports = new ArrayDeque<>();
    private final ArrayDeque<byte[]> outgoing = new ArrayDeque<>();
    private final StatusReport status = new StatusReport();
    private final byte[] appliedFingerprint = new byte[ControlProtocol.FINGERPRINT_LENGTH];
    private long incarnation = 1_000;
    private long pid = 4242;
    private long appliedViewEpoch;
    private long controlIncarnation;
    private long statusPeriodMs;
    private long nextStatusMs = Long.MIN_VALUE;
    private boolean paused;
    private long statusesSent;

    /**
     * A dataplane whose driver lives in {@code aeronDir}, subscribed to the control stream.
     */
    FakeDataplane(final Path aeronDir) {
        this(aeronDir, true, 0);
    }

    /**
     * @param aeronDir     the driver's directory.
     * @param subscribe    whether to subscribe to the control stream now (else {@link #subscribe()} later).
     * @param ipcWindow    how far an IPC publication may run ahead of its slowest subscriber, 0 for Aeron's default
     *                     (the term length); small windows bring back pressure quickly.
     */
    FakeDataplane(final Path aeronDir, final boolean subscribe, final int ipcWindow) {
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.toString())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .termBufferSparseFile(true);
        if (ipcWindow > 0) {
            context.ipcPublicationTermWindowLength(ipcWindow);
        }
        driver = MediaDriver.launchEmbedded(context);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        events = aeron.addExclusivePublication(ControlChannels.channel(), ControlChannels.eventsStreamId());
        if (subscribe) {
            subscribe();
        }
    }

    /** Subscribes to the control stream: requests offered from now on reach the fake. */
    void subscribe() {
        control = aeron.addSubscription(ControlChannels.channel(), ControlChannels.controlStreamId());
    }

    /** The driver's directory, to give {@link DataplaneLink}. */
    String aeronDir() {
        return driver.aeronDirectoryName();
    }

    /** Whether lbd subscribes to the events stream (statuses can reach it). */
    boolean eventsConnected() {
        return events.isConnected();
    }

    /** Whether lbd's request publication reached the control subscription. */
    boolean controlConnected() {
        return control != null && control.isConnected();
    }

    /** Stops (true) or resumes reading requests: what lbd offers meanwhile fills the stream's window. */
    void pause(final boolean pause) {
        paused = pause;
    }

    FakeDataplane incarnation(final long incarnation) {
        this.incarnation = incarnation;
        return this;
    }

    FakeDataplane pid(final long pid) {
        this.pid = pid;
        return this;
    }

    FakeDataplane appliedViewEpoch(final long epoch) {
        this.appliedViewEpoch = epoch;
        return this;
    }

    FakeDataplane controlIncarnation(final long controlIncarnation) {
        this.controlIncarnation = controlIncarnation;
        return this;
    }

    /** From now on the status reports this config fingerprint, as if another lbd had configured the dataplane. */
    FakeDataplane appliedFingerprint(final byte[] fingerprint) {
        System.arraycopy(fingerprint, 0, appliedFingerprint, 0, appliedFingerprint.length);
        return this;
    }

    long incarnation() {
        return incarnation;
    }

    long pid() {
        return pid;
    }

    long appliedViewEpoch() {
        return appliedViewEpoch;
    }

    /** Sends a status every {@code periodMs} of {@link #doWork}'s clock, the first at its next call; 0 stops. */
    FakeDataplane statusEvery(final long periodMs) {
        statusPeriodMs = periodMs;
        nextStatusMs = Long.MIN_VALUE;
        return this;
    }

    /** The next requests of this template are answered these, in order (null: not answered). */
    FakeDataplane scriptAcks(final int templateId, final AckStatus... statuses) {
        final ArrayDeque<AckStatus> queue = scriptedAcks.computeIfAbsent(templateId, t -> new ArrayDeque<>());
        for (final AckStatus status : statuses) {
            queue.add(status == null ? AckStatus.NULL_VAL : status);
        }
        return this;
    }

    /** The next exports are answered these, in order. */
    FakeDataplane scriptExport(final ExportAnswer... answers) {
        scriptedExports.addAll(List.of(answers));
        return this;
    }

    /** Every request received so far, in order. */
    List<Request> requests() {
        return requests;
    }

    /** The requests of one template, in order. */
    List<Request> requests(final int templateId) {
        return requests.stream().filter(r -> r.templateId() == templateId).toList();
    }

    long statusesSent() {
        return statusesSent;
    }

    /**
     * Offers one DataplaneStatus now, not retried.
     *
     * @return whether the stream took it (not when lbd has not subscribed yet).
     */
    boolean sendStatus() {
        status.process(pid, 1_700_000_000_000L, 1)
            .controlIncarnation(controlIncarnation)
            .appliedViewEpoch(appliedViewEpoch)
            .appliedConfigFingerprint(new UnsafeBuffer(appliedFingerprint), 0)
            .trackedConnections(0)
            .clearVips();
        final DataplaneStatusEncoder encoder = new DataplaneStatusEncoder().wrapAndApplyHeader(out, 0, headerEncoder)
            .incarnation(incarnation);
        status.encode(encoder);
        final boolean sent = events.offer(out, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()) > 0;
        statusesSent += sent ? 1 : 0;
        return sent;
    }

    /** Answers a request with an Ack now (queued behind earlier answers). */
    void ack(final Request request, final AckStatus ackStatus) {
        final AckEncoder encoder = new AckEncoder().wrapAndApplyHeader(out, 0, headerEncoder)
            .correlationId(request.correlationId())
            .incarnation(incarnation)
            .status(ackStatus)
            .detail(ackStatus == AckStatus.OK ? "" : "scripted " + ackStatus);
        queue(encoder.encodedLength());
        if (ackStatus == AckStatus.OK) {
            applied(request);
        }
    }

    /** Answers an export now. */
    void answerExport(final Request export, final ExportAnswer answer) {
        if (answer.refusal() != null) {
            ack(export, answer.refusal());
            return;
        }
        for (final Chunk chunk : answer.chunks()) {
            final StickyClientsEncoder encoder = new StickyClientsEncoder().wrapAndApplyHeader(out, 0, headerEncoder)
                .correlationId(export.correlationId())
                .incarnation(incarnation)
                .chunkIndex(chunk.index())
                .ruleIndex(export.as(Export.class).ruleIndex())
                .last(chunk.last() ? BooleanType.TRUE : BooleanType.FALSE);
            final StickyClientsEncoder.EntriesEncoder entries = encoder.entriesCount(chunk.entries().size());
            for (final Entry entry : chunk.entries()) {
                entries.next();
                Addresses.put(entries.client(), version(entry.client()), entry.client().hi(), entry.client().lo());
                entries.expiresInMs(entry.expiresInMs()).ownerHostId(entry.ownerHostId());
            }
            queue(encoder.encodedLength());
        }
    }

    /**
     * One duty cycle: a status when due, the requests that came (answered as scripted), the answers not yet taken.
     *
     * @param nowMs the clock of the periodic status.
     * @return work done.
     */
    int doWork(final long nowMs) {
        int work = 0;
        if (statusPeriodMs > 0 && (nextStatusMs == Long.MIN_VALUE || nowMs - nextStatusMs >= 0)) {
            if (sendStatus()) {
                nextStatusMs = nowMs + statusPeriodMs;
                work++;
            }
        }
        if (control != null && !paused) {
            work += control.poll(assembler, 64);
        }
        while (!outgoing.isEmpty()) {
            final byte[] message = outgoing.peek();
            final long result = events.offer(new UnsafeBuffer(message));
            if (result > 0) {
                outgoing.poll();
                work++;
            } else if (Offers.isRetryable(result)) {
                break;
            } else {
                throw new IllegalStateException("cannot send an answer: " + Offers.describe(result));
            }
        }
        return work;
    }

    @Override
    public void close() {
        CloseHelper.closeAll(aeron, driver);
    }

    private void queue(final int bodyLength) {
        final byte[] message = new byte[MessageHeaderEncoder.ENCODED_LENGTH + bodyLength];
        out.getBytes(0, message);
        outgoing.add(message);
    }

    /** What an OK changes in what the status reports. */
    private void applied(final Request request) {
        controlIncarnation = Math.max(controlIncarnation, request.incarnation());
        switch (request.body()) {
            case ApplyConfig config -> System.arraycopy(config.fingerprint(), 0, appliedFingerprint, 0,
                appliedFingerprint.length);
            case ApplyView view -> appliedViewEpoch = view.viewEpoch();
            default -> { }
        }
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader) {
        header.wrap(buffer, offset);
        final int at = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int block = header.blockLength();
        final int version = header.version();
        final Request request = switch (header.templateId()) {
            case ApplyConfigDecoder.TEMPLATE_ID -> {
                final ApplyConfigDecoder d = new ApplyConfigDecoder().wrap(buffer, at, block, version);
                final byte[] fingerprint = new byte[ControlProtocol.FINGERPRINT_LENGTH];
                d.getConfigFingerprint(fingerprint, 0, fingerprint.length);
                final byte[] text = new byte[d.configLength()];
                d.getConfig(text, 0, text.length);
                yield new Request(ApplyConfigDecoder.TEMPLATE_ID, d.correlationId(), d.incarnation(),
                    new ApplyConfig(fingerprint, new String(text, StandardCharsets.UTF_8)));
            }
            case ApplyViewDecoder.TEMPLATE_ID -> {
                final ApplyViewDecoder d = new ApplyViewDecoder().wrap(buffer, at, block, version);
                final byte[] fingerprint = new byte[ControlProtocol.FINGERPRINT_LENGTH];
                d.getConfigFingerprint(fingerprint, 0, fingerprint.length);
                final List<Rule> rules = new ArrayList<>();
                for (final ApplyViewDecoder.RulesDecoder rule : d.rules()) {
                    final byte[] ownerBytes = new byte[rule.ownersLength()];
                    rule.getOwners(ownerBytes, 0, ownerBytes.length);
                    final int[] owners = new int[ownerBytes.length / ControlProtocol.OWNER_LENGTH];
                    for (int b = 0; b < owners.length; b++) {
                        owners[b] = (ownerBytes[2 * b] & 0xff) | (ownerBytes[2 * b + 1] & 0xff) << 8;
                    }
                    final byte[] dirty = new byte[rule.dirtyBucketsLength()];
                    rule.getDirtyBuckets(dirty, 0, dirty.length);
                    rules.add(new Rule(rule.ruleIndex(), rule.state(), owners, dirty));
                }
                final List<IpAddress> vips = new ArrayList<>();
                for (final ApplyViewDecoder.VipsDecoder vip : d.vips()) {
                    vips.add(address(vip.vip()));
                }
                yield new Request(ApplyViewDecoder.TEMPLATE_ID, d.correlationId(), d.incarnation(),
                    new ApplyView(d.viewEpoch(), fingerprint, d.bucketCount(), d.hostId(), rules, vips));
            }
            case AnnounceVipDecoder.TEMPLATE_ID -> {
                final AnnounceVipDecoder d = new AnnounceVipDecoder().wrap(buffer, at, block, version);
                yield new Request(AnnounceVipDecoder.TEMPLATE_ID, d.correlationId(), d.incarnation(),
                    new AnnounceVip(address(d.vip()), d.count(), d.spacingMs()));
            }
            case WithdrawVipDecoder.TEMPLATE_ID -> {
                final WithdrawVipDecoder d = new WithdrawVipDecoder().wrap(buffer, at, block, version);
                yield new Request(WithdrawVipDecoder.TEMPLATE_ID, d.correlationId(), d.incarnation(),
                    new WithdrawVip(address(d.vip())));
            }
            case ExportStickyClientsDecoder.TEMPLATE_ID -> {
                final ExportStickyClientsDecoder d = new ExportStickyClientsDecoder().wrap(buffer, at, block, version);
                final int rule = d.ruleIndex();
                final byte[] buckets = new byte[d.bucketsLength()];
                d.getBuckets(buckets, 0, buckets.length);
                yield new Request(ExportStickyClientsDecoder.TEMPLATE_ID, d.correlationId(), d.incarnation(),
                    new Export(rule, buckets));
            }
            case InstallForeignEntriesDecoder.TEMPLATE_ID -> {
                final InstallForeignEntriesDecoder d = new InstallForeignEntriesDecoder().wrap(buffer, at, block,
                    version);
                final List<Entry> entries = new ArrayList<>();
                for (final InstallForeignEntriesDecoder.EntriesDecoder e : d.entries()) {
                    entries.add(new Entry(address(e.client()), e.expiresInMs(), e.ownerHostId()));
                }
                yield new Request(InstallForeignEntriesDecoder.TEMPLATE_ID, d.correlationId(), d.incarnation(),
                    new Install(d.ruleIndex(), entries));
            }
            case FlushDecoder.TEMPLATE_ID -> {
                final FlushDecoder d = new FlushDecoder().wrap(buffer, at, block, version);
                yield new Request(FlushDecoder.TEMPLATE_ID, d.correlationId(), d.incarnation(),
                    new Flush(d.tables().connections(), d.tables().affinity(), d.ruleIndex()));
            }
            case DropClaimsDecoder.TEMPLATE_ID -> {
                final DropClaimsDecoder d = new DropClaimsDecoder().wrap(buffer, at, block, version);
                final int rule = d.ruleIndex();
                final byte[] buckets = new byte[d.bucketsLength()];
                d.getBuckets(buckets, 0, buckets.length);
                yield new Request(DropClaimsDecoder.TEMPLATE_ID, d.correlationId(), d.incarnation(),
                    new DropClaims(rule, buckets));
            }
            case DropClientsDecoder.TEMPLATE_ID -> {
                final DropClientsDecoder d = new DropClientsDecoder().wrap(buffer, at, block, version);
                final List<IpAddress> clients = new ArrayList<>();
                for (final DropClientsDecoder.ClientsDecoder c : d.clients()) {
                    clients.add(address(c.client()));
                }
                yield new Request(DropClientsDecoder.TEMPLATE_ID, d.correlationId(), d.incarnation(),
                    new DropClients(d.ruleIndex(), clients));
            }
            case ReleaseForeignDecoder.TEMPLATE_ID -> {
                final ReleaseForeignDecoder d = new ReleaseForeignDecoder().wrap(buffer, at, block, version);
                yield new Request(ReleaseForeignDecoder.TEMPLATE_ID, d.correlationId(), d.incarnation(),
                    new ReleaseForeign(d.ownerHostId()));
            }
            default -> throw new AssertionError("unknown template " + header.templateId());
        };
        requests.add(request);
        answer(request);
    }

    private void answer(final Request request) {
        if (request.templateId() == ExportStickyClientsDecoder.TEMPLATE_ID) {
            answerExport(request, scriptedExports.isEmpty() ?
                new ExportAnswer(null, List.of(new Chunk(0, true, List.of()))) : scriptedExports.poll());
            return;
        }
        final ArrayDeque<AckStatus> scripted = scriptedAcks.get(request.templateId());
        final AckStatus ackStatus = scripted == null || scripted.isEmpty() ? AckStatus.OK : scripted.poll();
        if (ackStatus != AckStatus.NULL_VAL) {
            ack(request, ackStatus);
        }
    }

    private static IpAddress address(final IpAddressDecoder decoder) {
        return new IpAddress(Addresses.high(decoder), Addresses.low(decoder));
    }

    private static IpVersion version(final IpAddress address) {
        return address.isIpv4() ? IpVersion.V4 : IpVersion.V6;
    }
}
