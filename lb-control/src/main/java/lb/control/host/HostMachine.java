package lb.control.host;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

import lb.control.affinity.ClaimBook;
import lb.control.affinity.StickyClient;
import lb.control.convergence.Candidate;
import lb.control.convergence.ClusterView;
import lb.control.convergence.LeaderElection;
import lb.control.convergence.LocalView;
import lb.control.convergence.ServingMode;
import lb.control.membership.HostState;
import lb.control.membership.MemberId;
import lb.control.membership.Refusal;
import lb.control.protocol.ClaimsRefusedMessage;
import lb.control.protocol.HeartbeatMessage;
import lb.control.protocol.StickyClientsMessage;
import lb.dataplane.buckets.BucketBitmap;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.ConfigFingerprint;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.RuleKey;

/**
 * One host's cluster membership and convergence as a pure, deterministic state machine: inputs are method calls
 * carrying the time, outputs are {@link Output}s drained from an outbox. No I/O, clock, randomness or threads inside,
 * so the same code runs in lbd and in the deterministic simulation. Not thread-safe: one owner calls it.
 *
 * <p>See docs/membership.md for the messages, the rules and why they are safe.
 */
public final class HostMachine {
    /**
     * How long a bucket stays dirty after it moved: the longest the dataplane keeps an idle established TCP
     * connection (docs/tables.md), so the previous owner's connections are gone or idle that long by then.
     */
    public static final long DIRTY_HOLD_MS = 3_600_000;

    private final ClusterConfig config;
    private final ConfigFingerprint fingerprint;
    private final MemberId self;
    private final int priority;
    private final long periodMs;
    private final long detectionMs;
    private final long fenceGapMs;
    private final Peers peers = new Peers();
    private final StickyClaims sticky;
    private final List<Output> outbox = new ArrayList<>();

    private HostState state = HostState.STOPPED;
    private boolean dataplaneUp;
    private boolean listening;
    private long listenUntilMs;
    private boolean fenced;
    private boolean holding;
    private long drainDeadlineMs;
    private boolean clockStarted;
    private long lastNowMs;

    private List<HeartbeatMessage> accepted = List.of();
    private List<Refusal> refusals = List.of();
    private boolean selfRefused;
    private ClusterView view = ClusterView.NONE;
    private long maxEpochHeard;
    private int leaderId = LeaderElection.NONE;
    private boolean inStep;

    private long sequence;
    private boolean heartbeatSent;
    private long lastHeartbeatMs;
    private List<Object> lastHeartbeatKey = List.of();

    private LocalView applied;
    private ClusterView appliedFrom;
    private long dataplaneEpoch;
    private long[][] movedAtMs;
    private long announcedHealEpoch;
    private HostStatus status;

    /**
     * A stopped host whose dataplane is not up yet.
     *
     * @param config      the cluster config this host runs.
     * @param hostId      this host's id, a member of the config.
     * @param incarnation this run's incarnation, greater than any earlier run's on the host.
     */
    public HostMachine(final ClusterConfig config, final int hostId, final long incarnation) {
        this.config = Objects.requireNonNull(config, "config");
        final ClusterMember member = config.member(hostId).orElseThrow(() -> new IllegalArgumentException(
            "host id " + hostId + " is not a member of cluster " + config.parameters().name() + "; members are " +
                config.members().stream().map(ClusterMember::hostId).toList()));
        this.fingerprint = config.fingerprint();
        this.self = new MemberId(hostId, incarnation);
        this.priority = member.hostPriority();
        this.periodMs = config.parameters().heartbeat().period().toMillis();
        this.detectionMs = periodMs * config.parameters().heartbeat().lossTolerance();
        // Our last heartbeat before a pause may be a period old, so other hosts can time us out one period early.
        this.fenceGapMs = detectionMs - periodMs;
        this.sticky = new StickyClaims(config, self, outbox);
    }

    /** This run of the host. */
    public MemberId self() {
        return self;
    }

