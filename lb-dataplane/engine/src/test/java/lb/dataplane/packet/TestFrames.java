package lb.dataplane.packet;

/**
 * Whole frames for tests outside this package (pipeline, process tests), built by {@link Packets}.
 */
public final class TestFrames {
    /** The client MAC frames come from. */
    public static final long CLIENT_MAC = Packets.CLIENT_MAC;

    private TestFrames() {
    }

    /**
     * @return an IPv4 TCP frame with these addresses, ports and flags (see TcpDescriptor for bits).
     */
    public static byte[] tcp4(final int src, final int srcPort, final int dst, final int dstPort, final int flags) {
        return Packets.eth().frame(Packets.ip4(src, dst).payload(Packets.tcp(srcPort, dstPort).flags(flags)));
    }

    /**
     * @return an IPv4 UDP frame with a few bytes of payload.
     */
    public static byte[] udp4(final int src, final int srcPort, final int dst, final int dstPort) {
        return Packets.eth().frame(Packets.ip4(src, dst).payload(Packets.udp(srcPort, dstPort)));
    }

    /**
     * @return an IPv6 TCP frame.
     */
    public static byte[] tcp6(final byte[] src, final int srcPort, final byte[] dst, final int dstPort,
        final int flags) {
        return Packets.eth().frame(Packets.ip6(src, dst).payload(Packets.tcp(srcPort, dstPort).flags(flags)));
    }

    /**
     * @return an IPv6 UDP frame.
     */
    public static byte[] udp6(final byte[] src, final int srcPort, final byte[] dst, final int dstPort) {
        return Packets.eth().frame(Packets.ip6(src, dst).payload(Packets.udp(srcPort, dstPort)));
    }

    /**
     * @return an IPv4 frame of another protocol (GRE, ESP, ICMP echo...) with a small payload.
     */
    public static byte[] other4(final int src, final int dst, final int protocol) {
        return Packets.eth().frame(Packets.ip4(src, dst).payload(Packets.raw(protocol, new byte[8])));
    }

    /**
     * @return an IPv6 frame of another protocol with a small payload.
     */
    public static byte[] other6(final byte[] src, final byte[] dst, final int protocol) {
        return Packets.eth().frame(Packets.ip6(src, dst).payload(Packets.raw(protocol, new byte[8])));
    }

    /**
     * @return a broadcast ARP request asking who has {@code targetIp}.
     */
    public static byte[] arpRequest(final int senderIp, final int targetIp) {
        return Packets.eth().dst(0xFFFF_FFFF_FFFFL)
            .frame(Packets.arp(ArpDescriptor.OPCODE_REQUEST, CLIENT_MAC, senderIp, 0, targetIp));
    }

    /**
     * @return an IPv4 TCP frame to a given destination MAC.
     */
    public static byte[] tcp4To(final long dstMac, final int src, final int srcPort, final int dst, final int dstPort,
        final int flags) {
        return Packets.eth().dst(dstMac).frame(Packets.ip4(src, dst).payload(Packets.tcp(srcPort, dstPort).flags(flags)));
    }

    /**
     * @return an IPv4 TCP frame from {@code srcMac} (a kernel's frame going out).
     */
    public static byte[] tcp4From(final long srcMac, final long dstMac, final int src, final int srcPort,
        final int dst, final int dstPort, final int flags) {
        return Packets.eth().src(srcMac).dst(dstMac)
            .frame(Packets.ip4(src, dst).payload(Packets.tcp(srcPort, dstPort).flags(flags)));
    }

    /**
     * @return an ICMP destination-unreachable (fragmentation needed) from a router, quoting a TCP segment
     * the VIP sent to the client.
     */
    public static byte[] icmpUnreachable4(final int router, final int vip, final int vipPort, final int client,
        final int clientPort) {
        return Packets.eth().frame(Packets.ip4(router, vip).payload(Packets.icmp(3, 4).rest(1400)
            .quote(Packets.ip4(vip, client).payload(Packets.tcp(vipPort, clientPort).flags(0x12)))));
    }

    /**
     * @return an IPv4 ICMP echo request.
     */
    public static byte[] echo4(final int src, final int dst) {
        return Packets.eth().frame(Packets.ip4(src, dst).payload(Packets.icmp(8, 0).rest(0x00010001)
            .body(new byte[32])));
    }

