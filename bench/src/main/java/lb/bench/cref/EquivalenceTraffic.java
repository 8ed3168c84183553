package lb.bench.cref;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.file.ClusterFileLoader;
import lb.dataplane.net.IpProtocol;
import lb.dataplane.packet.TcpDescriptor;
import lb.dataplane.pcap.Pcap;
import lb.dataplane.view.ClusterMacs;

/**
 * Writes a capture that drives every ingress path of the dataplane, for checking that the C reference load balancer
 * decides exactly as the Java does (bench/cref/check-equivalence.sh): TCP connections to every rule's ports on every
 * VIP (handshake, data, FIN, RST, retransmitted SYNs, mid-stream packets of untracked connections) from clients that
 * come back, UDP flows, IPsec (IKE, ESP), GRE and ICMP echo to the VIPs, IPv4 and IPv6 fragments in and out of order,
 * ICMP and ICMPv6 errors quoting the flows, ARP and neighbor discovery for the VIPs and for others, the host's own
 * traffic, VLAN tags, IPv4 options, IPv6 extension headers, and a malformed frame for every parser drop reason that
 * a frame can reach. Deterministic for a seed.
 *
 * <pre>
 * usage: EquivalenceTraffic --cluster FILE.yaml --out FILE.pcap [--flows N] [--seed N]
 * </pre>
 */
public final class EquivalenceTraffic {
    private static final int TCP = IpProtocol.TCP;
    private static final int UDP = IpProtocol.UDP;
    private static final int FIN = TcpDescriptor.FIN;
    private static final int SYN = TcpDescriptor.SYN;
    private static final int RST = TcpDescriptor.RST;
    private static final int PSH = TcpDescriptor.PSH;
    private static final int ACK = TcpDescriptor.ACK;
    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    private static final int ROUTER4 = 0xC000_0201;

    private final Random random;
    private final long clusterMac;
    private final List<byte[]> vips4 = new ArrayList<>();
    private final List<byte[]> vips6 = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final List<List<byte[]>> flows = new ArrayList<>();

    /** A client: its MAC and address (4 or 16 bytes). */
    private record Client(long mac, byte[] address) {
    }

    private EquivalenceTraffic(final ClusterConfig config, final long seed) {
        this.random = new Random(seed);
        this.clusterMac = ClusterMacs.clusterMac(config);
        for (final IpAddress vip : config.vips()) {
            (vip.isIpv4() ? vips4 : vips6).add(vip.isIpv4() ? int4(vip.ipv4()) : vip.toBytes16());
        }
        for (final PortRule rule : config.portRules()) {
            final int start = rule.key().ports().start();
            final int end = rule.key().ports().end();
            addPort(start);
            addPort(end);
            addPort(start + (end - start) / 2);
        }
        for (final int port : new int[] {22, 500, 4500, 8443, 9999}) {
            addPort(port);
        }
    }

    /**
     * @param args {@code --cluster FILE --out FILE [--flows N] [--seed N]}.
     */
    public static void main(final String[] args) throws IOException {
        Path cluster = null;
        Path out = null;
        int flows = 2000;
        long seed = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--cluster" -> cluster = Path.of(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--flows" -> flows = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if (cluster == null || out == null || args.length % 2 != 0) {
            System.err.println("usage: EquivalenceTraffic --cluster FILE.yaml --out FILE.pcap [--flows N] [--seed N]");
            System.exit(2);
        }
        final List<byte[]> frames = generate(ClusterFileLoader.load(cluster), flows, seed);
        Pcap.write(out, frames);
        System.out.println("equivalence-traffic: " + frames.size() + " frames (" + flows + " flows, seed " + seed +
            ") written to " + out);
    }

    /**
     * @param config the cluster the traffic is aimed at.
     * @param flowCount TCP and UDP flows to VIPs.
     * @param seed   the random seed.
     * @return the frames, flows interleaved with each flow's packets in order.
     */
    public static List<byte[]> generate(final ClusterConfig config, final int flowCount, final long seed) {
        final EquivalenceTraffic t = new EquivalenceTraffic(config, seed);
        for (int i = 0; i < Math.max(8, flowCount / 3); i++) {
            t.clients.add(new Client(0x0200_0000_0000L | t.random.nextInt(1 << 24),
                t.random.nextInt(4) != 0 || t.vips6.isEmpty() ? int4(0xC633_0000 | t.random.nextInt(1 << 16)) :
                    bytes16(0x2001_0db8_00c0_0000L | t.random.nextInt(1 << 16), t.random.nextLong())));
        }
        for (int i = 0; i < flowCount; i++) {
            t.flow();
        }
        t.extras();
        return t.interleave();
    }

