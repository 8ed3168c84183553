package lb.dataplane.conductor;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import lb.dataplane.api.Addresses;
import lb.dataplane.api.BucketBitmaps;
import lb.dataplane.api.ClientEntries;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.Offers;
import lb.dataplane.api.RuleStates;
import lb.dataplane.api.StatusReport;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.ApplyViewDecoder;
import lb.dataplane.api.sbe.DropClientsDecoder;
import lb.dataplane.api.sbe.InstallForeignEntriesDecoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.VipAnnounceState;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigValidator;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.RuleState;
import lb.dataplane.config.file.ClusterFileParser;
import lb.dataplane.control.ControlAdapter;
import lb.dataplane.control.ControlListener;
import lb.dataplane.control.DataplaneEventsProxy;
import lb.dataplane.control.StickyClientsExport;
import lb.dataplane.host.HostState;
import lb.dataplane.host.HostStateException;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.BucketSet;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.EntryMeta;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.buckets.RuleOwnership;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The conductor's side of the control interface: translates what lbd sends into calls on {@link HostState} (config,
 * views, withdrawn VIPs), the {@link VipAnnouncer}, the sticky-client export and the tables, and queues the answers.
 * It holds no view state of its own. Conductor thread only; see docs/control-interface.md for the rules.
 *
 * <p>A request that changes what workers do (a view, a withdrawn VIP) is acknowledged only once every
 * worker has started a duty cycle with the new view: after a WithdrawVip's OK, no frame claiming the VIP
 * can leave this host.
 */
public final class HostControl implements ControlListener, ConductorDuty {
    private static final int POLL_LIMIT = 10;
    private static final long STATUS_INTERVAL_MS = 1000;

    /** An answer waiting for the workers to catch up, or for room in the publication. */
    private record PendingAck(long correlationId, AckStatus status, String detail, long awaitVersion) {
    }

    private final HostState host;
    private final ConnectionTable connections;
    private final AffinityTable affinity;
    private final VipAnnouncer announcer;
    private final DataplaneEventsProxy events;
    private final StickyClientsExport export;
    private final StatusReport status = new StatusReport();
    private final BucketSet dropBuckets = new BucketSet();
    private final ArrayDeque<PendingAck> pending = new ArrayDeque<>();
    private final long startTimeMs;
    private final int workerCount;
    private final OperatorRequests operator;
    private ControlAdapter adapter;

    private long followedIncarnation;
    private long nowMs;
    private long nextStatusMs;
    private String statusFingerprint;
    private UnsafeBuffer statusFingerprintBytes = new UnsafeBuffer(new byte[ControlProtocol.FINGERPRINT_LENGTH]);

    /**
     * @param host        the host's view state.
     * @param connections the connection table.
     * @param affinity    the extended-affinity table.
     * @param announcer   the VIP announcer.
     * @param events      where answers go.
     * @param startTimeMs when the dataplane started.
     * @param workerCount worker lcores.
     */
    public HostControl(final HostState host, final ConnectionTable connections, final AffinityTable affinity,
        final VipAnnouncer announcer, final DataplaneEventsProxy events, final long startTimeMs,
        final int workerCount) {
        this.host = host;
        this.connections = connections;
        this.affinity = affinity;
        this.announcer = announcer;
        this.events = events;
        this.export = new StickyClientsExport(events);
        this.startTimeMs = startTimeMs;
        this.workerCount = workerCount;
        this.operator = new OperatorRequests(host, connections, affinity, events, workerCount,
            (correlationId, status, detail) -> answer(correlationId, status, detail, 0));
    }

    /**
     * @param adapter the adapter that decodes requests into this listener.
     */
    public void adapter(final ControlAdapter adapter) {
        this.adapter = adapter;
    }

    /**
     * One duty cycle: answers that can go, new requests (only while no answer waits, so lbd's requests
     * are taken in order), the export in progress, the host state's own work, announcements and the periodic status.
     *
     * @param nowMs now.
     * @return work done.
     */
    @Override
    public int doWork(final long nowMs) {
        this.nowMs = nowMs;
        int work = host.doWork() + flushPending();
        if (pending.isEmpty() && adapter != null) {
            work += adapter.poll(POLL_LIMIT);
        }
        work += export.doWork();
        work += operator.doWork(nowMs);
        work += announcer.doWork(nowMs, host.views().current());
        if (nowMs - nextStatusMs >= 0) {
            // Periodic: one that cannot go (no lbd listening, back pressure) is skipped, not retried every cycle.
            events.dataplaneStatus(statusReport());
            nextStatusMs = nowMs + STATUS_INTERVAL_MS;
            work++;
        }
        return work;
    }

