package lb.dataplane.packet;

/**
 * Layout of an Ethernet II header and the VLAN tags that may follow the source address (IEEE 802.3, 802.1Q).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Destination MAC address                    |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |                      Source MAC address                       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      EtherType or TPID        |  L3 header (or a tag's TCI)  ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Each tag (802.1Q C-tag, 802.1ad S-tag) takes the EtherType's place and pushes it 4 bytes on:
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | TPID 0x8100 / 0x88A8 / 0x9100 | PCP |D|        VLAN id        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    EtherType or next TPID     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class EthernetDescriptor {
    /** Offset of the destination MAC address. */
    public static final int DESTINATION_OFFSET = 0;
    /** Offset of the source MAC address. */
    public static final int SOURCE_OFFSET = 6;
    /** Offset of the EtherType, or of the first tag's TPID. */
    public static final int ETHER_TYPE_OFFSET = 12;
    /** Length of an untagged header. */
    public static final int HEADER_LENGTH = 14;
    /** Length of a MAC address. */
    public static final int MAC_LENGTH = 6;
    /** Length of one VLAN tag (TPID and TCI). */
    public static final int TAG_LENGTH = 4;
    /** Offset of a tag's TCI from its TPID. */
    public static final int TAG_TCI_OFFSET = 2;
    /** Bits of the TCI that hold the VLAN id. */
    public static final int VLAN_ID_MASK = 0x0FFF;
    /** Smallest frame on the wire without the FCS; shorter frames are padded with zeros to this. */
    public static final int MIN_FRAME_LENGTH = 60;

    /** EtherType of IPv4. */
    public static final int ETHER_TYPE_IPV4 = 0x0800;
    /** EtherType of ARP. */
    public static final int ETHER_TYPE_ARP = 0x0806;
    /** EtherType of IPv6. */
    public static final int ETHER_TYPE_IPV6 = 0x86DD;
    /** TPID of an 802.1Q customer tag. */
    public static final int TPID_8021Q = 0x8100;
    /** TPID of an 802.1ad service tag (QinQ outer tag). */
    public static final int TPID_8021AD = 0x88A8;
    /** Pre-standard QinQ TPID that some switches still send for the outer tag. */
    public static final int TPID_QINQ_LEGACY = 0x9100;

    /** The broadcast MAC address, as the low 48 bits of a long. */
    public static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;
    /** The MAC address that IPv6 all-nodes multicast (ff02::1) maps to, 33:33:00:00:00:01 (RFC 2464). */
    public static final long IPV6_ALL_NODES_MAC = 0x3333_0000_0001L;

    private EthernetDescriptor() {
    }

    /**
     * @param etherType a value read where an EtherType belongs.
     * @return whether it announces a VLAN tag.
     */
    public static boolean isVlanTpid(final int etherType) {
        return etherType == TPID_8021Q || etherType == TPID_8021AD || etherType == TPID_QINQ_LEGACY;
    }
}
