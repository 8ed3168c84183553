package lb.control.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigFingerprint;
import lb.dataplane.config.ConfigValidator;

/**
 * One host's copy of the replicated cluster config as a pure, deterministic state machine, in the style of
 * {@link lb.control.host.HostMachine}: inputs are method calls carrying the time, outputs are {@link ConfigOutput}s
 * drained from an outbox. No I/O, clock, randomness or threads inside. Not thread-safe: one owner calls it.
 *
 * <p>The config is the {@linkplain ConfigFold fold} of a grow-only set of ops over the genesis config. The rule that
 * makes it durable: an op is <em>persisted</em> (its write answered by {@link #persisted}) before this host
 * acknowledges it, applies it ({@link ConfigOutput.ConfigChanged}), counts it in its {@link #summary()} or sends it to
 * another host. Ops not yet persisted are forgotten by a failed write or a crash, and were never visible anywhere.
 *
 * <p>See docs/config-replication.md.
 */
public final class ConfigReplica {
    /** Default: do not send a peer the same ops again within this long (they may be on their way). */
    public static final long DEFAULT_RESEND_AFTER_MS = 200;

    private record Sent(Set<OpId> ids, long atMs) {
    }

    private final ClusterConfig genesis;
    private final ConfigFingerprint lineage;
    private final int selfId;
    private final long resendAfterMs;
    private final List<ConfigOutput> outbox = new ArrayList<>();

    private final TreeMap<OpId, LoggedOp> durable = new TreeMap<>();
    private final TreeMap<OpId, LoggedOp> inWrite = new TreeMap<>();
    private final TreeMap<OpId, LoggedOp> queued = new TreeMap<>();
    private final Map<OpId, Long> requests = new HashMap<>();
    private final Map<Integer, VersionVector> peers = new HashMap<>();
    private final Map<Integer, Sent> lastSent = new HashMap<>();

    private ConfigFold.Result visible;
    private VersionVector durableVector;
    private ClusterConfig working;
    private long writeToken;
    private long lastToken;
    private long ownSeq;
    private long lamport;
    private long refusedForeign;

    private ConfigReplica(final ClusterConfig genesis, final int selfId, final Collection<LoggedOp> persisted,
        final long resendAfterMs) {
        this.genesis = ConfigValidator.requireValid(Objects.requireNonNull(genesis, "genesis"), "genesis config");
        this.lineage = genesis.fingerprint();
        this.selfId = selfId;
        this.resendAfterMs = resendAfterMs;
        for (final LoggedOp op : persisted) {
            durable.put(op.id(), op);
        }
        rollBackClocks();
        visible = ConfigFold.fold(genesis, durable.values());
        durableVector = VersionVector.of(durable.keySet());
    }

    /**
     * The replica of a host that has no store yet: the genesis config, no op. (lbd writes the store with the genesis
     * and no op at once, so that the lineage no longer depends on the file.)
     */
    public static ConfigReplica create(final ClusterConfig genesis, final int selfId) {
        return new ConfigReplica(genesis, selfId, List.of(), DEFAULT_RESEND_AFTER_MS);
    }

    /**
     * The replica exactly as it was before a crash or restart, from what its store holds: the persisted ops (ops
     * that were not persisted are gone, and were never acknowledged, applied or sent).
     */
    public static ConfigReplica restore(final ClusterConfig genesis, final int selfId,
        final Collection<LoggedOp> persisted) {
        return new ConfigReplica(genesis, selfId, persisted, DEFAULT_RESEND_AFTER_MS);
    }

    /** {@link #restore} with another resend hold-off. */
    public static ConfigReplica restore(final ClusterConfig genesis, final int selfId,
        final Collection<LoggedOp> persisted, final long resendAfterMs) {
        return new ConfigReplica(genesis, selfId, persisted, resendAfterMs);
    }

    // ---------------------------------------------------------------------------------------------------- inputs