    /** How long a silent host is still counted live: heartbeat period times loss tolerance. */
    public long detectionMs() {
        return detectionMs;
    }

    /** The view this host holds now (not necessarily agreed). */
    public ClusterView view() {
        return view;
    }

    /** The view last sent to the dataplane, or null before the first. */
    public LocalView appliedView() {
        return applied;
    }

    /** The latest heartbeat of every run of another host heard within the detection time, refused ones included. */
    public List<HeartbeatMessage> heard() {
        return List.copyOf(peers.heartbeats());
    }

    /** The status as of the last input (query; allowed in every state). */
    public HostStatus status() {
        return status;
    }

    /**
     * Host command start: a stopped or draining host starts, and listens before it owns anything.
     *
     * @return false when suspended (the command is ignored).
     */
    public boolean start(final long nowMs) {
        return command(nowMs, () -> {
            if (state != HostState.STARTED) {
                state = HostState.STARTED;
                beginListening(nowMs);
            }
        });
    }

    /**
     * Host command stop: the host owns nothing and answers no VIP; its next heartbeat (sent at once) is its departure.
     *
     * @return false when suspended (the command is ignored).
     */
    public boolean stop(final long nowMs) {
        return command(nowMs, () -> state = HostState.STOPPED);
    }

    /**
     * Host command drainstop: a started host takes no new connection and stops when its tracked connections end
     * ({@link #connectionsDrained}) or at the timeout.
     *
     * @return false when suspended (the command is ignored).
     */
    public boolean drainstop(final long nowMs, final long timeoutMs) {
        return command(nowMs, () -> {
            if (state == HostState.STARTED) {
                state = HostState.DRAINING;
                drainDeadlineMs = nowMs + timeoutMs;
            }
        });
    }

    /**
     * Host command suspend: the host stops taking part and ignores every command but resume (and query).
     *
     * @return always true.
     */
    public boolean suspend(final long nowMs) {
        advance(nowMs);
        state = HostState.SUSPENDED;
        evaluate(nowMs);
        return true;
    }

    /**
     * Host command resume: a suspended host becomes stopped (as in NLB, start it to rejoin).
     *
     * @return always true.
     */
    public boolean resume(final long nowMs) {
        advance(nowMs);
        if (state == HostState.SUSPENDED) {
            state = HostState.STOPPED;
        }
        evaluate(nowMs);
        return true;
    }

    /** The dataplane told it tracks no connection any more: a draining host stops. */
    public void connectionsDrained(final long nowMs) {
        advance(nowMs);
        if (state == HostState.DRAINING) {
            state = HostState.STOPPED;
        }
        evaluate(nowMs);
    }

    /**
     * A dataplane is up: its first DataplaneStatus, or one with a new dataplane incarnation (call once per dataplane
     * incarnation). It gets the current view again, above the epoch it reports, and a started host listens before it
     * owns anything, since its buckets may have moved while it had no dataplane.
     */
    public void dataplaneUp(final long nowMs, final long appliedDataplaneEpoch) {
        dataplaneUp(nowMs, appliedDataplaneEpoch, false);
    }

    /**
     * A dataplane is up, as {@link #dataplaneUp(long, long)}; {@code forwarding} says it still forwards by a view an
     * earlier run of lbd gave it (lbd restarted, fail-static). A started host then leaves that view in place while it
     * listens, unless a leader it hears holds a view without this host's id (the cluster moved on and took its
     * buckets): so restarting lbd within the detection time moves nothing and disturbs no connection.
     */
    public void dataplaneUp(final long nowMs, final long appliedDataplaneEpoch, final boolean forwarding) {
        advance(nowMs);
        holding = forwarding;
        dataplaneUp = true;
        dataplaneEpoch = Math.max(dataplaneEpoch, appliedDataplaneEpoch);
        sticky.dataplaneRestarted();
        applied = null;
        appliedFrom = null;
        if (state == HostState.STARTED) {
            beginListening(nowMs);
        }
        evaluate(nowMs);
    }

