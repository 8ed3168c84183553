package lb.dataplane.conductor;

import java.util.ArrayDeque;

import lb.dataplane.api.Addresses;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.Offers;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.BooleanType;
import lb.dataplane.api.sbe.CaptureVerdicts;
import lb.dataplane.api.sbe.ExplainDecoder;
import lb.dataplane.api.sbe.ExplanationEncoder;
import lb.dataplane.api.sbe.FlushClientDecoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.ListStickyClientsDecoder;
import lb.dataplane.api.sbe.MessageHeaderEncoder;
import lb.dataplane.api.sbe.RuleState;
import lb.dataplane.api.sbe.StartCaptureDecoder;
import lb.dataplane.api.sbe.StickyClientPageEncoder;
import lb.dataplane.api.sbe.StopCaptureDecoder;
import lb.dataplane.config.IpAddress;
import lb.dataplane.control.DataplaneEventsProxy;
import lb.dataplane.host.HostState;
import lb.dataplane.net.IpProtocol;
import lb.dataplane.pipeline.Verdict;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.EntryMeta;
import lb.dataplane.view.DataplaneView;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The operator's requests (control schema version 3), for {@link HostControl}: a page of the affinity table, one
 * client's entries forgotten, a flow explained, a capture started and stopped. Each reads the current view and the
 * tables from the conductor, so nothing on the packet path waits or locks; answers that meet back pressure wait in
 * order and go on a later cycle. Conductor thread.
 */
final class OperatorRequests {
    /** Most affinity slots one page reads: a page costs the conductor well under a millisecond. */
    static final int MAX_SLOTS_PER_PAGE = 16_384;
    /** The largest snap length a capture takes; an mbuf's first segment holds less. */
    static final int MAX_SNAP_LENGTH = 9216;
    /** The longest a capture runs, whatever it asks. */
    static final long MAX_CAPTURE_MS = 3_600_000;

    /** How HostControl acks a request. */
    @FunctionalInterface
    interface Acks {
        void answer(long correlationId, AckStatus status, String detail);
    }

