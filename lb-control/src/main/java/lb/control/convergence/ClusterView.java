package lb.control.convergence;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

import lb.control.membership.MemberId;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.config.ConfigFingerprint;

/**
 * One epoch of the cluster as its leader computed it: the members that own buckets and who owns each bucket of every
 * rule.
 *
 * <p>Views are named by (epoch, digest): the epoch only grows on every host, the digest tells two views of one epoch
 * apart (two halves of a split brain may both reach an epoch).
 *
 * @param epoch      int64, starting at 1; 0 is {@link #NONE}.
 * @param members    the runs of hosts the assignment is computed for (participating hosts only).
 * @param assignment bucket owners of every rule, from {@link ClusterAssignment#compute}.
 * @param healed     whether the view merges hosts that were serving outside the leader's previous view (a healed split
 *                   brain, or a host back from a cut): its members re-announce their VIPs.
 * @param config     the fingerprint of the config the assignment was computed for: every member runs it while it
 *                   holds the view (a follower switches to it when it adopts the view).
 * @param digest     {@link ViewDigest} of members, assignment and config.
 */
public record ClusterView(
    long epoch, SortedSet<MemberId> members, ClusterAssignment assignment, boolean healed, ConfigFingerprint config,
    long digest) {
    /** The config of {@link #NONE}: no config. */
    public static final ConfigFingerprint NO_CONFIG = new ConfigFingerprint("0".repeat(64));

    /** No view: what a host starts from. */
    public static final ClusterView NONE =
        new ClusterView(0, Collections.emptySortedSet(), ClusterAssignment.NONE, false, NO_CONFIG, 0);

    public ClusterView {
        members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
        Objects.requireNonNull(assignment, "assignment");
        Objects.requireNonNull(config, "config");
    }

    /**
     * A view with its digest computed.
     */
    public static ClusterView of(final long epoch, final SortedSet<MemberId> members,
        final ClusterAssignment assignment, final boolean healed, final ConfigFingerprint config) {
        return new ClusterView(epoch, members, assignment, healed, config, ViewDigest.of(members, assignment, config));
    }

    /** Whether the view lists this run of a host. */
    public boolean includes(final MemberId member) {
        return members.contains(member);
    }

    /** Whether both name the same view: same epoch and digest. */
    public boolean sameAs(final long otherEpoch, final long otherDigest) {
        return epoch == otherEpoch && digest == otherDigest;
    }

    @Override
    public String toString() {
        return "view " + epoch + ":" + Long.toHexString(digest) + " " + members + " config " +
            config.sha256Hex().substring(0, 8);
    }
}
