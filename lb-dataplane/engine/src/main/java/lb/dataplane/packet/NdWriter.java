package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;

import lb.dataplane.net.IpProtocol;

import static lb.dataplane.packet.NetworkBytes.putMac;
import static lb.dataplane.packet.NetworkBytes.putU16;
import static lb.dataplane.packet.NetworkBytes.putU32;
import static lb.dataplane.packet.NetworkBytes.putU64;
import static lb.dataplane.packet.NetworkBytes.putU8;

/**
 * Writes the IPv6 neighbor advertisements the responder sends for a VIP (RFC 4861), in place in an mbuf's data
 * room, allocating nothing, with the ICMPv6 checksum over the pseudo-header.
 *
 * <p>As in {@link ArpWriter}, {@code answerMac} is the MAC the target link-layer address option names (the cluster
 * MAC) and {@code sourceMac} the Ethernet source (the masked MAC); MACs are the low 48 bits of a long. A writer
 * returns 0, and may have written nothing, when the frame does not fit in capacity or its input is not what it
 * answers.
 *
 * <pre>
 *  frame: Ethernet (+ tags) | IPv6, hop limit 255, next header 58 | NA (24) | target link-layer option (8)
 * </pre>
 */
public final class NdWriter {
    private static final int ADVERTISEMENT_FRAME_TAIL =
        Ipv6Descriptor.HEADER_LENGTH + NdDescriptor.ADVERTISEMENT_LENGTH;

    private NdWriter() {
    }

    /**
     * Turns a parsed neighbor solicitation into the solicited advertisement, in the same buffer, keeping its VLAN
     * tags (RFC 4861 §7.2.4). It goes to the solicitation's source, at the MAC of its source link-layer option or
     * else its Ethernet source; a duplicate address detection probe (source ::) is answered to all-nodes ff02::1
     * with the solicited flag clear.
     *
     * @param memory       segment holding the solicitation.
     * @param offset       position of the solicitation's first byte, as it was parsed.
     * @param capacity     bytes writable from offset.
     * @param solicitation what the parser made of the solicitation, which it returned OK for.
     * @param sourceMac    Ethernet source of the advertisement.
     * @param answerMac    MAC the target link-layer address option gives for the target.
     * @param override     whether to set the override flag.
     * @return the advertisement's frame length, or 0.
     */
    public static int solicitedAdvertisement(final MemorySegment memory, final long offset, final int capacity,
        final ParsedPacket solicitation, final long sourceMac, final long answerMac, final boolean override) {
        if (solicitation.kind != FrameKind.IPV6 || solicitation.icmpType != NdDescriptor.TYPE_NEIGHBOR_SOLICITATION) {
            return 0;
        }
        final int l3 = solicitation.l3Offset;
        final int length = l3 + ADVERTISEMENT_FRAME_TAIL;
        if (!EthernetWriter.fits(memory, offset, capacity, length)) {
            return 0;
        }
        final boolean fromUnspecified = solicitation.srcHi == 0 && solicitation.srcLo == 0;
        final long destinationMac;
        final long dstHi;
        final long dstLo;
        int flags = override ? NdDescriptor.FLAG_OVERRIDE : 0;
        if (fromUnspecified) {
            destinationMac = EthernetDescriptor.IPV6_ALL_NODES_MAC;
            dstHi = Ipv6Descriptor.ALL_NODES_HI;
            dstLo = Ipv6Descriptor.ALL_NODES_LO;
        } else {
            final int requesterMacOffset = solicitation.ndLinkLayerAddressOffset != ParsedPacket.NONE ?
                solicitation.ndLinkLayerAddressOffset : EthernetDescriptor.SOURCE_OFFSET;
            destinationMac = NetworkBytes.mac(memory, offset + requesterMacOffset);
            dstHi = solicitation.srcHi;
            dstLo = solicitation.srcLo;
            flags |= NdDescriptor.FLAG_SOLICITED;
        }
        putMac(memory, offset + EthernetDescriptor.DESTINATION_OFFSET, destinationMac);
        putMac(memory, offset + EthernetDescriptor.SOURCE_OFFSET, sourceMac);
        advertisement(memory, offset + l3, dstHi, dstLo, solicitation.ndTargetHi, solicitation.ndTargetLo, flags,
            answerMac);
        return length;
    }

