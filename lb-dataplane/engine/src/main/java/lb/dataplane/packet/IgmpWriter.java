package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;

import static lb.dataplane.packet.NetworkBytes.putU16;
import static lb.dataplane.packet.NetworkBytes.putU32;
import static lb.dataplane.packet.NetworkBytes.putU8;

/**
 * Writes an IGMPv2 membership report (RFC 2236) in place: what a host of an NLB cluster in IGMP
 * multicast mode sends so that switches forward the cluster's multicast MAC only to member ports.
 *
 * <pre>
 *  Ethernet  dst 01-00-5e-(group's low 23 bits)   type 0x0800
 *  IPv4      ihl 6 (Router Alert option 94 04 00 00), ttl 1, protocol 2, dst = group
 *  IGMP      type 0x16 | max resp 0 | checksum | group address          (8 bytes)
 * </pre>
 */
public final class IgmpWriter {
    /** IGMP's IP protocol number. */
    public static final int PROTOCOL_IGMP = 2;
    /** IGMPv2 membership report. */
    public static final int TYPE_V2_MEMBERSHIP_REPORT = 0x16;

    private static final int IP_HEADER_LENGTH = 24;
    private static final int IGMP_LENGTH = 8;
    private static final int ROUTER_ALERT = 0x9404_0000;

    private IgmpWriter() {
    }

    /**
     * @param memory    segment to write into.
     * @param offset    position of the frame's first byte.
     * @param capacity  bytes writable from offset.
     * @param sourceMac Ethernet source.
     * @param sourceIp  IPv4 source, first octet in the top byte.
     * @param group     the group joined, first octet in the top byte.
     * @param vlanId    VLAN to tag the frame with, or {@link ParsedPacket#NONE}.
     * @return the frame length, or 0 when it does not fit.
     */
    public static int membershipReport(final MemorySegment memory, final long offset, final int capacity,
        final long sourceMac, final int sourceIp, final int group, final int vlanId) {
        final int length = EthernetWriter.headerLength(vlanId) + IP_HEADER_LENGTH + IGMP_LENGTH;
        if (!EthernetWriter.fits(memory, offset, capacity, Math.max(length, EthernetDescriptor.MIN_FRAME_LENGTH))) {
            return 0;
        }
        final long groupMac = 0x0100_5E00_0000L | (group & 0x007F_FFFFL);
        final int l3 = EthernetWriter.header(memory, offset, groupMac, sourceMac, vlanId,
            EthernetDescriptor.ETHER_TYPE_IPV4);
        final long ip = offset + l3;
        putU8(memory, ip, 0x46);
        putU8(memory, ip + 1, 0xC0);
        putU16(memory, ip + 2, IP_HEADER_LENGTH + IGMP_LENGTH);
        putU16(memory, ip + 4, 0);
        putU16(memory, ip + 6, 0);
        putU8(memory, ip + 8, 1);
        putU8(memory, ip + 9, PROTOCOL_IGMP);
        putU16(memory, ip + 10, 0);
        putU32(memory, ip + 12, sourceIp);
        putU32(memory, ip + 16, group);
        putU32(memory, ip + 20, ROUTER_ALERT);
        putU16(memory, ip + 10, Checksums.internet(memory, ip, IP_HEADER_LENGTH));
        final long igmp = ip + IP_HEADER_LENGTH;
        putU8(memory, igmp, TYPE_V2_MEMBERSHIP_REPORT);
        putU8(memory, igmp + 1, 0);
        putU16(memory, igmp + 2, 0);
        putU32(memory, igmp + 4, group);
        putU16(memory, igmp + 2, Checksums.internet(memory, igmp, IGMP_LENGTH));
        return EthernetWriter.pad(memory, offset, length);
    }
}