    /**
     * @return the first fragment (offset 0, more fragments) of an IPv4 TCP datagram with this id.
     */
    public static byte[] firstFragment4(final int src, final int srcPort, final int dst, final int dstPort, final int id) {
        return Packets.eth().frame(Packets.ip4(src, dst).id(id).fragment(0, true)
            .payload(Packets.tcp(srcPort, dstPort).flags(0x10).data(new byte[64])));
    }

    /**
     * @return the last fragment (no transport header) of an IPv4 TCP datagram with this id.
     */
    public static byte[] lastTcpFragment4(final int src, final int dst, final int id) {
        return Packets.eth().frame(Packets.ip4(src, dst).id(id).fragment(88, false)
            .payload(Packets.raw(6, new byte[40])));
    }

    /**
     * @return a non-first IPv4 fragment (no transport header) of a datagram of {@code protocol}.
     */
    public static byte[] laterFragment4(final int src, final int dst, final int protocol) {
        return Packets.eth().frame(Packets.ip4(src, dst).id(0x4242).fragment(1480, false)
            .payload(Packets.raw(protocol, new byte[100])));
    }

    /**
     * @return a non-first IPv6 fragment (no transport header) of a datagram of {@code protocol}.
     */
    public static byte[] laterFragment6(final byte[] src, final byte[] dst, final int protocol) {
        return Packets.eth().frame(Packets.ip6(src, dst).ext(Packets.Ext.fragment(1232, false, 0xCAFE))
            .payload(Packets.raw(protocol, new byte[24])));
    }

    /**
     * @return a neighbor solicitation for {@code target} from {@code src}, with its source link-layer
     * option, to the target's solicited-node group.
     */
    public static byte[] neighborSolicitation(final byte[] src, final byte[] target) {
        final byte[] group = Packets.ip6("ff02::1:ff00:0");
        group[13] = target[13];
        group[14] = target[14];
        group[15] = target[15];
        final long groupMac = 0x3333_0000_0000L | ((long)(0xFF) << 24) | ((target[13] & 0xFFL) << 16) |
            ((target[14] & 0xFFL) << 8) | (target[15] & 0xFFL);
        return Packets.eth().dst(groupMac).frame(Packets.ip6(src, group).hopLimit(255)
            .payload(Packets.ns(target).option(Packets.linkLayerOption(1, CLIENT_MAC))));
    }

    /**
     * @return an unsolicited neighbor advertisement for {@code target} with override, sent by {@code srcMac}
     * (a kernel or a peer announcing an address).
     */
    public static byte[] neighborAdvertisement(final long srcMac, final byte[] src, final byte[] target) {
        return Packets.eth().src(srcMac).dst(0x3333_0000_0001L).frame(Packets.ip6(src, Packets.ip6("ff02::1"))
            .hopLimit(255).payload(Packets.na(target, 0x20).option(Packets.linkLayerOption(2, srcMac))));
    }

    /**
     * @return a gratuitous ARP reply announcing {@code ip} at {@code mac} (a peer's or a kernel's claim).
     */
    public static byte[] gratuitousArp(final long mac, final int ip) {
        return Packets.eth().src(mac).dst(0xFFFF_FFFF_FFFFL)
            .frame(Packets.arp(ArpDescriptor.OPCODE_REPLY, mac, ip, 0xFFFF_FFFF_FFFFL, ip));
    }

    /**
     * @return an ARP request sent by {@code mac}/{@code senderIp} (a kernel resolving a client) for {@code targetIp}.
     */
    public static byte[] arpRequestFrom(final long mac, final int senderIp, final int targetIp) {
        return Packets.eth().src(mac).dst(0xFFFF_FFFF_FFFFL)
            .frame(Packets.arp(ArpDescriptor.OPCODE_REQUEST, mac, senderIp, 0, targetIp));
    }

    /**
     * @param dotted an IPv4 address.
     * @return it as an int, first octet most significant.
     */
    public static int ip4(final String dotted) {
        return Packets.ip4(dotted);
    }

    /**
     * @param literal an IPv6 address.
     * @return its 16 bytes.
     */
    public static byte[] ip6(final String literal) {
        return Packets.ip6(literal);
    }
}
