package lb.dataplane.model;

import static lb.dataplane.testkit.TestConfigs.VIP4;
import static lb.dataplane.testkit.TestConfigs.VIP6;
import static lb.dataplane.testkit.TestConfigs.parameters;
import static lb.dataplane.testkit.TestConfigs.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.DefaultRule;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.testkit.TestConfigs;
import org.junit.jupiter.api.Test;

class ReferenceModelTest {
    private static final PortRule WEB = rule("all:80/tcp");
    private static final PortRule DNS = rule("[2001:db8::100]:53/udp").withAffinity(Affinity.NETWORK);
    private static final PortRule ADMIN = rule("10.0.0.100:22/tcp").withFiltering(FilteringMode.SINGLE);
    private static final PortRule TELNET = rule("all:23/tcp").withFiltering(FilteringMode.DISABLED);
    private static final PortRule OLD = rule("all:8080/both").withState(RuleState.DISABLED);
    private static final PortRule MOVING = rule("all:9000-9099/udp").withState(RuleState.DRAINING);
    private static final ClusterConfig CONFIG = new ClusterConfig(parameters(), List.of(VIP4, VIP6),
        List.of(WEB, DNS, ADMIN, TELNET, OLD, MOVING), List.of(
            ClusterMember.of(1, 2).withHandlingPriority(ADMIN.key(), 7),
            ClusterMember.of(2, 3),
            ClusterMember.of(3, 1).withHandlingPriority(ADMIN.key(), 9)));
    private static final ReferenceModel MODEL = new ReferenceModel(CONFIG);
    private static final ClusterView ALL_LIVE = ClusterView.initial(CONFIG, Set.of(1, 2, 3));
    private static final IpAddress CLIENT = IpAddress.parse("192.0.2.7");

    @Test
    void shouldPassTrafficThatIsNotForAVip() {
        final Decision decision = MODEL.decide(Packet.tcp(CLIENT, 40000, IpAddress.parse("10.0.0.5"), 80), ALL_LIVE);
        assertInstanceOf(Decision.Pass.class, decision);
        assertEquals("PASS tcp 192.0.2.7:40000 -> 10.0.0.5:80: destination 10.0.0.5 is not a VIP: not the " +
            "cluster's; a host passes it to its kernel unfiltered when it is sent to the host's own MAC, and every " +
            "host drops it sent to the cluster MAC (cluster_mac_not_vip)", decision.explain());
    }

    @Test
    void shouldAcceptOnTheBucketOwnerAndSayWhy() {
        final Packet packet = Packet.tcp(CLIENT, 40000, VIP4, 80);
        final Decision.Accept accept = assertInstanceOf(Decision.Accept.class, MODEL.decide(packet, ALL_LIVE));
        final int bucket = FlowHasher.bucket(new FlowHasher(TestConfigs.SECRET, 64)
            .hashIpv4(CLIENT.ipv4(), 40000, Affinity.SINGLE), 60);
        assertEquals(bucket, accept.bucket());
        assertEquals(ALL_LIVE.assignment().of(WEB).owner(bucket), accept.hostId());
        assertEquals("ACCEPT by host " + accept.hostId() + " tcp 192.0.2.7:40000 -> 10.0.0.100:80: port-rules[0] " +
            "(all:80-80/tcp) is multiple-host, affinity single: key = client address 192.0.2.7 (port ignored); " +
            "SipHash-1-3 of the key mod 60 = bucket " + bucket + ", owned by host " + accept.hostId() +
            " (20 of 60 buckets; live hosts [1, 2, 3])", accept.explain());
    }

    @Test
    void shouldKeepAnIpv6ClientNetworkOnOneHostWithNetworkAffinity() {
        final Decision first = MODEL.decide(Packet.udp(IpAddress.parse("2001:db8:5:6::1"), 1000, VIP6, 53), ALL_LIVE);
        final Decision second =
            MODEL.decide(Packet.udp(IpAddress.parse("2001:db8:5:6:ffff::9"), 2000, VIP6, 53), ALL_LIVE);
        assertEquals(((Decision.Accept)first).bucket(), ((Decision.Accept)second).bucket());
        assertTrue(first.reason().contains("key = client network 2001:db8:5:6::1/64 (port ignored)"), first::reason);
    }