    @Override
    public void onApplyConfig(final long correlationId, final long incarnation, final DirectBuffer configFingerprint,
        final DirectBuffer config) {
        if (stale(correlationId, incarnation)) {
            return;
        }
        final String text = config.getStringWithoutLengthUtf8(0, config.capacity());
        final ClusterConfig parsed;
        try {
            parsed = ConfigValidator.requireValid(ClusterFileParser.parse(text, "ApplyConfig"), "ApplyConfig");
        } catch (final IllegalArgumentException ex) {
            answer(correlationId, AckStatus.REJECTED_INVALID, ex.getMessage(), 0);
            return;
        }
        try {
            host.offerConfig(parsed, hex(configFingerprint));
        } catch (final HostStateException ex) {
            refuse(correlationId, ex);
            return;
        }
        answer(correlationId, AckStatus.OK, "", 0);
    }

    @Override
    public void onApplyView(final ApplyViewDecoder view) {
        final long correlationId = view.correlationId();
        if (stale(correlationId, view.incarnation())) {
            return;
        }
        if (view.viewEpoch() <= host.epoch()) {
            answer(correlationId, AckStatus.REJECTED_STALE_EPOCH, "epoch " + view.viewEpoch() + " is not after " +
                host.epoch(), 0);
            return;
        }
        final UnsafeBuffer fingerprintBuffer = new UnsafeBuffer(new byte[ControlProtocol.FINGERPRINT_LENGTH]);
        view.wrapConfigFingerprint(fingerprintBuffer);
        final String fingerprint = hex(fingerprintBuffer);
        final ClusterConfig base = host.configFor(fingerprint).orElse(null);
        if (base == null) {
            refuse(correlationId, new HostStateException(!host.hasConfig() ? HostStateException.Reason.NO_CONFIG :
                HostStateException.Reason.FINGERPRINT_MISMATCH, "no config with fingerprint " + fingerprint +
                " was applied"));
            return;
        }
        final int bucketCount = base.parameters().bucketCount();
        if (view.hostId() != host.hostId() || view.bucketCount() != bucketCount) {
            answer(correlationId, AckStatus.REJECTED_INVALID, "view for host " + view.hostId() + " with " +
                view.bucketCount() + " buckets; this is host " + host.hostId() + " with " + bucketCount, 0);
            return;
        }
        final int indexes = base.portRules().size() + 1;
        final RuleOwnership[] byIndex = new RuleOwnership[indexes];
        final RuleState[] states = new RuleState[indexes];
        for (final ApplyViewDecoder.RulesDecoder rule : view.rules()) {
            final int index = rule.ruleIndex();
            if (index >= indexes || byIndex[index] != null) {
                answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + index + " is out of 0.." +
                    (indexes - 1) + " or repeated", 0);
                return;
            }
            states[index] = RuleStates.fromWire(rule.state());
            final UnsafeBuffer owners = new UnsafeBuffer(new byte[0]);
            rule.wrapOwners(owners);
            final UnsafeBuffer dirty = new UnsafeBuffer(new byte[0]);
            rule.wrapDirtyBuckets(dirty);
            if (states[index] == null || owners.capacity() != bucketCount * ControlProtocol.OWNER_LENGTH ||
                !BucketBitmaps.fits(dirty, bucketCount)) {
                answer(correlationId, AckStatus.REJECTED_INVALID, "rule " + index + ": state, owners (" +
                    owners.capacity() + " bytes for " + bucketCount + " buckets) or dirty bitmap malformed", 0);
                return;
            }
            final int[] ownerIds = new int[bucketCount];
            final long[] dirtyWords = new long[(bucketCount + 63) >>> 6];
            for (int b = 0; b < bucketCount; b++) {
                ownerIds[b] = owners.getShort(b * ControlProtocol.OWNER_LENGTH, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                if (BucketBitmaps.isSet(dirty, b)) {
                    dirtyWords[b >>> 6] |= 1L << b;
                }
            }
            byIndex[index] = new RuleOwnership(ownerIds, dirtyWords);
        }
        for (int index = 0; index < indexes; index++) {
            if (byIndex[index] == null) {
                answer(correlationId, AckStatus.REJECTED_INVALID, "the view has no ownership for rule " + index, 0);
                return;
            }
        }
        final Set<IpAddress> vips = new HashSet<>();
        for (final ApplyViewDecoder.VipsDecoder vip : view.vips()) {
            vips.add(new IpAddress(Addresses.high(vip.vip()), Addresses.low(vip.vip())));
        }
        try {
            final long version = host.applyView(view.viewEpoch(), fingerprint, List.of(byIndex),
                Arrays.asList(states).subList(0, indexes - 1), vips);
            answer(correlationId, AckStatus.OK, "", version);
        } catch (final HostStateException ex) {
            refuse(correlationId, ex);
        }
    }

