package lb.dataplane.pipeline;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads and writes 48-bit MAC addresses in place, as the low 48 bits of a long (network order).
 */
final class Macs {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Macs() {
    }

    static long get(final MemorySegment memory, final long at) {
        return ((long)Short.toUnsignedInt(memory.get(U16, at)) << 32) | Integer.toUnsignedLong(memory.get(U32, at + 2));
    }

    static void put(final MemorySegment memory, final long at, final long mac) {
        memory.set(U16, at, (short)(mac >>> 32));
        memory.set(U32, at + 2, (int)mac);
    }

    static boolean isGroup(final long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }
}
