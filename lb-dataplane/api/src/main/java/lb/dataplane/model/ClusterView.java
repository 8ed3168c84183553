package lb.dataplane.model;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.config.ClusterConfig;

/**
 * What one host believes about the cluster at one epoch: which hosts are live and who owns each rule's buckets.
 *
 * <p>Ownership depends on history (assignments move minimally from the previous one), so a view is built from the one
 * before it with {@link #next}; {@link #initial} starts from nothing. Two hosts that saw the same membership changes
 * hold equal views. Dirty buckets, tracked connections and extended-affinity entries are not part of the view yet;
 * they will join it (the dirty set is {@code assignment.of(rule).changedSince(previous)}) without changing
 * {@link ReferenceModel#decide}'s shape.
 *
 * @param liveHosts  ids of the live hosts.
 * @param assignment bucket owners of every rule for those hosts.
 */
public record ClusterView(SortedSet<Integer> liveHosts, ClusterAssignment assignment) {
    public ClusterView {
        liveHosts = Collections.unmodifiableSortedSet(new TreeSet<>(liveHosts));
    }

    /**
     * The view of a cluster that starts with these live hosts.
     */
    public static ClusterView initial(final ClusterConfig config, final Set<Integer> liveHosts) {
        return new ClusterView(new TreeSet<>(liveHosts), ClusterAssignment.compute(config, liveHosts,
            ClusterAssignment.NONE));
    }

    /**
     * The view after the live set changed to {@code newLiveHosts}, moving as few buckets as possible.
     */
    public ClusterView next(final ClusterConfig config, final Set<Integer> newLiveHosts) {
        return new ClusterView(new TreeSet<>(newLiveHosts), ClusterAssignment.compute(config, newLiveHosts, assignment));
    }
}