    /** The dataplane is gone (statuses stopped): the host stops claiming anything and says so at once. */
    public void dataplaneDown(final long nowMs) {
        advance(nowMs);
        dataplaneUp = false;
        evaluate(nowMs);
    }

    /** A heartbeat from another host (or an echo of our own, which is ignored). */
    public void onHeartbeat(final long nowMs, final HeartbeatMessage heartbeat) {
        advance(nowMs);
        if (!heartbeat.sender().equals(self) && peers.onHeartbeat(nowMs, heartbeat)) {
            evaluate(nowMs);
        }
    }

    /**
     * The dataplane's answer to an {@link Output.ExportStickyClients}: the clients go to the new owner while this host
     * still serves in a view where that host is a member.
     */
    public void onStickyClientsExported(
        final long nowMs, final RuleKey rule, final int toHostId, final List<StickyClient> clients) {
        advance(nowMs);
        if (mode() == ServingMode.SERVING && view.members().stream().anyMatch(m -> m.hostId() == toHostId)) {
            sticky.exported(view, rule, toHostId, clients);
        }
        evaluate(nowMs);
    }

    /**
     * Sticky clients another host keeps in buckets this host owns, exported in the view both hold: installed as foreign
     * entries when the sender is a host of our config we hear or hold in our view, and the export is not older than
     * claims it dropped since; a client two hosts claim goes to one of them by the {@link ClaimBook} rule, and the
     * other is told to drop it. Released when the sender leaves this host's view or drops its claims.
     */
    public void onStickyClients(final long nowMs, final StickyClientsMessage message) {
        advance(nowMs);
        if (dataplaneUp && knows(message.from())) {
            sticky.received(nowMs, view, message);
        }
        evaluate(nowMs);
    }

    /** A bucket owner decided that another host keeps these clients: drop our own entries of them. */
    public void onClaimsRefused(final long nowMs, final ClaimsRefusedMessage message) {
        advance(nowMs);
        if (dataplaneUp && knows(message.from())) {
            sticky.refused(view, message);
        }
        evaluate(nowMs);
    }

    /** The duty cycle: heartbeats when due, detection, the end of listening and of a drainstop. */
    public void tick(final long nowMs) {
        advance(nowMs);
        evaluate(nowMs);
    }

    /**
     * Hands every pending output, in order, to the consumer.
     *
     * @return how many.
     */
    public int drainOutputs(final Consumer<Output> consumer) {
        final int count = outbox.size();
        for (int i = 0; i < count; i++) {
            consumer.accept(outbox.get(i));
        }
        outbox.clear();
        return count;
    }

    private boolean command(final long nowMs, final Runnable change) {
        advance(nowMs);
        final boolean accepted = state != HostState.SUSPENDED;
        if (accepted) {
            change.run();
        }
        evaluate(nowMs);
        return accepted;
    }

    /** A run we hear, or one of our view that we may have timed out a moment ago while it still hears us. */
    private boolean knows(final MemberId member) {
        if (view.includes(member)) {
            return true;
        }
        for (final HeartbeatMessage heartbeat : accepted) {
            if (heartbeat.sender().equals(member)) {
                return true;
            }
        }
        return false;
    }

    private void advance(final long nowMs) {
        if (clockStarted && nowMs - lastNowMs > fenceGapMs) {
            // Others may have timed us out and moved our buckets: what we knew is stale and what we own is suspect.
            peers.clear();
            lastNowMs = nowMs;
            if (state == HostState.STARTED) {
                fenced = true;
                beginListening(nowMs);
                // Withdraw before looking at anything that arrived during the pause.
                evaluate(nowMs);
            }
        }
        if (!clockStarted || nowMs > lastNowMs) {
            lastNowMs = nowMs;
        }
        clockStarted = true;
        peers.expire(nowMs, detectionMs);
    }