    @Override
    public void onAnnounceVip(final long correlationId, final long incarnation, final IpVersion version,
        final long vipHigh, final long vipLow, final int count, final long spacingMs) {
        if (stale(correlationId, incarnation)) {
            return;
        }
        final IpAddress vip = new IpAddress(vipHigh, vipLow);
        if (!host.mayAnswer(vip)) {
            answer(correlationId, AckStatus.REJECTED_INVALID, vip + " is not a VIP this host's view may answer for", 0);
            return;
        }
        announcer.announce(vip, count, spacingMs, nowMs);
        answer(correlationId, AckStatus.OK, "", 0);
    }

    @Override
    public void onWithdrawVip(final long correlationId, final long incarnation, final IpVersion version,
        final long vipHigh, final long vipLow) {
        if (stale(correlationId, incarnation)) {
            return;
        }
        final IpAddress vip = new IpAddress(vipHigh, vipLow);
        announcer.withdraw(vip);
        answer(correlationId, AckStatus.OK, "", host.withdrawVip(vip));
    }

    @Override
    public void onExportStickyClients(final long correlationId, final long incarnation, final int ruleIndex,
        final DirectBuffer buckets) {
        if (stale(correlationId, incarnation)) {
            return;
        }
        if (export.isActive()) {
            answer(correlationId, AckStatus.REJECTED_BUSY, "an export is in progress (" + export.correlationId() + ")", 0);
            return;
        }
        final int slot = host.slot(ruleIndex);
        if (slot < 0) {
            answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + ruleIndex + " is not a rule of the " +
                "applied view", 0);
            return;
        }
        final BucketSet wanted = new BucketSet();
        final int bucketCount = host.views().current().bucketCount();
        for (int b = 0; b < bucketCount; b++) {
            if (BucketBitmaps.isSet(buckets, b)) {
                wanted.add(b);
            }
        }
        final long timeout = affinity.ruleTimeoutTicks(slot);
        final long exportNow = nowMs;
        final int[] cursor = {0};
        export.start(correlationId, ruleIndex, chunk -> {
            final int step = Math.min(chunk.capacity() - chunk.size(), affinity.capacity() - cursor[0]);
            affinity.forEachInBuckets(wanted, cursor[0], step, (rule, ipVersion, hi, lo, meta, lastSeen) -> {
                if (rule == slot && !EntryMeta.isForeign(meta)) {
                    chunk.add(ipVersion == 4 ? IpVersion.V4 : IpVersion.V6, hi, lo, EntryMeta.owner(meta),
                        Math.max(0, Math.min(ClientEntries.MAX_EXPIRES_IN_MS, lastSeen + timeout - exportNow)));
                }
            });
            cursor[0] += step;
            return cursor[0] >= affinity.capacity();
        });
    }

    @Override
    public void onInstallForeignEntries(final InstallForeignEntriesDecoder entries) {
        final long correlationId = entries.correlationId();
        if (stale(correlationId, entries.incarnation())) {
            return;
        }
        final DataplaneView view = host.views().current();
        final int index = entries.ruleIndex();
        if (index >= view.ruleCount() || host.slot(index) < 0) {
            answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + index + " is not a configured rule " +
                "of the applied view", 0);
            return;
        }
        final int rule = host.slot(index);
        final long timeout = affinity.ruleTimeoutTicks(rule);
        int failed = 0;
        for (final InstallForeignEntriesDecoder.EntriesDecoder entry : entries.entries()) {
            final long hi = Addresses.high(entry.client());
            final long lo = Addresses.low(entry.client());
            final int ipVersion = entry.client().version() == IpVersion.V4 ? 4 : 6;
            final long hash = ipVersion == 4 ? view.hasher().hashIpv4((int)lo, 0, view.affinity(rule)) :
                view.hasher().hashIpv6(hi, lo, 0, view.affinity(rule));
            final long lastSeen = nowMs - Math.max(0, timeout - entry.expiresInMs());
            if (affinity.installForeign(rule, ipVersion, hi, lo, entry.ownerHostId(),
                FlowHasher.bucket(hash, view.bucketCount()), lastSeen) < 0) {
                failed++;
            }
        }
        answer(correlationId, failed == 0 ? AckStatus.OK : AckStatus.PARTIAL_TABLE_FULL,
            failed == 0 ? "" : failed + " entries did not fit the affinity table", 0);
    }

    @Override
    public void onFlush(final long correlationId, final long incarnation, final boolean flushConnections,
        final boolean flushAffinity, final int ruleIndex) {
        if (stale(correlationId, incarnation)) {
            return;
        }
        final int slot = ruleIndex == ControlProtocol.ALL_RULES ? -1 : host.slot(ruleIndex);
        if (ruleIndex != ControlProtocol.ALL_RULES && slot < 0) {
            answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + ruleIndex + " is not a rule of the " +
                "applied view", 0);
            return;
        }
        if (flushConnections) {
            if (slot < 0) {
                connections.flush(0, connections.capacity());
            } else {
                connections.flushRule(slot, 0, connections.capacity());
            }
        }
        if (flushAffinity) {
            if (slot < 0) {
                affinity.flush(0, affinity.capacity());
            } else {
                affinity.flushRule(slot, 0, affinity.capacity());
            }
        }
        answer(correlationId, AckStatus.OK, "", 0);
    }

    @Override
    public void onDropClaims(final long correlationId, final long incarnation, final int ruleIndex,
        final DirectBuffer buckets) {
        if (stale(correlationId, incarnation)) {
            return;
        }
        final int slot = host.slot(ruleIndex);
        if (slot < 0) {
            answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + ruleIndex + " is not a rule of the " +
                "applied view", 0);
            return;
        }
        final int bucketCount = host.views().current().bucketCount();
        if (!BucketBitmaps.fits(buckets, bucketCount)) {
            answer(correlationId, AckStatus.REJECTED_INVALID, bucketsMisfit(buckets, bucketCount), 0);
            return;
        }
        dropBuckets.clear();
        for (int b = 0; b < bucketCount; b++) {
            if (BucketBitmaps.isSet(buckets, b)) {
                dropBuckets.add(b);
            }
        }
        // In one go, as Flush does: one pass over the slots, about 4 ms at the default 2^18.
        affinity.removeOwnInBuckets(slot, dropBuckets, 0, affinity.capacity());
        answer(correlationId, AckStatus.OK, "", 0);
    }

    @Override
    public void onDropClients(final DropClientsDecoder clients) {
        final long correlationId = clients.correlationId();
        if (stale(correlationId, clients.incarnation())) {
            return;
        }
        final int ruleIndex = clients.ruleIndex();
        final int slot = host.slot(ruleIndex);
        if (slot < 0) {
            answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + ruleIndex + " is not a rule of the " +
                "applied view", 0);
            return;
        }
        // Every client is checked before any goes: a rejected request changes nothing.
        int index = 0;
        for (final DropClientsDecoder.ClientsDecoder entry : clients.clients()) {
            final IpVersion version = entry.client().version();
            final long hi = Addresses.high(entry.client());
            final long lo = Addresses.low(entry.client());
            if (!Addresses.isConsistent(version, hi, lo)) {
                answer(correlationId, AckStatus.REJECTED_INVALID, "clients[" + index + "]: version " + version +
                    " does not fit address " + new IpAddress(hi, lo) + " (V4 is held IPv4-mapped, ::ffff:a.b.c.d; " +
                    "V6 is any other)", 0);
                return;
            }
            index++;
        }
        clients.sbeRewind();
        for (final DropClientsDecoder.ClientsDecoder entry : clients.clients()) {
            affinity.removeOwn(slot, entry.client().version() == IpVersion.V4 ? 4 : 6, Addresses.high(entry.client()),
                Addresses.low(entry.client()));
        }
        answer(correlationId, AckStatus.OK, "", 0);
    }

    @Override
    public void onReleaseForeign(final long correlationId, final long incarnation, final int ownerHostId) {
        if (stale(correlationId, incarnation)) {
            return;
        }
        if (ownerHostId == ControlProtocol.NO_HOST) {
            answer(correlationId, AckStatus.REJECTED_INVALID, "ownerHostId must be a host id, 1-65535, not " +
                ownerHostId, 0);
            return;
        }
        // In one go, as Flush does.
        affinity.removeForeignOf(ownerHostId, 0, affinity.capacity());
        answer(correlationId, AckStatus.OK, "", 0);
    }

    @Override
    public void onListStickyClients(final lb.dataplane.api.sbe.ListStickyClientsDecoder request) {
        if (!stale(request.correlationId(), request.incarnation())) {
            operator.onListStickyClients(request, nowMs);
        }
    }

    @Override
    public void onFlushClient(final lb.dataplane.api.sbe.FlushClientDecoder request) {
        if (!stale(request.correlationId(), request.incarnation())) {
            operator.onFlushClient(request);
        }
    }

    @Override
    public void onExplain(final lb.dataplane.api.sbe.ExplainDecoder request) {
        if (!stale(request.correlationId(), request.incarnation())) {
            operator.onExplain(request, nowMs);
        }
    }

    @Override
    public void onStartCapture(final lb.dataplane.api.sbe.StartCaptureDecoder request) {
        if (!stale(request.correlationId(), request.incarnation())) {
            operator.onStartCapture(request, nowMs);
        }
    }

    @Override
    public void onStopCapture(final lb.dataplane.api.sbe.StopCaptureDecoder request) {
        if (!stale(request.correlationId(), request.incarnation())) {
            operator.onStopCapture(request);
        }
    }

    /** A request from an older lbd incarnation is answered and ignored; a newer one is followed from now on. */
    private boolean stale(final long correlationId, final long incarnation) {
        if (incarnation < followedIncarnation) {
            answer(correlationId, AckStatus.REJECTED_STALE_INCARNATION, "incarnation " + incarnation +
                " is older than " + followedIncarnation, 0);
            return true;
        }
        followedIncarnation = incarnation;
        return false;
    }

    private void refuse(final long correlationId, final HostStateException refusal) {
        answer(correlationId, switch (refusal.reason()) {
            case STALE_EPOCH -> AckStatus.REJECTED_STALE_EPOCH;
            case NO_CONFIG -> AckStatus.REJECTED_NO_CONFIG;
            case FINGERPRINT_MISMATCH -> AckStatus.REJECTED_FINGERPRINT_MISMATCH;
            case INVALID -> AckStatus.REJECTED_INVALID;
        }, refusal.getMessage(), 0);
    }

    private void answer(final long correlationId, final AckStatus ackStatus, final String detail,
        final long awaitVersion) {
        pending.addLast(new PendingAck(correlationId, ackStatus, detail, awaitVersion));
        flushPending();
    }

    private int flushPending() {
        int work = 0;
        while (!pending.isEmpty()) {
            final PendingAck ack = pending.peekFirst();
            if (ack.awaitVersion() != 0 && !host.views().observedByAll(ack.awaitVersion())) {
                break;
            }
            final long result = events.ack(ack.correlationId(), ack.status(), ack.detail());
            if (!Offers.isSent(result) && Offers.isRetryable(result)) {
                break;
            }
            pending.removeFirst();
            work++;
        }
        return work;
    }

    private StatusReport statusReport() {
        final DataplaneView view = host.views().current();
        final String fingerprint = host.fingerprint().orElse(null);
        if (fingerprint != null && !fingerprint.equals(statusFingerprint)) {
            statusFingerprint = fingerprint;
            statusFingerprintBytes = new UnsafeBuffer(HexFormat.of().parseHex(fingerprint));
        }
        status.process(ProcessHandle.current().pid(), startTimeMs, workerCount)
            .controlIncarnation(followedIncarnation)
            .appliedViewEpoch(view.epoch())
            .trackedConnections(connections.liveEntries())
            .appliedConfigFingerprint(statusFingerprintBytes, 0)
            .clearVips();
        for (final IpAddress vip : host.config().map(ClusterConfig::vips).orElse(List.of())) {
            final boolean mine = host.mayAnswer(vip);
            status.addVip(vip.isIpv4() ? IpVersion.V4 : IpVersion.V6, vip.hi(), vip.lo(),
                !mine ? VipAnnounceState.SILENT : announcer.roundsDue(vip) > 0 ? VipAnnounceState.ANNOUNCING :
                    VipAnnounceState.ANSWERING, announcer.roundsDue(vip));
        }
        return status;
    }

    @Override
    public String roleName() {
        return "control";
    }

    private static String bucketsMisfit(final DirectBuffer buckets, final int bucketCount) {
        return "buckets: a " + buckets.capacity() + "-byte bitmap does not fit " + bucketCount + " buckets (at most " +
            BucketBitmaps.byteLength(bucketCount) + " bytes, no bit set at or past bucket " + bucketCount + ")";
    }

    private static String hex(final DirectBuffer buffer) {
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
