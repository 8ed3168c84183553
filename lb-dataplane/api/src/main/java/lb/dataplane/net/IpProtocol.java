package lb.dataplane.net;

/**
 * IANA protocol numbers: the upper-layer protocols port rules and the classifier tell apart, and the IPv6 extension
 * headers the parser walks.
 */
public final class IpProtocol {
    /** IPv6 hop-by-hop options header. */
    public static final int HOP_BY_HOP = 0;
    /** ICMP for IPv4. */
    public static final int ICMP = 1;
    /** TCP. */
    public static final int TCP = 6;
    /** UDP. */
    public static final int UDP = 17;
    /** IPv6 routing header. */
    public static final int ROUTING = 43;
    /** IPv6 fragment header. */
    public static final int FRAGMENT = 44;
    /** Generic routing encapsulation (PPTP's data channel). */
    public static final int GRE = 47;
    /** IPsec encapsulating security payload. */
    public static final int ESP = 50;
    /** IPsec authentication header. */
    public static final int AH = 51;
    /** ICMP for IPv6. */
    public static final int ICMPV6 = 58;
    /** IPv6 "no next header": nothing follows. */
    public static final int NO_NEXT_HEADER = 59;
    /** IPv6 destination options header. */
    public static final int DESTINATION_OPTIONS = 60;

    /** UDP port of IKE. */
    public static final int IKE_PORT = 500;
    /** UDP port of IKE and ESP behind NAT (RFC 3947, RFC 3948). */
    public static final int IKE_NAT_T_PORT = 4500;

    private IpProtocol() {
    }
}
