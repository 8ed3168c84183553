package lb.dataplane.pipeline;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.file.ClusterFileParser;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.net.Ipv4Mapped;
import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.packet.TcpDescriptor;
import lb.dataplane.packet.TestFrames;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.EntryMeta;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Connections and sticky clients across convergence, between two hosts' classifiers: a bucket moves
 * from host 1 to host 2 in epoch 2 (dirty), and every packet must still be accepted by exactly one.
 */
class ConvergenceClassifierTest {
    private static final String CLUSTER = """
        cluster: {name: move, secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", buckets: 8, udp-flow-timeout: 60s}
        vips: [10.0.0.100]
        port-rules:
          - {vip: all, ports: 80, protocol: tcp, affinity: none}
          - {vip: all, ports: 443, protocol: tcp, affinity: single, extended-affinity: 20m}
          - {vip: all, ports: 4433, protocol: udp, affinity: none}
        hosts:
          - {id: 1, priority: 1}
          - {id: 2, priority: 2}
        """;
    private static final int VIP = TestFrames.ip4("10.0.0.100");
    private static final int SYN = TcpDescriptor.SYN;
    private static final int ACK = TcpDescriptor.ACK;

    private final ClusterConfig config = ClusterFileParser.parse(CLUSTER, "test");
    private final Host one = new Host(1);
    private final Host two = new Host(2);

    @AfterEach
    void close() {
        one.close();
        two.close();
    }

