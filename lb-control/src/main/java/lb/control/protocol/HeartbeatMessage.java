package lb.control.protocol;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import lb.control.convergence.ClusterView;
import lb.control.membership.HostState;
import lb.control.membership.MemberId;
import lb.dataplane.config.ConfigFingerprint;
import lb.dataplane.config.RuleKey;

/**
 * What every host sends every other host each heartbeat period, and at once when it changes: who it is, what it
 * offers, what it hears, the view it holds, and, from the leader, the view itself.
 *
 * @param sender        the sending run of the host.
 * @param hostPriority  its host priority (checked against the config).
 * @param sequence      grows with every heartbeat of the run, so that a late or duplicated one is recognised.
 * @param state         the operator's state of the host.
 * @param participating started, dataplane up and not refusing itself: it may own buckets.
 * @param listening     started, resumed or fenced less than a detection window ago and not yet in a view.
 * @param fingerprint   of the config the sender runs; a host that knows no config of that fingerprint refuses it.
 * @param latest        of the latest config the sender stored (made durable, would run next); the running one when
 *                      it stored none since. A leader switches to its latest config once every member reports it.
 * @param sees          the runs of hosts the sender hears and accepts.
 * @param leaderId      the host id the sender follows (its own when it leads), 0 for none.
 * @param viewEpoch     the epoch of the view it holds, 0 for none.
 * @param viewDigest    that view's digest.
 * @param view          the view itself, present when the sender leads.
 * @param claimsGeneration grows whenever the sender dropped sticky claims (or its dataplane restarted): foreign
 *                      entries leaving clients to it from an older generation must go.
 * @param unhealthy     the rules (of its running config) whose local service failed its health check on the sender:
 *                      the leader gives it none of their buckets.
 * @param servingEpoch  the epoch of the view by whose ownership the sender's dataplane takes new connections now:
 *                      {@link #SERVING_NOTHING} when it takes none (stopped, listening, no dataplane), 0 when it
 *                      forwards by a view an earlier run of lbd gave it. A host takes a bucket it gains in view E only
 *                      once every member and every host it hears serves by E or later (release before take).
 */
public record HeartbeatMessage(
    MemberId sender,
    int hostPriority,
    long sequence,
    HostState state,
    boolean participating,
    boolean listening,
    ConfigFingerprint fingerprint,
    ConfigFingerprint latest,
    List<MemberId> sees,
    int leaderId,
    long viewEpoch,
    long viewDigest,
    Optional<ClusterView> view,
    long claimsGeneration,
    SortedSet<RuleKey> unhealthy,
    long servingEpoch) {
    /** {@link #servingEpoch} of a host whose dataplane takes no new connections in any bucket. */
    public static final long SERVING_NOTHING = Long.MAX_VALUE;

    /** A heartbeat of a host whose local services are all healthy (or not checked), serving by the view it holds. */
    public HeartbeatMessage(final MemberId sender, final int hostPriority, final long sequence, final HostState state,
        final boolean participating, final boolean listening, final ConfigFingerprint fingerprint,
        final ConfigFingerprint latest, final List<MemberId> sees, final int leaderId, final long viewEpoch,
        final long viewDigest, final Optional<ClusterView> view, final long claimsGeneration) {
        this(sender, hostPriority, sequence, state, participating, listening, fingerprint, latest, sees, leaderId,
            viewEpoch, viewDigest, view, claimsGeneration, new TreeSet<>());
    }

    /**
     * A heartbeat whose sender serves by the view it holds (as a version 3 heartbeat, which does not say, is read).
     */
    public HeartbeatMessage(final MemberId sender, final int hostPriority, final long sequence, final HostState state,
        final boolean participating, final boolean listening, final ConfigFingerprint fingerprint,
        final ConfigFingerprint latest, final List<MemberId> sees, final int leaderId, final long viewEpoch,
        final long viewDigest, final Optional<ClusterView> view, final long claimsGeneration,
        final SortedSet<RuleKey> unhealthy) {
        this(sender, hostPriority, sequence, state, participating, listening, fingerprint, latest, sees, leaderId,
            viewEpoch, viewDigest, view, claimsGeneration, unhealthy, viewEpoch);
    }

    public HeartbeatMessage {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(latest, "latest");
        sees = List.copyOf(sees);
        Objects.requireNonNull(view, "view");
        unhealthy = Collections.unmodifiableSortedSet(new TreeSet<>(unhealthy));
    }

    /** Whether the sender claims to lead: it carries its view. */
    public boolean leading() {
        return view.isPresent();
    }
}
