package lb.dataplane.config;

/**
 * The transport protocols a port rule covers.
 */
public enum Protocol {
    TCP,
    UDP,
    BOTH;

    /** IANA protocol number of TCP. */
    public static final int IP_PROTOCOL_TCP = 6;
    /** IANA protocol number of UDP. */
    public static final int IP_PROTOCOL_UDP = 17;

    /**
     * Whether a packet with this IP protocol number is covered; rules only ever cover TCP and UDP.
     */
    public boolean covers(final int ipProtocol) {
        return switch (this) {
            case TCP -> ipProtocol == IP_PROTOCOL_TCP;
            case UDP -> ipProtocol == IP_PROTOCOL_UDP;
            case BOTH -> ipProtocol == IP_PROTOCOL_TCP || ipProtocol == IP_PROTOCOL_UDP;
        };
    }

    /**
     * Whether some packet is covered by both protocols.
     */
    public boolean overlaps(final Protocol other) {
        return this == BOTH || other == BOTH || this == other;
    }
}
