package lb.dataplane.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.net.IpProtocol;
import lb.dataplane.testkit.RandomConfigs;
import lb.dataplane.testkit.Seeds;
import org.junit.jupiter.api.Test;

/**
 * Random configs, membership sequences of 1..32 hosts and random packets: every host builds its own model and view
 * from its own copy of the inputs (config lists in its own order), and they must agree, so that every VIP packet of an
 * enabled rule is accepted by exactly one live host.
 */
class ReferenceModelPropertyTest {
    private static final int CONFIGS = 300;
    private static final int STEPS = 4;
    private static final int PACKETS_PER_STEP = 100;
    private static final int HASH_CHECKS = 1_000_000;

    @Test
    void shouldHaveEveryVipPacketAcceptedByExactlyOneLiveHostOnWhichAllHostsAgree() {
        final long seed = Seeds.seed("ReferenceModelPropertyTest.exactlyOne");
        final SplittableRandom random = new SplittableRandom(seed);
        long packets = 0;
        long accepted = 0;
        for (int c = 0; c < CONFIGS; c++) {
            final ClusterConfig config = RandomConfigs.config(random, 32);
            final List<Host> hosts = new ArrayList<>();
            for (final ClusterMember member : config.members()) {
                hosts.add(new Host(member.hostId(), RandomConfigs.shuffled(config, random)));
            }
            for (int step = 0; step < STEPS; step++) {
                final Set<Integer> live = randomLiveSet(config, random);
                for (final Host host : hosts) {
                    host.observe(inOwnOrder(live, random));
                }
                final String where = "seed " + seed + " config " + c + " step " + step + " live " + live;
                for (final Host host : hosts) {
                    assertEquals(hosts.getFirst().view, host.view, where + ": host " + host.id + " sees other owners");
                }
                for (int p = 0; p < PACKETS_PER_STEP; p++) {
                    final Packet packet = randomPacket(config, random);
                    packets++;
                    accepted += checkPacket(config, hosts, live, packet, where) ? 1 : 0;
                }
            }
        }
        System.out.println(packets + " packets, " + accepted + " accepted by exactly one host");
    }

    @Test
    void shouldComputeTheSameBucketAsTheFastPathHash() {
        final long seed = Seeds.seed("ReferenceModelPropertyTest.fastPathBucket");
        final SplittableRandom random = new SplittableRandom(seed);
        int checked = 0;
        while (checked < HASH_CHECKS) {
            final ClusterConfig config = RandomConfigs.config(random, 4);
            final List<PortRule> multiple = config.portRules().stream()
                .filter(r -> r.filtering() == FilteringMode.MULTIPLE).toList();
            if (multiple.isEmpty()) {
                continue;
            }
            final ReferenceModel model = new ReferenceModel(config);
            final FlowHasher fast = new FlowHasher(config.parameters().secret(), config.parameters().ipv6NetworkPrefix());
            for (int i = 0; i < 10_000; i++, checked++) {
                final PortRule rule = multiple.get(random.nextInt(multiple.size()));
                final Packet packet = randomPacket(config, random);
                final IpAddress client = packet.client();
                final long hash = client.isIpv4() ?
                    fast.hashIpv4(client.ipv4(), packet.clientPort(), rule.affinity()) :
                    fast.hashIpv6(client.hi(), client.lo(), packet.clientPort(), rule.affinity());
                final int expected = FlowHasher.bucket(hash, config.parameters().bucketCount());
                if (expected != model.bucket(packet, rule)) {
                    assertEquals(expected, model.bucket(packet, rule), "seed " + seed + " " + packet + " " + rule);
                }
            }
        }
    }