    @Test
    void shouldGiveASingleHostRuleToTheLowestLiveHandlingPriority() {
        final Packet ssh = Packet.tcp(CLIENT, 50000, VIP4, 22);
        final Decision.Accept accept = assertInstanceOf(Decision.Accept.class, MODEL.decide(ssh, ALL_LIVE));
        assertEquals(2, accept.hostId(), "handling priorities: host 1 = 7, host 2 = 3 (its host priority), host 3 = 9");
        assertEquals(Decision.NO_BUCKET, accept.bucket());
        assertTrue(accept.reason().contains("host=handling priority: 2=3, 1=7, 3=9"), accept::reason);
        final Decision.Accept without2 = assertInstanceOf(Decision.Accept.class,
            MODEL.decide(ssh, ALL_LIVE.next(CONFIG, Set.of(1, 3))));
        assertEquals(1, without2.hostId());
    }

    @Test
    void shouldSendUncoveredVipTrafficToTheDefaultHost() {
        final Decision.Accept uncovered = assertInstanceOf(Decision.Accept.class,
            MODEL.decide(Packet.udp(CLIENT, 1, VIP4, 80), ALL_LIVE));
        assertEquals(3, uncovered.hostId(), "host 3 has host priority 1");
        assertEquals(DefaultRule.RULE, uncovered.rule().rule());
        assertTrue(uncovered.reason().startsWith("no port rule covers it, so the default rule sends it to the " +
            "default host, host 3"), uncovered::reason);
        final Decision.Accept icmp = assertInstanceOf(Decision.Accept.class,
            MODEL.decide(new Packet(1, CLIENT, 0, VIP4, 0), ALL_LIVE.next(CONFIG, Set.of(1, 2))));
        assertEquals(1, icmp.hostId(), "without host 3, host 1 (priority 2) is the default host");
    }

    @Test
    void shouldDropForDisabledDrainingAndBlockingRules() {
        assertEquals("DROP tcp 192.0.2.7:1 -> 10.0.0.100:23: port-rules[3] (all:23-23/tcp) has filtering mode " +
            "disabled: it blocks its traffic", MODEL.decide(Packet.tcp(CLIENT, 1, VIP4, 23), ALL_LIVE).explain());
        assertEquals("DROP udp 192.0.2.7:1 -> 10.0.0.100:8080: port-rules[4] (all:8080-8080/both) is disabled",
            MODEL.decide(Packet.udp(CLIENT, 1, VIP4, 8080), ALL_LIVE).explain());
        assertTrue(MODEL.decide(Packet.udp(CLIENT, 1, VIP4, 9050), ALL_LIVE).reason().contains("is draining"));
    }

    @Test
    void shouldDropWhenNoHostIsLive() {
        final Decision decision = MODEL.decide(Packet.tcp(CLIENT, 1, VIP4, 80), ALL_LIVE.next(CONFIG, Set.of()));
        assertEquals("DROP tcp 192.0.2.7:1 -> 10.0.0.100:80: port-rules[0] (all:80-80/tcp) matched but no host is live",
            decision.explain());
    }

    /**
     * The validator rejects a specific-VIP rule overlapping an all rule today; the model still searches the VIP's own
     * rules first, so relaxing that check to NLB's override semantics needs no change here.
     */
    @Test
    void shouldSearchTheVipsOwnRulesBeforeTheAllRules() {
        final PortRule specific = rule("10.0.0.100:80/tcp").withFiltering(FilteringMode.SINGLE);
        final ClusterConfig overlapping = new ClusterConfig(parameters(), List.of(VIP4), List.of(WEB, specific),
            CONFIG.members());
        final ReferenceModel model = new ReferenceModel(overlapping);
        assertEquals(specific, model.match(Packet.tcp(CLIENT, 1, VIP4, 80)).rule());
    }
}
