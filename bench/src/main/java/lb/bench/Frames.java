package lb.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import lb.dataplane.packet.TcpDescriptor;

/**
 * Writes benchmark frames into memory: Ethernet + IPv4 + TCP, a SYN (a connection start) or an ACK (a segment of a
 * tracked connection).
 */
final class Frames {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int LENGTH = 14 + 20 + 20;

    private Frames() {
    }

    /**
     * @param flags TCP flags: TcpDescriptor.SYN (a connection start) or TcpDescriptor.ACK (a segment of an established one).
     * @return the frame length (60, padded).
     */
    static int tcp(final MemorySegment memory, final long at, final int src, final int srcPort, final int dst,
        final int dstPort, final int flags) {
        memory.asSlice(at, 60).fill((byte)0);
        memory.set(U16, at, (short)0x02BF);
        memory.set(U32, at + 2, dst);
        memory.set(U16, at + 6, (short)0x0200);
        memory.set(U32, at + 8, 0x5E000007);
        memory.set(U16, at + 12, (short)0x0800);
        final long ip = at + 14;
        memory.set(U16, ip, (short)0x4500);
        memory.set(U16, ip + 2, (short)40);
        memory.set(U16, ip + 6, (short)0x4000);
        memory.set(U16, ip + 8, (short)(64 << 8 | 6));
        memory.set(U32, ip + 12, src);
        memory.set(U32, ip + 16, dst);
        final long tcp = ip + 20;
        memory.set(U16, tcp, (short)srcPort);
        memory.set(U16, tcp + 2, (short)dstPort);
        memory.set(U16, tcp + 12, (short)(5 << 12 | flags));
        memory.set(U16, tcp + 14, (short)65535);
        return Math.max(LENGTH, 60);
    }
}
