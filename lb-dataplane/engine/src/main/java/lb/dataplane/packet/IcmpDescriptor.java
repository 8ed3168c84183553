package lb.dataplane.packet;

/**
 * Layout of an ICMP (RFC 792) or ICMPv6 (RFC 4443) message header, and the message types whose body quotes
 * the packet that caused them.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code      |           Checksum            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Rest of header (unused, MTU, pointer, id/sequence)   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   Error messages: the invoking packet, from its IP header on  |
 *  |   (ICMP: header + at least 8 bytes; ICMPv6: as much as fits)  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class IcmpDescriptor {
    /** Offset of the type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the code. */
    public static final int CODE_OFFSET = 1;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 2;
    /** Length of the header; an error message's quoted packet starts here. */
    public static final int HEADER_LENGTH = 8;
    /** Bytes of the quoted transport header that hold both ports. */
    public static final int QUOTED_PORTS_LENGTH = 4;

    /** ICMP destination unreachable (code 4: fragmentation needed, the IPv4 "packet too big"). */
    public static final int V4_DESTINATION_UNREACHABLE = 3;
    /** ICMP time exceeded. */
    public static final int V4_TIME_EXCEEDED = 11;
    /** ICMP parameter problem. */
    public static final int V4_PARAMETER_PROBLEM = 12;

    /** ICMPv6 destination unreachable. */
    public static final int V6_DESTINATION_UNREACHABLE = 1;
    /** ICMPv6 packet too big. */
    public static final int V6_PACKET_TOO_BIG = 2;
    /** ICMPv6 time exceeded. */
    public static final int V6_TIME_EXCEEDED = 3;
    /** ICMPv6 parameter problem. */
    public static final int V6_PARAMETER_PROBLEM = 4;

    private IcmpDescriptor() {
    }

    /**
     * @param type an ICMP (IPv4) type.
     * @return whether a message of that type is an error that quotes the packet it is about.
     */
    public static boolean isV4Error(final int type) {
        return type == V4_DESTINATION_UNREACHABLE || type == V4_TIME_EXCEEDED || type == V4_PARAMETER_PROBLEM;
    }

    /**
     * @param type an ICMPv6 type.
     * @return whether a message of that type is an error that quotes the packet it is about.
     */
    public static boolean isV6Error(final int type) {
        return type >= V6_DESTINATION_UNREACHABLE && type <= V6_PARAMETER_PROBLEM;
    }
}
