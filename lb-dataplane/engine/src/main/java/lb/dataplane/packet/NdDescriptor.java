package lb.dataplane.packet;

/**
 * Layout of the IPv6 neighbor discovery messages the responder reads and writes (RFC 4861), after the
 * common ICMPv6 type, code and checksum.
 *
 * <pre>
 *  Neighbor solicitation (135) and advertisement (136):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code (0)  |           Checksum            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |R|S|O|                     Reserved (NA flags; NS all zero)    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +                   Target Address (16 bytes)                   +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   Options ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+
 *  Router solicitation (133): options at 8. Router advertisement (134): options at 16.
 *
 *  Option, Length * 8 bytes in all (0 is invalid); the link-layer address options for Ethernet:
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | Type (1 or 2) |  Length (1)   |    Link-layer address (6)    ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class NdDescriptor {
    /** Router solicitation. */
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    /** Router advertisement. */
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    /** Neighbor solicitation. */
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    /** Neighbor advertisement. */
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;

    /** Offset of the flags byte of an advertisement. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of the target address of a solicitation or advertisement. */
    public static final int TARGET_OFFSET = 8;
    /** Offset of the options of a neighbor solicitation or advertisement. */
    public static final int NEIGHBOR_OPTIONS_OFFSET = 24;
    /** Offset of the options of a router solicitation. */
    public static final int ROUTER_SOLICITATION_OPTIONS_OFFSET = 8;
    /** Offset of the options of a router advertisement. */
    public static final int ROUTER_ADVERTISEMENT_OPTIONS_OFFSET = 16;

    /** Router flag of an advertisement. */
    public static final int FLAG_ROUTER = 0x80;
    /** Solicited flag of an advertisement. */
    public static final int FLAG_SOLICITED = 0x40;
    /** Override flag of an advertisement. */
    public static final int FLAG_OVERRIDE = 0x20;

    /** Offset of an option's length, in 8 byte units. */
    public static final int OPTION_LENGTH_OFFSET = 1;
    /** Offset of the address in a link-layer address option. */
    public static final int OPTION_ADDRESS_OFFSET = 2;
    /** Bytes one unit of an option's length stands for. */
    public static final int OPTION_UNIT = 8;
    /** Option type of the source link-layer address. */
    public static final int OPTION_SOURCE_LINK_LAYER_ADDRESS = 1;
    /** Option type of the target link-layer address. */
    public static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;

    /** Length of an advertisement with one Ethernet target link-layer address option. */
    public static final int ADVERTISEMENT_LENGTH = NEIGHBOR_OPTIONS_OFFSET + OPTION_UNIT;

    private NdDescriptor() {
    }
}
