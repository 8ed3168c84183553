package lb.dataplane.net;

/**
 * Every address as 128 bits, high and low long in network order, IPv4 as the IPv4-mapped ::ffff:a.b.c.d: the one
 * form the config, the wire messages, the flow hash, the parser and the tables share.
 */
public final class Ipv4Mapped {
    /** High 64 bits of every IPv4-mapped address. */
    public static final long HIGH = 0;
    /** Low 64 bits of an IPv4-mapped address without the IPv4 address: 0000:ffff:0000:0000. */
    public static final long LOW_PREFIX = 0x0000_FFFF_0000_0000L;
    /** The bits of the low half that {@link #LOW_PREFIX} fixes. */
    private static final long LOW_PREFIX_MASK = 0xFFFF_FFFF_0000_0000L;

    private Ipv4Mapped() {
    }

    /**
     * @param ipv4 the address in network order as an int (a.b.c.d is {@code a << 24 | b << 16 | c << 8 | d}).
     * @return low 64 bits of ::ffff:a.b.c.d.
     */
    public static long low(final int ipv4) {
        return LOW_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    /**
     * @param high high 64 bits of an address.
     * @param low  low 64 bits.
     * @return whether it is an IPv4-mapped address, that is an IPv4 address.
     */
    public static boolean isIpv4(final long high, final long low) {
        return high == HIGH && (low & LOW_PREFIX_MASK) == LOW_PREFIX;
    }
}