    @Test
    void shouldKeepATrackedConnectionOnItsHostWhenItsBucketMoves() {
        final int client = clientInBucket(0, 3);
        views(1, 3, false);
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_NOT_OWNER), both(TestFrames.tcp4(client, 40000, VIP, 80, SYN)));

        views(2, 3, true);
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_MOVED_BUCKET_NOT_TRACKED),
            both(TestFrames.tcp4(client, 40000, VIP, 80, ACK)), "the old owner keeps its connection");
        assertEquals(verdicts(Verdict.DROP_NOT_OWNER, Verdict.ACCEPT), both(TestFrames.tcp4(client, 40001, VIP, 80, SYN)),
            "a new connection in the moved bucket goes to the new owner");
        assertEquals(verdicts(Verdict.DROP_NOT_OWNER, Verdict.ACCEPT), both(TestFrames.tcp4(client, 40001, VIP, 80, ACK)));
    }

    @Test
    void shouldGiveANewConnectionOnAClosedConnectionsPortToTheBucketsNewOwnerOnly() {
        // Found by the lab (lab/demo.py): a client reused the port of a connection that had closed on host 1 less than
        // the close linger before; its bucket had moved to host 2. Both accepted the SYN, both kernels answered, and
        // host 1's kernel reset the client's connection with host 2.
        final int client = clientInBucket(0, 3);
        views(1, 3, false);
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_NOT_OWNER), both(TestFrames.tcp4(client, 40000, VIP, 80, SYN)));
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_NOT_OWNER),
            both(TestFrames.tcp4(client, 40000, VIP, 80, TcpDescriptor.FIN | ACK)), "it closes on host 1");

        views(2, 3, true);
        assertEquals(verdicts(Verdict.DROP_NOT_OWNER, Verdict.ACCEPT), both(TestFrames.tcp4(client, 40000, VIP, 80, SYN)),
            "a new connection on the same port goes to the bucket's new owner alone");
        assertEquals(verdicts(Verdict.DROP_NOT_OWNER, Verdict.ACCEPT), both(TestFrames.tcp4(client, 40000, VIP, 80, ACK)),
            "and so do its later packets");
    }

    @Test
    void shouldTrackANewConnectionOnAClosedConnectionsPortAsANewOneOnTheSameHost() {
        final int client = clientInBucket(0, 3);
        views(1, 3, false);
        both(TestFrames.tcp4(client, 40000, VIP, 80, SYN));
        both(TestFrames.tcp4(client, 40000, VIP, 80, TcpDescriptor.FIN | ACK));
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_NOT_OWNER), both(TestFrames.tcp4(client, 40000, VIP, 80, SYN)));
        final long handle = one.connections.lookup(6, 4, 0, Ipv4Mapped.low(client), 40000, 0, Ipv4Mapped.low(VIP), 80);
        assertEquals(EntryMeta.SYN_SEEN, EntryMeta.tcpState(one.connections.meta(handle)),
            "tracked as a new connection, not with the closed one's linger");
    }

    @Test
    void shouldKeepATrackedUdpFlowOnItsHostWhenTheClusterTracksUdp() {
        final int client = clientInBucket(2, 5);
        views(1, 5, false);
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_NOT_OWNER), both(TestFrames.udp4(client, 5000, VIP, 4433)));

        views(2, 5, true);
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_MOVED_BUCKET_NOT_TRACKED),
            both(TestFrames.udp4(client, 5000, VIP, 4433)), "the flow stays; the new owner leaves it alone");
        assertEquals(verdicts(Verdict.DROP_NOT_OWNER, Verdict.DROP_MOVED_BUCKET_NOT_TRACKED),
            both(TestFrames.udp4(client, 5001, VIP, 4433)), "a new UDP flow waits until the move settles");

        // The move settles (the bucket is no longer dirty) only once host 1 tracks no flow in it any more:
        // lbd's contract. Then the new owner takes new flows.
        one.connections.flush(0, one.connections.capacity());
        views(3, 5, false);
        assertEquals(verdicts(Verdict.DROP_NOT_OWNER, Verdict.ACCEPT), both(TestFrames.udp4(client, 5001, VIP, 4433)));
    }

    @Test
    void shouldKeepAStickyClientOnItsHostAcrossTheMoveWhenTheNewOwnerHoldsItsForeignEntry() {
        final int client = clientInBucket(1, 6);
        views(1, 6, false);
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_NOT_OWNER), both(TestFrames.tcp4(client, 41000, VIP, 443, SYN)));

        views(2, 6, true);
        // What lbd does on the move: host 1 exports the client, host 2 installs it as foreign.
        final long meta = two.affinity.meta(two.affinity.installForeign(1, 4, 0, Ipv4Mapped.low(client), 1, 6, 1));
        assertEquals(1, EntryMeta.owner(meta));
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_STICKY_ELSEWHERE),
            both(TestFrames.tcp4(client, 41001, VIP, 443, SYN)), "the shopping cart stays on host 1");
    }

    @Test
    void shouldSendLaterFragmentsWhereTheirFirstFragmentWent() {
        final int client = clientInBucket(1, 6);
        views(1, 6, false);
        assertEquals(verdicts(Verdict.DROP_FRAGMENT_UNROUTABLE, Verdict.DROP_FRAGMENT_UNROUTABLE),
            both(TestFrames.lastTcpFragment4(client, VIP, 0x1111)), "before its first fragment, nobody takes it");
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_NOT_OWNER),
            both(TestFrames.firstFragment4(client, 42000, VIP, 443, 0x1111)));
        assertEquals(verdicts(Verdict.ACCEPT, Verdict.DROP_FRAGMENT_UNROUTABLE),
            both(TestFrames.lastTcpFragment4(client, VIP, 0x1111)));

        final int other = clientInBucket(1, 2);
        views(1, 6, false);
        assertEquals(verdicts(Verdict.DROP_NOT_OWNER, Verdict.ACCEPT),
            both(TestFrames.firstFragment4(other, 42000, VIP, 443, 0x2222)));
        assertEquals(verdicts(Verdict.DROP_FRAGMENT_UNROUTABLE, Verdict.ACCEPT),
            both(TestFrames.lastTcpFragment4(other, VIP, 0x2222)));
    }

    /** Host 1 owns every bucket but {@code moved} in epoch 1; in epoch 2, when {@code moves}, host 2 owns it. */
    private void views(final long epoch, final int bucket, final boolean moves) {
        for (final Host host : List.of(one, two)) {
            final List<RuleOwnership> ownership = new ArrayList<>();
            for (int slot = 0; slot <= config.portRules().size(); slot++) {
                final int[] owners = new int[8];
                Arrays.fill(owners, 2);
                owners[bucket] = moves ? 2 : 1;
                if (epoch >= 3) {
                    owners[bucket] = 2;
                }
                final long[] dirty = new long[1];
                if (moves) {
                    dirty[0] = 1L << bucket;
                }
                ownership.add(new RuleOwnership(slot == config.portRules().size() ? new int[8] : owners, dirty));
            }
            Arrays.fill(ownership.getLast().owners(), 1);
            ownership.set(ownership.size() - 1, new RuleOwnership(ownership.getLast().owners(), new long[1]));
            host.view = ViewBuilder.build(config, host.id, epoch, epoch, ownership, new HashSet<>(config.vips()), 0);
        }
    }

    private int clientInBucket(final int slot, final int bucket) {
        views(1, bucket, false);
        final FlowHasher hasher = one.view.hasher();
        for (int x = 1; x < 1 << 20; x++) {
            final int client = TestFrames.ip4("198.18.0.0") + x;
            final int clientPort = slot == 1 ? 0 : slot == 2 ? 5000 : 40000;
            if (FlowHasher.bucket(hasher.hashIpv4(client, clientPort, one.view.affinity(slot)), 8) == bucket) {
                return slot == 1 ? client : secondPortToo(client, bucket, slot, clientPort);
            }
        }
        throw new IllegalStateException("no client");
    }

    /** Affinity none hashes the port too: the test's second flow (port + 1) must share the bucket. */
    private int secondPortToo(final int first, final int bucket, final int slot, final int port) {
        final FlowHasher hasher = one.view.hasher();
        for (int x = first; x < first + (1 << 20); x++) {
            if (FlowHasher.bucket(hasher.hashIpv4(x, port, one.view.affinity(slot)), 8) == bucket &&
                FlowHasher.bucket(hasher.hashIpv4(x, port + 1, one.view.affinity(slot)), 8) == bucket) {
                return x;
            }
        }
        throw new IllegalStateException("no client");
    }

    private List<String> both(final byte[] frame) {
        final ParsedPacket parsed = new ParsedPacket();
        new PacketParser().parse(MemorySegment.ofArray(frame), 0, frame.length, parsed);
        return List.of(Verdict.name(one.classifier.classify(parsed, one.view, 1)),
            Verdict.name(two.classifier.classify(parsed, two.view, 1)));
    }

    private static List<String> verdicts(final int first, final int second) {
        return List.of(Verdict.name(first), Verdict.name(second));
    }

    private static final class Host implements AutoCloseable {
        final int id;
        final ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 10)
            .udpTimeoutTicks(Duration.ofSeconds(60).toMillis()));
        final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 10));
        final FragmentTable fragments = new FragmentTable(1 << 10, 1000);
        final Classifier classifier = new Classifier(connections, affinity, fragments);
        DataplaneView view;

        Host(final int id) {
            this.id = id;
            affinity.ruleTimeoutTicks(1, Duration.ofMinutes(20).toMillis());
        }

        @Override
        public void close() {
            connections.close();
            affinity.close();
            fragments.close();
        }
    }
}
