package lb.dataplane.buckets;

import static lb.dataplane.testkit.TestConfigs.VIP4;
import static lb.dataplane.testkit.TestConfigs.parameters;
import static lb.dataplane.testkit.TestConfigs.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.DefaultRule;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;
import org.junit.jupiter.api.Test;

class ClusterAssignmentTest {
    private static final PortRule WEB = rule("all:80/tcp");
    private static final PortRule MAIL = rule("all:25/tcp");
    private static final PortRule ADMIN = rule("10.0.0.100:22/tcp").withFiltering(FilteringMode.SINGLE);
    private static final PortRule BLOCKED = rule("all:23/tcp").withFiltering(FilteringMode.DISABLED);
    private static final ClusterConfig CONFIG = new ClusterConfig(parameters(), List.of(VIP4),
        List.of(WEB, MAIL, ADMIN, BLOCKED), List.of(
            ClusterMember.of(1, 3).withLoadWeight(WEB.key(), LoadWeight.of(0)),
            ClusterMember.of(2, 1).withHandlingPriority(ADMIN.key(), 9),
            ClusterMember.of(3, 2)));

    @Test
    void shouldAssignEachRuleByItsOwnSettings() {
        final ClusterAssignment assignment = ClusterAssignment.compute(CONFIG, Set.of(1, 2, 3), ClusterAssignment.NONE);
        assertEquals(Map.of(2, 30, 3, 30), assignment.of(WEB).ownerCounts());
        assertEquals(Map.of(1, 20, 2, 20, 3, 20), assignment.of(MAIL).ownerCounts());
        assertEquals(Map.of(3, 60), assignment.of(ADMIN).ownerCounts(), "handling priorities 3 (default), 9, 2 (default)");
        assertEquals(Map.of(BucketAssignment.NO_OWNER, 60), assignment.of(BLOCKED).ownerCounts());
        assertEquals(Map.of(2, 60), assignment.of(DefaultRule.RULE).ownerCounts(), "default host: priority 1");
    }

    @Test
    void shouldMoveNothingWhenOnlyARuleStateChanges() {
        final ClusterAssignment before = ClusterAssignment.compute(CONFIG, Set.of(1, 2, 3), ClusterAssignment.NONE);
        final ClusterAssignment after3 = ClusterAssignment.compute(CONFIG, Set.of(1, 3), before);
        final ClusterConfig draining = new ClusterConfig(CONFIG.parameters(), CONFIG.vips(),
            List.of(WEB.withState(RuleState.DRAINING), MAIL, ADMIN, BLOCKED), CONFIG.members());
        assertEquals(after3, ClusterAssignment.compute(draining, Set.of(1, 3), after3));
    }

    @Test
    void shouldRefuseALiveHostThatIsNotAMember() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ClusterAssignment.compute(CONFIG, Set.of(1, 4), ClusterAssignment.NONE));
        assertEquals("live host 4 is not a member of cluster test", e.getMessage());
    }
}
