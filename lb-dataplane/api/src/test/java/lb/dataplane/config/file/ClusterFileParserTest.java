package lb.dataplane.config.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigError;
import lb.dataplane.config.ConfigException;
import lb.dataplane.config.Endpoint;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.HeartbeatTransport;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.OperationMode;
import lb.dataplane.config.PortRange;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.Protocol;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;
import org.junit.jupiter.api.Test;

class ClusterFileParserTest {
    private static final String SECRET = "\"000102030405060708090a0b0c0d0e0f\"";
    private static final String MINIMAL = """
        cluster:
          name: lab
          secret: %s
        vips: [10.0.0.100]
        hosts:
          - {id: 1, priority: 1}
        """.formatted(SECRET);

    @Test
    void shouldFillNlbDefaultsForAMinimalFile() {
        final ClusterConfig config = ClusterFileParser.parse(MINIMAL, "minimal.yaml");
        assertEquals(60, config.parameters().bucketCount());
        assertEquals(OperationMode.UNICAST, config.parameters().mode());
        assertEquals(Duration.ofSeconds(1), config.parameters().heartbeat().period());
        assertEquals(5, config.parameters().heartbeat().lossTolerance());
        assertEquals(64, config.parameters().ipv6NetworkPrefix());
        assertEquals(32, config.parameters().maxHosts());
        assertEquals(List.of(), config.portRules());
    }

    @Test
    void shouldReadManagementEndpointsAndTheHeartbeatTransport() {
        final ClusterConfig config = ClusterFileParser.parse("""
            cluster:
              name: lab
              secret: %s
              heartbeat: {period: 200ms, transport: multicast, group: "239.1.1.1:7401"}
            vips: [10.0.0.100]
            hosts:
              - {id: 1, priority: 1, management: "10.99.0.1:7400"}
              - {id: 2, priority: 2, management: "[fd00::2]:7400"}
            """.formatted(SECRET), "managed.yaml");
        assertEquals(Endpoint.parse("10.99.0.1:7400"), config.member(1).orElseThrow().management().orElseThrow());
        assertEquals("[fd00::2]:7400", config.member(2).orElseThrow().management().orElseThrow().toString());
        assertEquals(HeartbeatTransport.MULTICAST, config.parameters().heartbeat().transport());
        assertEquals("239.1.1.1:7401", config.parameters().heartbeat().group().orElseThrow().toString());
        assertEquals(HeartbeatTransport.PEERS, ClusterFileParser.parse(MINIMAL, "m").parameters().heartbeat()
            .transport());
        assertTrue(ClusterFileParser.parse(MINIMAL, "m").members().getFirst().management().isEmpty());
    }

    @Test
    void shouldNameTheFieldOfABadManagementEndpointOrGroup() {
        final String malformed = assertThrows(ConfigException.class, () -> ClusterFileParser.parse(MINIMAL.replace(
            "{id: 1, priority: 1}", "{id: 1, priority: 1, management: \"10.99.0.1\"}"), "bad.yaml")).getMessage();
        assertTrue(malformed.contains("hosts[0]") && malformed.contains("management") &&
            malformed.contains("10.99.0.1") && malformed.contains("address:port"), malformed);

        final String invalid = assertThrows(ConfigException.class, () -> lb.dataplane.config.ConfigValidator
            .requireValid(ClusterFileParser.parse("""
            cluster:
              name: lab
              secret: %s
              heartbeat: {transport: multicast, group: "10.0.0.1:7401"}
            vips: [10.0.0.100]
            hosts:
              - {id: 2, priority: 2, management: "10.99.0.2:7400"}
              - {id: 3, priority: 3, management: "10.99.0.2:7400"}
            """.formatted(SECRET), "bad.yaml"), "bad.yaml")).getMessage();
        assertTrue(invalid.contains("same management endpoint as hosts[0]"), invalid);
        assertTrue(invalid.contains("heartbeat.group") && invalid.contains("not a multicast address"), invalid);
    }

