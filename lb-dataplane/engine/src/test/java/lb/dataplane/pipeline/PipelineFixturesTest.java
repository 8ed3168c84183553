package lb.dataplane.pipeline;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.stream.Stream;

import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParseResult;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.DataplaneView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineFixturesTest {
    private static final int ICMPV6_NA = 136;

    private final ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 12));
    private final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 12));
    private final FragmentTable fragments = new FragmentTable(1 << 10, 1000);
    private final Pipeline pipeline = new Pipeline(new Classifier(connections, affinity, fragments), PipelineFixtures.NIC_MAC,
        PipelineFixtures.KERNEL_MAC);

    @AfterEach
    void close() {
        connections.close();
        affinity.close();
        fragments.close();
    }

    static Stream<PipelineFixtures.Fixture> fixtures() {
        return PipelineFixtures.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void shouldGiveTheFixturesVerdictAndBytes(final PipelineFixtures.Fixture fixture) {
        final DataplaneView view = PipelineFixtures.view(true);
        final byte[] frame = java.util.Arrays.copyOf(fixture.frame(), 2048);
        final MemorySegment memory = MemorySegment.ofArray(frame);
        final int verdict = fixture.fromKernel() ?
            pipeline.egress(memory, 0, fixture.frame().length, view, 1_000) :
            pipeline.ingress(memory, 0, fixture.frame().length, frame.length, view, 1_000);

        assertEquals(Verdict.name(fixture.verdict()), Verdict.name(verdict), fixture.description());
        if (fixture.output() != null) {
            assertArrayEquals(fixture.output(), java.util.Arrays.copyOf(frame, pipeline.lastLength()),
                fixture.description());
        }
    }

    @Test
    void shouldHaveAtLeastTwentyFiveFixturesCoveringEveryDirectionAndOutcome() {
        final List<PipelineFixtures.Fixture> all = PipelineFixtures.all();
        assertTrue(all.size() >= 25, "fixtures: " + all.size());
        for (final int verdict : new int[] {Verdict.ACCEPT, Verdict.PASS, Verdict.REPLY, Verdict.DROP_NOT_OWNER,
            Verdict.DROP_MALFORMED, Verdict.DROP_PEER_VIP_CLAIM, Verdict.DROP_CLUSTER_MAC_NOT_VIP}) {
            assertTrue(all.stream().anyMatch(f -> f.verdict() == verdict), Verdict.name(verdict));
        }
        assertTrue(all.stream().anyMatch(PipelineFixtures.Fixture::fromKernel));
    }

    @Test
    void shouldAnswerANeighborSolicitationForTheVipWithAnAdvertisementNamingTheClusterMac() {
        final PipelineFixtures.Fixture ns = PipelineFixtures.all().stream()
            .filter(f -> f.description().startsWith("IPv6 neighbor solicitation")).findFirst().orElseThrow();
        final byte[] frame = java.util.Arrays.copyOf(ns.frame(), 2048);
        final MemorySegment memory = MemorySegment.ofArray(frame);
        assertEquals(Verdict.REPLY, pipeline.ingress(memory, 0, ns.frame().length, frame.length,
            PipelineFixtures.view(true), 0));

        final ParsedPacket answer = new ParsedPacket();
        assertEquals(ParseResult.OK, new PacketParser().parse(memory, 0, pipeline.lastLength(), answer));
        assertEquals(ICMPV6_NA, answer.icmpType());
        assertEquals(PipelineFixtures.CLUSTER_MAC, Macs.get(memory, answer.ndLinkLayerAddressOffset()));
        assertEquals(PipelineFixtures.MASKED_MAC, Macs.get(memory, 6));
        assertTrue(lb.dataplane.packet.Checksums.icmpv6Valid(memory, answer.l4Offset(),
            answer.l3End() - answer.l4Offset(), answer.srcHi(), answer.srcLo(), answer.dstHi(), answer.dstLo()));
    }

    @Test
    void shouldRewriteTheKernelsAdvertisementOfAVipToNameTheClusterMacWithAValidChecksum() {
        final byte[] claim = PipelineFixtures.kernelVipClaims().get(2);
        final MemorySegment memory = MemorySegment.ofArray(claim.clone());
        assertEquals(Verdict.PASS, pipeline.egress(memory, 0, claim.length, PipelineFixtures.view(true), 0));

        final ParsedPacket sent = new ParsedPacket();
        assertEquals(ParseResult.OK, new PacketParser().parse(memory, 0, claim.length, sent));
        assertEquals(PipelineFixtures.CLUSTER_MAC, Macs.get(memory, sent.ndLinkLayerAddressOffset()));
        assertEquals(PipelineFixtures.MASKED_MAC, Macs.get(memory, 6));
        assertTrue(lb.dataplane.packet.Checksums.icmpv6Valid(memory, sent.l4Offset(), sent.l3End() - sent.l4Offset(),
            sent.srcHi(), sent.srcLo(), sent.dstHi(), sent.dstLo()));
    }

    @Test
    void shouldDropEveryKernelFrameClaimingAVipOnceTheViewNoLongerAllowsIt() {
        final DataplaneView withdrawn = PipelineFixtures.view(false);
        for (final byte[] claim : PipelineFixtures.kernelVipClaims()) {
            final MemorySegment memory = MemorySegment.ofArray(claim.clone());
            assertEquals(Verdict.name(Verdict.DROP_STALE_VIP_CLAIM),
                Verdict.name(pipeline.egress(memory, 0, claim.length, withdrawn, 0)));
        }
    }

    @Test
    void shouldDropEveryKernelFrameClaimingAnAddressTheConfigNoLongerHasAsAVip() {
        // The VIPs removed from the config (vip remove): the kernel still holds them, no rule names them any more.
        final String yaml = PipelineFixtures.clusterYaml().replace("vips: [10.0.0.100, \"2001:db8::100\"]",
            "vips: [10.0.0.200]").replaceAll("(?m)^  - \\{vip: (10\\.0\\.0\\.100|\"2001:db8::100\").*\n", "")
            .replaceAll(", handling-priorities: \\{[^}]*\\}", "");
        final lb.dataplane.config.ClusterConfig config = lb.dataplane.config.file.ClusterFileParser.parse(yaml, "test");
        final DataplaneView view = lb.dataplane.view.ViewBuilder.build(config, PipelineFixtures.HOST, 2, 2,
            lb.dataplane.buckets.RuleOwnership.of(config, lb.dataplane.buckets.ClusterAssignment.compute(config,
                java.util.Set.of(1, 2, 3), lb.dataplane.buckets.ClusterAssignment.NONE),
                lb.dataplane.buckets.ClusterAssignment.NONE), java.util.Set.copyOf(config.vips()), PipelineFixtures.NIC_MAC);
        for (final byte[] claim : PipelineFixtures.kernelVipClaims()) {
            assertEquals(Verdict.name(Verdict.PASS), Verdict.name(pipeline.egress(MemorySegment.ofArray(claim.clone()),
                0, claim.length, view, 0)), "no VIP and not retired: the host's own address, passed");
        }
        final lb.dataplane.config.IpAddress v4 = lb.dataplane.config.IpAddress.parse("10.0.0.100");
        final lb.dataplane.config.IpAddress v6 = lb.dataplane.config.IpAddress.parse("2001:db8::100");
        view.retiredVips(new long[] {v4.hi(), v6.hi()}, new long[] {v4.lo(), v6.lo()});
        for (final byte[] claim : PipelineFixtures.kernelVipClaims()) {
            assertEquals(Verdict.name(Verdict.DROP_STALE_VIP_CLAIM), Verdict.name(pipeline.egress(
                MemorySegment.ofArray(claim.clone()), 0, claim.length, view, 0)));
        }
    }

    @Test
    void shouldNotAnswerArpForAVipTheViewDoesNotAllow() {
        final byte[] request = lb.dataplane.packet.TestFrames.arpRequest(PipelineFixtures.CLIENT_ARP_IP,
            PipelineFixtures.VIP4);
        assertEquals(Verdict.name(Verdict.DROP_VIP_NOT_ANSWERABLE), Verdict.name(pipeline.ingress(
            MemorySegment.ofArray(request.clone()), 0, request.length, request.length, PipelineFixtures.view(false), 0)));
    }
}
