package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;

import static lb.dataplane.packet.NetworkBytes.putMac;
import static lb.dataplane.packet.NetworkBytes.putU16;
import static lb.dataplane.packet.NetworkBytes.putU32;
import static lb.dataplane.packet.NetworkBytes.putU8;

/**
 * Writes the ARP frames the responder sends for a VIP, in place in an mbuf's data room, allocating nothing.
 *
 * <p>Two MACs are separate parameters because NLB needs them apart: {@code answerMac} is the one the ARP payload
 * names for the VIP (the cluster MAC), {@code sourceMac} the Ethernet source (the host's masked MAC, so switches
 * never learn the cluster MAC). MACs are the low 48 bits of a long, first byte on the wire in bits 47..40. Frames
 * shorter than 60 bytes are zero-padded to it. A writer returns 0, and may have written nothing, when the frame
 * does not fit in capacity or its input is not what it answers.
 */
public final class ArpWriter {
    private ArpWriter() {
    }

    /**
     * Turns a parsed ARP request into the reply, in the same buffer, keeping its VLAN tags (RFC 826: swap sender and
     * target, name answerMac for the requested address, send to the requester).
     *
     * @param memory    segment holding the request.
     * @param offset    position of the request's first byte, as it was parsed.
     * @param capacity  bytes writable from offset.
     * @param request   what the parser made of the request; anything but a well-formed request gets no reply.
     * @param sourceMac Ethernet source of the reply.
     * @param answerMac MAC the reply gives for the VIP.
     * @return the reply's frame length, or 0.
     */
    public static int reply(final MemorySegment memory, final long offset, final int capacity,
        final ParsedPacket request, final long sourceMac, final long answerMac) {
        // A parse that dropped the frame leaves the opcode 0, so this also refuses to answer a malformed request.
        if (request.kind != FrameKind.ARP || request.arpOpcode != ArpDescriptor.OPCODE_REQUEST) {
            return 0;
        }
        final int l3 = request.l3Offset;
        final int length = l3 + ArpDescriptor.LENGTH;
        if (!EthernetWriter.fits(memory, offset, capacity, Math.max(length, EthernetDescriptor.MIN_FRAME_LENGTH))) {
            return 0;
        }
        final long requesterMac = NetworkBytes.mac(memory, offset + request.arpSenderMacOffset);
        putMac(memory, offset + EthernetDescriptor.DESTINATION_OFFSET, requesterMac);
        putMac(memory, offset + EthernetDescriptor.SOURCE_OFFSET, sourceMac);
        arp(memory, offset + l3, ArpDescriptor.OPCODE_REPLY, answerMac, request.arpTargetIp, requesterMac,
            request.arpSenderIp);
        return EthernetWriter.pad(memory, offset, length);
    }

    /**
     * Writes a gratuitous ARP request announcing the VIP to the broadcast domain: sender and target address both
     * the VIP, target hardware address zero (RFC 5227 §3).
     *
     * @param memory    segment to write into.
     * @param offset    position of the frame's first byte.
     * @param capacity  bytes writable from offset.
     * @param sourceMac Ethernet source.
     * @param answerMac MAC announced for the VIP.
     * @param vip       the VIP, first octet in the top byte.
     * @param vlanId    VLAN to tag the frame with, or {@link ParsedPacket#NONE}.
     * @return the frame length, or 0.
     */
    public static int gratuitousRequest(final MemorySegment memory, final long offset, final int capacity,
        final long sourceMac, final long answerMac, final int vip, final int vlanId) {
        return gratuitous(memory, offset, capacity, ArpDescriptor.OPCODE_REQUEST, sourceMac, answerMac, 0L, vip,
            vlanId);
    }

    /**
     * Writes a gratuitous ARP reply announcing the VIP, broadcast: sender and target address both the VIP, target
     * hardware address the announced MAC as well (RFC 5944 §4.6), for hosts that only learn from replies.
     *
     * @param memory    segment to write into.
     * @param offset    position of the frame's first byte.
     * @param capacity  bytes writable from offset.
     * @param sourceMac Ethernet source.
     * @param answerMac MAC announced for the VIP.
     * @param vip       the VIP, first octet in the top byte.
     * @param vlanId    VLAN to tag the frame with, or {@link ParsedPacket#NONE}.
     * @return the frame length, or 0.
     */
    public static int gratuitousReply(final MemorySegment memory, final long offset, final int capacity,
        final long sourceMac, final long answerMac, final int vip, final int vlanId) {
        return gratuitous(memory, offset, capacity, ArpDescriptor.OPCODE_REPLY, sourceMac, answerMac, answerMac, vip,
            vlanId);
    }

    private static int gratuitous(final MemorySegment memory, final long offset, final int capacity, final int opcode,
        final long sourceMac, final long answerMac, final long targetMac, final int vip, final int vlanId) {
        final int length = EthernetWriter.headerLength(vlanId) + ArpDescriptor.LENGTH;
        if (!EthernetWriter.fits(memory, offset, capacity, Math.max(length, EthernetDescriptor.MIN_FRAME_LENGTH))) {
            return 0;
        }
        final int l3 = EthernetWriter.header(memory, offset, EthernetDescriptor.BROADCAST_MAC, sourceMac, vlanId,
            EthernetDescriptor.ETHER_TYPE_ARP);
        arp(memory, offset + l3, opcode, answerMac, vip, targetMac, vip);
        return EthernetWriter.pad(memory, offset, length);
    }

    private static void arp(final MemorySegment memory, final long at, final int opcode, final long senderMac,
        final int senderIp, final long targetMac, final int targetIp) {
        putU16(memory, at + ArpDescriptor.HARDWARE_TYPE_OFFSET, ArpDescriptor.HARDWARE_TYPE_ETHERNET);
        putU16(memory, at + ArpDescriptor.PROTOCOL_TYPE_OFFSET, EthernetDescriptor.ETHER_TYPE_IPV4);
        putU8(memory, at + ArpDescriptor.HARDWARE_LENGTH_OFFSET, EthernetDescriptor.MAC_LENGTH);
        putU8(memory, at + ArpDescriptor.PROTOCOL_LENGTH_OFFSET, 4);
        putU16(memory, at + ArpDescriptor.OPCODE_OFFSET, opcode);
        putMac(memory, at + ArpDescriptor.SENDER_MAC_OFFSET, senderMac);
        putU32(memory, at + ArpDescriptor.SENDER_IP_OFFSET, senderIp);
        putMac(memory, at + ArpDescriptor.TARGET_MAC_OFFSET, targetMac);
        putU32(memory, at + ArpDescriptor.TARGET_IP_OFFSET, targetIp);
    }
}
