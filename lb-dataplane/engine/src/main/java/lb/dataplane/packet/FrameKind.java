package lb.dataplane.packet;

/**
 * What a parsed frame carries, as the int the classifier switches on.
 */
public final class FrameKind {
    /** Nothing known: the frame was dropped before its EtherType was read. */
    public static final int NONE = 0;
    /** ARP for IPv4 over Ethernet. */
    public static final int ARP = 1;
    /** IPv4. */
    public static final int IPV4 = 2;
    /** IPv6, including ICMPv6 neighbor discovery. */
    public static final int IPV6 = 3;
    /** Any other EtherType (or an 802.3 length field): well formed as far as the load balancer cares. */
    public static final int OTHER = 4;

    private static final String[] NAMES = {"none", "arp", "ipv4", "ipv6", "other"};

    private FrameKind() {
    }

    /**
     * @param kind one of the constants.
     * @return its lower-case name, or "unknown".
     */
    public static String name(final int kind) {
        return kind >= 0 && kind < NAMES.length ? NAMES[kind] : "unknown";
    }
}
