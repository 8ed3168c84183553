package lb.dataplane.packet;

/**
 * Layout of an IPv6 header and the extension headers the parser walks (RFC 8200).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version| Traffic Class |              Flow Label               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        Payload Length         |  Next Header  |   Hop Limit   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +                  Source Address (16 bytes)                    +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +               Destination Address (16 bytes)                  +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Hop-by-hop, routing and destination options headers, (Hdr Ext Len + 1) * 8 bytes in all:
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Next Header  |  Hdr Ext Len  |  options or routing data     ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  Options of hop-by-hop and destination options: Pad1 (0) is one byte; others are type, data length, data.
 *
 *  Fragment header, 8 bytes:
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Next Header  |   Reserved    |     Fragment Offset     |Res|M|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Identification                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6Descriptor {
    /** Offset of the version, traffic class and flow label word. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    /** Offset of the next header. */
    public static final int NEXT_HEADER_OFFSET = 6;
    /** Offset of the hop limit. */
    public static final int HOP_LIMIT_OFFSET = 7;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 8;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 24;
    /** Length of the fixed header. */
    public static final int HEADER_LENGTH = 40;

    /** Offset of an extension header's next header. */
    public static final int EXT_NEXT_HEADER_OFFSET = 0;
    /** Offset of an extension header's length, in 8 byte units not counting the first 8. */
    public static final int EXT_LENGTH_OFFSET = 1;
    /** Length of the part of an extension header that every kind starts with. */
    public static final int EXT_MIN_LENGTH = 2;
    /** Option type of the one-byte Pad1 option. */
    public static final int OPTION_PAD1 = 0;

    /** Offset of the fragment offset and M flag in a fragment header. */
    public static final int FRAGMENT_OFFSET_FLAGS_OFFSET = 2;
    /** Offset of the identification in a fragment header. */
    public static final int FRAGMENT_IDENTIFICATION_OFFSET = 4;
    /** Length of a fragment header. */
    public static final int FRAGMENT_HEADER_LENGTH = 8;
    /** Fragment offset bits (already a byte count: the 8 byte units sit 3 bits up). */
    public static final int FRAGMENT_OFFSET_MASK = 0xFFF8;
    /** The more-fragments flag. */
    public static final int MORE_FRAGMENTS = 0x0001;
    /** Largest payload length of a packet reassembled from fragments (RFC 8200 §4.5). */
    public static final int MAX_PAYLOAD_LENGTH = 65535;

    /** The all-nodes multicast address ff02::1, high half. */
    public static final long ALL_NODES_HI = 0xFF02_0000_0000_0000L;
    /** The all-nodes multicast address ff02::1, low half. */
    public static final long ALL_NODES_LO = 1L;
    /** Hop limit that every neighbor discovery message carries and requires (RFC 4861 §7.1). */
    public static final int ND_HOP_LIMIT = 255;

    private Ipv6Descriptor() {
    }
}
