package lb.control.config;

import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import lb.control.sim.TestClusters;
import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigError;
import lb.dataplane.config.ConfigException;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigOpTest {
    private static final ClusterConfig BASE = TestClusters.config(3);
    private static final RuleKey WEB = TestClusters.WEB.key();
    private static final RuleKey DNS = TestClusters.DNS.key();
    private static final RuleKey HTTPS = RuleKey.parse("all:443/tcp");
    private static final RuleKey UNKNOWN = RuleKey.parse("all:8080/tcp");
    private static final IpAddress VIP2 = IpAddress.parse("10.0.0.101");

    /** The change's errors, asserting one names the field and says what is valid. */
    private static ConfigError rejected(final ConfigOp op, final ClusterConfig config, final String field,
        final String problem) {
        final ConfigException e = assertThrows(ConfigException.class, () -> op.applyTo(config));
        assertTrue(e.getMessage().contains(op.describe()), e.getMessage());
        final ConfigError error = e.errors().stream().filter(err -> err.field().equals(field)).findFirst()
            .orElseThrow(() -> new AssertionError("no error on field " + field + ": " + e.getMessage()));
        assertTrue(error.problem().contains(problem), error.message());
        return error;
    }

    @Test
    void addRuleAddsTheRuleWithItsHostSettings() {
        final TreeMap<Integer, LoadWeight> weights = new TreeMap<>();
        weights.put(2, LoadWeight.of(30));
        final ClusterConfig after = new ConfigOp.AddRule(PortRule.of(HTTPS), weights, new TreeMap<>()).applyTo(BASE);
        assertEquals(PortRule.of(HTTPS), after.rule(HTTPS).orElseThrow());
        assertEquals(LoadWeight.of(30), after.member(2).orElseThrow().loadWeight(HTTPS));
        assertEquals(LoadWeight.EQUAL, after.member(1).orElseThrow().loadWeight(HTTPS));
        assertFalse(BASE.rule(HTTPS).isPresent(), "the config applied to is unchanged");

        final TreeMap<Integer, Integer> priorities = new TreeMap<>();
        priorities.put(1, 3);
        priorities.put(3, 1);
        final ClusterConfig single = new ConfigOp.AddRule(PortRule.of(HTTPS).withFiltering(FilteringMode.SINGLE),
            new TreeMap<>(), priorities).applyTo(BASE);
        assertEquals(1, single.member(3).orElseThrow().handlingPriority(single.rule(HTTPS).orElseThrow()));
    }

    @Test
    void addRuleRejectsDuplicatesOverlapsUnknownHostsAndBadSettings() {
        final ConfigError duplicate = rejected(new ConfigOp.AddRule(TestClusters.WEB), BASE, ConfigOp.KEY_FIELD,
            "a port rule with this key exists");
        assertTrue(duplicate.valid().contains("remove it and add"), duplicate.message());
        rejected(new ConfigOp.AddRule(PortRule.of(RuleKey.parse("all:70-90/tcp"))), BASE, ConfigOp.KEY_FIELD,
            "overlaps");
        final TreeMap<Integer, LoadWeight> weights = new TreeMap<>();
        weights.put(9, LoadWeight.of(10));
        final ConfigError host = rejected(new ConfigOp.AddRule(PortRule.of(HTTPS), weights, new TreeMap<>()), BASE,
            "id", "no member has host id 9");
        assertEquals("one of: 1, 2, 3", host.valid());
        weights.clear();
        weights.put(1, LoadWeight.of(101));
        rejected(new ConfigOp.AddRule(PortRule.of(HTTPS), weights, new TreeMap<>()), BASE,
            "weights[all:443-443/tcp]", "out of range");
        rejected(new ConfigOp.AddRule(PortRule.of(HTTPS).withAffinity(Affinity.NONE)
            .withExtendedAffinity(Duration.ofMinutes(5))), BASE, "extended-affinity", "needs affinity single");
        rejected(new ConfigOp.AddRule(PortRule.of(new RuleKey(Optional.of(VIP2), HTTPS.ports(), HTTPS.protocol()))),
            BASE, "vip", "not one of the cluster's VIPs");
    }

    @Test
    void setRuleChangesFieldsAndDropsSettingsThatNoLongerApply() {
        final ClusterConfig weighted = new ConfigOp.SetHostWeight(2, WEB, LoadWeight.of(10)).applyTo(BASE);
        final ClusterConfig single = new ConfigOp.SetRule(WEB, Optional.of(FilteringMode.SINGLE), Optional.empty(),
            Optional.of(Duration.ZERO)).applyTo(weighted);
        assertEquals(FilteringMode.SINGLE, single.rule(WEB).orElseThrow().filtering());
        assertTrue(single.member(2).orElseThrow().loadWeights().isEmpty(), "the weight no longer applies");
        final ClusterConfig affinity = new ConfigOp.SetRule(DNS, Optional.empty(), Optional.of(Affinity.NETWORK),
            Optional.empty()).applyTo(BASE);
        assertEquals(Affinity.NETWORK, affinity.rule(DNS).orElseThrow().affinity());
    }

    @Test
    void setRuleRejectsUnknownRulesAndInvalidResults() {
        final ConfigError unknown = rejected(new ConfigOp.SetRule(UNKNOWN, Optional.of(FilteringMode.SINGLE),
            Optional.empty(), Optional.empty()), BASE, ConfigOp.KEY_FIELD, "no port rule is all:8080-8080/tcp");
        assertTrue(unknown.valid().contains("all:53-53/udp") && unknown.valid().contains("all:80-80/tcp"),
            unknown.valid());
        // Single-host with extended affinity left at 20m: the validator names the field.
        rejected(new ConfigOp.SetRule(WEB, Optional.of(FilteringMode.SINGLE), Optional.empty(), Optional.empty()),
            BASE, "extended-affinity", "only to multiple-host rules");
        assertThrows(IllegalArgumentException.class,
            () -> new ConfigOp.SetRule(WEB, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void removeRuleRemovesItsHostSettings() {
        final ClusterConfig weighted = new ConfigOp.SetHostWeight(2, WEB, LoadWeight.of(10)).applyTo(BASE);
        final ClusterConfig after = new ConfigOp.RemoveRule(WEB).applyTo(weighted);
        assertTrue(after.rule(WEB).isEmpty());
        assertTrue(after.member(2).orElseThrow().loadWeights().isEmpty());
        rejected(new ConfigOp.RemoveRule(UNKNOWN), BASE, ConfigOp.KEY_FIELD, "no port rule");
    }

    @Test
    void setRuleStateEnablesDisablesAndDrains() {
        for (final RuleState state : RuleState.values()) {
            assertEquals(state, new ConfigOp.SetRuleState(WEB, state).applyTo(BASE).rule(WEB).orElseThrow().state());
        }
        assertEquals("drain all:80-80/tcp", new ConfigOp.SetRuleState(WEB, RuleState.DRAINING).describe());
        rejected(new ConfigOp.SetRuleState(UNKNOWN, RuleState.DISABLED), BASE, ConfigOp.KEY_FIELD, "no port rule");
    }

    @Test
    void setHostWeightChecksHostRuleAndRange() {
        assertEquals(LoadWeight.of(0),
            new ConfigOp.SetHostWeight(3, DNS, LoadWeight.of(0)).applyTo(BASE).member(3).orElseThrow().loadWeight(DNS));
        rejected(new ConfigOp.SetHostWeight(7, DNS, LoadWeight.of(5)), BASE, "id", "no member has host id 7");
        rejected(new ConfigOp.SetHostWeight(1, UNKNOWN, LoadWeight.of(5)), BASE, ConfigOp.KEY_FIELD, "no port rule");
        final ConfigError range = rejected(new ConfigOp.SetHostWeight(1, DNS, LoadWeight.of(150)), BASE,
            "weights[all:53-53/udp]", "out of range");
        assertTrue(range.valid().contains("0..100"), range.message());
        final ClusterConfig single = new ConfigOp.SetRule(DNS, Optional.of(FilteringMode.SINGLE), Optional.empty(),
            Optional.empty()).applyTo(BASE);
        rejected(new ConfigOp.SetHostWeight(1, DNS, LoadWeight.of(5)), single, "weights[all:53-53/udp]",
            "load weights apply to multiple-host rules");
    }

    @Test
    void setHandlingPriorityChecksRuleModeRangeAndUniqueness() {
        final ClusterConfig single = new ConfigOp.SetRule(DNS, Optional.of(FilteringMode.SINGLE), Optional.empty(),
            Optional.empty()).applyTo(BASE);
        // A swap goes through a free priority: each step must be valid on its own.
        final ClusterConfig swapped = new ConfigOp.SetHandlingPriority(3, DNS, 1).applyTo(
            new ConfigOp.SetHandlingPriority(1, DNS, 3).applyTo(
                new ConfigOp.SetHandlingPriority(3, DNS, 10).applyTo(single)));
        assertEquals(1, swapped.member(3).orElseThrow().handlingPriority(swapped.rule(DNS).orElseThrow()));
        rejected(new ConfigOp.SetHandlingPriority(1, DNS, 2), single, "handling-priorities[all:53-53/udp]",
            "same handling priority");
        rejected(new ConfigOp.SetHandlingPriority(1, DNS, 99), single, "handling-priorities[all:53-53/udp]",
            "out of range");
        rejected(new ConfigOp.SetHandlingPriority(1, DNS, 2), BASE, "handling-priorities[all:53-53/udp]",
            "apply to single-host rules");
        rejected(new ConfigOp.SetHandlingPriority(4, DNS, 2), single, "id", "no member has host id 4");
    }

    @Test
    void addAndRemoveVip() {
        final ClusterConfig two = new ConfigOp.AddVip(VIP2).applyTo(BASE);
        assertTrue(two.isVip(VIP2));
        rejected(new ConfigOp.AddVip(VIP2), two, "vips[1]", "already a VIP");
        assertFalse(new ConfigOp.RemoveVip(VIP2).applyTo(two).isVip(VIP2));
        rejected(new ConfigOp.RemoveVip(VIP2), BASE, "vips", "not one of the cluster's VIPs");
        rejected(new ConfigOp.RemoveVip(TestClusters.VIP), BASE, "vips", "at least one VIP");
        final ClusterConfig bound = new ConfigOp.AddRule(PortRule.of(
            new RuleKey(Optional.of(VIP2), HTTPS.ports(), HTTPS.protocol()))).applyTo(two);
        rejected(new ConfigOp.RemoveVip(VIP2), bound, "vip", "not one of the cluster's VIPs");
    }

    @Test
    void replaceTakesAValidConfigWhole() {
        final ClusterConfig other = TestClusters.config(5);
        assertEquals(other, new ConfigOp.Replace(other).applyTo(BASE));
        final ClusterConfig invalid = new ClusterConfig(other.parameters(), java.util.List.of(), other.portRules(),
            other.members());
        rejected(new ConfigOp.Replace(invalid), BASE, "vips", "at least one VIP");
    }
}
