package lb.dataplane.conductor;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import lb.dataplane.api.Addresses;
import lb.dataplane.api.BucketBitmaps;
import lb.dataplane.api.ClientEntries;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.Offers;
import lb.dataplane.api.StatusReport;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.ApplyViewDecoder;
import lb.dataplane.api.sbe.InstallForeignEntriesDecoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.VipAnnounceState;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigValidator;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;
import lb.dataplane.config.file.ClusterFileParser;
import lb.dataplane.control.ControlAdapter;
import lb.dataplane.control.ControlListener;
import lb.dataplane.control.ControlResponder;
import lb.dataplane.control.StickyClientsExport;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.BucketSet;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.EntryMeta;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.view.ViewBuilder;
import lb.dataplane.view.ViewHolder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The conductor's side of the control interface: applies what lbd sends (config, views, VIP announce
 * and withdraw, sticky-client export and foreign entries, flushes) to the views the workers read and
 * to the shared tables, and answers. Conductor thread only; see docs/control-interface.md for the rules.
 *
 * <p>A request that changes what workers do (a view, a withdrawn VIP) is acknowledged only once every
 * worker has started a duty cycle with the new view: after a WithdrawVip's OK, no frame claiming the VIP
 * can leave this host.
 */
public final class HostControl implements ControlListener {
    private static final int POLL_LIMIT = 10;
    private static final long STATUS_INTERVAL_MS = 1000;

    /** An answer waiting for the workers to catch up, or for room in the publication. */
    private record PendingAck(long correlationId, AckStatus status, String detail, long awaitVersion) {
    }

    private final int hostId;
    private final long nicMac;
    private final ViewHolder views;
    private final ConnectionTable connections;
    private final AffinityTable affinity;
    private final VipAnnouncer announcer;
    private final ControlResponder responder;
    private final StickyClientsExport export;
    private final StatusReport status = new StatusReport();
    private final ArrayDeque<PendingAck> pending = new ArrayDeque<>();
    private final long startTimeMs;
    private final int workerCount;
    private ControlAdapter adapter;

    private ClusterConfig config;
    private String configFingerprint;
    private UnsafeBuffer configFingerprintBytes;
    private ClusterConfig offeredConfig;
    private List<RuleOwnership> ownership;
    private Set<IpAddress> answerable;
    private long followedIncarnation;
    private long nowMs;
    private long nextStatusMs;

    /**
     * @param config      the config the first view was built from.
     * @param ownership   that view's ownership, per rule slot.
     * @param answerable  that view's answerable VIPs.
     * @param hostId      this host.
     * @param nicMac      the NIC's MAC.
     * @param views       where views are published.
     * @param connections the connection table.
     * @param affinity    the extended-affinity table.
     * @param announcer   the VIP announcer.
     * @param responder   where answers go.
     * @param startTimeMs when the dataplane started.
     * @param workerCount worker lcores.
     */
    public HostControl(final ClusterConfig config, final List<RuleOwnership> ownership, final Set<IpAddress> answerable,
        final int hostId, final long nicMac, final ViewHolder views, final ConnectionTable connections,
        final AffinityTable affinity, final VipAnnouncer announcer, final ControlResponder responder,
        final long startTimeMs, final int workerCount) {
        config(config);
        this.ownership = List.copyOf(ownership);
        this.answerable = Set.copyOf(answerable);
        this.hostId = hostId;
        this.nicMac = nicMac;
        this.views = views;
        this.connections = connections;
        this.affinity = affinity;
        this.announcer = announcer;
        this.responder = responder;
        this.export = new StickyClientsExport(responder);
        this.startTimeMs = startTimeMs;
        this.workerCount = workerCount;
    }

    /**
     * @param adapter the adapter that decodes requests into this listener.
     */
    public void adapter(final ControlAdapter adapter) {
        this.adapter = adapter;
    }