    /**
     * An operator's change, taken by this host: validated against the config as this host knows it (persisted or
     * not); if it fits, it becomes an op with this host's next sequence and a Lamport clock above every op known
     * (so it sorts after them, exactly where it was validated), and a {@link ConfigOutput.Persist} is asked for
     * (now, or after the write in flight). {@link ConfigOutput.Acknowledge} follows its {@link #persisted}. If it does
     * not fit, {@link ConfigOutput.Refuse} at once, naming the field.
     *
     * @return whether the change was taken (to be persisted).
     */
    public boolean propose(final long nowMs, final long requestId, final ConfigOp op) {
        Objects.requireNonNull(op, "op");
        final ClusterConfig basis = workingConfig();
        try {
            op.applyTo(basis);
        } catch (final IllegalArgumentException e) {
            outbox.add(new ConfigOutput.Refuse(requestId, e.getMessage(), true));
            return false;
        }
        final LoggedOp logged = new LoggedOp(new OpId(selfId, ownSeq + 1), lamport + 1, workingVector(), op);
        ownSeq++;
        lamport++;
        queued.put(logged.id(), logged);
        requests.put(logged.id(), requestId);
        working = null;
        startWrite();
        return true;
    }

    /**
     * The write of this token is durable (written, fsynced, renamed, directory fsynced): its ops are persisted. The
     * folded config is applied if it changed, the changes taken here are acknowledged, peers that lack the ops are
     * sent them, and the next write (ops that arrived meanwhile) is asked for.
     *
     * @return false for a token that is not the write in flight (ignored).
     */
    public boolean persisted(final long nowMs, final long token) {
        if (token != writeToken || writeToken == 0) {
            return false;
        }
        writeToken = 0;
        final List<LoggedOp> written = List.copyOf(inWrite.values());
        final ConfigFold.Result before = visible;
        visible = foldWith(written);
        durable.putAll(inWrite);
        inWrite.clear();
        durableVector = VersionVector.of(durable.keySet());
        if (queued.isEmpty()) {
            working = visible.config();
        }
        if (!visible.fingerprint().equals(before.fingerprint())) {
            outbox.add(new ConfigOutput.ConfigChanged(visible.config(), visible.fingerprint(), durable.size()));
        }
        final Set<String> wasSuperseded = new HashSet<>();
        before.superseded().forEach(s -> wasSuperseded.add(s.op().id() + "/" + s.kind()));
        final Map<OpId, Superseded> supersededNow = new HashMap<>();
        for (final Superseded superseded : visible.superseded()) {
            supersededNow.put(superseded.op().id(), superseded);
            if (!wasSuperseded.contains(superseded.op().id() + "/" + superseded.kind())) {
                outbox.add(new ConfigOutput.OpSuperseded(superseded));
            }
        }
        for (final LoggedOp op : written) {
            final Long requestId = requests.remove(op.id());
            if (requestId != null) {
                outbox.add(new ConfigOutput.Acknowledge(requestId, op, durable.size(),
                    Optional.ofNullable(supersededNow.get(op.id()))));
            }
        }
        for (final Map.Entry<Integer, VersionVector> peer : new TreeMap<>(peers).entrySet()) {
            sendMissing(nowMs, peer.getKey(), peer.getValue());
        }
        startWrite();
        return true;
    }

    /**
     * The write of this token failed (the store's reason): every op not yet persisted is forgotten, as a crash would
     * forget it. Changes taken here among them are refused with the reason (nothing of them was applied or sent);
     * ops from peers among them come again with the next summary exchange.
     *
     * @return false for a token that is not the write in flight (ignored).
     */
    public boolean persistFailed(final long nowMs, final long token, final String reason) {
        if (token != writeToken || writeToken == 0) {
            return false;
        }
        writeToken = 0;
        for (final LoggedOp op : inWrite.values()) {
            final Long requestId = requests.remove(op.id());
            if (requestId != null) {
                outbox.add(new ConfigOutput.Refuse(requestId, "not persisted, so not made: " + reason, false));
            }
        }
        for (final LoggedOp op : queued.values()) {
            final Long requestId = requests.remove(op.id());
            if (requestId != null) {
                outbox.add(new ConfigOutput.Refuse(requestId,
                    "not persisted, so not made: the write of an earlier change failed: " + reason, false));
            }
        }
        inWrite.clear();
        queued.clear();
        rollBackClocks();
        working = visible.config();
        return true;
    }

