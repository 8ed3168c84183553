package lb.dataplane.table;

/**
 * Table keys hold every address as 128 bits, high and low long; an IPv4 address a.b.c.d becomes ::ffff:a.b.c.d.
 */
public final class Ipv4Mapped {
    /** High 64 bits of every IPv4-mapped address. */
    public static final long HIGH = 0;

    private Ipv4Mapped() {
    }

    /**
     * @param ipv4 the address in network order as an int (a.b.c.d is {@code a << 24 | b << 16 | c << 8 | d}).
     * @return low 64 bits of ::ffff:a.b.c.d.
     */
    public static long low(final int ipv4) {
        return 0x0000_FFFF_0000_0000L | (ipv4 & 0xFFFF_FFFFL);
    }
}
