package lb.dataplane.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.file.ClusterFileParser;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.packet.TcpDescriptor;
import lb.dataplane.packet.TestFrames;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewBuilder;

/**
 * Table-driven pipeline fixtures (Katran style): a description, a frame, the direction it travels, the
 * verdict host 1 of {@code three-hosts.yaml} must give, and the bytes it must send. The same table
 * drives the in-process test and the real dataplane over net_pcap files.
 *
 * <p>MACs are those DPDK's net_pcap gives its first two ports, so the table also describes the process
 * test: the NIC is {@code 02:70:63:61:70:00}, the kernel port {@code 02:70:63:61:70:01}.
 */
public final class PipelineFixtures {
    /** The cluster file, on the classpath. */
    public static final String CLUSTER_RESOURCE = "/lb/dataplane/pipeline/three-hosts.yaml";
    /** The host whose verdicts the table gives. */
    public static final int HOST = 1;
    /** NIC MAC (net_pcap port 0). */
    public static final long NIC_MAC = 0x02_70_63_61_70_00L;
    /** Kernel port MAC (net_pcap port 1). */
    public static final long KERNEL_MAC = 0x02_70_63_61_70_01L;
    /** Cluster MAC of the cluster's primary VIP 10.0.0.100, unicast mode. */
    public static final long CLUSTER_MAC = 0x02_BF_0A_00_00_64L;
    /** Host 1's masked source MAC. */
    public static final long MASKED_MAC = 0x02_01_0A_00_00_64L;
    /** Some other host's MAC on the segment. */
    public static final long OTHER_MAC = 0x02_00_5E_00_00_99L;

    /** The IPv4 VIP, as an int. */
    public static final int VIP4 = TestFrames.ip4("10.0.0.100");
    static final byte[] VIP6 = TestFrames.ip6("2001:db8::100");
    static final int HOST4 = TestFrames.ip4("10.0.0.1");
    static final int CLIENT_ARP_IP = TestFrames.ip4("10.0.0.5");
    static final int SYN = TcpDescriptor.SYN;
    static final int ACK = TcpDescriptor.ACK;

    /**
     * One row.
     *
     * @param description what it checks.
     * @param frame       the frame as it arrives.
     * @param fromKernel  true when it comes from the host's kernel (egress), else from the cluster network.
     * @param verdict     the verdict host 1 gives.
     * @param output      the bytes it sends (to the kernel for ACCEPT/PASS on ingress, out the NIC for REPLY
     *                    and egress PASS), or null for a drop.
     */
    public record Fixture(String description, byte[] frame, boolean fromKernel, int verdict, byte[] output) {
        @Override
        public String toString() {
            return description;
        }
    }

    private PipelineFixtures() {
    }

