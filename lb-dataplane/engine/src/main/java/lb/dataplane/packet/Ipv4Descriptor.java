package lb.dataplane.packet;

/**
 * Layout of an IPv4 header (RFC 791).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |    DSCP/ECN   |          Total Length         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |0|D|M|    Fragment Offset      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Time to Live |    Protocol   |        Header Checksum        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Source Address                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Destination Address                       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Options (IHL * 4 - 20 bytes, up to 40)               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  IHL and the fragment offset count 4 and 8 byte units. Options: End (0) and No-op (1) are one byte;
 *  every other option is type, length (at least 2, counting type and length), data.
 * </pre>
 */
public final class Ipv4Descriptor {
    /** Offset of the version and IHL byte. */
    public static final int VERSION_IHL_OFFSET = 0;
    /** Offset of the total length. */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Offset of the identification. */
    public static final int IDENTIFICATION_OFFSET = 4;
    /** Offset of the flags and fragment offset. */
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    /** Offset of the time to live. */
    public static final int TTL_OFFSET = 8;
    /** Offset of the protocol. */
    public static final int PROTOCOL_OFFSET = 9;
    /** Offset of the header checksum. */
    public static final int CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 16;
    /** Length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;

    /** The more-fragments flag in the flags and fragment offset field. */
    public static final int MORE_FRAGMENTS = 0x2000;
    /** The fragment offset bits in the flags and fragment offset field, in 8 byte units. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    /** Option type that ends the option list. */
    public static final int OPTION_END = 0;
    /** Option type of the one-byte no-op. */
    public static final int OPTION_NOP = 1;
    /** Largest datagram, and so the largest fragment offset plus fragment length (RFC 791). */
    public static final int MAX_DATAGRAM_LENGTH = 65535;

    private Ipv4Descriptor() {
    }
}
