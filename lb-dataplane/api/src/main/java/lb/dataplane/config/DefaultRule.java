package lb.dataplane.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The implicit rule for VIP traffic that no port rule covers (and for VIP traffic that is neither TCP nor UDP): as in
 * NLB, the <em>default host</em> takes it all, the live host with the lowest host priority.
 *
 * <p>It is a single-host rule whose handling priority on each host is that host's priority
 * ({@link ClusterMember#handlingPriority(PortRule)} answers so). It is never listed in the cluster file and cannot be
 * changed, and it never overlaps a configured rule because it is consulted only when none matched.
 */
public final class DefaultRule {
    /** The rule itself: every VIP, every port, both protocols, single host. */
    public static final PortRule RULE = new PortRule(
        new RuleKey(Optional.empty(), PortRange.ALL, Protocol.BOTH),
        FilteringMode.SINGLE, Affinity.NONE, RuleState.ENABLED, Duration.ZERO);

    /** The name the rule goes by in explanations and listings. */
    public static final String NAME = "default rule";

    private DefaultRule() {
    }

    /**
     * Whether the rule is the default rule (the same instance; a configured all:0-65535/both rule is not).
     */
    public static boolean isDefault(final PortRule rule) {
        return rule == RULE;
    }
}
