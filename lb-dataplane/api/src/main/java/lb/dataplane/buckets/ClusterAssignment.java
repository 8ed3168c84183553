package lb.dataplane.buckets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.DefaultRule;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;

/**
 * The bucket assignment of every rule of a config for one set of live hosts, plus the {@link DefaultRule}'s.
 *
 * <p>Multiple-host rules use {@link BucketAssigner#assign} with the members' weights and the previous assignment of the
 * same rule key (a rule whose key changed starts afresh); single-host rules and the default rule give every bucket to
 * the winning host; rules with filtering disabled have no owner. A rule's state (enabled, disabled, draining) does not
 * change ownership, so disabling and re-enabling a rule moves nothing.
 *
 * @param byRule    each configured rule's assignment, by key.
 * @param unmatched the default rule's assignment.
 */
public record ClusterAssignment(SortedMap<RuleKey, BucketAssignment> byRule, BucketAssignment unmatched) {
    /** No assignment yet: what the first computation starts from. */
    public static final ClusterAssignment NONE = new ClusterAssignment(new TreeMap<>(), BucketAssignment.unowned(1));

    public ClusterAssignment {
        byRule = Collections.unmodifiableSortedMap(new TreeMap<>(byRule));
    }

    /**
     * The assignment for the live hosts, moving as little as possible from {@code previous}.
     *
     * @param liveHostIds ids of the live hosts, each a member of the config.
     * @throws IllegalArgumentException naming a live host that is not a member.
     */
    public static ClusterAssignment compute(
        final ClusterConfig config, final Set<Integer> liveHostIds, final ClusterAssignment previous) {
        return compute(config, liveHostIds, previous, Map.of());
    }

    /**
     * The assignment for the live hosts, as {@link #compute(ClusterConfig, Set, ClusterAssignment)}, with some hosts
     * left out of some rules (their local service failed its health check): a rule's buckets go to its other live
     * hosts. When that would leave a rule with no live host, the rule keeps them all (fail open: a check that fails
     * everywhere says more about the check than about every host).
     *
     * @param excluded per rule key, the live host ids that take none of its buckets.
     */
    public static ClusterAssignment compute(final ClusterConfig config, final Set<Integer> liveHostIds,
        final ClusterAssignment previous, final Map<RuleKey, Set<Integer>> excluded) {
        final List<ClusterMember> allLive = liveMembers(config, liveHostIds);
        final int buckets = config.parameters().bucketCount();
        final TreeMap<RuleKey, BucketAssignment> byRule = new TreeMap<>();
        for (final PortRule rule : config.portRules()) {
            final Set<Integer> out = excluded.getOrDefault(rule.key(), Set.of());
            final List<ClusterMember> healthy = out.isEmpty() ? allLive :
                allLive.stream().filter(m -> !out.contains(m.hostId())).toList();
            final List<ClusterMember> live = healthy.isEmpty() ? allLive : healthy;
            byRule.put(rule.key(), switch (rule.filtering()) {
                case MULTIPLE -> BucketAssigner.assign(buckets, live.stream()
                        .map(m -> new BucketMember(m.hostId(), m.hostPriority(), m.loadWeight(rule.key()).percent()))
                        .toList(),
                    previous.byRule().getOrDefault(rule.key(), BucketAssignment.unowned(buckets)));
                case SINGLE -> singleHost(buckets, live, rule);
                case DISABLED -> BucketAssignment.unowned(buckets);
            });
        }
        return new ClusterAssignment(byRule, singleHost(buckets, allLive, DefaultRule.RULE));
    }

    /**
     * The assignment of a rule of the config this was computed from, or of the {@link DefaultRule}.
     */
    public BucketAssignment of(final PortRule rule) {
        if (DefaultRule.isDefault(rule)) {
            return unmatched;
        }
        final BucketAssignment assignment = byRule.get(rule.key());
        if (assignment == null) {
            throw new IllegalArgumentException("no assignment for rule " + rule.key());
        }
        return assignment;
    }

    private static BucketAssignment singleHost(final int buckets, final List<ClusterMember> live, final PortRule rule) {
        return BucketAssigner.assignSingleHost(buckets, live.stream()
            .map(m -> new HandlingCandidate(m.hostId(), m.handlingPriority(rule)))
            .toList());
    }

    private static List<ClusterMember> liveMembers(final ClusterConfig config, final Set<Integer> liveHostIds) {
        final List<ClusterMember> live = new ArrayList<>();
        for (final int hostId : liveHostIds) {
            live.add(config.member(hostId).orElseThrow(() -> new IllegalArgumentException(
                "live host " + hostId + " is not a member of cluster " + config.parameters().name())));
        }
        return live;
    }
}
