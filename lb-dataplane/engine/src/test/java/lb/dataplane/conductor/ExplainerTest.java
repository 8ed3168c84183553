package lb.dataplane.conductor;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.file.ClusterFileParser;
import lb.dataplane.net.IpProtocol;
import lb.dataplane.net.Ipv4Mapped;
import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.packet.TcpDescriptor;
import lb.dataplane.packet.TestFrames;
import lb.dataplane.pipeline.Classifier;
import lb.dataplane.pipeline.Verdict;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Explainer} against the {@link Classifier} it mirrors: over random views (owners, dirty buckets, rule states,
 * filtering modes), random foreign entries and random TCP and UDP packets on two hosts, what explain says of a
 * packet, asked just before, is the verdict the classifier then gives it.
 */
class ExplainerTest {
    private static final String CLUSTER = """
        cluster: {name: explain, secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", buckets: 8}
        vips: [10.0.0.100]
        port-rules:
          - {vip: all, ports: 80, protocol: tcp, affinity: single, extended-affinity: 20m}
          - {vip: all, ports: 81, protocol: tcp, affinity: none}
          - {vip: all, ports: 82, protocol: tcp, state: draining}
          - {vip: all, ports: 83, protocol: tcp, state: disabled}
          - {vip: all, ports: 84, protocol: tcp, filtering: single}
          - {vip: all, ports: 53, protocol: udp, affinity: single, extended-affinity: 5m}
        hosts:
          - {id: 1, priority: 1}
          - {id: 2, priority: 2}
        """;
    private static final int VIP = TestFrames.ip4("10.0.0.100");
    private static final int[] PORTS = {80, 81, 82, 83, 84, 53, 9999};

    @Test
    void shouldExplainTheVerdictTheClassifierGives() {
        final long seed = Long.getLong("lb.seed", System.nanoTime());
        System.out.println("ExplainerTest seed " + seed + " (-Dlb.seed=" + seed + " replays)");
        final Random random = new Random(seed);
        final ClusterConfig config = ClusterFileParser.parse(CLUSTER, "test");
        final List<Host> hosts = List.of(new Host(1, config), new Host(2, config));
        final ParsedPacket parsed = new ParsedPacket();
        final PacketParser parser = new PacketParser();
        int accepted = 0;
        for (int round = 0; round < 200; round++) {
            views(config, hosts, round + 1, random);
            for (int i = 0; i < 100; i++) {
                final int client = TestFrames.ip4("198.18.0.0") + random.nextInt(24);
                final int clientPort = 40000 + random.nextInt(4);
                final int port = PORTS[random.nextInt(PORTS.length)];
                final boolean udp = port == 53 || port == 9999 && random.nextBoolean();
                final int flags = random.nextInt(3) == 0 ? TcpDescriptor.SYN : TcpDescriptor.ACK |
                    (random.nextInt(8) == 0 ? TcpDescriptor.FIN : 0);
                final byte[] frame = udp ? TestFrames.udp4(client, clientPort, VIP, port) :
                    TestFrames.tcp4(client, clientPort, VIP, port, flags);
                if (random.nextInt(20) == 0) {
                    final Host holder = hosts.get(random.nextInt(2));
                    holder.affinity.installForeign(0, 4, Ipv4Mapped.HIGH, Ipv4Mapped.low(client), 3 - holder.id, 0,
                        round);
                }
                for (final Host host : hosts) {
                    final long now = round * 1000L + i;
                    final Explainer.Explanation e = host.explainer.explain(host.view, udp ? IpProtocol.UDP :
                        IpProtocol.TCP, IpAddress.ofIpv4(client), clientPort, IpAddress.ofIpv4(VIP), port, now);
                    final boolean start = !udp && flags == TcpDescriptor.SYN;
                    final int explained = start ? e.startVerdict() : e.ongoingVerdict();
                    parser.parse(MemorySegment.ofArray(frame), 0, frame.length, parsed);
                    final int verdict = host.classifier.classify(parsed, host.view, now);
                    assertEquals(Verdict.name(verdict), Verdict.name(explained), "seed " + seed + ", host " +
                        host.id + ", " + (udp ? "udp" : "tcp flags " + flags) + " from " + IpAddress.ofIpv4(client) +
                        ":" + clientPort + " to port " + port + ": " + e);
                    accepted += verdict == Verdict.ACCEPT ? 1 : 0;
                    assertFalse(e.startReason().isEmpty());
                }
            }
        }
        assertTrue(accepted > 1000, "the packets exercise accepts too: " + accepted);
        hosts.forEach(Host::close);
    }

    @Test
    void shouldSayThatADestinationThatIsNoVipIsTheHostsOwnTraffic() {
        final ClusterConfig config = ClusterFileParser.parse(CLUSTER, "test");
        final Host host = new Host(1, config);
        views(config, List.of(host), 1, new Random(1));
        final Explainer.Explanation e = host.explainer.explain(host.view, IpProtocol.TCP,
            IpAddress.parse("198.18.0.1"), 40000, IpAddress.parse("10.0.0.99"), 80, 0);
        assertFalse(e.isVip());
        assertEquals(Verdict.PASS, e.startVerdict());
        assertTrue(e.startReason().contains("not a VIP"), e.startReason());
        host.close();
    }

    private static void views(final ClusterConfig config, final List<Host> hosts, final long epoch,
        final Random random) {
        final List<RuleOwnership> ownership = new ArrayList<>();
        for (int index = 0; index <= config.portRules().size(); index++) {
            final int[] owners = new int[8];
            final long[] dirty = new long[1];
            final boolean multiple = index < config.portRules().size() &&
                config.canonicalRules().get(index).filtering() == lb.dataplane.config.FilteringMode.MULTIPLE;
            // Single-host rules and the default rule have one winner (or none), every bucket alike.
            final int winner = random.nextInt(3);
            final boolean moved = random.nextInt(4) == 0;
            for (int b = 0; b < 8; b++) {
                owners[b] = multiple ? 1 + random.nextInt(2) : winner;
                dirty[0] |= (multiple ? random.nextInt(4) == 0 : moved) ? 1L << b : 0;
            }
            ownership.add(new RuleOwnership(owners, dirty));
        }
        for (final Host host : hosts) {
            host.view = ViewBuilder.build(config, host.id, epoch, epoch, ownership, new HashSet<>(config.vips()), 0);
        }
    }

    private static final class Host implements AutoCloseable {
        final int id;
        final ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 12));
        final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 12));
        final FragmentTable fragments = new FragmentTable(1 << 10, 1000);
        final Classifier classifier = new Classifier(connections, affinity, fragments);
        final Explainer explainer = new Explainer(connections, affinity);
        DataplaneView view;

        Host(final int id, final ClusterConfig config) {
            this.id = id;
            for (int index = 0; index < config.portRules().size(); index++) {
                final var rule = config.canonicalRules().get(index);
                affinity.ruleTimeoutTicks(index, rule.extendedAffinity().toMillis());
            }
        }

        @Override
        public void close() {
            connections.close();
            affinity.close();
            fragments.close();
        }
    }
}
