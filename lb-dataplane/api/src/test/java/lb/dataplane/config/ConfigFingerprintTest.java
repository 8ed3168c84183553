package lb.dataplane.config;

import static lb.dataplane.testkit.TestConfigs.VIP4;
import static lb.dataplane.testkit.TestConfigs.VIP6;
import static lb.dataplane.testkit.TestConfigs.parameters;
import static lb.dataplane.testkit.TestConfigs.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

class ConfigFingerprintTest {
    private static final PortRule WEB = rule("all:80/tcp");
    private static final PortRule DNS = rule("[2001:db8::100]:53/udp").withAffinity(Affinity.NONE);
    private static final PortRule ADMIN = rule("10.0.0.100:22/tcp").withFiltering(FilteringMode.SINGLE);
    private static final ClusterConfig BASE = new ClusterConfig(parameters(), List.of(VIP4, VIP6),
        List.of(WEB, DNS, ADMIN),
        List.of(ClusterMember.of(1, 1).withLoadWeight(WEB.key(), LoadWeight.of(70)).withName("a"),
            ClusterMember.of(2, 2).withHandlingPriority(ADMIN.key(), 5)));

    @Test
    void shouldIgnoreTheOrderOfVipsRulesAndMembers() {
        final ClusterConfig reordered = new ClusterConfig(BASE.parameters(), List.of(VIP6, VIP4),
            List.of(ADMIN, WEB, DNS), List.of(BASE.members().get(1), BASE.members().get(0)));
        assertEquals(BASE.fingerprint(), reordered.fingerprint());
    }

    @Test
    void shouldTreatWrittenDefaultsLikeOmittedOnes() {
        final ClusterMember explicit = BASE.members().get(1).withLoadWeight(WEB.key(), LoadWeight.EQUAL)
            .withLoadWeight(DNS.key(), LoadWeight.of(LoadWeight.EQUAL_PERCENT));
        final ClusterMember priority = BASE.members().get(0).withHandlingPriority(ADMIN.key(), 1);
        assertEquals(BASE.fingerprint(), members(priority, explicit).fingerprint());
    }

    @Test
    void shouldChangeWithAnythingThatChangesDecisions() {
        final List<UnaryOperator<ClusterConfig>> changes = List.of(
            c -> new ClusterConfig(c.parameters().withBucketCount(61), c.vips(), c.portRules(), c.members()),
            c -> new ClusterConfig(ClusterParameters.defaults("test", ClusterSecret.fromHex(
                "000102030405060708090a0b0c0d0e0e")), c.vips(), c.portRules(), c.members()),
            c -> new ClusterConfig(c.parameters().withIpv6NetworkPrefix(48), c.vips(), c.portRules(), c.members()),
            c -> new ClusterConfig(c.parameters(), List.of(VIP4, VIP6, IpAddress.parse("10.0.0.101")), c.portRules(),
                c.members()),
            c -> rules(WEB.withState(RuleState.DRAINING), DNS, ADMIN),
            c -> rules(WEB.withAffinity(Affinity.NETWORK), DNS, ADMIN),
            c -> rules(WEB.withExtendedAffinity(Duration.ofMinutes(15)), DNS, ADMIN),
            c -> rules(WEB, rule("[2001:db8::100]:53-54/udp").withAffinity(Affinity.NONE), ADMIN),
            c -> members(c.members().get(0).withLoadWeight(WEB.key(), LoadWeight.of(71)), c.members().get(1)),
            c -> members(c.members().get(0), c.members().get(1).withHandlingPriority(ADMIN.key(), 6)),
            c -> members(c.members().get(0).withName("b"), c.members().get(1)),
            c -> members(c.members().get(0), ClusterMember.of(3, 2).withHandlingPriority(ADMIN.key(), 5)));
        for (final UnaryOperator<ClusterConfig> change : changes) {
            final ClusterConfig changed = change.apply(BASE);
            assertNotEquals(BASE.fingerprint(), changed.fingerprint(), changed::toString);
        }
    }

    @Test
    void shouldPrintAsSha256WithA64BitPrefixForHeartbeats() {
        final ConfigFingerprint fingerprint = BASE.fingerprint();
        assertEquals(64, fingerprint.sha256Hex().length());
        assertEquals(Long.parseUnsignedLong(fingerprint.sha256Hex().substring(0, 16), 16), fingerprint.prefix64());
        assertEquals("sha256:" + fingerprint.sha256Hex(), fingerprint.toString());
    }

    private static ClusterConfig rules(final PortRule... rules) {
        return new ClusterConfig(BASE.parameters(), BASE.vips(), List.of(rules), BASE.members());
    }

    private static ClusterConfig members(final ClusterMember... members) {
        return new ClusterConfig(BASE.parameters(), BASE.vips(), BASE.portRules(), List.of(members));
    }
}