    private void addPort(final int port) {
        if (!ports.contains(port)) {
            ports.add(port);
        }
    }

    /** One TCP or UDP flow from a (returning) client to a VIP of its family. */
    private void flow() {
        final Client client = clients.get(random.nextInt(clients.size()));
        final List<byte[]> vips = client.address.length == 4 ? vips4 : vips6;
        if (vips.isEmpty()) {
            return;
        }
        final byte[] vip = vips.get(random.nextInt(vips.size()));
        final int port = ports.get(random.nextInt(ports.size()));
        final int clientPort = 1024 + random.nextInt(64000);
        final List<byte[]> packets = new ArrayList<>();
        if (random.nextInt(10) < 7) {
            final int[][] patterns = {
                {SYN, ACK, PSH | ACK, ACK, FIN | ACK, ACK},
                {SYN, ACK, PSH | ACK, RST},
                {SYN, SYN, ACK},
                {SYN},
                {ACK, PSH | ACK, ACK},
                {SYN | ACK, ACK},
                {SYN, FIN | ACK, ACK, PSH | ACK},
                {RST},
            };
            for (final int flags : patterns[random.nextInt(patterns.length)]) {
                packets.add(frame(client, ip(client.address, vip, TCP, tcp(clientPort, port, flags, random.nextInt(3) * 40))));
            }
        } else {
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                packets.add(frame(client, ip(client.address, vip, UDP, udp(clientPort, port, 8 + random.nextInt(60)))));
            }
        }
        flows.add(packets);
    }

    /** Everything that is not a plain TCP or UDP flow. */
    private void extras() {
        for (int i = 0; i < 40; i++) {
            final Client client = clients.get(random.nextInt(clients.size()));
            final boolean v4 = client.address.length == 4;
            final List<byte[]> vips = v4 ? vips4 : vips6;
            if (vips.isEmpty()) {
                continue;
            }
            final byte[] vip = vips.get(random.nextInt(vips.size()));
            final int port = ports.get(random.nextInt(ports.size()));
            final int clientPort = 1024 + random.nextInt(64000);
            fragments(client, vip, port, clientPort);
            icmpError(client, vip, port, clientPort);
            single(frame(client, ip(client.address, vip, v4 ? 1 : 58, echo())));
            single(frame(client, ip(client.address, vip, 47, new byte[24])));
            single(frame(client, ip(client.address, vip, 50, new byte[32])));
            single(frame(client, ip(client.address, vip, UDP, udp(500 + random.nextInt(2) * 4000, 500, 40))));
            if (v4) {
                single(frame(client, ipv4WithOptions(client.address, vip, tcp(clientPort, port, SYN, 0))));
                single(frame(client.mac, clusterMac, new int[] {100}, 0x0800,
                    ip(client.address, vip, TCP, tcp(clientPort + 1, port, SYN, 0))));
                single(frame(client.mac, clusterMac, new int[] {100, 200}, 0x0800,
                    ip(client.address, vip, UDP, udp(clientPort + 2, port, 20))));
                single(arp(client, 1, client.address, vip));
                single(arp(client, 1, client.address, int4(0x0A00_0005)));
                single(arp(client, 2, client.address, vip));
            } else {
                single(frame(client, ipv6WithExtensions(client.address, vip, tcp(clientPort, port, SYN, 0))));
                single(frame(client.mac, solicitedNodeMac(vip), null, 0x86DD,
                    ipv6(client.address, solicitedNode(vip), 58, neighborSolicitation(vip, client.mac), 255)));
                single(frame(client.mac, 0x3333_0000_0001L, null, 0x86DD,
                    ipv6(client.address, bytes16(0xFF02_0000_0000_0000L, 1), 58, neighborAdvertisement(vip, client.mac),
                        255)));
            }
        }
        final Client v4 = firstClient(4);
        if (v4 != null && !vips4.isEmpty()) {
            final byte[] vip = vips4.getFirst();
            // A peer host announcing the VIP, traffic for an address that is not a VIP at the cluster MAC (dropped:
            // only VIP traffic goes there), the host's own broadcast, and traffic for nobody here.
            single(arp(v4, 1, vip, vip));
            single(frame(v4, ip(v4.address, int4(0x0A00_0005), TCP, tcp(40000, 22, SYN, 0))));
            single(frame(v4.mac, BROADCAST, null, 0x0800, ip(v4.address, int4(0xFFFF_FFFF), UDP, udp(68, 67, 30))));
            single(frame(v4.mac, 0x02AA_BBCC_DDEEL, null, 0x0800, ip(v4.address, vip, TCP, tcp(40001, 80, SYN, 0))));
            single(frame(v4.mac, 0x02AA_BBCC_DDEEL, null, 0x0800,
                ip(v4.address, int4(0x0A00_0006), TCP, tcp(40002, 80, SYN, 0))));
            single(frame(v4.mac, 0x0180_C200_000EL, null, 0x88CC, new byte[46]));
            single(frame(v4.mac, clusterMac, new int[] {1, 2, 3}, 0x0800, ip(v4.address, vip, TCP, tcp(1, 80, SYN, 0))));
            malformed4(v4, vip);
        }
        final Client v6 = firstClient(16);
        if (v6 != null && !vips6.isEmpty()) {
            single(frame(v6, ip(v6.address, bytes16(0x2001_0db8_0000_0000L, 0x99), TCP, tcp(40000, 22, SYN, 0))));
            malformed6(v6, vips6.getFirst());
        }
    }

    private Client firstClient(final int addressLength) {
        return clients.stream().filter(c -> c.address.length == addressLength).findFirst().orElse(null);
    }

    /** A datagram in fragments: in order, or a later fragment first (which must fail closed). */
    private void fragments(final Client client, final byte[] vip, final int port, final int clientPort) {
        final boolean udp = random.nextBoolean();
        final byte[] upper = udp ? udp(clientPort, port, 56) : tcp(clientPort, port, SYN, 44);
        final int id = random.nextInt(1 << 16);
        final List<byte[]> parts = new ArrayList<>();
        if (client.address.length == 4) {
            parts.add(frame(client, ipv4(client.address, vip, udp ? UDP : TCP, slice(upper, 0, 32), 0x2000, id, null)));
            parts.add(frame(client, ipv4(client.address, vip, udp ? UDP : TCP, slice(upper, 32, 16), 0x2000 | 4, id,
                null)));
            parts.add(frame(client, ipv4(client.address, vip, udp ? UDP : TCP, slice(upper, 48, upper.length - 48), 6,
                id, null)));
        } else {
            parts.add(frame(client, ipv6(client.address, vip, 44, fragmentHeader(udp ? UDP : TCP, 0, true, id,
                slice(upper, 0, 32)), 64)));
            parts.add(frame(client, ipv6(client.address, vip, 44, fragmentHeader(udp ? UDP : TCP, 32, false, id,
                slice(upper, 32, upper.length - 32)), 64)));
        }
        if (random.nextInt(4) == 0) {
            final byte[] late = parts.removeLast();
            parts.addFirst(late);
        }
        flows.add(parts);
    }

    /** An ICMP error from a router about a packet the VIP sent to the client. */
    private void icmpError(final Client client, final byte[] vip, final int port, final int clientPort) {
        final int protocol = random.nextBoolean() ? TCP : UDP;
        final byte[] quotedL4 = slice(protocol == TCP ? tcp(port, clientPort, ACK, 0) : udp(port, clientPort, 0), 0, 8);
        if (client.address.length == 4) {
            final byte[] quoted = concat(slice(ipv4(vip, client.address, protocol, quotedL4, 0, 7, null), 0, 20),
                quotedL4);
            single(frame(client.mac, clusterMac, null, 0x0800,
                ipv4(int4(ROUTER4), vip, 1, concat(new byte[] {3, 4, 0, 0, 0, 0, 0x05, (byte)0xDC}, quoted), 0, 9, null)));
        } else {
            final byte[] quoted = concat(slice(ipv6(vip, client.address, protocol, quotedL4, 64), 0, 40), quotedL4);
            single(frame(client.mac, clusterMac, null, 0x86DD, ipv6(bytes16(0x2001_0db8_ffff_0000L, 1), vip, 58,
                concat(new byte[] {2, 0, 0, 0, 0, 0, 0x05, (byte)0x00}, quoted), 64)));
        }
    }

    /** One malformed IPv4 frame per reason a frame can reach. */
    private void malformed4(final Client c, final byte[] vip) {
        final byte[] good = ip(c.address, vip, TCP, tcp(40000, 80, SYN, 0));
        single(slice(frame(c, good), 0, 10));
        single(slice(frame(c.mac, clusterMac, new int[] {5}, 0x0800, good), 0, 16));
        final byte[] badVersion = good.clone();
        badVersion[0] = 0x65;
        single(frame(c, badVersion));
        final byte[] badIhl = good.clone();
        badIhl[0] = 0x44;
        single(frame(c, badIhl));
        final byte[] badTotal = good.clone();
        badTotal[2] = 0x05;
        single(frame(c, badTotal));
        single(frame(c, ipv4(c.address, vip, TCP, tcp(40000, 80, SYN, 0), 0, 1, new byte[] {7, 9, 0, 0})));
        single(frame(c, ipv4(c.address, vip, TCP, new byte[40], 1, 2, null)));
        final byte[] badTcp = good.clone();
        badTcp[20 + 12] = 0x30;
        single(frame(c, badTcp));
        single(frame(c, ipv4(c.address, vip, TCP, new byte[12], 0, 3, null)));
        final byte[] badUdp = udp(40000, 8000, 8);
        badUdp[4] = 0;
        badUdp[5] = 4;
        single(frame(c, ip(c.address, vip, UDP, badUdp)));
        single(frame(c, ipv4(c.address, vip, UDP, new byte[4], 0, 4, null)));
        single(frame(c, ipv4(c.address, vip, 1, new byte[4], 0, 5, null)));
        single(frame(c, ipv4(int4(ROUTER4), vip, 1, concat(new byte[] {3, 1, 0, 0, 0, 0, 0, 0}, new byte[12]), 0, 6,
            null)));
        single(frame(c, ipv4(int4(ROUTER4), vip, 1, concat(new byte[] {11, 0, 0, 0, 0, 0, 0, 0},
            concat(new byte[] {0x65}, new byte[27])), 0, 6, null)));
        single(slice(arp(c, 1, c.address, vip), 0, 30));
        final byte[] badArp = arp(c, 1, c.address, vip);
        badArp[14 + 4] = 8;
        single(badArp);
    }

    /** One malformed IPv6 frame per reason a frame can reach. */
    private void malformed6(final Client c, final byte[] vip) {
        final byte[] good = ip(c.address, vip, TCP, tcp(40000, 80, SYN, 0));
        single(slice(frame(c, good), 0, 40));
        final byte[] badVersion = good.clone();
        badVersion[0] = 0x40;
        single(frame(c, badVersion));
        final byte[] badLength = good.clone();
        badLength[4] = 0x10;
        single(frame(c, badLength));
        byte[] chain = tcp(40000, 80, SYN, 0);
        int next = TCP;
        for (int i = 0; i < 9; i++) {
            chain = concat(new byte[] {(byte)next, 0, 1, 4, 0, 0, 0, 0}, chain);
            next = 60;
        }
        single(frame(c, ipv6(c.address, vip, 60, chain, 64)));
        single(frame(c, ipv6(c.address, vip, 60, concat(new byte[] {(byte)TCP, 0, 1, 4, 0, 0, 0, 0},
            new byte[] {0, 0, 0, 0}), 64)));
        single(frame(c, ipv6(c.address, vip, 60, concat(new byte[] {0, 0, 1, 4, 0, 0, 0, 0},
            concat(new byte[] {(byte)TCP, 0, 1, 4, 0, 0, 0, 0}, tcp(1, 80, SYN, 0))), 64)));
        single(frame(c, ipv6(c.address, vip, 60, concat(new byte[] {(byte)TCP, 0, 5, 9, 0, 0, 0, 0},
            tcp(1, 80, SYN, 0)), 64)));
        single(frame(c, ipv6(c.address, vip, 44, concat(fragmentHeader(44, 0, true, 1, new byte[0]),
            fragmentHeader(UDP, 0, true, 1, new byte[16])), 64)));
        single(frame(c, ipv6(c.address, vip, 44, fragmentHeader(UDP, 8, true, 9, new byte[13]), 64)));
        single(frame(c, ipv6(c.address, vip, 58, new byte[4], 64)));
        single(frame(c, ipv6(bytes16(0x2001_0db8_ffff_0000L, 1), vip, 58,
            concat(new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, new byte[20]), 64)));
        single(frame(c, ipv6(c.address, solicitedNode(vip), 58, neighborSolicitation(vip, c.mac), 64)));
        final byte[] badOption = neighborSolicitation(vip, c.mac);
        badOption[25] = 0;
        single(frame(c, ipv6(c.address, solicitedNode(vip), 58, badOption, 255)));
        single(frame(c, ipv6(c.address, solicitedNode(vip), 58, slice(neighborSolicitation(vip, c.mac), 0, 16), 255)));
    }

    private void single(final byte[] frame) {
        flows.add(new ArrayList<>(List.of(frame)));
    }

    /** Merges the flows at random, each flow's packets staying in order. */
    private List<byte[]> interleave() {
        final List<byte[]> out = new ArrayList<>();
        final List<List<byte[]>> open = new ArrayList<>(flows);
        final int[] next = new int[open.size()];
        final List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
            alive.add(i);
        }
        while (!alive.isEmpty()) {
            final int pick = random.nextInt(alive.size());
            final int flow = alive.get(pick);
            out.add(open.get(flow).get(next[flow]++));
            if (next[flow] == open.get(flow).size()) {
                alive.set(pick, alive.getLast());
                alive.removeLast();
            }
        }
        return out;
    }

    // ---- frames ----

    private byte[] frame(final Client client, final byte[] ip) {
        return frame(client.mac, clusterMac, null, client.address.length == 4 ? 0x0800 : 0x86DD, ip);
    }

    private static byte[] frame(final long src, final long dst, final int[] vlans, final int etherType,
        final byte[] payload) {
        final int tags = vlans == null ? 0 : vlans.length;
        final ByteBuffer b = ByteBuffer.allocate(Math.max(60, 14 + 4 * tags + payload.length));
        putMac(b, dst);
        putMac(b, src);
        for (int i = 0; i < tags; i++) {
            b.putShort((short)(i == 0 && tags > 1 ? 0x88A8 : 0x8100)).putShort((short)vlans[i]);
        }
        b.putShort((short)etherType).put(payload);
        return b.array();
    }

    private byte[] arp(final Client client, final int opcode, final byte[] sender, final byte[] target) {
        final ByteBuffer b = ByteBuffer.allocate(28).putShort((short)1).putShort((short)0x0800).put((byte)6)
            .put((byte)4).putShort((short)opcode);
        putMac(b, client.mac);
        b.put(sender);
        putMac(b, opcode == 1 ? 0 : clusterMac);
        b.put(target);
        return frame(client.mac, opcode == 1 ? BROADCAST : clusterMac, null, 0x0806, b.array());
    }

    private static byte[] ip(final byte[] src, final byte[] dst, final int protocol, final byte[] payload) {
        return src.length == 4 ? ipv4(src, dst, protocol, payload, 0x4000, 0, null) : ipv6(src, dst, protocol, payload, 64);
    }

    private static byte[] ipv4(final byte[] src, final byte[] dst, final int protocol, final byte[] payload,
        final int flagsFragment, final int id, final byte[] options) {
        final int headerLength = 20 + (options == null ? 0 : options.length);
        final ByteBuffer b = ByteBuffer.allocate(headerLength + payload.length);
        b.put((byte)(0x40 | headerLength / 4)).put((byte)0).putShort((short)(headerLength + payload.length))
            .putShort((short)id).putShort((short)flagsFragment).put((byte)64).put((byte)protocol).putShort((short)0)
            .put(src).put(dst);
        if (options != null) {
            b.put(options);
        }
        int sum = 0;
        for (int i = 0; i < headerLength; i += 2) {
            sum += (b.getShort(i) & 0xFFFF);
        }
        sum = (sum >>> 16) + (sum & 0xFFFF);
        sum += sum >>> 16;
        b.putShort(10, (short)~sum);
        return b.put(payload).array();
    }

    private static byte[] ipv4WithOptions(final byte[] src, final byte[] dst, final byte[] payload) {
        return ipv4(src, dst, TCP, payload, 0x4000, 11, new byte[] {1, 1, 7, 7, 4, 0, 0, 0, 0, 0, 0, 0});
    }

    private static byte[] ipv6(final byte[] src, final byte[] dst, final int nextHeader, final byte[] payload,
        final int hopLimit) {
        return ByteBuffer.allocate(40 + payload.length).putInt(6 << 28).putShort((short)payload.length)
            .put((byte)nextHeader).put((byte)hopLimit).put(src).put(dst).put(payload).array();
    }

    private static byte[] ipv6WithExtensions(final byte[] src, final byte[] dst, final byte[] tcp) {
        final byte[] destinationOptions = {(byte)TCP, 0, 1, 4, 0, 0, 0, 0};
        final byte[] hopByHop = {60, 0, 1, 4, 0, 0, 0, 0};
        return ipv6(src, dst, 0, concat(hopByHop, concat(destinationOptions, tcp)), 64);
    }

    private static byte[] fragmentHeader(final int nextHeader, final int offset, final boolean more, final int id,
        final byte[] data) {
        return ByteBuffer.allocate(8 + data.length).put((byte)nextHeader).put((byte)0)
            .putShort((short)(offset | (more ? 1 : 0))).putInt(id).put(data).array();
    }

    private static byte[] tcp(final int srcPort, final int dstPort, final int flags, final int dataLength) {
        return ByteBuffer.allocate(20 + dataLength).putShort((short)srcPort).putShort((short)dstPort).putInt(1)
            .putInt((flags & ACK) != 0 ? 1 : 0).put((byte)0x50).put((byte)flags).putShort((short)65535).array();
    }

    private static byte[] udp(final int srcPort, final int dstPort, final int length) {
        return ByteBuffer.allocate(Math.max(length, 8)).putShort((short)srcPort).putShort((short)dstPort)
            .putShort((short)Math.max(length, 8)).array();
    }

    private static byte[] echo() {
        return new byte[] {8, 0, 0, 0, 0, 1, 0, 1, 'l', 'b', 'c', 'r', 'e', 'f', 0, 0};
    }

    private static byte[] neighborSolicitation(final byte[] target, final long mac) {
        final ByteBuffer b = ByteBuffer.allocate(32).put((byte)135).put((byte)0).putShort((short)0).putInt(0)
            .put(target).put((byte)1).put((byte)1);
        putMac(b, mac);
        return b.array();
    }

    private static byte[] neighborAdvertisement(final byte[] target, final long mac) {
        final ByteBuffer b = ByteBuffer.allocate(32).put((byte)136).put((byte)0).putShort((short)0)
            .putInt(0x2000_0000).put(target).put((byte)2).put((byte)1);
        putMac(b, mac);
        return b.array();
    }

    private static byte[] solicitedNode(final byte[] address) {
        final byte[] group = bytes16(0xFF02_0000_0000_0000L, 0x0000_0001_FF00_0000L);
        System.arraycopy(address, 13, group, 13, 3);
        return group;
    }

    private static long solicitedNodeMac(final byte[] address) {
        return 0x3333_FF00_0000L | ((address[13] & 0xFFL) << 16) | ((address[14] & 0xFFL) << 8) | (address[15] & 0xFFL);
    }

    private static void putMac(final ByteBuffer b, final long mac) {
        b.putShort((short)(mac >>> 32)).putInt((int)mac);
    }

    private static byte[] int4(final int address) {
        return ByteBuffer.allocate(4).putInt(address).array();
    }

    private static byte[] bytes16(final long hi, final long lo) {
        return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }

    private static byte[] slice(final byte[] bytes, final int from, final int length) {
        final byte[] out = new byte[length];
        System.arraycopy(bytes, from, out, 0, length);
        return out;
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