    @Test
    void shouldReadRuleFieldsWithDefaultsAndDurationsInEitherForm() {
        final ClusterConfig config = ClusterFileParser.parse(MINIMAL + """
            port-rules:
              - {ports: 80, protocol: TCP, extended-affinity: 900}
              - {vip: 10.0.0.100, ports: 8000-8099, filtering: single, state: draining}
              - {ports: "443", protocol: tcp, affinity: network, extended-affinity: 15m}
              - {}
            """.replace("  - {}", "  - {ports: 1000-2000, protocol: udp}"), "rules.yaml");
        final PortRule web = config.portRules().get(0);
        assertEquals(new RuleKey(java.util.Optional.empty(), new PortRange(80, 80), Protocol.TCP), web.key());
        assertEquals(FilteringMode.MULTIPLE, web.filtering());
        assertEquals(Affinity.SINGLE, web.affinity());
        assertEquals(Duration.ofMinutes(15), web.extendedAffinity());
        final PortRule admin = config.portRules().get(1);
        assertEquals(IpAddress.parse("10.0.0.100"), admin.key().vip().orElseThrow());
        assertEquals(Protocol.BOTH, admin.key().protocol());
        assertEquals(RuleState.DRAINING, admin.state());
        assertEquals(Duration.ofMinutes(15), config.portRules().get(2).extendedAffinity());
        assertEquals(Duration.ZERO, config.portRules().get(3).extendedAffinity());
    }

    @Test
    void shouldReadPerHostWeightsAndHandlingPrioritiesByRuleKey() {
        final ClusterConfig config = ClusterFileParser.parse("""
            cluster: {name: lab, secret: %s}
            vips: [10.0.0.100, "2001:db8::100"]
            port-rules:
              - {ports: 80, protocol: tcp}
              - {vip: "2001:db8::100", ports: 22, protocol: tcp, filtering: single}
            hosts:
              - id: 1
                priority: 1
                weights: {"all:80-80/tcp": 0}
                handling-priorities: {"[2001:db8::100]:22/tcp": 2}
              - id: 2
                priority: 2
                weights: {"ALL:80/TCP": equal}
                handling-priorities: {"[2001:db8::100]:22-22/tcp": 1}
            """.formatted(SECRET), "hosts.yaml");
        final RuleKey web = RuleKey.parse("all:80/tcp");
        final RuleKey ssh = RuleKey.parse("[2001:db8::100]:22/tcp");
        assertEquals(LoadWeight.of(0), config.members().get(0).loadWeight(web));
        assertEquals(LoadWeight.EQUAL, config.members().get(1).loadWeight(web));
        assertEquals(2, config.members().get(0).handlingPriority(config.rule(ssh).orElseThrow()));
        assertEquals(1, config.members().get(1).handlingPriority(config.rule(ssh).orElseThrow()));
    }

    @Test
    void shouldRejectEveryUnknownFieldNamingItsPath() {
        final ConfigException e = assertThrows(ConfigException.class, () -> ClusterFileParser.parse("""
            cluster:
              name: lab
              secret: %s
              heartbeat: {perod: 200ms}
            vips: [10.0.0.100]
            port-rules:
              - {ports: 80, protocl: tcp}
            hosts:
              - {id: 1, priority: 1, wieght: 5}
            extra: true
            """.formatted(SECRET), "typos.yaml"));
        final List<ConfigError> errors = e.errors();
        assertEquals(4, errors.size(), e::getMessage);
        assertError(errors.get(0), "(top level)", "extra", "true", "unknown field", "cluster, vips, port-rules, hosts");
        assertError(errors.get(1), "cluster.heartbeat", "perod", "'200ms'", "unknown field", "period, loss-tolerance");
        assertError(errors.get(2), "port-rules[0]", "protocl", "'tcp'", "unknown field", "vip, ports, protocol");
        assertError(errors.get(3), "hosts[0]", "wieght", "5", "unknown field", "id, priority, name, weights");
        assertTrue(e.getMessage().startsWith("typos.yaml: 4 errors"), e::getMessage);
    }

    @Test
    void shouldRejectTwoSpellingsOfTheSameRuleKey() {
        final ConfigException e = assertThrows(ConfigException.class, () -> ClusterFileParser.parse(MINIMAL.replace(
            "- {id: 1, priority: 1}", "- {id: 1, priority: 1, weights: {\"all:80/tcp\": 1, \"ALL:80-80/TCP\": 2}}") +
            "port-rules: [{ports: 80, protocol: tcp}]\n", "twice.yaml"));
        assertError(e.errors().getFirst(), "hosts[0]", "weights[ALL:80-80/TCP]", "all:80-80/tcp",
            "names the same rule as an earlier entry", "one entry per rule");
    }

    @Test
    void shouldReportMissingRequiredFields() {
        final ConfigException e = assertThrows(ConfigException.class, () -> ClusterFileParser.parse("""
            cluster: {name: lab}
            hosts:
              - {id: 1}
            """, "missing.yaml"));
        assertEquals(3, e.errors().size(), e::getMessage);
        assertError(e.errors().get(0), "(top level)", "vips", "(missing)", "required", "IPv4 or IPv6");
        assertError(e.errors().get(1), "cluster", "secret", "(missing)", "required", "openssl rand -hex 16");
        assertError(e.errors().get(2), "hosts[0]", "priority", "(missing)", "required", "1..32");
    }