    private void beginListening(final long nowMs) {
        listening = true;
        listenUntilMs = nowMs + detectionMs;
    }

    private void evaluate(final long nowMs) {
        if (state == HostState.DRAINING && nowMs - drainDeadlineMs >= 0) {
            state = HostState.STOPPED;
        }
        if (listening && (state != HostState.STARTED || nowMs - listenUntilMs >= 0)) {
            listening = false;
        }
        classifyPeers();
        // Leaving listening makes this host eligible, which can change who leads: decide again, at most once more.
        if (converge()) {
            converge();
        }
        applyLocally(nowMs);
        sticky.exportToPeersInStep(view, applied != null && appliedFrom == view ? applied : null, accepted);
        heartbeatIfDue(nowMs);
        statusIfChanged();
    }

    private boolean participating() {
        return state == HostState.STARTED && dataplaneUp && !selfRefused;
    }

    private ServingMode mode() {
        if (state == HostState.STOPPED || state == HostState.SUSPENDED || !dataplaneUp || selfRefused) {
            return ServingMode.STOPPED;
        }
        if (state == HostState.DRAINING) {
            return ServingMode.DRAINING;
        }
        final boolean agreed = leaderId == self.hostId() || inStep;
        return !listening && agreed && view.includes(self) ? ServingMode.SERVING : ServingMode.WITHDRAWN;
    }

    private void classifyPeers() {
        final List<HeartbeatMessage> heard = new ArrayList<>();
        final List<Refusal> refused = new ArrayList<>();
        boolean intruder = false;
        MemberId run = null;
        for (final HeartbeatMessage heartbeat : peers.heartbeats()) {
            final MemberId sender = heartbeat.sender();
            if (sender.hostId() == self.hostId()) {
                intruder |= sender.incarnation() < self.incarnation();
                refused.add(sender.incarnation() < self.incarnation() ?
                    new Refusal(self, "host id " + self.hostId() + " is already run by incarnation " +
                        sender.incarnation() + "; this newer run stays out until that one has been silent for " +
                        detectionMs + " ms (two hosts with one host id?)") :
                    new Refusal(sender, "claims this host's id with a newer incarnation while this run is alive " +
                        "(two hosts with one host id?)"));
                continue;
            }
            if (run != null && run.hostId() == sender.hostId()) {
                refused.add(new Refusal(sender, "duplicate host id " + sender.hostId() + ": incarnation " +
                    run.incarnation() + " is live; this newer run is refused until that one has been silent for " +
                    detectionMs + " ms"));
                continue;
            }
            run = sender;
            final Optional<ClusterMember> member = config.member(sender.hostId());
            if (!heartbeat.fingerprint().equals(fingerprint)) {
                refused.add(new Refusal(sender, "its config fingerprint " + heartbeat.fingerprint() +
                    " differs from ours " + fingerprint + ": hosts converge only on the same cluster config"));
            } else if (member.isEmpty()) {
                refused.add(new Refusal(sender, "host id " + sender.hostId() + " is not a member of cluster " +
                    config.parameters().name()));
            } else if (member.get().hostPriority() != heartbeat.hostPriority()) {
                refused.add(new Refusal(sender, "announces host priority " + heartbeat.hostPriority() +
                    ", the config gives host " + sender.hostId() + " priority " + member.get().hostPriority()));
            } else {
                heard.add(heartbeat);
            }
        }
        accepted = heard;
        refusals = refused;
        selfRefused = intruder;
        for (final HeartbeatMessage heartbeat : heard) {
            maxEpochHeard = Math.max(maxEpochHeard, heartbeat.viewEpoch());
            sticky.heard(heartbeat.sender(), heartbeat.claimsGeneration());
        }
    }

