package lb.dataplane.packet;

/**
 * Layout of an ARP packet for IPv4 over Ethernet (RFC 826), the only kind the load balancer speaks.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      Hardware type (1)        |   Protocol type (0x0800)      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | HW length (6) | IP length (4) |            Opcode             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Sender hardware address (SHA)                 |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |  Sender protocol address (SPA)
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |                               |                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |                 Target hardware address (THA)                 |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Target protocol address (TPA)                 |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpDescriptor {
    /** Offset of the hardware type. */
    public static final int HARDWARE_TYPE_OFFSET = 0;
    /** Offset of the protocol type. */
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    /** Offset of the hardware address length. */
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    /** Offset of the protocol address length. */
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    /** Offset of the opcode. */
    public static final int OPCODE_OFFSET = 6;
    /** Offset of the sender hardware address. */
    public static final int SENDER_MAC_OFFSET = 8;
    /** Offset of the sender protocol address. */
    public static final int SENDER_IP_OFFSET = 14;
    /** Offset of the target hardware address. */
    public static final int TARGET_MAC_OFFSET = 18;
    /** Offset of the target protocol address. */
    public static final int TARGET_IP_OFFSET = 24;
    /** Length of the packet. */
    public static final int LENGTH = 28;

    /** Hardware type of Ethernet. */
    public static final int HARDWARE_TYPE_ETHERNET = 1;
    /** Opcode of a request. */
    public static final int OPCODE_REQUEST = 1;
    /** Opcode of a reply. */
    public static final int OPCODE_REPLY = 2;

    private ArpDescriptor() {
    }
}