    /**
     * Writes an unsolicited advertisement of target to all-nodes ff02::1 with the override flag set, so that
     * neighbors replace what they cached (RFC 4861 §7.2.6). Its IPv6 source is the target itself.
     *
     * @param memory    segment to write into.
     * @param offset    position of the frame's first byte.
     * @param capacity  bytes writable from offset.
     * @param sourceMac Ethernet source.
     * @param answerMac MAC the target link-layer address option gives for the target.
     * @param targetHi  high half of the advertised address (the VIP).
     * @param targetLo  low half of the advertised address.
     * @param vlanId    VLAN to tag the frame with, or {@link ParsedPacket#NONE}.
     * @return the frame length, or 0.
     */
    public static int unsolicitedAdvertisement(final MemorySegment memory, final long offset, final int capacity,
        final long sourceMac, final long answerMac, final long targetHi, final long targetLo, final int vlanId) {
        final int length = EthernetWriter.headerLength(vlanId) + ADVERTISEMENT_FRAME_TAIL;
        if (!EthernetWriter.fits(memory, offset, capacity, length)) {
            return 0;
        }
        final int l3 = EthernetWriter.header(memory, offset, EthernetDescriptor.IPV6_ALL_NODES_MAC, sourceMac, vlanId,
            EthernetDescriptor.ETHER_TYPE_IPV6);
        advertisement(memory, offset + l3, Ipv6Descriptor.ALL_NODES_HI, Ipv6Descriptor.ALL_NODES_LO, targetHi,
            targetLo, NdDescriptor.FLAG_OVERRIDE, answerMac);
        return length;
    }

    private static void advertisement(final MemorySegment memory, final long ip, final long dstHi, final long dstLo,
        final long targetHi, final long targetLo, final int flags, final long answerMac) {
        putU32(memory, ip + Ipv6Descriptor.VERSION_OFFSET, 6 << 28);
        putU16(memory, ip + Ipv6Descriptor.PAYLOAD_LENGTH_OFFSET, NdDescriptor.ADVERTISEMENT_LENGTH);
        putU8(memory, ip + Ipv6Descriptor.NEXT_HEADER_OFFSET, IpProtocol.ICMPV6);
        putU8(memory, ip + Ipv6Descriptor.HOP_LIMIT_OFFSET, Ipv6Descriptor.ND_HOP_LIMIT);
        putU64(memory, ip + Ipv6Descriptor.SOURCE_OFFSET, targetHi);
        putU64(memory, ip + Ipv6Descriptor.SOURCE_OFFSET + 8, targetLo);
        putU64(memory, ip + Ipv6Descriptor.DESTINATION_OFFSET, dstHi);
        putU64(memory, ip + Ipv6Descriptor.DESTINATION_OFFSET + 8, dstLo);

        final long icmp = ip + Ipv6Descriptor.HEADER_LENGTH;
        putU8(memory, icmp + IcmpDescriptor.TYPE_OFFSET, NdDescriptor.TYPE_NEIGHBOR_ADVERTISEMENT);
        putU8(memory, icmp + IcmpDescriptor.CODE_OFFSET, 0);
        putU16(memory, icmp + IcmpDescriptor.CHECKSUM_OFFSET, 0);
        putU32(memory, icmp + NdDescriptor.FLAGS_OFFSET, flags << 24);
        putU64(memory, icmp + NdDescriptor.TARGET_OFFSET, targetHi);
        putU64(memory, icmp + NdDescriptor.TARGET_OFFSET + 8, targetLo);
        final long option = icmp + NdDescriptor.NEIGHBOR_OPTIONS_OFFSET;
        putU8(memory, option, NdDescriptor.OPTION_TARGET_LINK_LAYER_ADDRESS);
        putU8(memory, option + NdDescriptor.OPTION_LENGTH_OFFSET, 1);
        putMac(memory, option + NdDescriptor.OPTION_ADDRESS_OFFSET, answerMac);
        putU16(memory, icmp + IcmpDescriptor.CHECKSUM_OFFSET, Checksums.icmpv6(memory, icmp,
            NdDescriptor.ADVERTISEMENT_LENGTH, targetHi, targetLo, dstHi, dstLo));
    }
}