    /** Elects, then leads or follows; returns whether this host just stopped listening. */
    private boolean converge() {
        final Candidate me = new Candidate(self.hostId(), priority, participating(), listening, false);
        final List<Candidate> candidates = new ArrayList<>(accepted.size());
        for (final HeartbeatMessage heartbeat : accepted) {
            candidates.add(new Candidate(heartbeat.sender().hostId(), heartbeat.hostPriority(),
                heartbeat.participating(), heartbeat.listening(), heartbeat.leading()));
        }
        leaderId = LeaderElection.leader(me, view.includes(self), candidates);
        if (leaderId == self.hostId()) {
            lead();
            inStep = true;
        } else if (leaderId != LeaderElection.NONE) {
            final ClusterView leaders = heartbeatOf(leaderId).view().orElseThrow();
            if (leaders.epoch() > view.epoch()) {
                view = leaders;
            }
            inStep = view.sameAs(leaders.epoch(), leaders.digest());
        } else {
            inStep = false;
        }
        if (listening && inStep && view.includes(self)) {
            listening = false;
            return true;
        }
        return false;
    }

    private void lead() {
        final SortedSet<MemberId> members = new TreeSet<>();
        members.add(self);
        for (final HeartbeatMessage heartbeat : accepted) {
            if (heartbeat.participating() && heartbeat.sees().contains(self)) {
                members.add(heartbeat.sender());
            }
        }
        boolean stale = view.epoch() == 0 || !members.equals(view.members());
        boolean healed = false;
        for (final HeartbeatMessage heartbeat : accepted) {
            if (members.contains(heartbeat.sender())) {
                // A member that holds a view we cannot replace by ours: move above it so that it can adopt ours.
                stale |= heartbeat.viewEpoch() >= view.epoch() && !view.sameAs(heartbeat.viewEpoch(), heartbeat.viewDigest());
                healed |= view.epoch() > 0 && !view.includes(heartbeat.sender()) && !heartbeat.listening();
            }
        }
        if (!stale) {
            return;
        }
        final Set<Integer> live = new HashSet<>();
        members.forEach(m -> live.add(m.hostId()));
        final ClusterAssignment assignment = ClusterAssignment.compute(config, live, view.assignment());
        final long epoch = Math.max(maxEpochHeard, view.epoch()) + 1;
        view = ClusterView.of(epoch, members, assignment, healed);
        maxEpochHeard = epoch;
    }

    private HeartbeatMessage heartbeatOf(final int hostId) {
        for (final HeartbeatMessage heartbeat : accepted) {
            if (heartbeat.sender().hostId() == hostId) {
                return heartbeat;
            }
        }
        throw new IllegalStateException("host " + hostId + " is not heard");
    }

    private void applyLocally(final long nowMs) {
        if (!dataplaneUp) {
            return;
        }
        if (holding) {
            if (listening && state == HostState.STARTED && !clusterMovedOn()) {
                return;
            }
            holding = false;
        }
        final ServingMode mode = mode();
        if (applied != null && appliedFrom == view && applied.mode() == mode) {
            return;
        }
        final LocalView next = holdDirty(nowMs,
            LocalView.of(config, self.hostId(), dataplaneEpoch + 1, view, mode, applied));
        final List<IpAddress> before = applied == null ? List.of() : applied.vips();
        if (applied == null || !next.sameContent(applied)) {
            for (final IpAddress vip : before) {
                if (!next.vips().contains(vip)) {
                    outbox.add(new Output.WithdrawVip(vip));
                }
            }
            dataplaneEpoch++;
            outbox.add(new Output.ApplyView(next));
            for (final IpAddress vip : next.vips()) {
                if (!before.contains(vip)) {
                    outbox.add(new Output.AnnounceVip(vip));
                }
            }
            if (AffinityHandoff.between(self.hostId(), applied, next, outbox)) {
                sticky.dropped();
            }
            fenced &= mode != ServingMode.SERVING;
            applied = next;
        }
        if (view.healed() && mode == ServingMode.SERVING && view.epoch() > announcedHealEpoch) {
            // The winners of a healed split brain re-announce even though their own VIPs did not change.
            announcedHealEpoch = view.epoch();
            for (final IpAddress vip : applied.vips()) {
                if (before.contains(vip)) {
                    outbox.add(new Output.AnnounceVip(vip));
                }
            }
        }
        if (appliedFrom != view) {
            sticky.viewChanged(view);
        }
        appliedFrom = view;
    }

