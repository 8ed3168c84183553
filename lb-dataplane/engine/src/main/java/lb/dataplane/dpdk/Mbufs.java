package lb.dataplane.dpdk;

import java.lang.foreign.MemorySegment;

import lb.dataplane.ffi.rte_mbuf;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * Reads and writes the {@code struct rte_mbuf} fields the packet path uses, by mbuf address, through
 * one segment spanning all native memory: no segment per mbuf, no allocation. Offsets are the bindings'
 * (checked against the C compiler's at start-up by {@link LayoutFacts}).
 */
public final class Mbufs {
    /** All native memory; frames are read and written at their absolute addresses. */
    public static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final long BUF_ADDR = rte_mbuf.buf_addr$offset();
    private static final long DATA_OFF = rte_mbuf.data_off$offset();
    private static final long DATA_LEN = rte_mbuf.data_len$offset();
    private static final long PKT_LEN = rte_mbuf.pkt_len$offset();
    private static final long BUF_LEN = rte_mbuf.buf_len$offset();

    private Mbufs() {
    }

    /**
     * @param mbuf mbuf address.
     * @return absolute address of its first data byte (rte_pktmbuf_mtod).
     */
    public static long data(final long mbuf) {
        return NATIVE.get(JAVA_LONG_UNALIGNED, mbuf + BUF_ADDR) + Short.toUnsignedInt(NATIVE.get(JAVA_SHORT_UNALIGNED,
            mbuf + DATA_OFF));
    }

    /**
     * @param mbuf mbuf address.
     * @return bytes of data in its first segment.
     */
    public static int dataLength(final long mbuf) {
        return Short.toUnsignedInt(NATIVE.get(JAVA_SHORT_UNALIGNED, mbuf + DATA_LEN));
    }

    /**
     * @param mbuf mbuf address.
     * @return bytes writable from the first data byte to the end of its buffer.
     */
    public static int capacity(final long mbuf) {
        return Short.toUnsignedInt(NATIVE.get(JAVA_SHORT_UNALIGNED, mbuf + BUF_LEN)) -
            Short.toUnsignedInt(NATIVE.get(JAVA_SHORT_UNALIGNED, mbuf + DATA_OFF));
    }

    /**
     * Sets a single-segment mbuf's data and packet length (after rewriting its frame in place).
     *
     * @param mbuf   mbuf address.
     * @param length new length.
     */
    public static void setLength(final long mbuf, final int length) {
        NATIVE.set(JAVA_SHORT_UNALIGNED, mbuf + DATA_LEN, (short)length);
        NATIVE.set(JAVA_INT_UNALIGNED, mbuf + PKT_LEN, length);
    }
}
