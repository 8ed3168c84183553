package lb.dataplane.pipeline;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.IpAddress;
import lb.dataplane.model.ClusterView;
import lb.dataplane.model.Decision;
import lb.dataplane.model.Packet;
import lb.dataplane.model.ReferenceModel;
import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParseResult;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.packet.TcpDescriptor;
import lb.dataplane.packet.TestFrames;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tier 0's first check: the real pipeline (parser, compiled view, classifier with its tables) of every
 * live host, against the deliberately simple reference model, over at least a million random packets
 * and random clusters of 1 to 32 hosts. Every VIP packet must be accepted by exactly the host the model
 * names and dropped by all others; traffic that is not for a VIP is passed by every host.
 */
class PipelineModelEquivalenceTest {
    private static final int CLUSTERS = 250;
    private static final int PACKETS_PER_CLUSTER = 4_000;

    @Test
    void shouldAcceptEveryPacketOnExactlyTheHostTheModelNames() {
        final long seed = Long.getLong("lb.seed", System.nanoTime());
        System.out.println("PipelineModelEquivalenceTest seed " + seed + " (replay with -Dlb.seed=" + seed + ")");
        final Random random = new Random(seed);
        final PacketParser parser = new PacketParser();
        final ParsedPacket parsed = new ParsedPacket();
        long packets = 0;
        long accepted = 0;
        for (int c = 0; c < CLUSTERS; c++) {
            final int memberCount = 1 + random.nextInt(32);
            final ClusterConfig config = RandomClusters.config(random, memberCount);
            final List<Integer> ids = config.members().stream().map(ClusterMember::hostId).toList();
            final Set<Integer> live = new TreeSet<>();
            for (final int id : ids) {
                if (live.isEmpty() || random.nextInt(5) != 0) {
                    live.add(id);
                }
            }
            final ClusterView modelView = ClusterView.initial(config, live);
            final ReferenceModel model = new ReferenceModel(config);
            final List<Host> hosts = new ArrayList<>();
            try {
                for (final int id : live) {
                    hosts.add(new Host(id, ViewBuilder.build(config, id, 1, 1,
                        RuleOwnership.of(config, modelView.assignment(), ClusterAssignment.NONE),
                        new HashSet<>(config.vips()), 0x02_00_00_00_00_01L)));
                }
                for (int i = 0; i < PACKETS_PER_CLUSTER; i++) {
                    final Flow flow = Flow.random(random, config);
                    final byte[] frame = flow.frame();
                    final MemorySegment segment = MemorySegment.ofArray(frame);
                    assertEquals(ParseResult.OK, parser.parse(segment, 0, frame.length, parsed), flow.toString());
                    final Decision decision = model.decide(flow.packet(), modelView);
                    final int expectedHost = decision.acceptingHost().orElse(-1);
                    for (final Host host : hosts) {
                        final int verdict = host.classifier.classify(parsed, host.view, i);
                        final int expected = decision instanceof Decision.Pass ? Verdict.PASS :
                            host.id == expectedHost ? Verdict.ACCEPT : -1;
                        final boolean agrees = expected >= 0 ? verdict == expected : Verdict.isDrop(verdict);
                        if (!agrees) {
                            fail("seed " + seed + ", cluster " + c + ", packet " + i + " " + flow + ": host " +
                                host.id + " says " + Verdict.name(verdict) + " (rule slot " +
                                host.classifier.lastRuleSlot() + ", bucket " + host.classifier.lastBucket() +
                                ") but the model says " + decision + "\nconfig: " + config + "\nlive: " + live);
                        }
                        accepted += verdict == Verdict.ACCEPT ? 1 : 0;
                    }
                    packets++;
                }
            } finally {
                hosts.forEach(Host::close);
            }
        }
        System.out.println("PipelineModelEquivalenceTest: " + packets + " packets, " + accepted +
            " accepts, 0 mismatches");
        assertEquals((long)CLUSTERS * PACKETS_PER_CLUSTER, packets);
    }

    /** One live host: its compiled view and its own classifier and tables. */
    private static final class Host implements AutoCloseable {
        final int id;
        final DataplaneView view;
        final ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 14));
        final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 14));
        final FragmentTable fragments = new FragmentTable(1 << 10, 1000);
        final Classifier classifier = new Classifier(connections, affinity, fragments);

        Host(final int id, final DataplaneView view) {
            this.id = id;
            this.view = view;
        }

        @Override
        public void close() {
            connections.close();
            affinity.close();
            fragments.close();
        }
    }

    /** A random flow: mostly to VIPs on rule ports, some to other ports, protocols and addresses. */
    record Flow(int protocol, IpAddress client, int clientPort, IpAddress destination, int port, int flags) {
        static Flow random(final Random random, final ClusterConfig config) {
            final IpAddress destination;
            final int pick = random.nextInt(20);
            if (pick == 0) {
                destination = IpAddress.parse(random.nextBoolean() ? "10.1.2.3" : "2001:db8:99::1");
            } else {
                destination = config.vips().get(random.nextInt(config.vips().size()));
            }
            final boolean v4 = destination.isIpv4();
            final IpAddress client = v4 ?
                IpAddress.ofIpv4(random.nextInt(4) == 0 ? 0xC6336400 | random.nextInt(256) : random.nextInt()) :
                new IpAddress(0x2001_0db8_0000_0000L | (random.nextInt(4) == 0 ? 7 : random.nextInt(1 << 16)),
                    random.nextLong());
            final int protocol = random.nextInt(10) == 0 ? (random.nextBoolean() ? 47 : 50) :
                random.nextBoolean() ? 6 : 17;
            final int port = random.nextInt(3) == 0 ? random.nextInt(65536) :
                random.nextInt(6) * 10_000 + random.nextInt(9_100);
            final int flags = random.nextInt(3) == 0 ? TcpDescriptor.ACK : TcpDescriptor.SYN;
            return new Flow(protocol, client, 1024 + random.nextInt(64512), destination, Math.min(port, 65535), flags);
        }

        byte[] frame() {
            final boolean v4 = destination.isIpv4();
            return switch (protocol) {
                case 6 -> v4 ? TestFrames.tcp4(client.ipv4(), clientPort, destination.ipv4(), port, flags) :
                    TestFrames.tcp6(client.toBytes16(), clientPort, destination.toBytes16(), port, flags);
                case 17 -> v4 ? TestFrames.udp4(client.ipv4(), clientPort, destination.ipv4(), port) :
                    TestFrames.udp6(client.toBytes16(), clientPort, destination.toBytes16(), port);
                default -> v4 ? TestFrames.other4(client.ipv4(), destination.ipv4(), protocol) :
                    TestFrames.other6(client.toBytes16(), destination.toBytes16(), protocol);
            };
        }

        Packet packet() {
            return protocol == 6 || protocol == 17 ?
                new Packet(protocol, client, clientPort, destination, port) :
                new Packet(protocol, client, 0, destination, 0);
        }
    }
}
