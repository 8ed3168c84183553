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
}
