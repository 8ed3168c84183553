package lb.control.host;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import lb.control.affinity.ClaimBook;
import lb.control.affinity.StickyClient;
import lb.control.convergence.Candidate;
import lb.control.convergence.ClusterView;
import lb.control.convergence.LeaderElection;
import lb.control.convergence.LocalView;
import lb.control.convergence.RuleView;
import lb.control.convergence.ServingMode;
import lb.control.membership.HostState;
import lb.control.membership.MemberId;
import lb.control.membership.Refusal;
import lb.control.protocol.ClaimsRefusedMessage;
import lb.control.protocol.HeartbeatMessage;
import lb.control.protocol.StickyClientsMessage;
import lb.dataplane.buckets.BucketAssignment;
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

    /** A config this host knows, and when it stored it (the one it was constructed with is 0). */
    private record Known(ClusterConfig config, long order) {
    }

    private final MemberId self;
    /** The configs it knows by fingerprint: the running one, the ones stored since, and older ones peers still run. */
    private final Map<ConfigFingerprint, Known> known = new LinkedHashMap<>();
    private long storedCount;
    private ClusterConfig config;
    private ConfigFingerprint fingerprint;
    private ClusterConfig latest;
    private ConfigFingerprint latestFingerprint;
    private int priority;
    private long periodMs;
    private long detectionMs;
    private long fenceGapMs;
    private final Peers peers = new Peers();
    private final StickyClaims sticky;
    private final List<Output> outbox = new ArrayList<>();

    private HostState state = HostState.STOPPED;
    private boolean dataplaneUp;
    private boolean listening;
    private long listenUntilMs;
    /** When listening began: only a leader's view heard since then may end it early. */
    private long listenSinceMs;
    private boolean fenced;
    private boolean holding;
    private long drainDeadlineMs;
    private boolean clockStarted;
    private long lastNowMs;

    private List<HeartbeatMessage> accepted = List.of();
    /** Refused runs of our cluster on a config we do not know (yet): leaders we may follow but never hold a view of. */
    private List<HeartbeatMessage> kin = List.of();
    private List<Refusal> refusals = List.of();
    private boolean selfRefused;
    private ClusterView view = ClusterView.NONE;
    private long maxEpochHeard;
    private int leaderId = LeaderElection.NONE;
    private boolean inStep;

    private long sequence;
    private boolean heartbeatSent;
    /** The rules whose local service fails its health check here. */
    private final TreeSet<RuleKey> unhealthy = new TreeSet<>();
    /** The unhealthy members per rule the view this host computed last left out (null: not computed here). */
    private Map<RuleKey, Set<Integer>> excludedInView;
    private long lastHeartbeatMs;
    private List<Object> lastHeartbeatKey = List.of();

    private LocalView applied;
    private ClusterView appliedFrom;
    /** The config the dataplane was told to run ({@link Output.ApplyConfig}), null for none yet. */
    private ConfigFingerprint dataplaneConfig;
    private long dataplaneEpoch;
    private Map<RuleKey, long[]> movedAtMs = new HashMap<>();
    /** Whether the applied view leaves out buckets this host gains until every member holds the view. */
    private boolean withholding;
    private long announcedHealEpoch;
    private HostStatus status;

    /**
     * A stopped host whose dataplane is not up yet.
     *
     * @param config      the cluster config this host runs: the latest it stored (a restarted host starts from it).
     * @param hostId      this host's id, a member of the config.
     * @param incarnation this run's incarnation, greater than any earlier run's on the host.
     */
    public HostMachine(final ClusterConfig config, final int hostId, final long incarnation) {
        Objects.requireNonNull(config, "config");
        requireMember(config, hostId);
        this.self = new MemberId(hostId, incarnation);
        final ConfigFingerprint initial = config.fingerprint();
        known.put(initial, new Known(config, 0));
        this.latest = config;
        this.latestFingerprint = initial;
        this.sticky = new StickyClaims(config, self, outbox);
        run(config, initial);
    }

    private static ClusterMember requireMember(final ClusterConfig config, final int hostId) {
        return config.member(hostId).orElseThrow(() -> new IllegalArgumentException(
            "host id " + hostId + " is not a member of cluster " + config.parameters().name() + "; members are " +
                config.members().stream().map(ClusterMember::hostId).toList()));
    }

    /** Runs this config from now on: its priority, heartbeat period and detection time, rules and VIPs. */
    private void run(final ClusterConfig next, final ConfigFingerprint nextFingerprint) {
        config = next;
        fingerprint = nextFingerprint;
        priority = requireMember(next, self.hostId()).hostPriority();
        periodMs = next.parameters().heartbeat().period().toMillis();
        detectionMs = periodMs * next.parameters().heartbeat().lossTolerance();
        // Our last heartbeat before a pause may be a period old, so other hosts can time us out one period early.
        fenceGapMs = detectionMs - periodMs;
        sticky.configChanged(next);
    }

    /** The config this host runs. */
    public ClusterConfig config() {
        return config;
    }

    /** The latest config this host stored (the running one when it stored none since). */
    public ClusterConfig latestConfig() {
        return latest;
    }

    /**
     * A config of this cluster (the caller checked its lineage) that this host made durable and would run next. The
     * host announces it in its heartbeats and keeps running its config: the leader switches when every member of its
     * view announces the same latest config, and a follower when it adopts a view computed for it
     * (docs/membership.md, "Config changes"). The latest again is ignored; an older one it knows (a change undone)
     * becomes the latest.
     *
     * @throws IllegalArgumentException when the config is not of this cluster (another name, secret or bucket count)
     *                                  or does not list this host.
     */
    public void configStored(final long nowMs, final ClusterConfig newer) {
        Objects.requireNonNull(newer, "newer");
        final var was = config.parameters();
        final var now = newer.parameters();
        if (!was.name().equals(now.name()) || !was.secret().equals(now.secret()) ||
            was.bucketCount() != now.bucketCount()) {
            throw new IllegalArgumentException("config of cluster " + now.name() + " (" + now.bucketCount() +
                " buckets) is not a config of cluster " + was.name() + " (" + was.bucketCount() + " buckets, " +
                "same secret)");
        }
        requireMember(newer, self.hostId());
        advance(nowMs);
        final ConfigFingerprint stored = newer.fingerprint();
        if (!stored.equals(latestFingerprint)) {
            known.remove(stored);
            known.put(stored, new Known(newer, ++storedCount));
            latest = newer;
            latestFingerprint = stored;
        }
        evaluate(nowMs);
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

    /**
     * The local service of a rule passed or failed its health check (rise and fall counted by the caller). An
     * unhealthy rule takes no new connections here: the leader gives its buckets to the rule's other hosts, as a
     * drainstop does for the whole host, and this host keeps the connections it tracks (the buckets move dirty). It
     * takes its share back when healthy. Rules not of the running config are kept and count once it runs one that has
     * them.
     */
    public void ruleHealth(final long nowMs, final RuleKey rule, final boolean healthy) {
        advance(nowMs);
        if (healthy ? unhealthy.remove(rule) : unhealthy.add(rule)) {
            evaluate(nowMs);
        }
    }

    /** The rules whose local service is unhealthy here. */
    public SortedSet<RuleKey> unhealthyRules() {
        return Collections.unmodifiableSortedSet(unhealthy);
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
        dataplaneConfig = null;
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
        listenSinceMs = nowMs;
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
        if (converge(nowMs)) {
            converge(nowMs);
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
        final List<HeartbeatMessage> ours = new ArrayList<>();
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
            final Known itsConfig = known.get(heartbeat.fingerprint());
            final Optional<ClusterMember> member =
                itsConfig == null ? Optional.empty() : itsConfig.config().member(sender.hostId());
            if (itsConfig == null) {
                refused.add(new Refusal(sender, "its config fingerprint " + heartbeat.fingerprint() +
                    " differs from ours " + fingerprint + ": hosts converge only on the same cluster config"));
                // A run we held in our view (it ran a config we know, and runs only move forward), or one that stored
                // a config we know, runs a config of our cluster that we lack: we may follow it, never hold its view.
                if (view.includes(sender) || known.containsKey(heartbeat.latest())) {
                    ours.add(heartbeat);
                }
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
        kin = ours;
        refusals = refused;
        selfRefused = intruder;
        forgetStaleConfigs();
        for (final HeartbeatMessage heartbeat : heard) {
            maxEpochHeard = Math.max(maxEpochHeard, heartbeat.viewEpoch());
            sticky.heard(heartbeat.sender(), heartbeat.claimsGeneration());
        }
    }

    /**
     * Forgets the configs older than the running one (stored before it) that no run we hear runs or stored last: no
     * host will switch back to them.
     */
    private void forgetStaleConfigs() {
        final long running = known.get(fingerprint).order();
        final Iterator<Map.Entry<ConfigFingerprint, Known>> entries = known.entrySet().iterator();
        while (entries.hasNext()) {
            final Map.Entry<ConfigFingerprint, Known> entry = entries.next();
            if (entry.getValue().order() < running && !entry.getKey().equals(latestFingerprint) &&
                peers.heartbeats().stream().noneMatch(h ->
                    h.fingerprint().equals(entry.getKey()) || h.latest().equals(entry.getKey()))) {
                entries.remove();
            }
        }
    }

    /** Whether this host can run a view computed for this config: its own, or a newer one it stored. */
    private boolean canRun(final ConfigFingerprint viewConfig) {
        if (viewConfig.equals(fingerprint)) {
            return true;
        }
        final Known of = known.get(viewConfig);
        return of != null && of.order() > known.get(fingerprint).order();
    }

    /** Elects, then leads or follows; returns whether this host just stopped listening. */
    private boolean converge(final long nowMs) {
        // A host that left listening early (a leader's view took it in) has not heard the whole cluster for a
        // detection window yet: it follows, but does not lead a view of only the hosts it has heard so far.
        final boolean unheard = listening || nowMs - listenUntilMs < 0;
        final Candidate me = new Candidate(self.hostId(), priority, participating(), unheard, false);
        final List<Candidate> candidates = new ArrayList<>(accepted.size() + kin.size());
        for (final HeartbeatMessage heartbeat : accepted) {
            candidates.add(new Candidate(heartbeat.sender().hostId(), heartbeat.hostPriority(),
                heartbeat.participating(), heartbeat.listening(), heartbeat.leading()));
        }
        for (final HeartbeatMessage heartbeat : kin) {
            candidates.add(new Candidate(heartbeat.sender().hostId(), heartbeat.hostPriority(),
                heartbeat.participating(), heartbeat.listening(), heartbeat.leading()));
        }
        leaderId = LeaderElection.leader(me, view.includes(self), candidates);
        boolean leaderHeardSinceListening = leaderId == self.hostId();
        if (leaderId == self.hostId()) {
            lead();
            inStep = true;
        } else if (leaderId != LeaderElection.NONE) {
            final HeartbeatMessage heartbeat = acceptedOf(leaderId);
            if (heartbeat == null) {
                // It runs a config of our cluster that has not reached us: out of step until configStored gives it.
                inStep = false;
            } else {
                final ClusterView leaders = heartbeat.view().orElseThrow();
                if (leaders.epoch() > view.epoch() && canRun(leaders.config())) {
                    if (!leaders.config().equals(fingerprint)) {
                        run(known.get(leaders.config()).config(), leaders.config());
                    }
                    view = leaders;
                }
                inStep = view.sameAs(leaders.epoch(), leaders.digest());
                // A view heard before this host began listening (before a resume, say) may be long superseded: the
                // rest of the cluster may have moved this host's buckets since, so it says nothing about now.
                leaderHeardSinceListening = peers.heardAtMs(heartbeat.sender()) - listenSinceMs >= 0;
            }
        } else {
            inStep = false;
        }
        if (listening && inStep && leaderHeardSinceListening && view.includes(self)) {
            listening = false;
            return true;
        }
        return false;
    }

    private void lead() {
        if (!latestFingerprint.equals(fingerprint) && everyHostStored(latestFingerprint)) {
            // Every host we hear can run the latest config: switch, and compute the next view for it.
            run(latest, latestFingerprint);
        }
        final SortedSet<MemberId> members = members();
        boolean stale = view.epoch() == 0 || !members.equals(view.members()) || !view.config().equals(fingerprint);
        for (final HeartbeatMessage heartbeat : kin) {
            // A host that hears us and stored our config last joins once it adopts our view: move above its own.
            if (heartbeat.sees().contains(self) && heartbeat.latest().equals(fingerprint)) {
                stale |= heartbeat.viewEpoch() >= view.epoch();
                maxEpochHeard = Math.max(maxEpochHeard, heartbeat.viewEpoch());
            }
        }
        boolean healed = false;
        for (final HeartbeatMessage heartbeat : accepted) {
            if (members.contains(heartbeat.sender())) {
                // A member that holds a view we cannot replace by ours: move above it so that it can adopt ours.
                stale |= heartbeat.viewEpoch() >= view.epoch() && !view.sameAs(heartbeat.viewEpoch(), heartbeat.viewDigest());
                healed |= view.epoch() > 0 && !view.includes(heartbeat.sender()) && !heartbeat.listening();
            }
        }
        final Map<RuleKey, Set<Integer>> excluded = unhealthyMembers(members);
        // A view another leader computed: recompute only if it does not fit the health we hear now.
        stale |= excludedInView != null ? !excluded.equals(excludedInView) : !fitsHealth(members, excluded);
        excludedInView = excluded;
        if (!stale) {
            return;
        }
        final Set<Integer> live = new HashSet<>();
        members.forEach(m -> live.add(m.hostId()));
        final ClusterAssignment assignment = ClusterAssignment.compute(config, live, view.assignment(), excluded);
        final long epoch = Math.max(maxEpochHeard, view.epoch()) + 1;
        view = ClusterView.of(epoch, members, assignment, healed, fingerprint);
        maxEpochHeard = epoch;
    }

    /**
     * Whether the view gives no bucket of a rule to a member unhealthy on it (unless all are: fail open), and some to
     * every healthy member of a multiple-host rule that has a weight.
     */
    private boolean fitsHealth(final SortedSet<MemberId> members, final Map<RuleKey, Set<Integer>> excluded) {
        for (final var rule : config.portRules()) {
            final var assignment = view.assignment().byRule().get(rule.key());
            if (assignment == null) {
                return false;
            }
            final Set<Integer> out = excluded.getOrDefault(rule.key(), Set.of());
            final boolean failOpen = members.stream().allMatch(m -> out.contains(m.hostId()));
            final Set<Integer> owners = new HashSet<>();
            for (final int owner : assignment.owners()) {
                owners.add(owner);
            }
            for (final MemberId member : members) {
                final int id = member.hostId();
                if (!failOpen && out.contains(id) && owners.contains(id)) {
                    return false;
                }
                if (rule.filtering() == lb.dataplane.config.FilteringMode.MULTIPLE && !out.contains(id) &&
                    !owners.contains(id) && config.member(id).map(m -> m.loadWeight(rule.key()).percent() > 0)
                    .orElse(false) && members.size() <= config.parameters().bucketCount()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Per rule of the running config, the members whose local service is unhealthy: this host's own, and what each
     * other member's heartbeat says if it runs this config (one still switching says it again once it runs it).
     */
    private Map<RuleKey, Set<Integer>> unhealthyMembers(final SortedSet<MemberId> members) {
        final Map<RuleKey, Set<Integer>> excluded = new TreeMap<>();
        for (final RuleKey rule : unhealthy) {
            if (config.rule(rule).isPresent()) {
                excluded.computeIfAbsent(rule, key -> new TreeSet<>()).add(self.hostId());
            }
        }
        for (final HeartbeatMessage heartbeat : accepted) {
            if (members.contains(heartbeat.sender()) && heartbeat.fingerprint().equals(fingerprint)) {
                for (final RuleKey rule : heartbeat.unhealthy()) {
                    excluded.computeIfAbsent(rule, key -> new TreeSet<>()).add(heartbeat.sender().hostId());
                }
            }
        }
        return excluded;
    }

    /**
     * Itself and every participating run it hears that hears it and can run a view of our config: it runs it, or it
     * stored it last (so it switches forward to it on adoption).
     */
    private SortedSet<MemberId> members() {
        final SortedSet<MemberId> members = new TreeSet<>();
        members.add(self);
        for (final HeartbeatMessage heartbeat : accepted) {
            if (heartbeat.participating() && heartbeat.sees().contains(self) &&
                config.member(heartbeat.sender().hostId()).isPresent() &&
                (heartbeat.fingerprint().equals(fingerprint) || heartbeat.latest().equals(fingerprint))) {
                members.add(heartbeat.sender());
            }
        }
        return members;
    }

    /**
     * Whether every run we hear and accept that is a host of this config stored it last: not only the members of the
     * view we would compute, since a host that is not a member yet (listening, stopped, not hearing us yet) but lacks
     * the config would refuse us once we run it, and could form a cluster of its own.
     */
    private boolean everyHostStored(final ConfigFingerprint next) {
        for (final HeartbeatMessage heartbeat : accepted) {
            if (latest.member(heartbeat.sender().hostId()).isPresent() && !heartbeat.latest().equals(next)) {
                return false;
            }
        }
        return true;
    }

    private HeartbeatMessage acceptedOf(final int hostId) {
        for (final HeartbeatMessage heartbeat : accepted) {
            if (heartbeat.sender().hostId() == hostId) {
                return heartbeat;
            }
        }
        return null;
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
        if (applied != null && appliedFrom == view && applied.mode() == mode && !withholding) {
            return;
        }
        final LocalView next = holdDirty(nowMs, releaseBeforeTake(
            LocalView.of(config, fingerprint, self.hostId(), dataplaneEpoch + 1, view, mode, applied)));
        final List<IpAddress> before = applied == null ? List.of() : applied.vips();
        if (applied == null || !next.sameContent(applied)) {
            for (final IpAddress vip : before) {
                if (!next.vips().contains(vip)) {
                    outbox.add(new Output.WithdrawVip(vip));
                }
            }
            if (!fingerprint.equals(dataplaneConfig)) {
                outbox.add(new Output.ApplyConfig(config));
                dataplaneConfig = fingerprint;
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
     * Release before take: a bucket this host gains in a view (one its dataplane does not take new connections in
     * now) is taken only once every other member's heartbeat says it holds this view or a later one, and so has given
     * up whatever an older view gave it. Until then nobody takes new connections in it (a SYN there waits for the
     * client's retransmission) instead of two hosts taking the same one, whose kernels would both answer it and the
     * loser reset it (seen in the lab's drainstop). Waiting for every member, not only the bucket's previous owner: a
     * member that missed views in between may still take it under a view older than the one this host came from.
     * A member that does not answer leaves the view at its detection time, and the wait with it.
     */
    private LocalView releaseBeforeTake(final LocalView next) {
        withholding = false;
        if (next.mode() != ServingMode.SERVING || allReleased()) {
            return next;
        }
        final Map<RuleKey, RuleView> before = new HashMap<>();
        if (applied != null) {
            for (final RuleView rule : applied.rules()) {
                before.put(rule.rule().key(), rule);
            }
        }
        final List<RuleView> rules = new ArrayList<>(next.rules().size());
        for (final RuleView rule : next.rules()) {
            final RuleView was = before.get(rule.rule().key());
            final int[] owners = rule.owners();
            int[] taken = null;
            for (int bucket = 0; bucket < owners.length; bucket++) {
                final boolean hadIt = was != null && was.owners().length == owners.length &&
                    applied.mode() == ServingMode.SERVING && was.owners()[bucket] == self.hostId();
                if (owners[bucket] == self.hostId() && !hadIt) {
                    if (taken == null) {
                        taken = owners.clone();
                    }
                    taken[bucket] = BucketAssignment.NO_OWNER;
                    withholding = true;
                }
            }
            rules.add(taken == null ? rule : new RuleView(rule.rule(), rule.state(), taken, rule.dirty()));
        }
        return withholding ? new LocalView(next.dataplaneEpoch(), next.clusterEpoch(), next.config(), next.mode(),
            rules, next.vips()) : next;
    }

    /**
     * Whether no other host can take new connections in a bucket this view gives this host, by the latest heartbeats:
     * every other member holds this very view and serves by it or by nothing (a member that has not seen it yet may
     * still serve by an older view, or, serving nothing now, start to; one not heard has not released), and every other
     * host heard serves by this view or by nothing, and holds no later view (a host ahead shows this view is stale: the
     * later one may give the bucket to someone else, so this host waits for it too).
     */
    private boolean allReleased() {
        for (final MemberId member : view.members()) {
            if (member.hostId() == self.hostId()) {
                continue;
            }
            final HeartbeatMessage heartbeat = acceptedOf(member.hostId());
            if (heartbeat == null || !view.sameAs(heartbeat.viewEpoch(), heartbeat.viewDigest())) {
                return false;
            }
        }
        for (final HeartbeatMessage heartbeat : accepted) {
            final long serving = heartbeat.servingEpoch();
            if (heartbeat.sender().hostId() != self.hostId() && (heartbeat.viewEpoch() > view.epoch() ||
                serving != HeartbeatMessage.SERVING_NOTHING && serving != view.epoch())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The epoch of the view by whose ownership this host's dataplane takes new connections now, as the heartbeat says
     * it: {@link HeartbeatMessage#SERVING_NOTHING} when it takes none, 0 while it forwards by an earlier lbd's view.
     */
    private long servingEpoch() {
        if (!dataplaneUp) {
            return HeartbeatMessage.SERVING_NOTHING;
        }
        if (holding) {
            return 0;
        }
        if (applied == null || applied.mode() != ServingMode.SERVING) {
            return HeartbeatMessage.SERVING_NOTHING;
        }
        // A later view that left this host's part as it was was not sent again, but it serves by that view too.
        return appliedFrom == null ? applied.clusterEpoch() : Math.max(applied.clusterEpoch(), appliedFrom.epoch());
    }

    /**
     * Keeps a bucket dirty in the views that follow the one it moved in, for {@link #DIRTY_HOLD_MS}: its previous
     * owner may still track connections in it, which the new owner must not take mid-flow (it takes only connection
     * starts there, and the connections it tracks). A new dataplane starts with every bucket dirty.
     */
    private LocalView holdDirty(final long nowMs, final LocalView next) {
        final Map<RuleKey, long[]> before = applied == null ? Map.of() : movedAtMs;
        // By rule key: a new config may add, remove or reorder rules (a removed rule's times go with it).
        movedAtMs = new HashMap<>();
        final List<BucketBitmap> held = new ArrayList<>(next.rules().size());
        for (int slot = 0; slot < next.rules().size(); slot++) {
            final BucketBitmap moved = next.rules().get(slot).dirty();
            final int buckets = moved.bucketCount();
            final RuleKey key = next.rules().get(slot).rule().key();
            long[] at = before.get(key);
            if (at == null || at.length != buckets) {
                at = new long[buckets];
                java.util.Arrays.fill(at, Long.MIN_VALUE);
            }
            movedAtMs.put(key, at);
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
        final List<Object> key = List.of(state, participating(), listening, leading, view.epoch(), view.digest(),
            sticky.generation(), fingerprint, latestFingerprint, List.copyOf(unhealthy), servingEpoch());
        if (heartbeatSent && key.equals(lastHeartbeatKey) && nowMs - lastHeartbeatMs < periodMs) {
            return;
        }
        final List<MemberId> sees = accepted.stream().map(HeartbeatMessage::sender).toList();
        outbox.add(new Output.SendHeartbeat(new HeartbeatMessage(self, priority, ++sequence, state,
            participating(), listening, fingerprint, latestFingerprint, sees, leaderId, view.epoch(), view.digest(),
            leading ? Optional.of(view) : Optional.empty(), sticky.generation(), unhealthy, servingEpoch())));
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
