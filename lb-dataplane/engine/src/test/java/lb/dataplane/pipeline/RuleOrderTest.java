package lb.dataplane.pipeline;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.DataplaneControlProxy;
import lb.dataplane.api.IpcFixture;
import lb.dataplane.api.Offers;
import lb.dataplane.api.OwnershipViewSource;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;
import lb.dataplane.host.HostState;
import lb.dataplane.host.StaticClusterFeed;
import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParseResult;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.DataplaneView;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two hosts whose cluster files list the same rules (and VIPs and members) in another order share a fingerprint, so
 * they must also agree on every rule index: the same ownership lists, the same views, the same verdicts and the same
 * ApplyView bytes; and a dataplane whose file has one order applies lbd's view of the other order as its own.
 */
class RuleOrderTest {
    private static final int CLUSTERS = 60;
    private static final int FLOWS = 400;

    @TempDir
    Path dir;

    @Test
    void shouldGiveTheSameViewsVerdictsAndWireMessagesWhateverTheFileOrder() {
        final long seed = Long.getLong("lb.seed", System.nanoTime());
        System.out.println("RuleOrderTest seed " + seed + " (replay with -Dlb.seed=" + seed + ")");
        final Random random = new Random(seed);
        try (IpcFixture ipc = new IpcFixture(dir)) {
            final IpcFixture.Stream stream = ipc.stream(ControlChannels.channel(), ControlChannels.controlStreamId());
            final DataplaneControlProxy proxy = new DataplaneControlProxy(stream.publication(), 1);
            for (int c = 0; c < CLUSTERS; c++) {
                final ClusterConfig config = RandomClusters.config(random, 1 + random.nextInt(8));
                final ClusterConfig reordered = reordered(config, random);
                final String where = "seed " + seed + ", cluster " + c + ": " + config.portRules().stream()
                    .map(PortRule::key).toList() + " against " + reordered.portRules().stream().map(PortRule::key)
                    .toList();
                assertEquals(config.fingerprint(), reordered.fingerprint(), where);

                final Set<Integer> live = new TreeSet<>(config.members().stream().map(ClusterMember::hostId).toList());
                final List<RuleOwnership> ownership = RuleOwnership.of(config,
                    ClusterAssignment.compute(config, live, ClusterAssignment.NONE), ClusterAssignment.NONE);
                final List<RuleOwnership> reorderedOwnership = RuleOwnership.of(reordered,
                    ClusterAssignment.compute(reordered, live, ClusterAssignment.NONE), ClusterAssignment.NONE);
                assertEquals(ownership.size(), reorderedOwnership.size(), where);
                for (int index = 0; index < ownership.size(); index++) {
                    assertArrayEquals(ownership.get(index).owners(), reorderedOwnership.get(index).owners(),
                        where + ", rule " + index);
                }

                final int hostId = config.members().get(random.nextInt(config.members().size())).hostId();
                assertArrayEquals(applyViewBytes(proxy, stream, config, ownership, hostId),
                    applyViewBytes(proxy, stream, reordered, reorderedOwnership, hostId), where + ": ApplyView bytes");

                try (Host fromFile = new Host(hostId); Host fromOtherFile = new Host(hostId);
                     Host drivenByOtherOrder = new Host(hostId)) {
                    StaticClusterFeed.apply(config, fromFile.state);
                    StaticClusterFeed.apply(reordered, fromOtherFile.state);
                    // lbd read the file in one order, its dataplane in the other.
                    final String fingerprint = config.fingerprint().sha256Hex();
                    drivenByOtherOrder.state.offerConfig(reordered, fingerprint);
                    drivenByOtherOrder.state.applyView(1, fingerprint, ownership, states(config),
                        Set.copyOf(config.vips()));
                    assertSameView(fromFile.view(), fromOtherFile.view(), where);
                    assertSameView(fromFile.view(), drivenByOtherOrder.view(), where + " (lbd's order)");
                    assertSameVerdicts(random, config, where, fromFile, fromOtherFile, drivenByOtherOrder);
                }
            }
        }
    }