    /**
     * One duty cycle: answers that can go, new requests (only while no answer waits, so lbd's requests
     * are taken in order), the export in progress, announcements and the periodic status.
     *
     * @param nowMs now.
     * @return work done.
     */
    public int doWork(final long nowMs) {
        this.nowMs = nowMs;
        int work = flushPending();
        if (pending.isEmpty() && adapter != null) {
            work += adapter.poll(POLL_LIMIT);
        }
        work += export.doWork();
        work += announcer.doWork(nowMs, views.current());
        if (nowMs - nextStatusMs >= 0) {
            // Periodic: one that cannot go (no lbd listening, back pressure) is skipped, not retried every cycle.
            responder.dataplaneStatus(statusReport());
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
        final String given = hex(configFingerprint);
        if (!parsed.fingerprint().sha256Hex().equals(given)) {
            answer(correlationId, AckStatus.REJECTED_FINGERPRINT_MISMATCH, "config text has fingerprint " +
                parsed.fingerprint().sha256Hex() + ", message says " + given, 0);
            return;
        }
        if (parsed.member(hostId).isEmpty()) {
            answer(correlationId, AckStatus.REJECTED_INVALID, "host " + hostId + " is not a member of this config", 0);
            return;
        }
        offeredConfig = parsed;
        answer(correlationId, AckStatus.OK, "", 0);
    }

    @Override
    public void onApplyView(final ApplyViewDecoder view) {
        final long correlationId = view.correlationId();
        if (stale(correlationId, view.incarnation())) {
            return;
        }
        final DataplaneView current = views.current();
        if (view.viewEpoch() <= current.epoch()) {
            answer(correlationId, AckStatus.REJECTED_STALE_EPOCH, "epoch " + view.viewEpoch() + " is not after " +
                current.epoch(), 0);
            return;
        }
        final UnsafeBuffer fingerprintBuffer = new UnsafeBuffer(new byte[ControlProtocol.FINGERPRINT_LENGTH]);
        view.wrapConfigFingerprint(fingerprintBuffer);
        final String fingerprint = hex(fingerprintBuffer);
        final ClusterConfig base = fingerprint.equals(configFingerprint) ? config :
            offeredConfig != null && fingerprint.equals(offeredConfig.fingerprint().sha256Hex()) ? offeredConfig : null;
        if (base == null) {
            answer(correlationId, AckStatus.REJECTED_FINGERPRINT_MISMATCH, "no config with fingerprint " +
                fingerprint + " was applied", 0);
            return;
        }
        if (view.hostId() != hostId || view.bucketCount() != base.parameters().bucketCount()) {
            answer(correlationId, AckStatus.REJECTED_INVALID, "view for host " + view.hostId() + " with " +
                view.bucketCount() + " buckets; this is host " + hostId + " with " + base.parameters().bucketCount(), 0);
            return;
        }
        final int slots = base.portRules().size() + 1;
        final int bucketCount = base.parameters().bucketCount();
        final RuleOwnership[] bySlot = new RuleOwnership[slots];
        final RuleState[] states = new RuleState[slots];
        for (final ApplyViewDecoder.RulesDecoder rule : view.rules()) {
            final int slot = rule.ruleIndex();
            if (slot >= slots || bySlot[slot] != null) {
                answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + slot + " is out of 0.." +
                    (slots - 1) + " or repeated", 0);
                return;
            }
            states[slot] = switch (rule.state()) {
                case ENABLED -> RuleState.ENABLED;
                case DRAINING -> RuleState.DRAINING;
                case DISABLED -> RuleState.DISABLED;
                default -> null;
            };
            final UnsafeBuffer owners = new UnsafeBuffer(new byte[0]);
            rule.wrapOwners(owners);
            final UnsafeBuffer dirty = new UnsafeBuffer(new byte[0]);
            rule.wrapDirtyBuckets(dirty);
            if (states[slot] == null || owners.capacity() != bucketCount * ControlProtocol.OWNER_LENGTH ||
                !BucketBitmaps.fits(dirty, bucketCount)) {
                answer(correlationId, AckStatus.REJECTED_INVALID, "rule " + slot + ": state, owners (" +
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
            bySlot[slot] = new RuleOwnership(ownerIds, dirtyWords);
        }
        final Set<IpAddress> vips = new HashSet<>();
        for (final ApplyViewDecoder.VipsDecoder vip : view.vips()) {
            vips.add(new IpAddress(Addresses.high(vip.vip()), Addresses.low(vip.vip())));
        }
        for (int slot = 0; slot < slots; slot++) {
            if (bySlot[slot] == null) {
                answer(correlationId, AckStatus.REJECTED_INVALID, "the view has no ownership for rule " + slot, 0);
                return;
            }
        }
        final List<PortRule> rules = new ArrayList<>();
        for (int slot = 0; slot < base.portRules().size(); slot++) {
            rules.add(base.portRules().get(slot).withState(states[slot]));
        }
        final ClusterConfig applied = new ClusterConfig(base.parameters(), base.vips(), rules, base.members());
        final List<RuleOwnership> newOwnership = List.of(bySlot);
        final DataplaneView built;
        try {
            built = ViewBuilder.build(applied, hostId, view.viewEpoch(), current.version() + 1, newOwnership, vips,
                nicMac);
        } catch (final IllegalArgumentException ex) {
            answer(correlationId, AckStatus.REJECTED_INVALID, ex.getMessage(), 0);
            return;
        }
        config(base);
        ownership = newOwnership;
        answerable = Set.copyOf(vips);
        publish(built);
        answer(correlationId, AckStatus.OK, "", built.version());
    }

    @Override
    public void onAnnounceVip(final long correlationId, final long incarnation, final IpVersion version,
        final long vipHigh, final long vipLow, final int count, final long spacingMs) {
        if (stale(correlationId, incarnation)) {
            return;
        }
        final IpAddress vip = new IpAddress(vipHigh, vipLow);
        if (!answerable.contains(vip)) {
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
        final Set<IpAddress> remaining = new HashSet<>(answerable);
        remaining.remove(vip);
        answerable = Set.copyOf(remaining);
        final DataplaneView current = views.current();
        final DataplaneView withdrawn = ViewBuilder.build(config, hostId, current.epoch(), current.version() + 1,
            ownership, answerable, nicMac);
        publish(withdrawn);
        answer(correlationId, AckStatus.OK, "", withdrawn.version());
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
        final BucketSet wanted = new BucketSet();
        final int bucketCount = config.parameters().bucketCount();
        for (int b = 0; b < bucketCount; b++) {
            if (BucketBitmaps.isSet(buckets, b)) {
                wanted.add(b);
            }
        }
        final long timeout = affinity.ruleTimeoutTicks(ruleIndex);
        final long exportNow = nowMs;
        final int[] cursor = {0};
        export.start(correlationId, ruleIndex, chunk -> {
            final int step = Math.min(chunk.capacity() - chunk.size(), affinity.capacity() - cursor[0]);
            affinity.forEachInBuckets(wanted, cursor[0], step, (rule, ipVersion, hi, lo, meta, lastSeen) -> {
                if (rule == ruleIndex && !EntryMeta.isForeign(meta)) {
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
        final int rule = entries.ruleIndex();
        final DataplaneView view = views.current();
        if (rule >= view.ruleCount()) {
            answer(correlationId, AckStatus.REJECTED_INVALID, "rule index " + rule + " is not a configured rule", 0);
            return;
        }
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
        if (flushConnections) {
            if (ruleIndex == ControlProtocol.ALL_RULES) {
                connections.flush(0, connections.capacity());
            } else {
                connections.flushRule(ruleIndex, 0, connections.capacity());
            }
        }
        if (flushAffinity) {
            if (ruleIndex == ControlProtocol.ALL_RULES) {
                affinity.flush(0, affinity.capacity());
            } else {
                affinity.flushRule(ruleIndex, 0, affinity.capacity());
            }
        }
        answer(correlationId, AckStatus.OK, "", 0);
    }

    /** The fingerprint is a SHA-256 over the canonical config: computed once per config, not per status. */
    private void config(final ClusterConfig newConfig) {
        if (newConfig != config) {
            config = newConfig;
            configFingerprint = newConfig.fingerprint().sha256Hex();
            configFingerprintBytes = new UnsafeBuffer(HexFormat.of().parseHex(configFingerprint));
        }
    }

    private void publish(final DataplaneView view) {
        views.publish(view);
        for (int slot = 0; slot < view.ruleCount(); slot++) {
            affinity.ruleTimeoutTicks(slot, view.extendedAffinityMillis(slot));
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

    private void answer(final long correlationId, final AckStatus ackStatus, final String detail,
        final long awaitVersion) {
        pending.addLast(new PendingAck(correlationId, ackStatus, detail, awaitVersion));
        flushPending();
    }

    private int flushPending() {
        int work = 0;
        while (!pending.isEmpty()) {
            final PendingAck ack = pending.peekFirst();
            if (ack.awaitVersion() != 0 && !views.observedByAll(ack.awaitVersion())) {
                break;
            }
            final long result = responder.ack(ack.correlationId(), ack.status(), ack.detail());
            if (!Offers.isSent(result) && Offers.isRetryable(result)) {
                break;
            }
            pending.removeFirst();
            work++;
        }
        return work;
    }

    private StatusReport statusReport() {
        final DataplaneView view = views.current();
        status.process(ProcessHandle.current().pid(), startTimeMs, workerCount)
            .controlIncarnation(followedIncarnation)
            .appliedViewEpoch(view.epoch())
            .appliedConfigFingerprint(configFingerprintBytes, 0)
            .clearVips();
        for (final IpAddress vip : config.vips()) {
            final boolean mine = answerable.contains(vip);
            status.addVip(vip.isIpv4() ? IpVersion.V4 : IpVersion.V6, vip.hi(), vip.lo(),
                !mine ? VipAnnounceState.SILENT : announcer.roundsDue(vip) > 0 ? VipAnnounceState.ANNOUNCING :
                    VipAnnounceState.ANSWERING, announcer.roundsDue(vip));
        }
        return status;
    }

    private static String hex(final DirectBuffer buffer) {
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