    /**
     * Keeps a bucket dirty in the views that follow the one it moved in, for {@link #DIRTY_HOLD_MS}: its previous
     * owner may still track connections in it, which the new owner must not take mid-flow (it takes only connection
     * starts there, and the connections it tracks). A new dataplane starts with every bucket dirty.
     */
    private LocalView holdDirty(final long nowMs, final LocalView next) {
        if (applied == null || movedAtMs == null || movedAtMs.length != next.rules().size()) {
            movedAtMs = new long[next.rules().size()][];
        }
        final List<BucketBitmap> held = new ArrayList<>(next.rules().size());
        for (int slot = 0; slot < next.rules().size(); slot++) {
            final BucketBitmap moved = next.rules().get(slot).dirty();
            final int buckets = moved.bucketCount();
            if (movedAtMs[slot] == null || movedAtMs[slot].length != buckets) {
                movedAtMs[slot] = new long[buckets];
                java.util.Arrays.fill(movedAtMs[slot], Long.MIN_VALUE);
            }
            final long[] at = movedAtMs[slot];
            final List<Integer> still = new ArrayList<>();
            for (int bucket = 0; bucket < buckets; bucket++) {
                if (moved.contains(bucket)) {
                    at[bucket] = nowMs;
                } else if (at[bucket] != Long.MIN_VALUE && nowMs - at[bucket] < DIRTY_HOLD_MS) {
                    still.add(bucket);
                }
            }
            held.add(BucketBitmap.of(buckets, still.stream().mapToInt(Integer::intValue).toArray()));
        }
        return next.withDirty(held);
    }

    /** Whether a leader we hear holds a view that this host's id is not a member of. */
    private boolean clusterMovedOn() {
        for (final HeartbeatMessage heartbeat : accepted) {
            final Optional<ClusterView> leaders = heartbeat.view();
            if (leaders.isPresent() && leaders.get().epoch() > 0 &&
                leaders.get().members().stream().noneMatch(m -> m.hostId() == self.hostId())) {
                return true;
            }
        }
        return false;
    }

    private void heartbeatIfDue(final long nowMs) {
        final boolean leading = leaderId == self.hostId();
        final List<Object> key =
            List.of(state, participating(), listening, leading, view.epoch(), view.digest(), sticky.generation());
        if (heartbeatSent && key.equals(lastHeartbeatKey) && nowMs - lastHeartbeatMs < periodMs) {
            return;
        }
        final List<MemberId> sees = accepted.stream().map(HeartbeatMessage::sender).toList();
        outbox.add(new Output.SendHeartbeat(new HeartbeatMessage(self, priority, ++sequence, state,
            participating(), listening, fingerprint, sees, leaderId, view.epoch(), view.digest(),
            leading ? Optional.of(view) : Optional.empty(), sticky.generation())));
        heartbeatSent = true;
        lastHeartbeatMs = nowMs;
        lastHeartbeatKey = key;
    }

    private void statusIfChanged() {
        boolean converged = mode() == ServingMode.SERVING;
        for (final MemberId member : view.members()) {
            if (!converged) {
                break;
            }
            if (!member.equals(self)) {
                converged = accepted.stream().anyMatch(h -> h.sender().equals(member) &&
                    view.sameAs(h.viewEpoch(), h.viewDigest()));
            }
        }
        final HostStatus next = new HostStatus(self, state, mode(), listening, fenced, leaderId, view.epoch(),
            view.digest(), converged, view.members(), refusals);
        if (!next.equals(status)) {
            status = next;
            outbox.add(new Output.StatusChanged(next));
        }
    }
}
