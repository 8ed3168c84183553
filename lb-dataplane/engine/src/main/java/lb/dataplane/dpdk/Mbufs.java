package lb.dataplane.dpdk;

import lb.dataplane.ffi.rte_mbuf;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static lb.dataplane.memory.UncheckedMemory.NATIVE;

/**
 * Reads and writes the {@code struct rte_mbuf} fields the packet path uses, by mbuf address, through the one
 * segment spanning all native memory ({@code UncheckedMemory.NATIVE}): no segment per mbuf, no allocation. Offsets
 * are the bindings' (checked against the C compiler's at start-up by {@link LayoutFacts}).
 */
public final class Mbufs {
    /** Bytes of a {@code struct rte_mbuf}. */
    public static final long SIZE = rte_mbuf.sizeof();

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
     * Lays out an mbuf that is not DPDK's (see {@code lb.dataplane.port.memory.MemoryPorts}): its buffer, the headroom
     * before its first data byte, and no data yet. Only the fields this class reads are written.
     *
     * @param mbuf         address of {@link #SIZE} bytes for the {@code struct rte_mbuf}.
     * @param buffer       address of its data buffer.
     * @param bufferLength the buffer's length, at most 65535.
     * @param headroom     bytes before the first data byte.
     */
    public static void format(final long mbuf, final long buffer, final int bufferLength, final int headroom) {
        NATIVE.set(JAVA_LONG_UNALIGNED, mbuf + BUF_ADDR, buffer);
        NATIVE.set(JAVA_SHORT_UNALIGNED, mbuf + BUF_LEN, (short)bufferLength);
        NATIVE.set(JAVA_SHORT_UNALIGNED, mbuf + DATA_OFF, (short)headroom);
        setLength(mbuf, 0);
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
