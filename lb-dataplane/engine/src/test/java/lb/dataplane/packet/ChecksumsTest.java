package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.SplittableRandom;

import lb.dataplane.net.IpProtocol;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecksumsTest {
    @Test
    void shouldMatchTheWorkedExampleOfRfc1071() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 2ddf0, which folds to ddf2.
        final MemorySegment bytes = MemorySegment.ofArray(HexFormat.of().parseHex("0001f203f4f5f6f7"));

        assertEquals(0xDDF2, Checksums.fold(Checksums.sum(bytes, 0, 8)));
        assertEquals(0x220D, Checksums.internet(bytes, 0, 8));
    }

    @Test
    void shouldChecksumAnIpv4HeaderAndCountAnOddLastByteAsAHighByte() {
        // A well-known IPv4 header (192.168.0.1 -> 192.168.0.199, UDP) whose checksum is b861.
        final MemorySegment header = MemorySegment.ofArray(
            HexFormat.of().parseHex("450000730000400040110000c0a80001c0a800c7"));
        assertEquals(0xB861, Checksums.internet(header, 0, 20));

        final MemorySegment odd = MemorySegment.ofArray(HexFormat.of().parseHex("0102ab"));
        assertEquals(0x0102 + 0xAB00, Checksums.fold(Checksums.sum(odd, 0, 3)));
    }

    @Test
    void shouldAgreeWithAnIndependentChecksumOnRandomIcmpv6Messages() {
        final long seed = Long.getLong("lb.seed", System.nanoTime());
        System.out.println("ChecksumsTest seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
            final byte[] src = new byte[16];
            final byte[] dst = new byte[16];
            final byte[] message = new byte[4 + random.nextInt(1500)];
            random.nextBytes(src);
            random.nextBytes(dst);
            random.nextBytes(message);
            message[2] = 0;
            message[3] = 0;
            final byte[] pseudo = Packets.concat(src, dst, Packets.octets(message.length >>> 24, message.length >>> 16,
                message.length >>> 8, message.length, 0, 0, 0, IpProtocol.ICMPV6));
            final int expected = Packets.checksum(pseudo, message);
            final MemorySegment memory = MemorySegment.ofArray(message);
            final long srcHi = Packets.hi(src);
            final long srcLo = Packets.lo(src);
            final long dstHi = Packets.hi(dst);
            final long dstLo = Packets.lo(dst);

            final int actual = Checksums.icmpv6(memory, 0, message.length, srcHi, srcLo, dstHi, dstLo);

            assertEquals(expected, actual, "seed " + seed + " message " + i);
            message[2] = (byte)(actual >>> 8);
            message[3] = (byte)actual;
            assertTrue(Checksums.icmpv6Valid(memory, 0, message.length, srcHi, srcLo, dstHi, dstLo));
            message[message.length - 1] ^= 0x10;
            assertFalse(Checksums.icmpv6Valid(memory, 0, message.length, srcHi, srcLo, dstHi, dstLo));
        }
    }
}