    /**
     * A peer's summary (from its heartbeat): sends it the persisted ops it lacks, unless the same ops went to it
     * less than the resend hold-off ago. A summary of another lineage is ignored (membership refuses that host).
     *
     * @return false when the summary is of another lineage.
     */
    public boolean onPeerSummary(final long nowMs, final int fromHostId, final ConfigSummary summary) {
        if (!summary.lineage().equals(lineage)) {
            refusedForeign++;
            return false;
        }
        if (fromHostId == selfId) {
            return true;
        }
        peers.put(fromHostId, summary.known());
        if (summary.known().equals(durableVector) && summary.opCount() == durable.size() &&
            !summary.folded().equals(visible.fingerprint())) {
            outbox.add(new ConfigOutput.Diverged(fromHostId, summary.folded(), visible.fingerprint()));
        }
        sendMissing(nowMs, fromHostId, summary.known());
        return true;
    }

    /**
     * Ops from a peer: the ones not known are merged (duplicates ignored) and a write of them is asked for; they are
     * applied once persisted. A batch of another lineage is refused whole.
     *
     * @return false when the batch is of another lineage.
     */
    public boolean onOps(final long nowMs, final int fromHostId, final OpBatch batch) {
        if (!batch.lineage().equals(lineage)) {
            refusedForeign++;
            return false;
        }
        boolean added = false;
        for (final LoggedOp op : batch.ops()) {
            if (!knows(op.id())) {
                queued.put(op.id(), op);
                lamport = Math.max(lamport, op.lamport());
                if (op.id().originHostId() == selfId) {
                    // Our own op from before a lost store: never reuse its sequence.
                    ownSeq = Math.max(ownSeq, op.id().originSeq());
                }
                added = true;
            }
        }
        if (added) {
            working = null;
            startWrite();
        }
        return true;
    }

    /**
     * Moves every output produced so far to the consumer, in order.
     *
     * @return how many.
     */
    public int drainOutputs(final Consumer<ConfigOutput> consumer) {
        final int count = outbox.size();
        for (int i = 0; i < count; i++) {
            consumer.accept(outbox.get(i));
        }
        outbox.clear();
        return count;
    }

    // ---------------------------------------------------------------------------------------------------- queries

    /** What to carry in every heartbeat. */
    public ConfigSummary summary() {
        return new ConfigSummary(lineage, durableVector, durable.size(), visible.fingerprint());
    }

    /** The config this host runs: the fold of its persisted ops. */
    public ClusterConfig config() {
        return visible.config();
    }

    /** Its fingerprint. */
    public ConfigFingerprint fingerprint() {
        return visible.fingerprint();
    }

    /** The fold of the persisted ops: config, applied and superseded ops. */
    public ConfigFold.Result folded() {
        return visible;
    }

    /** The persisted ops that are not part of the config, each with its reason. */
    public List<Superseded> superseded() {
        return visible.superseded();
    }

    /** How many ops are persisted: grows with every write, equal on replicas holding the same set. */
    public long version() {
        return durable.size();
    }

    /** The version vector of the persisted ops. */
    public VersionVector versionVector() {
        return durableVector;
    }

    /** The persisted ops in {@link LoggedOp#ORDER}. */
    public List<LoggedOp> persistedOps() {
        return durable.values().stream().sorted(LoggedOp.ORDER).toList();
    }

    /** Whether the op is persisted here. */
    public boolean hasPersisted(final OpId id) {
        return durable.containsKey(id);
    }

