package lb.dataplane.config;

import static lb.dataplane.testkit.TestConfigs.VIP4;
import static lb.dataplane.testkit.TestConfigs.VIP6;
import static lb.dataplane.testkit.TestConfigs.config;
import static lb.dataplane.testkit.TestConfigs.hosts;
import static lb.dataplane.testkit.TestConfigs.parameters;
import static lb.dataplane.testkit.TestConfigs.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConfigValidatorTest {
    private static final PortRule WEB = rule("all:80/tcp");
    private static final PortRule ADMIN = rule("10.0.0.100:8443/tcp").withFiltering(FilteringMode.SINGLE);

    @Test
    void shouldAcceptValidConfig() {
        assertEquals(List.of(), ConfigValidator.validate(config(3, WEB, ADMIN)));
    }

    @Test
    void shouldRejectBadClusterName() {
        assertOneError(withParameters(p("bad name!")), "cluster", "name", "'bad name!'", "letters, digits");
    }

    @Test
    void shouldRejectBucketCountOutOfRange() {
        assertOneError(withParameters(parameters().withBucketCount(0)), "cluster", "buckets", "0", "1..65536");
        assertOneError(withParameters(parameters().withBucketCount(65537)), "cluster", "buckets", "65537", "1..65536");
    }

    @Test
    void shouldRejectAllZeroSecretWithoutEchoingIt() {
        final ClusterParameters zero = new ClusterParameters("test", 60, new ClusterSecret(0, 0), OperationMode.UNICAST,
            Heartbeat.DEFAULT, GratuitousArp.DEFAULT, 64, 32, 32, Duration.ZERO);
        assertOneError(withParameters(zero), "cluster", "secret", "all zeros", "32 random hex digits");
    }

    @Test
    void shouldRejectHeartbeatPeriodOutOfRangeWithUnit() {
        final ClusterParameters p = parameters();
        final ClusterParameters fast = new ClusterParameters(p.name(), p.bucketCount(), p.secret(), p.mode(),
            new Heartbeat(Duration.ofMillis(50), 5), p.gratuitousArp(), p.ipv6NetworkPrefix(), p.maxHosts(),
            p.maxPortRules(), p.udpFlowTimeout());
        assertOneError(withParameters(fast), "cluster", "heartbeat.period", "50ms", "100ms..10s");
    }

    @Test
    void shouldRejectHeartbeatLossToleranceOutOfRange() {
        final ClusterParameters p = parameters();
        final ClusterParameters lax = new ClusterParameters(p.name(), p.bucketCount(), p.secret(), p.mode(),
            new Heartbeat(Duration.ofSeconds(1), 101), p.gratuitousArp(), p.ipv6NetworkPrefix(), p.maxHosts(),
            p.maxPortRules(), p.udpFlowTimeout());
        assertOneError(withParameters(lax), "cluster", "heartbeat.loss-tolerance", "101", "5..100");
    }

    @Test
    void shouldRejectGratuitousArpOutOfRange() {
        final ClusterParameters p = parameters();
        final ClusterParameters garp = new ClusterParameters(p.name(), p.bucketCount(), p.secret(), p.mode(),
            p.heartbeat(), new GratuitousArp(0, Duration.ofMinutes(2)), p.ipv6NetworkPrefix(), p.maxHosts(),
            p.maxPortRules(), p.udpFlowTimeout());
        final List<ConfigError> errors = ConfigValidator.validate(withParameters(garp));
        assertEquals(2, errors.size(), errors::toString);
        assertMentions(errors.get(0), "cluster", "gratuitous-arp.count", "0", "1..100");
        assertMentions(errors.get(1), "cluster", "gratuitous-arp.spacing", "2m", "10ms..1m");
    }

    @Test
    void shouldRejectIpv6PrefixOutOfRange() {
        assertOneError(withParameters(parameters().withIpv6NetworkPrefix(129)), "cluster", "ipv6-network-prefix",
            "129", "1..128");
    }

    @Test
    void shouldRejectLimitsOutOfRange() {
        final ClusterParameters p = parameters();
        final ClusterParameters limits = new ClusterParameters(p.name(), p.bucketCount(), p.secret(), p.mode(),
            p.heartbeat(), p.gratuitousArp(), p.ipv6NetworkPrefix(), 65, 0, Duration.ZERO);
        final List<ConfigError> errors = ConfigValidator.validate(
            new ClusterConfig(limits, List.of(VIP4), List.of(), hosts(1)));
        assertMentions(errors.get(0), "cluster", "limits.hosts", "65", "1..64");
        assertMentions(errors.get(1), "cluster", "limits.port-rules", "0", "1..255");
    }

    @Test
    void shouldRejectMissingVips() {
        assertOneError(new ClusterConfig(parameters(), List.of(), List.of(WEB), hosts(1)), "vips", "vips", "(none)",
            "IPv4 or IPv6");
    }

    @Test
    void shouldRejectDuplicateVip() {
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4, VIP6, VIP4), List.of(WEB), hosts(1)), "vips",
            "vips[2]", "10.0.0.100", "each VIP listed once");
    }

    @Test
    void shouldRejectTooManyRulesAgainstTheLimit() {
        final List<PortRule> rules = new ArrayList<>();
        for (int port = 1; port <= 33; port++) {
            rules.add(rule("all:" + port + "/tcp"));
        }
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4), rules, hosts(1)), "port-rules", "port-rules",
            "33 rules", "at most 32 (cluster.limits.port-rules)");
    }

    @Test
    void shouldRejectBadPortRange() {
        final PortRule backwards = PortRule.of(new RuleKey(java.util.Optional.empty(), new PortRange(90, 80),
            Protocol.TCP));
        assertOneError(config(1, backwards), "port-rules[0] (all:90-80/tcp)", "ports", "90-80",
            "0 <= start <= end <= 65535");
        final PortRule tooHigh = PortRule.of(new RuleKey(java.util.Optional.empty(), new PortRange(80, 70000),
            Protocol.UDP));
        assertOneError(config(1, tooHigh), "port-rules[0] (all:80-70000/udp)", "ports", "80-70000", "65535");
    }

    @Test
    void shouldRejectRuleForUnknownVip() {
        assertOneError(config(1, rule("10.9.9.9:80/tcp")), "port-rules[0] (10.9.9.9:80-80/tcp)", "vip", "10.9.9.9",
            "all, or one of: 10.0.0.100, 2001:db8::100");
    }

    @Test
    void shouldRejectExtendedAffinityOutOfRange() {
        assertOneError(config(1, WEB.withExtendedAffinity(Duration.ofDays(2))), "port-rules[0] (all:80-80/tcp)",
            "extended-affinity", "2d", "0s (off) to 1d in whole seconds");
        assertOneError(config(1, WEB.withExtendedAffinity(Duration.ofMillis(1500))), "port-rules[0] (all:80-80/tcp)",
            "extended-affinity", "1500ms", "whole seconds");
    }

    @Test
    void shouldRejectExtendedAffinityWithAffinityNone() {
        assertOneError(config(1, WEB.withAffinity(Affinity.NONE).withExtendedAffinity(Duration.ofMinutes(15))),
            "port-rules[0] (all:80-80/tcp)", "extended-affinity", "15m", "set affinity to single or network");
    }

    @Test
    void shouldRejectExtendedAffinityOnSingleHostRule() {
        assertOneError(config(1, ADMIN.withExtendedAffinity(Duration.ofSeconds(30))),
            "port-rules[0] (10.0.0.100:8443-8443/tcp)", "extended-affinity", "30s", "0s (off)");
    }

    @Test
    void shouldRejectOverlappingRulesNamingBoth() {
        final List<ConfigError> errors = ConfigValidator.validate(
            config(1, rule("all:80-90/both"), rule("10.0.0.100:85-100/udp")));
        assertEquals(1, errors.size(), errors::toString);
        assertMentions(errors.getFirst(), "port-rules[1] (10.0.0.100:85-100/udp)", "vip:ports/protocol",
            "10.0.0.100:85-100/udp", "differ in VIP");
        assertTrue(errors.getFirst().message().contains("overlaps port-rules[0] (all:80-90/both)"), errors::toString);
        assertTrue(errors.getFirst().message().contains("a udp packet to 10.0.0.100 port 85"), errors::toString);
    }

    @Test
    void shouldAllowRulesThatDifferInVipPortsOrProtocol() {
        assertEquals(List.of(), ConfigValidator.validate(config(1,
            rule("10.0.0.100:80/tcp"), rule("[2001:db8::100]:80/tcp"), rule("all:81/tcp"), rule("all:80/udp"))));
    }

    @Test
    void shouldRejectMissingMembers() {
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4), List.of(WEB), List.of()), "hosts", "hosts",
            "(none)", "id and priority");
    }

    @Test
    void shouldRejectTooManyMembers() {
        final List<ClusterMember> many = new ArrayList<>(hosts(32));
        many.add(ClusterMember.of(33, 33));
        final List<ConfigError> errors = ConfigValidator.validate(
            new ClusterConfig(parameters(), List.of(VIP4), List.of(WEB), many));
        assertMentions(errors.get(0), "hosts", "hosts", "33 hosts", "at most 32 (cluster.limits.hosts)");
        assertMentions(errors.get(1), "hosts[32] (host 33)", "priority", "33", "1..32");
    }

    @Test
    void shouldRejectHostIdOutOfRange() {
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4), List.of(WEB), List.of(ClusterMember.of(0, 1))),
            "hosts[0] (host 0)", "id", "0", "1..65535");
    }

    @Test
    void shouldRejectDuplicateHostId() {
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4), List.of(WEB),
                List.of(ClusterMember.of(7, 1), ClusterMember.of(7, 2))),
            "hosts[1] (host 7)", "id", "7", "one member only");
    }

    @Test
    void shouldRejectDuplicateHostPriorityNamingBothHosts() {
        final List<ConfigError> errors = ConfigValidator.validate(new ClusterConfig(parameters(), List.of(VIP4),
            List.of(WEB), List.of(ClusterMember.of(1, 4), ClusterMember.of(2, 4))));
        assertEquals(1, errors.size(), errors::toString);
        assertMentions(errors.getFirst(), "hosts[1] (host 2)", "priority", "4", "used by one member only");
        assertTrue(errors.getFirst().message().contains("same host priority as hosts[0] (host 1)"), errors::toString);
    }

    @Test
    void shouldRejectBadAndDuplicateHostNames() {
        final List<ConfigError> errors = ConfigValidator.validate(new ClusterConfig(parameters(), List.of(VIP4),
            List.of(WEB), List.of(ClusterMember.of(1, 1).withName("web 1"), ClusterMember.of(2, 2).withName("web 1"))));
        assertMentions(errors.get(0), "hosts[0] (host 1)", "name", "'web 1'", "letters, digits");
        assertMentions(errors.get(2), "hosts[1] (host 2)", "name", "'web 1'", "one member only");
    }

    @Test
    void shouldRejectWeightForUnknownRule() {
        final ClusterMember member = ClusterMember.of(1, 1).withLoadWeight(RuleKey.parse("all:81/tcp"), LoadWeight.of(10));
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4), List.of(WEB, ADMIN), List.of(member)),
            "hosts[0] (host 1)", "weights[all:81-81/tcp]", "10", "a key of a multiple-host rule: all:80-80/tcp");
    }

    @Test
    void shouldRejectWeightOnSingleHostRule() {
        final ClusterMember member = ClusterMember.of(1, 1).withLoadWeight(ADMIN.key(), LoadWeight.of(10));
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4), List.of(WEB, ADMIN), List.of(member)),
            "hosts[0] (host 1)", "weights[10.0.0.100:8443-8443/tcp]", "10", "no weight on this rule");
    }

    @Test
    void shouldRejectWeightOutOfRange() {
        final ClusterMember member = ClusterMember.of(1, 1).withLoadWeight(WEB.key(), LoadWeight.of(101));
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4), List.of(WEB), List.of(member)),
            "hosts[0] (host 1)", "weights[all:80-80/tcp]", "101", "0..100 (0 = no new traffic) or equal");
    }

    @Test
    void shouldRejectHandlingPriorityOnMultipleHostRule() {
        final ClusterMember member = ClusterMember.of(1, 1).withHandlingPriority(WEB.key(), 1);
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4), List.of(WEB), List.of(member)),
            "hosts[0] (host 1)", "handling-priorities[all:80-80/tcp]", "1", "no handling priority on this rule");
    }

    @Test
    void shouldRejectHandlingPriorityForUnknownRule() {
        final ClusterMember member = ClusterMember.of(1, 1).withHandlingPriority(RuleKey.parse("all:1/udp"), 1);
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4), List.of(WEB, ADMIN), List.of(member)),
            "hosts[0] (host 1)", "handling-priorities[all:1-1/udp]", "1",
            "a key of a single-host rule: 10.0.0.100:8443-8443/tcp");
    }

    @Test
    void shouldRejectHandlingPriorityOutOfRange() {
        final ClusterMember member = ClusterMember.of(1, 1).withHandlingPriority(ADMIN.key(), 40);
        assertOneError(new ClusterConfig(parameters(), List.of(VIP4), List.of(ADMIN), List.of(member)),
            "hosts[0] (host 1)", "handling-priorities[10.0.0.100:8443-8443/tcp]", "40", "1..32, unique per rule");
    }

    @Test
    void shouldRejectDuplicateHandlingPriorityIncludingTheImplicitDefault() {
        final ClusterMember first = ClusterMember.of(1, 1).withHandlingPriority(ADMIN.key(), 2);
        final ClusterMember second = ClusterMember.of(2, 2);
        final List<ConfigError> errors = ConfigValidator.validate(
            new ClusterConfig(parameters(), List.of(VIP4), List.of(ADMIN), List.of(first, second)));
        assertEquals(1, errors.size(), errors::toString);
        assertMentions(errors.getFirst(), "hosts[1] (host 2)", "handling-priorities[10.0.0.100:8443-8443/tcp]",
            "2 (its host priority, the default)", "unique among the rule's hosts");
        assertTrue(errors.getFirst().message().contains("same handling priority as hosts[0] (host 1)"));
    }

    @Test
    void shouldReportEveryErrorAtOnce() {
        final ClusterParameters p = parameters();
        final ClusterParameters bad = new ClusterParameters("", 0, p.secret(), p.mode(),
            new Heartbeat(Duration.ofMillis(1), 1), p.gratuitousArp(), 0, 32, 32, Duration.ZERO);
        final ClusterConfig config = new ClusterConfig(bad, List.of(VIP4, VIP4),
            List.of(rule("all:80/tcp"), rule("all:80/both"), rule("10.1.1.1:1/udp")),
            List.of(ClusterMember.of(1, 1), ClusterMember.of(1, 1)));
        final ConfigException e = assertThrows(ConfigException.class,
            () -> ConfigValidator.requireValid(config, "cluster.yaml"));
        // name, buckets, period, loss tolerance, prefix, duplicate VIP, unknown VIP, overlap, duplicate id, priority.
        assertEquals(10, e.errors().size(), e::getMessage);
        assertTrue(e.getMessage().startsWith("cluster.yaml: 10 errors\n  - cluster: name = '': "), e::getMessage);
    }

    private static ClusterConfig withParameters(final ClusterParameters parameters) {
        return new ClusterConfig(parameters, List.of(VIP4, VIP6), List.of(WEB), hosts(2));
    }

    private static ClusterParameters p(final String name) {
        return ClusterParameters.defaults(name, parameters().secret());
    }

    private static void assertOneError(
        final ClusterConfig config, final String where, final String field, final String value, final String valid) {
        final List<ConfigError> errors = ConfigValidator.validate(config);
        assertEquals(1, errors.size(), errors::toString);
        assertMentions(errors.getFirst(), where, field, value, valid);
    }

    private static void assertMentions(
        final ConfigError error, final String where, final String field, final String value, final String valid) {
        assertEquals(where, error.where(), error::message);
        assertEquals(field, error.field(), error::message);
        assertEquals(value, error.value(), error::message);
        assertTrue(error.valid().contains(valid), () -> "valid part of: " + error.message());
        assertTrue(error.message().startsWith(where + ": " + field + " = " + value + ": "), error::message);
    }
}