    private final HostState host;
    private final ConnectionTable connections;
    private final AffinityTable affinity;
    private final DataplaneEventsProxy events;
    private final Acks acks;
    private final int workerCount;
    private final Explainer explainer;
    private final CaptureSession capture;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8192);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final StickyClientPageEncoder page = new StickyClientPageEncoder();
    private final ExplanationEncoder explanation = new ExplanationEncoder();
    private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
    private final PageEntries entries = new PageEntries();

    OperatorRequests(final HostState host, final ConnectionTable connections, final AffinityTable affinity,
        final DataplaneEventsProxy events, final int workerCount, final Acks acks) {
        this.host = host;
        this.connections = connections;
        this.affinity = affinity;
        this.events = events;
        this.acks = acks;
        this.workerCount = workerCount;
        this.explainer = new Explainer(connections, affinity);
        this.capture = new CaptureSession(host.views(), events);
    }

    int doWork(final long nowMs) {
        return flushWaiting() + capture.doWork(nowMs);
    }

    private int flushWaiting() {
        int work = 0;
        while (!waiting.isEmpty()) {
            final byte[] next = waiting.peek();
            final long result = events.offer(new UnsafeBuffer(next), next.length);
            if (!Offers.isSent(result) && Offers.isRetryable(result)) {
                break;
            }
            waiting.poll();
            work++;
        }
        return work;
    }

    void onListStickyClients(final ListStickyClientsDecoder request, final long nowMs) {
        final long correlationId = request.correlationId();
        final int ruleIndex = request.ruleIndex();
        final DataplaneView view = host.views().current();
        final int ruleSlot = ruleIndex == ControlProtocol.ALL_RULES ? -1 : host.slot(ruleIndex);
        if (ruleIndex != ControlProtocol.ALL_RULES && ruleSlot < 0) {
            acks.answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + ruleIndex + " is not a rule of " +
                "the applied view");
            return;
        }
        final long from = request.fromSlot();
        final int capacity = affinity.capacity();
        if (from > capacity) {
            acks.answer(correlationId, AckStatus.REJECTED_INVALID, "fromSlot " + from + " is past the table's " +
                capacity + " slots");
            return;
        }
        final IpAddress client = request.hasClient() == BooleanType.TRUE ?
            new IpAddress(Addresses.high(request.client()), Addresses.low(request.client())) : null;
        final int room = (events.maxMessageLength() - 256) / StickyClientPageEncoder.EntriesEncoder.sbeBlockLength();
        final int max = Math.max(1, Math.min(Math.min(request.maxEntries(), room),
            StickyClientPageEncoder.EntriesEncoder.countMaxValue()));
        entries.reset(view, ruleSlot, client, nowMs);
        int slot = (int)from;
        final int end = (int)Math.min(capacity, from + MAX_SLOTS_PER_PAGE);
        while (slot < end && entries.count < max) {
            affinity.forEach(slot, 1, entries);
            slot++;
        }
        page.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(events.incarnation())
            .nextSlot(slot)
            .tableSlots(capacity)
            .viewEpoch(view.epoch());
        final StickyClientPageEncoder.EntriesEncoder group = page.entriesCount(entries.count);
        for (int i = 0; i < entries.count; i++) {
            group.next().ruleIndex(entries.ruleIndex[i]).ownerHostId(entries.owner[i])
                .foreign(entries.foreign[i] ? BooleanType.TRUE : BooleanType.FALSE).bucket(entries.bucket[i])
                .expiresInMs(entries.expiresInMs[i]);
            Addresses.put(group.client(), entries.version[i] == 4 ? IpVersion.V4 : IpVersion.V6, entries.hi[i],
                entries.lo[i]);
        }
        send(MessageHeaderEncoder.ENCODED_LENGTH + page.encodedLength());
    }

    void onFlushClient(final FlushClientDecoder request) {
        final long correlationId = request.correlationId();
        final int ruleIndex = request.ruleIndex();
        final DataplaneView view = host.views().current();
        if (ruleIndex != ControlProtocol.ALL_RULES && host.slot(ruleIndex) < 0) {
            acks.answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + ruleIndex + " is not a rule of " +
                "the applied view");
            return;
        }
        final IpVersion version = request.client().version();
        final long hi = Addresses.high(request.client());
        final long lo = Addresses.low(request.client());
        if (!Addresses.isConsistent(version, hi, lo)) {
            acks.answer(correlationId, AckStatus.REJECTED_INVALID, "client: version " + version + " does not fit " +
                "address " + new IpAddress(hi, lo));
            return;
        }
        final IpAddress client = new IpAddress(hi, lo);
        final int ipVersion = version == IpVersion.V4 ? 4 : 6;
        for (int index = 0; index < view.ruleCount(); index++) {
            final int slot = host.slot(index);
            if (slot >= 0 && (ruleIndex == ControlProtocol.ALL_RULES || index == ruleIndex)) {
                final IpAddress key = Explainer.masked(view, slot, client);
                affinity.remove(slot, ipVersion, key.hi(), key.lo());
            }
        }
        acks.answer(correlationId, AckStatus.OK, "");
    }

    void onExplain(final ExplainDecoder request, final long nowMs) {
        final long correlationId = request.correlationId();
        final short protocol = request.protocol();
        final IpAddress client = new IpAddress(Addresses.high(request.client()), Addresses.low(request.client()));
        final int clientPort = request.clientPort();
        final IpAddress vip = new IpAddress(Addresses.high(request.vip()), Addresses.low(request.vip()));
        final int vipPort = request.vipPort();
        if (protocol != IpProtocol.TCP && protocol != IpProtocol.UDP) {
            acks.answer(correlationId, AckStatus.REJECTED_INVALID, "protocol " + protocol + ": explain takes 6 " +
                "(TCP) or 17 (UDP)");
            return;
        }
        if (client.isIpv4() != vip.isIpv4()) {
            acks.answer(correlationId, AckStatus.REJECTED_INVALID, "client " + client + " and VIP " + vip +
                " are of different IP versions");
            return;
        }
        final DataplaneView view = host.views().current();
        final Explainer.Explanation e = explainer.explain(view, protocol, client, clientPort, vip, vipPort, nowMs);
        explanation.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(events.incarnation())
            .viewEpoch(view.epoch())
            .hostId(view.hostId())
            .isVip(e.isVip() ? BooleanType.TRUE : BooleanType.FALSE)
            .ruleIndex(e.ruleIndex() < 0 ? ControlProtocol.ALL_RULES : e.ruleIndex())
            .ruleState(e.ruleState() == DataplaneView.DRAINING ? RuleState.DRAINING :
                e.ruleState() == DataplaneView.RULE_DISABLED ? RuleState.DISABLED : RuleState.ENABLED)
            .bucket(e.bucket())
            .ownsBucket(e.ownsBucket() ? BooleanType.TRUE : BooleanType.FALSE)
            .bucketDirty(e.bucketDirty() ? BooleanType.TRUE : BooleanType.FALSE)
            .connectionOwner(e.connectionOwner())
            .stickyOwner(e.stickyOwner())
            .stickyForeign(e.stickyForeign() ? BooleanType.TRUE : BooleanType.FALSE)
            .stickyExpiresInMs(e.stickyExpiresInMs())
            .filtering(e.filtering() == DataplaneView.MULTIPLE ? "multiple" : e.filtering() == DataplaneView.SINGLE ?
                "single" : "disabled")
            .connectionState(tcpState(e.connectionOwner(), e.connectionState()))
            .startVerdict(Verdict.name(e.startVerdict()))
            .startReason(e.startReason())
            .ongoingVerdict(Verdict.name(e.ongoingVerdict()))
            .ongoingReason(e.ongoingReason());
        send(MessageHeaderEncoder.ENCODED_LENGTH + explanation.encodedLength());
    }

    void onStartCapture(final StartCaptureDecoder request, final long nowMs) {
        final long correlationId = request.correlationId();
        final int ruleIndex = request.ruleIndex();
        final CaptureVerdicts verdicts = request.verdicts();
        final long maxFrames = request.maxFrames();
        final int snapLength = request.snapLength();
        final long durationMs = request.durationMs();
        if (capture.isActive()) {
            acks.answer(correlationId, AckStatus.REJECTED_BUSY, "capture " + capture.captureId() + " is running; " +
                "one at a time");
            return;
        }
        final int ruleSlot = ruleIndex == ControlProtocol.ALL_RULES ? -1 : host.slot(ruleIndex);
        if (ruleIndex != ControlProtocol.ALL_RULES && ruleSlot < 0) {
            acks.answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + ruleIndex + " is not a rule of " +
                "the applied view");
            return;
        }
        if (verdicts == null || verdicts == CaptureVerdicts.NULL_VAL || verdicts == CaptureVerdicts.SBE_UNKNOWN ||
            maxFrames < 1 || snapLength < 64 || snapLength > MAX_SNAP_LENGTH || durationMs < 1) {
            acks.answer(correlationId, AckStatus.REJECTED_INVALID, "verdicts (accepted, dropped, all), maxFrames " +
                "(at least 1), snapLength (64-" + MAX_SNAP_LENGTH + ") or durationMs (at least 1) out of range: " +
                verdicts + ", " + maxFrames + ", " + snapLength + ", " + durationMs);
            return;
        }
        long mask = 0;
        for (int v = 0; v < Verdict.COUNT; v++) {
            final boolean keep = switch (verdicts) {
                case ACCEPTED -> v == Verdict.ACCEPT;
                case DROPPED -> Verdict.isDrop(v);
                default -> true;
            };
            mask |= keep ? 1L << v : 0;
        }
        capture.start(correlationId, workerCount, mask, ruleSlot, maxFrames, snapLength,
            Math.min(durationMs, MAX_CAPTURE_MS), nowMs);
        acks.answer(correlationId, AckStatus.OK, "");
    }

    void onStopCapture(final StopCaptureDecoder request) {
        if (capture.isActive() && capture.captureId() == request.captureId()) {
            capture.stop("stopped by lbd");
        }
        acks.answer(request.correlationId(), AckStatus.OK, "");
    }

    private void send(final int length) {
        final byte[] message = new byte[length];
        buffer.getBytes(0, message);
        waiting.add(message);
        flushWaiting();
    }

    private static String tcpState(final int owner, final int state) {
        if (owner == 0) {
            return "";
        }
        return (state & EntryMeta.CLOSING) != 0 ? "closing" : (state & EntryMeta.ESTABLISHED) != 0 ? "established" :
            (state & EntryMeta.SYN_SEEN) != 0 ? "syn-seen" : "tracked";
    }

    /** The entries of one page, gathered by the table's visitor before the page's group is written. */
    private final class PageEntries implements lb.dataplane.table.AffinityVisitor {
        final int[] ruleIndex = new int[1024];
        final int[] version = new int[1024];
        final long[] hi = new long[1024];
        final long[] lo = new long[1024];
        final int[] owner = new int[1024];
        final boolean[] foreign = new boolean[1024];
        final int[] bucket = new int[1024];
        final long[] expiresInMs = new long[1024];
        int count;
        private DataplaneView view;
        private int ruleSlot;
        private IpAddress client;
        private long nowMs;

        void reset(final DataplaneView view, final int ruleSlot, final IpAddress client, final long nowMs) {
            this.view = view;
            this.ruleSlot = ruleSlot;
            this.client = client;
            this.nowMs = nowMs;
            count = 0;
        }

        @Override
        public void onAffinity(final int rule, final int ipVersion, final long clientHi, final long clientLo,
            final long meta, final long lastSeenTicks) {
            if (count >= ruleIndex.length || ruleSlot >= 0 && rule != ruleSlot) {
                return;
            }
            final int index = view.ruleIndex(rule);
            if (index < 0) {
                return;
            }
            if (client != null) {
                final IpAddress key = Explainer.masked(view, rule, client);
                if ((client.isIpv4() ? 4 : 6) != ipVersion || key.hi() != clientHi || key.lo() != clientLo) {
                    return;
                }
            }
            ruleIndex[count] = index;
            version[count] = ipVersion;
            hi[count] = clientHi;
            lo[count] = clientLo;
            owner[count] = EntryMeta.owner(meta);
            foreign[count] = EntryMeta.isForeign(meta);
            bucket[count] = EntryMeta.bucket(meta);
            // A worker's clock may be a tick ahead of the conductor's: never more than the whole timeout.
            final long timeout = affinity.ruleTimeoutTicks(rule);
            expiresInMs[count] = Math.min(timeout, Math.max(0, lastSeenTicks + timeout - nowMs));
            count++;
        }
    }
}
