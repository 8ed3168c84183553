package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;

import lb.dataplane.net.IpProtocol;

/**
 * The Internet checksum (RFC 1071) over bytes in a segment, and the IPv6 pseudo-header that ICMPv6, TCP and UDP
 * checksums cover (RFC 8200 §8.1).
 *
 * <p>Sums are kept unfolded in a long: 32-bit words can be added straight in, because 2^32 = 1 modulo 2^16 - 1,
 * the modulus of one's complement arithmetic, and a long cannot overflow for any IP packet.
 */
public final class Checksums {
    private Checksums() {
    }

    /**
     * @param memory segment holding the bytes.
     * @param at     absolute position of the first byte.
     * @param length bytes to sum; an odd last byte counts as the high byte of a word.
     * @return an unfolded one's complement sum of the bytes as big-endian 16-bit words; only its {@link #fold}
     *     is defined, as the words may have been added 32 bits at a time.
     */
    public static long sum(final MemorySegment memory, final long at, final int length) {
        long sum = 0;
        long position = at;
        final long end = at + length;
        while (end - position >= 4) {
            sum += NetworkBytes.u32(memory, position) & 0xFFFF_FFFFL;
            position += 4;
        }
        if (end - position >= 2) {
            sum += NetworkBytes.u16(memory, position);
            position += 2;
        }
        if (position < end) {
            sum += NetworkBytes.u8(memory, position) << 8;
        }
        return sum;
    }

    /**
     * @param sum an unfolded sum.
     * @return the sum folded to 16 bits with end-around carry.
     */
    public static int fold(final long sum) {
        long folded = (sum >>> 32) + (sum & 0xFFFF_FFFFL);
        folded = (folded >>> 16) + (folded & 0xFFFF);
        folded = (folded >>> 16) + (folded & 0xFFFF);
        folded = (folded >>> 16) + (folded & 0xFFFF);
        return (int)folded;
    }

    /**
     * @param memory segment holding the bytes, with the checksum field zero.
     * @param at     absolute position of the first byte.
     * @param length bytes covered.
     * @return the checksum to store, as for an IPv4 header or an ICMP message.
     */
    public static int internet(final MemorySegment memory, final long at, final int length) {
        return ~fold(sum(memory, at, length)) & 0xFFFF;
    }

    /**
     * @param srcHi       high half of the IPv6 source address.
     * @param srcLo       low half of the IPv6 source address.
     * @param dstHi       high half of the IPv6 destination address.
     * @param dstLo       low half of the IPv6 destination address.
     * @param upperLength length of the upper-layer packet.
     * @param nextHeader  upper-layer protocol number.
     * @return the unfolded sum of the IPv6 pseudo-header.
     */
    public static long ipv6PseudoHeaderSum(final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final int upperLength, final int nextHeader) {
        return halves(srcHi) + halves(srcLo) + halves(dstHi) + halves(dstLo) +
            (upperLength & 0xFFFF_FFFFL) + nextHeader;
    }

    /**
     * @param memory segment holding the ICMPv6 message, with its checksum field zero.
     * @param at     absolute position of the message.
     * @param length length of the message.
     * @param srcHi  high half of the IPv6 source address.
     * @param srcLo  low half of the IPv6 source address.
     * @param dstHi  high half of the IPv6 destination address.
     * @param dstLo  low half of the IPv6 destination address.
     * @return the checksum to store.
     */
    public static int icmpv6(final MemorySegment memory, final long at, final int length,
        final long srcHi, final long srcLo, final long dstHi, final long dstLo) {
        final long pseudo = ipv6PseudoHeaderSum(srcHi, srcLo, dstHi, dstLo, length, IpProtocol.ICMPV6);
        return ~fold(pseudo + sum(memory, at, length)) & 0xFFFF;
    }

    /**
     * @param memory segment holding the ICMPv6 message, checksum field as received.
     * @param at     absolute position of the message.
     * @param length length of the message.
     * @param srcHi  high half of the IPv6 source address.
     * @param srcLo  low half of the IPv6 source address.
     * @param dstHi  high half of the IPv6 destination address.
     * @param dstLo  low half of the IPv6 destination address.
     * @return whether the checksum is right.
     */
    public static boolean icmpv6Valid(final MemorySegment memory, final long at, final int length,
        final long srcHi, final long srcLo, final long dstHi, final long dstLo) {
        final long pseudo = ipv6PseudoHeaderSum(srcHi, srcLo, dstHi, dstLo, length, IpProtocol.ICMPV6);
        return fold(pseudo + sum(memory, at, length)) == 0xFFFF;
    }

    private static long halves(final long value) {
        return (value >>> 32) + (value & 0xFFFF_FFFFL);
    }
}