    private static ClusterConfig reordered(final ClusterConfig config, final Random random) {
        final List<PortRule> rules = new ArrayList<>(config.portRules());
        Collections.reverse(rules);
        if (rules.size() > 2) {
            Collections.swap(rules, 0, random.nextInt(rules.size()));
        }
        final List<IpAddress> vips = new ArrayList<>(config.vips());
        Collections.shuffle(vips, random);
        final List<ClusterMember> members = new ArrayList<>(config.members());
        Collections.shuffle(members, random);
        return new ClusterConfig(config.parameters(), vips, rules, members);
    }

    private static List<RuleState> states(final ClusterConfig config) {
        return config.canonicalRules().stream().map(PortRule::state).toList();
    }

    private static byte[] applyViewBytes(final DataplaneControlProxy proxy, final IpcFixture.Stream stream,
        final ClusterConfig config, final List<RuleOwnership> ownership, final int hostId) {
        final byte[] fingerprint = HexFormat.of().parseHex(config.fingerprint().sha256Hex());
        final List<IpAddress> vips = config.vips().stream().sorted().toList();
        assertTrue(Offers.isSent(IpcFixture.sendDraining(() -> proxy.applyView(42, 7, fingerprint, hostId,
            config.parameters().bucketCount(), new OwnershipViewSource(config, ownership, vips)), () -> 0)));
        final List<byte[]> received = new ArrayList<>();
        IpcFixture.pollUntil("the ApplyView", () -> !received.isEmpty(), () -> stream.subscription().poll(
            new io.aeron.FragmentAssembler((buffer, offset, length, header) -> {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                received.add(bytes);
            }), 10));
        return received.getFirst();
    }

    private static void assertSameView(final DataplaneView expected, final DataplaneView actual, final String where) {
        assertEquals(expected.ruleCount(), actual.ruleCount(), where);
        assertEquals(expected.vipCount(), actual.vipCount(), where);
        for (int index = 0; index <= expected.ruleCount(); index++) {
            final int e = expected.slot(index);
            final int a = actual.slot(index);
            final String rule = where + ", rule " + index;
            assertEquals(e, a, rule + ": slot");
            assertEquals(expected.filtering(e), actual.filtering(a), rule + ": filtering");
            assertEquals(expected.state(e), actual.state(a), rule + ": state");
            assertEquals(expected.affinity(e), actual.affinity(a), rule + ": affinity");
            assertEquals(expected.extendedAffinityMillis(e), actual.extendedAffinityMillis(a), rule + ": timeout");
            assertEquals(expected.singleOwner(e), actual.singleOwner(a), rule + ": single owner");
            if (expected.filtering(e) == DataplaneView.MULTIPLE) {
                for (int bucket = 0; bucket < expected.bucketCount(); bucket++) {
                    assertEquals(expected.owns(e, bucket), actual.owns(a, bucket), rule + ", bucket " + bucket);
                }
            }
        }
    }

    private static void assertSameVerdicts(final Random random, final ClusterConfig config, final String where,
        final Host... hosts) {
        final PacketParser parser = new PacketParser();
        final ParsedPacket parsed = new ParsedPacket();
        for (int i = 0; i < FLOWS; i++) {
            final PipelineModelEquivalenceTest.Flow flow = PipelineModelEquivalenceTest.Flow.random(random, config);
            final byte[] frame = flow.frame();
            assertEquals(ParseResult.OK, parser.parse(MemorySegment.ofArray(frame), 0, frame.length, parsed), where);
            final int first = hosts[0].classifier.classify(parsed, hosts[0].view(), i);
            for (int h = 1; h < hosts.length; h++) {
                assertEquals(Verdict.name(first), Verdict.name(hosts[h].classifier.classify(parsed, hosts[h].view(), i)),
                    where + ", " + flow);
            }
        }
    }

    /** One host's state, tables and classifier. */
    private static final class Host implements AutoCloseable {
        final ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 12));
        final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 10));
        final FragmentTable fragments = new FragmentTable(1 << 10, 1000);
        final HostState state;
        final Classifier classifier = new Classifier(connections, affinity, fragments);

        Host(final int hostId) {
            state = new HostState(hostId, 0x02_00_00_00_00_01L, 1, connections, affinity,
                new AtomicCounter(new UnsafeBuffer(ByteBuffer.allocateDirect(128)), 0));
        }

        DataplaneView view() {
            return state.views().current();
        }

        @Override
        public void close() {
            connections.close();
            affinity.close();
            fragments.close();
        }
    }
}
