package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) reads and writes at absolute positions of a segment. Callers check the frame's
 * bounds first; the segment's own bounds check is then only a backstop that never fires.
 */
final class NetworkBytes {
    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private NetworkBytes() {
    }

    static int u8(final MemorySegment memory, final long at) {
        return memory.get(U8, at) & 0xFF;
    }

    static int u16(final MemorySegment memory, final long at) {
        return memory.get(U16, at) & 0xFFFF;
    }

    static int u32(final MemorySegment memory, final long at) {
        return memory.get(U32, at);
    }

    static long u64(final MemorySegment memory, final long at) {
        return memory.get(U64, at);
    }

    /** A MAC address as the low 48 bits of a long, first byte on the wire in bits 47..40. */
    static long mac(final MemorySegment memory, final long at) {
        return ((long)u16(memory, at) << 32) | (u32(memory, at + 2) & 0xFFFF_FFFFL);
    }

    static void putU8(final MemorySegment memory, final long at, final int value) {
        memory.set(U8, at, (byte)value);
    }

    static void putU16(final MemorySegment memory, final long at, final int value) {
        memory.set(U16, at, (short)value);
    }

    static void putU32(final MemorySegment memory, final long at, final int value) {
        memory.set(U32, at, value);
    }

    static void putU64(final MemorySegment memory, final long at, final long value) {
        memory.set(U64, at, value);
    }

    static void putMac(final MemorySegment memory, final long at, final long mac) {
        putU16(memory, at, (int)(mac >>> 32));
        putU32(memory, at + 2, (int)mac);
    }
}
