package lb.dataplane.config;

import lb.dataplane.net.IpProtocol;

/**
 * The transport protocols a port rule covers.
 */
public enum Protocol {
    TCP,
    UDP,
    BOTH;

    /**
     * Whether a packet with this IP protocol number is covered; rules only ever cover TCP and UDP.
     */
    public boolean covers(final int ipProtocol) {
        return switch (this) {
            case TCP -> ipProtocol == IpProtocol.TCP;
            case UDP -> ipProtocol == IpProtocol.UDP;
            case BOTH -> ipProtocol == IpProtocol.TCP || ipProtocol == IpProtocol.UDP;
        };
    }

    /**
     * Whether some packet is covered by both protocols.
     */
    public boolean overlaps(final Protocol other) {
        return this == BOTH || other == BOTH || this == other;
    }
}
