package lb.dataplane.it;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import lb.dataplane.api.CounterTypes;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.model.ClusterView;
import lb.dataplane.model.Decision;
import lb.dataplane.model.Packet;
import lb.dataplane.model.ReferenceModel;
import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParseResult;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.packet.TestFrames;
import lb.dataplane.pcap.Pcap;
import lb.dataplane.pipeline.PipelineFixtures;
import lb.dataplane.pipeline.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real dataplane as a cluster host, entirely on pcap files: the NIC reads a capture, and what goes
 * to the kernel, back out the NIC and to the drop port is written to three files. It must reproduce
 * the pipeline fixtures' verdicts byte for byte, and three dataplanes (hosts 1, 2, 3 of one static
 * cluster file) fed the same capture must accept every VIP packet exactly once between them, each on
 * the host the reference model names.
 */
class ClusterPcapIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void shouldReproduceThePipelineFixturesVerdictsOverNetPcap() throws Exception {
        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, PipelineFixtures.clusterYaml());
        final List<PipelineFixtures.Fixture> fixtures = PipelineFixtures.all();
        final List<PipelineFixtures.Fixture> ingress = fixtures.stream().filter(f -> !f.fromKernel()).toList();
        final List<PipelineFixtures.Fixture> egress = fixtures.stream().filter(PipelineFixtures.Fixture::fromKernel)
            .toList();
        Pcap.write(dir.resolve("nic-in.pcap"), ingress.stream().map(PipelineFixtures.Fixture::frame).toList());
        Pcap.write(dir.resolve("kernel-in.pcap"), egress.stream().map(PipelineFixtures.Fixture::frame).toList());

        final Host host = Host.run(dir, "h1", cluster, PipelineFixtures.HOST, dir.resolve("nic-in.pcap"),
            dir.resolve("kernel-in.pcap"), ingress.size(), egress.size());

        final List<byte[]> toKernel = new ArrayList<>();
        final List<byte[]> outNic = new ArrayList<>();
        final List<byte[]> dropped = new ArrayList<>();
        for (final PipelineFixtures.Fixture f : ingress) {
            if (f.verdict() == Verdict.ACCEPT || f.verdict() == Verdict.PASS) {
                toKernel.add(f.output());
            } else if (f.verdict() == Verdict.REPLY) {
                outNic.add(f.output());
            } else {
                dropped.add(f.frame());
            }
        }
        for (final PipelineFixtures.Fixture f : egress) {
            if (f.verdict() == Verdict.PASS) {
                outNic.add(f.output());
            } else {
                dropped.add(f.frame());
            }
        }
        assertFrames("to the kernel", toKernel, host.kernel);
        final List<byte[]> announcements = host.nic.stream().filter(ClusterPcapIT::isAnnouncement).toList();
        final List<byte[]> answers = host.nic.stream().filter(f -> !isAnnouncement(f)).toList();
        assertEquals(outNic.size(), answers.size(), "frames out the NIC besides announcements");
        for (final byte[] expected : outNic) {
            if (expected != null) {
                assertTrue(answers.stream().anyMatch(f -> Arrays.equals(f, expected)),
                    "an expected frame out the NIC is missing");
            }
        }
        // On start the host announces both VIPs: gratuitous ARP request and reply, unsolicited NA, from the
        // masked MAC, naming the cluster MAC.
        assertTrue(announcements.stream().anyMatch(f -> f[21] == 1), "no gratuitous ARP request");
        assertTrue(announcements.stream().anyMatch(f -> f[21] == 2), "no gratuitous ARP reply");
        assertTrue(announcements.stream().anyMatch(f -> f[12] == (byte)0x86 && f[13] == (byte)0xDD),
            "no unsolicited neighbor advertisement");
        for (final byte[] announcement : announcements) {
            assertEquals(PipelineFixtures.MASKED_MAC, mac(announcement, 6), "announcement source MAC");
        }
        assertEquals(dropped.size(), host.drops.size(), "frames to the drop port");
        for (final byte[] expected : dropped) {
            assertTrue(host.drops.stream().anyMatch(f -> Arrays.equals(f, expected)), "a dropped frame is missing");
        }
    }

    @Test
    void shouldAcceptEveryVipPacketExactlyOnceAcrossThreeHostsOnTheHostTheModelNames() throws Exception {
        final long seed = Long.getLong("lb.seed", System.nanoTime());
        System.out.println("ClusterPcapIT seed " + seed + " (replay with -Dlb.seed=" + seed + ")");
        final Random random = new Random(seed);
        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, PipelineFixtures.clusterYaml());
        final ClusterConfig config = PipelineFixtures.config();
        final List<byte[]> frames = new ArrayList<>();
        final List<Packet> packets = new ArrayList<>();
        final int[] ports = {80, 443, 8000, 8099, 25, 8443, 9999, 22};
        for (int i = 0; i < 3000; i++) {
            final int client = TestFrames.ip4("198.51.0.0") | random.nextInt(1 << 16);
            final int clientPort = 1024 + random.nextInt(60000);
            final int port = ports[random.nextInt(ports.length)];
            final boolean udp = port >= 8000 && port < 8100 && random.nextBoolean();
            frames.add(udp ? TestFrames.udp4(client, clientPort, TestFrames.ip4("10.0.0.100"), port) :
                TestFrames.tcp4(client, clientPort, TestFrames.ip4("10.0.0.100"), port, 0x02));
            packets.add(new Packet(udp ? 17 : 6, IpAddress.ofIpv4(client), clientPort, IpAddress.parse("10.0.0.100"),
                port));
        }
        for (int i = 0; i < 600; i++) {
            final byte[] client = TestFrames.ip6("2001:db8:" + Integer.toHexString(random.nextInt(65536)) + "::" +
                Integer.toHexString(1 + random.nextInt(65535)));
            final int clientPort = 1024 + random.nextInt(60000);
            frames.add(TestFrames.udp6(client, clientPort, TestFrames.ip6("2001:db8::100"), 53));
            packets.add(new Packet(17, IpAddress.ofBytes(client), clientPort, IpAddress.parse("2001:db8::100"), 53));
        }
        final Path capture = dir.resolve("capture.pcap");
        Pcap.write(capture, frames);
        final Path noKernelTraffic = dir.resolve("empty.pcap");
        Pcap.write(noKernelTraffic, List.of());

        final ReferenceModel model = new ReferenceModel(config);
        final ClusterView view = ClusterView.initial(config, new TreeSet<>(Set.of(1, 2, 3)));
        final Map<String, Integer> expectedHost = new HashMap<>();
        int vipPackets = 0;
        for (int i = 0; i < packets.size(); i++) {
            final Decision decision = model.decide(packets.get(i), view);
            if (decision.acceptingHost().isPresent()) {
                expectedHost.put(key(frames.get(i)), decision.acceptingHost().getAsInt());
                vipPackets++;
            }
        }

        final Map<String, Integer> acceptedBy = new HashMap<>();
        int accepted = 0;
        for (int hostId = 1; hostId <= 3; hostId++) {
            final Host host = Host.run(dir, "h" + hostId, cluster, hostId, capture, noKernelTraffic, frames.size(), 0);
            for (final byte[] frame : host.kernel) {
                final Integer previous = acceptedBy.put(key(frame), hostId);
                assertEquals(null, previous, "a packet was accepted by hosts " + previous + " and " + hostId);
                accepted++;
            }
        }
        System.out.println("ClusterPcapIT: " + frames.size() + " packets, " + vipPackets + " for an enabled rule, " +
            accepted + " accepted across hosts 1-3");
        assertEquals(expectedHost, acceptedBy, "each VIP packet must be accepted by the host the model names");
        assertTrue(vipPackets > 2000, "too few VIP packets: " + vipPackets);
    }

    /** A gratuitous ARP for the VIP (sender and target IP both the VIP) or an unsolicited NA to all nodes. */
    private static boolean isAnnouncement(final byte[] frame) {
        final ParsedPacket parsed = new ParsedPacket();
        if (new PacketParser().parse(MemorySegment.ofArray(frame), 0, frame.length, parsed) != ParseResult.OK) {
            return false;
        }
        if (parsed.kind() == lb.dataplane.packet.FrameKind.ARP) {
            return parsed.arpSenderIp() == parsed.arpTargetIp() &&
                mac(frame, parsed.arpSenderMacOffset()) == PipelineFixtures.CLUSTER_MAC;
        }
        return parsed.icmpType() == 136 && mac(frame, 0) == 0x3333_0000_0001L &&
            mac(frame, parsed.ndLinkLayerAddressOffset()) == PipelineFixtures.CLUSTER_MAC;
    }

    private static long mac(final byte[] frame, final int at) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (frame[at + i] & 0xFF);
        }
        return mac;
    }

    /** A frame's identity without its destination MAC (which accepting rewrites). */
    private static String key(final byte[] frame) {
        final ParsedPacket parsed = new ParsedPacket();
        assertEquals(ParseResult.OK, new PacketParser().parse(MemorySegment.ofArray(frame), 0, frame.length, parsed));
        return parsed.srcHi() + ":" + parsed.srcLo() + ":" + parsed.srcPort() + ">" + parsed.dstLo() + ":" +
            parsed.dstPort() + "/" + parsed.protocol();
    }

    private static void assertFrames(final String what, final List<byte[]> expected, final List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "frames " + what);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "frame " + i + " " + what);
        }
    }

    /** One dataplane run over files, and what it wrote. */
    private record Host(List<byte[]> kernel, List<byte[]> nic, List<byte[]> drops) {
        static Host run(final Path dir, final String name, final Path cluster, final int hostId, final Path nicIn,
            final Path kernelIn, final int nicFrames, final int kernelFrames) throws Exception {
            final Path work = Files.createDirectories(dir.resolve(name));
            final Path kernel = work.resolve("kernel.pcap");
            final Path nic = work.resolve("nic.pcap");
            final Path drops = work.resolve("drops.pcap");
            try (DataplaneProcess dataplane = DataplaneProcess.start(work, List.of(
                    "--vdev=net_pcap0,rx_pcap=" + nicIn + ",tx_pcap=" + nic,
                    "--vdev=net_pcap1,rx_pcap=" + kernelIn + ",tx_pcap=" + kernel,
                    "--vdev=net_pcap2,tx_pcap=" + drops),
                List.of("--cluster", cluster.toString(), "--host-id", Integer.toString(hostId), "--nic", "net_pcap0",
                    "--kernel", "net_pcap1", "--drops", "net_pcap2", "--connections", "65536"))) {
                dataplane.awaitCounter(CounterTypes.WORKER_RX_PACKETS, 0, n -> n == nicFrames, TIMEOUT);
                dataplane.awaitCounter(CounterTypes.WORKER_RX_KERNEL_PACKETS, 0, n -> n == kernelFrames, TIMEOUT);
                assertEquals(0, dataplane.stop("TERM"), dataplane.output());
                assertTrue(dataplane.output().contains("mbufs in use at exit: 0"), dataplane.output());
            }
            return new Host(Pcap.read(kernel), Pcap.read(nic), Pcap.read(drops));
        }
    }
}