    /**
     * @return the cluster file's text.
     */
    public static String clusterYaml() {
        try (InputStream in = PipelineFixtures.class.getResourceAsStream(CLUSTER_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException | NullPointerException ex) {
            throw new IllegalStateException("cannot read " + CLUSTER_RESOURCE, ex);
        }
    }

    /**
     * @return the cluster config.
     */
    public static ClusterConfig config() {
        return ClusterFileParser.parse(clusterYaml(), CLUSTER_RESOURCE);
    }

    /**
     * @param answerable whether the view lets the host answer for the VIPs.
     * @return host 1's view with every member live, as the dataplane builds it from the file.
     */
    public static DataplaneView view(final boolean answerable) {
        final ClusterConfig config = config();
        final Set<Integer> live = new TreeSet<>(List.of(1, 2, 3));
        final ClusterAssignment assignment = ClusterAssignment.compute(config, live, ClusterAssignment.NONE);
        final Set<IpAddress> vips = answerable ? new HashSet<>(config.vips()) : Set.of();
        return ViewBuilder.build(config, HOST, 1, 1, RuleOwnership.of(config, assignment, ClusterAssignment.NONE), vips,
            NIC_MAC);
    }

    /**
     * @return every fixture, in the order the process test sends them.
     */
    public static List<Fixture> all() {
        final DataplaneView view = view(true);
        final int owned80 = client(view, slot(view, "all:80/tcp"), true, 0);
        final int other80 = client(view, slot(view, "all:80/tcp"), false, 0);
        final int owned443 = client(view, slot(view, "all:443/tcp"), true, 0);
        final List<Fixture> rows = new ArrayList<>();

        accept(rows, "TCP SYN to VIP:80 from a client whose bucket host 1 owns",
            TestFrames.tcp4(owned80, 40000, VIP4, 80, SYN));
        accept(rows, "TCP ACK (mid-connection) in an owned bucket, not tracked: still host 1's",
            TestFrames.tcp4(owned80, 40001, VIP4, 80, ACK));
        drop(rows, "TCP SYN to VIP:80 from a client whose bucket another host owns",
            TestFrames.tcp4(other80, 40000, VIP4, 80, SYN), Verdict.DROP_NOT_OWNER);
        accept(rows, "affinity network: a client's /24 neighbour lands in the same owned bucket",
            TestFrames.tcp4(owned443 ^ 0x7F, 50000, VIP4, 443, SYN));
        drop(rows, "filtering disabled (port 25) blocks on every host",
            TestFrames.tcp4(owned80, 40000, VIP4, 25, SYN), Verdict.DROP_FILTERING_DISABLED);
        drop(rows, "a disabled rule (port 8443) blocks on every host",
            TestFrames.tcp4(owned80, 40000, VIP4, 8443, SYN), Verdict.DROP_RULE_DISABLED);
        accept(rows, "single-host rule 8000-8099: host 1 has the best handling priority (1)",
            TestFrames.tcp4(other80, 40000, VIP4, 8050, SYN));
        accept(rows, "single-host rule covers UDP too (protocol both)",
            TestFrames.udp4(other80, 40000, VIP4, 8099));
        accept(rows, "no rule covers port 9999: the default host (host 1, priority 1) takes it",
            TestFrames.tcp4(other80, 40000, VIP4, 9999, SYN));
        accept(rows, "ICMP echo to a VIP: neither TCP nor UDP, so the default host takes it",
            TestFrames.echo4(other80, VIP4));
        accept(rows, "an ICMP error quoting an owned flow goes to its owner",
            TestFrames.icmpUnreachable4(TestFrames.ip4("203.0.113.1"), VIP4, 80, owned80, 40000));
        drop(rows, "an ICMP error quoting another host's flow is dropped",
            TestFrames.icmpUnreachable4(TestFrames.ip4("203.0.113.1"), VIP4, 80, other80, 40000),
            Verdict.DROP_NOT_OWNER);
        final byte[] v6client = ipv6Client(view, false);
        drop(rows, "a later IPv6 UDP fragment whose first fragment was not seen: no ports, so nothing to place it by, dropped",
            TestFrames.laterFragment6(v6client, VIP6, 17), Verdict.DROP_FRAGMENT_UNROUTABLE);
        drop(rows, "a later IPv4 TCP fragment whose first was not seen, likewise (fail closed)",
            TestFrames.laterFragment4(owned80, VIP4, 6), Verdict.DROP_FRAGMENT_UNROUTABLE);
        final byte[] owned53 = ipv6Client(view, true);
        accept(rows, "IPv6 UDP to [2001:db8::100]:53, owned bucket (affinity none: address and port)",
            TestFrames.udp6(owned53, 5353, VIP6, 53));
        rows.add(new Fixture("ARP request for the VIP: answered in place with the cluster MAC",
            TestFrames.arpRequest(CLIENT_ARP_IP, VIP4), false, Verdict.REPLY,
            arpReply(TestFrames.CLIENT_MAC, CLIENT_ARP_IP, VIP4)));
        final byte[] arpForHost = TestFrames.arpRequest(CLIENT_ARP_IP, HOST4);
        rows.add(new Fixture("ARP request for the host's own address: broadcast, to the kernel as it is",
            arpForHost, false, Verdict.PASS, arpForHost));
        drop(rows, "another host's gratuitous ARP for the VIP never reaches this host's kernel",
            TestFrames.gratuitousArp(OTHER_MAC, VIP4), Verdict.DROP_PEER_VIP_CLAIM);
        final byte[] ns = TestFrames.neighborSolicitation(TestFrames.ip6("2001:db8::5"), VIP6);
        rows.add(new Fixture("IPv6 neighbor solicitation for the VIP: answered with an advertisement", ns, false,
            Verdict.REPLY, null));
        final byte[] toKernel = TestFrames.tcp4To(KERNEL_MAC, owned80, 40000, HOST4, 22, SYN);
        rows.add(new Fixture("the host's own traffic to the kernel port's MAC passes", toKernel, false, Verdict.PASS,
            toKernel));
        final byte[] toNic = TestFrames.tcp4To(NIC_MAC, owned80, 40000, HOST4, 22, SYN);
        rows.add(new Fixture("the host's own traffic to the NIC's MAC passes with the kernel's MAC", toNic, false,
            Verdict.PASS, withDestination(toNic, KERNEL_MAC)));
        drop(rows, "IPv4 to the cluster MAC for an address that is neither a VIP nor the host's own: no host takes it",
            TestFrames.tcp4To(CLUSTER_MAC, owned80, 40000, TestFrames.ip4("192.0.2.99"), 22, SYN),
            Verdict.DROP_CLUSTER_MAC_NOT_VIP);
        drop(rows, "even the host's own address, sent to the cluster MAC: the host's kernel claims it with its own MAC",
            TestFrames.tcp4To(CLUSTER_MAC, owned80, 40000, HOST4, 22, SYN), Verdict.DROP_CLUSTER_MAC_NOT_VIP);
        final byte[] broadcast = TestFrames.tcp4To(0xFFFF_FFFF_FFFFL, owned80, 40000, TestFrames.ip4("10.0.0.255"),
            22, SYN);
        rows.add(new Fixture("an IP broadcast that is not for a VIP still goes to the kernel as it is", broadcast, false,
            Verdict.PASS, broadcast));
        drop(rows, "unicast to another host's MAC, flooded by the switch, is not this host's",
            TestFrames.tcp4To(OTHER_MAC, owned80, 40000, TestFrames.ip4("10.0.0.2"), 22, SYN),
            Verdict.DROP_NOT_FOR_HOST);
        drop(rows, "a frame cut inside its IPv4 header is malformed",
            Arrays.copyOf(TestFrames.tcp4(owned80, 40000, VIP4, 80, SYN), 20), Verdict.DROP_MALFORMED);

        final byte[] kernelArp = TestFrames.arpRequestFrom(KERNEL_MAC, VIP4, CLIENT_ARP_IP);
        rows.add(new Fixture("the kernel resolving a client from the VIP: its ARP names the cluster MAC",
            kernelArp, true, Verdict.PASS, kernelArpRewritten(kernelArp)));
        final byte[] reply = TestFrames.tcp4From(KERNEL_MAC, TestFrames.CLIENT_MAC, VIP4, 80, owned80, 40000,
            SYN | ACK);
        rows.add(new Fixture("a reply from the VIP leaves with the masked source MAC", reply, true, Verdict.PASS,
            withSource(reply, MASKED_MAC)));
        final byte[] own = TestFrames.tcp4From(KERNEL_MAC, TestFrames.CLIENT_MAC, HOST4, 22, owned80, 40000, ACK);
        rows.add(new Fixture("the host's own traffic leaves untouched", own, true, Verdict.PASS, own));
        return rows;
    }

    /**
     * @return frames the kernel might send claiming a VIP, each of which must be dropped when the view
     * does not let the host answer for it (the stale-ARP rule).
     */
    public static List<byte[]> kernelVipClaims() {
        return List.of(
            TestFrames.arpRequestFrom(KERNEL_MAC, VIP4, CLIENT_ARP_IP),
            TestFrames.gratuitousArp(KERNEL_MAC, VIP4),
            TestFrames.neighborAdvertisement(KERNEL_MAC, VIP6, VIP6));
    }

    private static void accept(final List<Fixture> rows, final String description, final byte[] frame) {
        rows.add(new Fixture(description, frame, false, Verdict.ACCEPT, withDestination(frame, KERNEL_MAC)));
    }

    private static void drop(final List<Fixture> rows, final String description, final byte[] frame,
        final int verdict) {
        rows.add(new Fixture(description, frame, false, verdict, null));
    }

    /** The first client 198.51.100.x (x from {@code from}) whose bucket under the rule host 1 does or does not own. */
    private static int client(final DataplaneView view, final int slot, final boolean owned, final int from) {
        final FlowHasher hasher = view.hasher();
        for (int x = from + 1; x < 255; x++) {
            final int client = TestFrames.ip4("198.51.100.0") | x;
            final int bucket = FlowHasher.bucket(hasher.hashIpv4(client, 0, view.affinity(slot)), view.bucketCount());
            if (view.owns(slot, bucket) == owned) {
                return client;
            }
        }
        throw new IllegalStateException("no client found");
    }

    /** The slot of the fixture config's rule with this key (rule indexes are canonical, not the file's order). */
    private static int slot(final DataplaneView view, final String ruleKey) {
        return view.slot(config().ruleIndex(RuleKey.parse(ruleKey)));
    }

    private static byte[] ipv6Client(final DataplaneView view, final boolean owned) {
        final FlowHasher hasher = view.hasher();
        final int dns = slot(view, "[2001:db8::100]:53/udp");
        for (int x = 1; x < 4096; x++) {
            final byte[] client = TestFrames.ip6("2001:db8:5::" + Integer.toHexString(x));
            final IpAddress address = IpAddress.ofBytes(client);
            final int bucket = FlowHasher.bucket(hasher.hashIpv6(address.hi(), address.lo(), 5353, view.affinity(dns)),
                view.bucketCount());
            if (view.owns(dns, bucket) == owned) {
                return client;
            }
        }
        throw new IllegalStateException("no client found");
    }

    static byte[] withDestination(final byte[] frame, final long mac) {
        final byte[] copy = frame.clone();
        putMac(copy, 0, mac);
        return copy;
    }

    static byte[] withSource(final byte[] frame, final long mac) {
        final byte[] copy = frame.clone();
        putMac(copy, 6, mac);
        return copy;
    }

    /** RFC 826 reply, by hand: to the requester, from the masked MAC, naming the cluster MAC for the VIP. */
    private static byte[] arpReply(final long requesterMac, final int requesterIp, final int vip) {
        final byte[] reply = new byte[60];
        putMac(reply, 0, requesterMac);
        putMac(reply, 6, MASKED_MAC);
        reply[12] = 0x08;
        reply[13] = 0x06;
        reply[15] = 1;
        reply[16] = 0x08;
        reply[18] = 6;
        reply[19] = 4;
        reply[21] = 2;
        putMac(reply, 22, CLUSTER_MAC);
        putInt(reply, 28, vip);
        putMac(reply, 32, requesterMac);
        putInt(reply, 38, requesterIp);
        return reply;
    }

    private static byte[] kernelArpRewritten(final byte[] request) {
        final byte[] copy = withSource(request, MASKED_MAC);
        putMac(copy, 22, CLUSTER_MAC);
        return copy;
    }

    private static void putMac(final byte[] frame, final int at, final long mac) {
        for (int i = 0; i < 6; i++) {
            frame[at + i] = (byte)(mac >>> (40 - 8 * i));
        }
    }

    private static void putInt(final byte[] frame, final int at, final int value) {
        for (int i = 0; i < 4; i++) {
            frame[at + i] = (byte)(value >>> (24 - 8 * i));
        }
    }
}