    /** Returns whether some host accepted the packet. */
    private static boolean checkPacket(
        final ClusterConfig config, final List<Host> hosts, final Set<Integer> live, final Packet packet,
        final String where) {
        final List<Decision> decisions = new ArrayList<>();
        int acceptors = 0;
        for (final Host host : hosts) {
            if (live.contains(host.id)) {
                final Decision decision = host.model.decide(packet, host.view);
                decisions.add(decision);
                acceptors += decision.acceptingHost().orElse(-1) == host.id ? 1 : 0;
            }
        }
        final Decision first = decisions.getFirst();
        for (final Decision decision : decisions) {
            assertEquals(first.getClass(), decision.getClass(), where + ": " + first + " / " + decision);
            assertEquals(first.acceptingHost(), decision.acceptingHost(), where + ": " + first + " / " + decision);
            if (first instanceof Decision.Accept accept) {
                final Decision.Accept other = (Decision.Accept)decision;
                assertEquals(accept.rule().rule(), other.rule().rule(), where);
                assertEquals(accept.bucket(), other.bucket(), where);
            }
        }
        if (!config.isVip(packet.destination())) {
            assertInstanceOf(Decision.Pass.class, first, where);
            return false;
        }
        final PortRule rule = hosts.getFirst().model.match(packet).rule();
        final boolean takesTraffic = rule.state() == RuleState.ENABLED && rule.filtering() != FilteringMode.DISABLED;
        if (takesTraffic) {
            assertEquals(1, acceptors, () -> where + ": " + packet + " accepted by " + decisions);
            assertTrue(live.contains(first.acceptingHost().orElseThrow()), where);
        } else {
            assertInstanceOf(Decision.Drop.class, first, where);
        }
        return takesTraffic;
    }

    /** Each host learns of the live hosts in its own order. */
    private static Set<Integer> inOwnOrder(final Set<Integer> live, final SplittableRandom random) {
        final List<Integer> order = new ArrayList<>(live);
        Collections.shuffle(order, new Random(random.nextLong()));
        return new LinkedHashSet<>(order);
    }

    private static Set<Integer> randomLiveSet(final ClusterConfig config, final SplittableRandom random) {
        final Set<Integer> live = new TreeSet<>();
        final double share = random.nextDouble();
        for (final ClusterMember member : config.members()) {
            if (random.nextDouble() < share) {
                live.add(member.hostId());
            }
        }
        if (live.isEmpty()) {
            live.add(config.members().get(random.nextInt(config.members().size())).hostId());
        }
        return live;
    }

    private static Packet randomPacket(final ClusterConfig config, final SplittableRandom random) {
        final boolean forVip = random.nextInt(8) != 0;
        final IpAddress destination = forVip ? config.vips().get(random.nextInt(config.vips().size())) :
            randomAddress(random, random.nextBoolean());
        final IpAddress client = randomAddress(random, destination.isIpv4());
        final int protocolRoll = random.nextInt(20);
        final int protocol = protocolRoll == 0 ? 1 : protocolRoll == 1 ? 47 :
            protocolRoll < 11 ? IpProtocol.TCP : IpProtocol.UDP;
        final boolean ports = protocol == IpProtocol.TCP || protocol == IpProtocol.UDP;
        int port = random.nextInt(65536);
        if (!config.portRules().isEmpty() && random.nextInt(4) != 0) {
            final PortRule rule = config.portRules().get(random.nextInt(config.portRules().size()));
            port = rule.key().ports().start() + random.nextInt(rule.key().ports().end() - rule.key().ports().start() + 1);
        }
        return new Packet(protocol, client, ports ? random.nextInt(65536) : 0, destination, ports ? port : 0);
    }

    /** Clients crowd into few networks now and then so that network affinity gets shared keys. */
    private static IpAddress randomAddress(final SplittableRandom random, final boolean ipv4) {
        if (ipv4) {
            return IpAddress.ofIpv4(random.nextBoolean() ? random.nextInt() : 0xc000_0200 | random.nextInt(256));
        }
        final long hi = random.nextBoolean() ? random.nextLong() : 0x2001_0db8_0000_0000L | random.nextInt(4);
        return new IpAddress(hi == 0 ? 1 : hi, random.nextLong());
    }

    /** One host: its own copy of the config, its own model, and the view it builds from what it observes. */
    private static final class Host {
        final int id;
        final ClusterConfig config;
        final ReferenceModel model;
        ClusterView view;

        Host(final int id, final ClusterConfig config) {
            this.id = id;
            this.config = config;
            this.model = new ReferenceModel(config);
        }

        void observe(final Set<Integer> live) {
            view = view == null ? ClusterView.initial(config, live) : view.next(config, live);
        }
    }
}
