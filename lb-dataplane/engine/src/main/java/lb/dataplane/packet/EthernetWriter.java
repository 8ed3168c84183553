package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;

/**
 * Ethernet header, VLAN tag and padding for the frames the ARP/ND responder writes.
 */
final class EthernetWriter {
    private EthernetWriter() {
    }

    /**
     * @return whether [offset, offset + needed) is inside both the caller's capacity and the segment.
     */
    static boolean fits(final MemorySegment memory, final long offset, final int capacity, final int needed) {
        return offset >= 0 && needed <= capacity && offset <= memory.byteSize() - needed;
    }

    /**
     * @return length of the header written: 14, or 18 with an 802.1Q tag.
     */
    static int headerLength(final int vlanId) {
        return EthernetDescriptor.HEADER_LENGTH + (vlanId == ParsedPacket.NONE ? 0 : EthernetDescriptor.TAG_LENGTH);
    }

    /**
     * Writes destination, source, an 802.1Q tag unless vlanId is {@link ParsedPacket#NONE}, and the EtherType.
     *
     * @return offset of the L3 header.
     */
    static int header(final MemorySegment memory, final long base, final long destinationMac, final long sourceMac,
        final int vlanId, final int etherType) {
        NetworkBytes.putMac(memory, base + EthernetDescriptor.DESTINATION_OFFSET, destinationMac);
        NetworkBytes.putMac(memory, base + EthernetDescriptor.SOURCE_OFFSET, sourceMac);
        int typeAt = EthernetDescriptor.ETHER_TYPE_OFFSET;
        if (vlanId != ParsedPacket.NONE) {
            NetworkBytes.putU16(memory, base + typeAt, EthernetDescriptor.TPID_8021Q);
            NetworkBytes.putU16(memory, base + typeAt + EthernetDescriptor.TAG_TCI_OFFSET,
                vlanId & EthernetDescriptor.VLAN_ID_MASK);
            typeAt += EthernetDescriptor.TAG_LENGTH;
        }
        NetworkBytes.putU16(memory, base + typeAt, etherType);
        return typeAt + 2;
    }

    /**
     * Zero-fills from length up to the Ethernet minimum; the caller has checked that the minimum fits.
     *
     * @return the frame length after padding.
     */
    static int pad(final MemorySegment memory, final long base, final int length) {
        for (int at = length; at < EthernetDescriptor.MIN_FRAME_LENGTH; at++) {
            NetworkBytes.putU8(memory, base + at, 0);
        }
        return Math.max(length, EthernetDescriptor.MIN_FRAME_LENGTH);
    }
}
