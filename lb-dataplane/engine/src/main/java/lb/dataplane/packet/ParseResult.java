package lb.dataplane.packet;

/**
 * What {@link PacketParser#parse} returns: {@link #OK} or the reason the frame is dropped. Codes are stable, because
 * they index per-reason counters whose labels carry the name: new reasons take new codes at the end, and a code is
 * never reused.
 */
public final class ParseResult {
    /** Parsed; the frame may still be of no interest (kind OTHER, unknown protocol), which is the classifier's call. */
    public static final int OK = 0;
    /** The caller's offset and length do not lie inside the segment. */
    public static final int BAD_FRAME_BOUNDS = 1;
    /** Shorter than an Ethernet header. */
    public static final int TRUNCATED_ETHERNET = 2;
    /** A VLAN tag or the EtherType after it is cut off. */
    public static final int TRUNCATED_VLAN = 3;
    /** More than {@link PacketParser#MAX_VLAN_TAGS} VLAN tags. */
    public static final int VLAN_TOO_DEEP = 4;
    /** Shorter than an ARP packet for IPv4 over Ethernet. */
    public static final int TRUNCATED_ARP = 5;
    /** ARP for another hardware or protocol type, or with other address lengths. */
    public static final int BAD_ARP = 6;
    /** The IPv4 header (with its options) is cut off. */
    public static final int TRUNCATED_IPV4 = 7;
    /** EtherType IPv4 but the version field is not 4. */
    public static final int BAD_IPV4_VERSION = 8;
    /** IHL below 5. */
    public static final int BAD_IHL = 9;
    /** Total length shorter than the header or longer than the frame. */
    public static final int BAD_IPV4_TOTAL_LENGTH = 10;
    /** An option whose length is below 2 or runs past the header. */
    public static final int BAD_IPV4_OPTIONS = 11;
    /** A fragment that would reassemble past 65535 bytes, or overwrite a TCP header (RFC 1858). */
    public static final int BAD_IPV4_FRAGMENT = 12;
    /** The fixed IPv6 header is cut off. */
    public static final int TRUNCATED_IPV6 = 13;
    /** EtherType IPv6 but the version field is not 6. */
    public static final int BAD_IPV6_VERSION = 14;
    /** Payload length longer than the frame. */
    public static final int BAD_IPV6_PAYLOAD_LENGTH = 15;
    /** More than {@link PacketParser#MAX_IPV6_EXTENSION_HEADERS} extension headers: failed closed. */
    public static final int IPV6_EXT_CHAIN_TOO_LONG = 16;
    /** An extension header runs past the payload (or past the first fragment, RFC 7112). */
    public static final int TRUNCATED_IPV6_EXT = 17;
    /** A hop-by-hop header anywhere but first. */
    public static final int BAD_IPV6_EXT_ORDER = 18;
    /** A hop-by-hop or destination option runs past its header. */
    public static final int BAD_IPV6_OPTIONS = 19;
    /** Two fragment headers, a non-last fragment not a multiple of 8 bytes, or one reassembling past 65535. */
    public static final int BAD_IPV6_FRAGMENT = 20;
    /** Shorter than a TCP header without options. */
    public static final int TRUNCATED_TCP = 21;
    /** Data offset below 5, or past the IP payload. */
    public static final int BAD_TCP_DATA_OFFSET = 22;
    /** Shorter than a UDP header. */
    public static final int TRUNCATED_UDP = 23;
    /** UDP length below 8, or past the IP payload. */
    public static final int BAD_UDP_LENGTH = 24;
    /** Shorter than an ICMP or ICMPv6 header. */
    public static final int TRUNCATED_ICMP = 25;
    /** An ICMP error whose quoted packet lacks its IP header, extension headers or ports. */
    public static final int ICMP_ERROR_INNER_TRUNCATED = 26;
    /** An ICMP error quoting something that is not a well-formed packet of the same IP version. */
    public static final int BAD_ICMP_ERROR_INNER = 27;
    /** A neighbor discovery message shorter than its fixed part. */
    public static final int TRUNCATED_ND = 28;
    /** A neighbor discovery message with hop limit not 255, code not 0, or in a fragment (RFC 4861, 6980). */
    public static final int BAD_ND = 29;
    /** A neighbor discovery option of length 0 or running past the message. */
    public static final int BAD_ND_OPTION = 30;

    /** Number of codes, OK included: the size of a per-reason counter array. */
    public static final int COUNT = 31;

    private static final String[] NAMES = {
        "ok",
        "bad_frame_bounds",
        "truncated_ethernet",
        "truncated_vlan",
        "vlan_too_deep",
        "truncated_arp",
        "bad_arp",
        "truncated_ipv4",
        "bad_ipv4_version",
        "bad_ihl",
        "bad_ipv4_total_length",
        "bad_ipv4_options",
        "bad_ipv4_fragment",
        "truncated_ipv6",
        "bad_ipv6_version",
        "bad_ipv6_payload_length",
        "ipv6_ext_chain_too_long",
        "truncated_ipv6_ext",
        "bad_ipv6_ext_order",
        "bad_ipv6_options",
        "bad_ipv6_fragment",
        "truncated_tcp",
        "bad_tcp_data_offset",
        "truncated_udp",
        "bad_udp_length",
        "truncated_icmp",
        "icmp_error_inner_truncated",
        "bad_icmp_error_inner",
        "truncated_nd",
        "bad_nd",
        "bad_nd_option",
    };

    private ParseResult() {
    }

    /**
     * @param code a result code.
     * @return its snake_case name for counter labels, or "unknown" for a code outside [0, COUNT).
     */
    public static String name(final int code) {
        return code >= 0 && code < COUNT ? NAMES[code] : "unknown";
    }
}