    /** Whether the op is known here, persisted or waiting to be. */
    public boolean knows(final OpId id) {
        return durable.containsKey(id) || inWrite.containsKey(id) || queued.containsKey(id);
    }

    /** Ops known but not yet persisted. */
    public int pendingCount() {
        return inWrite.size() + queued.size();
    }

    /** Whether a write is in flight. */
    public boolean writing() {
        return writeToken != 0;
    }

    /** The genesis config. */
    public ClusterConfig genesis() {
        return genesis;
    }

    /** The genesis config's fingerprint: replicas of another lineage never exchange ops. */
    public ConfigFingerprint lineage() {
        return lineage;
    }

    /** This host's id. */
    public int selfId() {
        return selfId;
    }

    /** Summaries and batches refused because they were of another lineage. */
    public long refusedForeign() {
        return refusedForeign;
    }

    // ---------------------------------------------------------------------------------------------------- inside

    private void startWrite() {
        if (writeToken != 0 || queued.isEmpty()) {
            return;
        }
        inWrite.putAll(queued);
        queued.clear();
        writeToken = ++lastToken;
        final List<LoggedOp> log = new ArrayList<>(durable.size() + inWrite.size());
        log.addAll(durable.values());
        log.addAll(inWrite.values());
        log.sort(LoggedOp.ORDER);
        final ConfigFold.Result folded = foldWith(inWrite.values());
        working = folded.config();
        outbox.add(new ConfigOutput.Persist(writeToken, genesis, log, folded.config()));
    }

    private void sendMissing(final long nowMs, final int peer, final VersionVector theirs) {
        if (durable.size() == durableVector.total() && theirs.dominates(durableVector)) {
            return;
        }
        final List<LoggedOp> missing = new ArrayList<>();
        for (final LoggedOp op : durable.values()) {
            if (!theirs.covers(op.id())) {
                missing.add(op);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        final Set<OpId> ids = new HashSet<>();
        missing.forEach(op -> ids.add(op.id()));
        final Sent sent = lastSent.get(peer);
        if (sent != null && sent.ids.containsAll(ids) && nowMs - sent.atMs < resendAfterMs) {
            return;
        }
        lastSent.put(peer, new Sent(ids, nowMs));
        outbox.add(new ConfigOutput.SendOps(peer, new OpBatch(lineage, missing)));
    }

    private ClusterConfig workingConfig() {
        if (working == null) {
            final List<LoggedOp> pending = new ArrayList<>(inWrite.values());
            pending.addAll(queued.values());
            working = foldWith(pending).config();
        }
        return working;
    }

    /** The fold of the persisted ops and these (not persisted), extending the persisted fold when they sort last. */
    private ConfigFold.Result foldWith(final Collection<LoggedOp> extra) {
        if (extra.isEmpty()) {
            return visible;
        }
        final List<LoggedOp> ordered = extra.stream().sorted(LoggedOp.ORDER).toList();
        final Optional<LoggedOp> last = visible.last();
        if (last.isEmpty() || LoggedOp.ORDER.compare(ordered.get(0), last.get()) > 0) {
            return ConfigFold.extend(visible, ordered);
        }
        final List<LoggedOp> all = new ArrayList<>(durable.values());
        all.addAll(extra);
        return ConfigFold.fold(genesis, all);
    }

    private VersionVector workingVector() {
        final List<OpId> ids = new ArrayList<>(durable.keySet());
        ids.addAll(inWrite.keySet());
        ids.addAll(queued.keySet());
        return VersionVector.of(ids);
    }

    private void rollBackClocks() {
        ownSeq = 0;
        lamport = 0;
        for (final LoggedOp op : durable.values()) {
            lamport = Math.max(lamport, op.lamport());
            if (op.id().originHostId() == selfId) {
                ownSeq = Math.max(ownSeq, op.id().originSeq());
            }
        }
    }
}