    @Test
    void shouldReportValuesOfTheWrongFormAllAtOnce() {
        final ConfigException e = assertThrows(ConfigException.class, () -> ClusterFileParser.parse("""
            cluster:
              name: lab
              secret: %s
              buckets: sixty
              mode: broadcast
              heartbeat: {period: soon}
            vips: [10.0.0.300, "2001:db8::100"]
            port-rules:
              - {ports: 80-x, protocol: sctp}
            hosts:
              - {id: 1.5, priority: 1, weights: {"all:80": 5, "all:81/tcp": heavy}}
            """.formatted(SECRET), "forms.yaml"));
        final List<String> fields = e.errors().stream().map(ConfigError::field).toList();
        assertEquals(List.of("buckets", "mode", "period", "vips[0]", "ports", "protocol", "id", "weights[all:80]",
            "weights[all:81/tcp]"), fields, e::getMessage);
        assertError(e.errors().get(1), "cluster", "mode", "broadcast", "not one of the choices",
            "unicast, multicast, igmp-multicast");
        assertError(e.errors().get(2), "cluster.heartbeat", "period", "soon", "is not a duration", "100ms..10s");
        assertError(e.errors().get(3), "vips", "vips[0]", "10.0.0.300", "is not an IPv4 address", "10.0.0.100");
    }

    @Test
    void shouldNeverEchoTheSecret() {
        final ConfigException e = assertThrows(ConfigException.class, () -> ClusterFileParser.parse(
            MINIMAL.replace(SECRET, "\"0123456789abcdef0123456789abcdeZ\""), "leak.yaml"));
        assertError(e.errors().getFirst(), "cluster", "secret", "(hidden)", "not a hex digit", "32 hex digits");
        assertFalse(e.getMessage().contains("0123456789"), e::getMessage);
        final ConfigException unquoted = assertThrows(ConfigException.class, () -> ClusterFileParser.parse(
            MINIMAL.replace(SECRET, "12345678901234567890123456789012"), "leak.yaml"));
        assertError(unquoted.errors().getFirst(), "cluster", "secret", "(hidden)", "quote it", "32 hex digits");
        assertFalse(unquoted.getMessage().contains("1234567890"), unquoted::getMessage);
    }

    @Test
    void shouldRunTheValidatorOnceTheFileReads() {
        final ConfigException e = assertThrows(ConfigException.class, () -> ClusterFileParser.parse(MINIMAL + """
            port-rules:
              - {ports: 80, protocol: tcp}
              - {vip: 10.0.0.100, ports: 70-90}
            """, "overlap.yaml"));
        assertEquals(1, e.errors().size(), e::getMessage);
        assertEquals("port-rules[1] (10.0.0.100:70-90/both)", e.errors().getFirst().where());
    }

    @Test
    void shouldRejectDuplicateKeysSyntaxErrorsAndEmptyFiles() {
        final ConfigException duplicate = assertThrows(ConfigException.class,
            () -> ClusterFileParser.parse(MINIMAL + "vips: [10.0.0.101]\n", "dup.yaml"));
        assertTrue(duplicate.getMessage().contains("Duplicate field 'vips'"), duplicate::getMessage);
        assertTrue(duplicate.errors().getFirst().where().startsWith("line "), duplicate::getMessage);
        final ConfigException syntax = assertThrows(ConfigException.class,
            () -> ClusterFileParser.parse("cluster: [unclosed\n", "bad.yaml"));
        assertEquals("(yaml)", syntax.errors().getFirst().field(), syntax::getMessage);
        final ConfigException empty = assertThrows(ConfigException.class,
            () -> ClusterFileParser.parse("# nothing\n", "empty.yaml"));
        assertEquals("the file is empty", empty.errors().getFirst().problem());
        final ConfigException notAMapping = assertThrows(ConfigException.class,
            () -> ClusterFileParser.parse("- a\n- b\n", "list.yaml"));
        assertEquals("not a mapping", notAMapping.errors().getFirst().problem());
    }

    private static void assertError(
        final ConfigError error, final String where, final String field, final String value, final String problem,
        final String valid) {
        assertEquals(where, error.where(), error::message);
        assertEquals(field, error.field(), error::message);
        assertEquals(value, error.value(), error::message);
        assertTrue(error.problem().contains(problem), error::message);
        assertTrue(error.valid().contains(valid), error::message);
    }
}
