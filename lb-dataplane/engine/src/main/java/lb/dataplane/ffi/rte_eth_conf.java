// Generated in the shape of jextract's output; see Dpdk.java.

package lb.dataplane.ffi;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code struct rte_eth_conf} (rte_ethdev.h), the fields lb sets: {@code rxmode.mq_mode} as {@code rxmode_mq_mode}
 * and {@code rx_adv_conf.rss_conf.{rss_key, rss_key_len, rss_hf}} as {@code rss_*}, at the offsets the shim reports;
 * the rest (nested structs and unions) is padding, passed zero-filled so every other setting is the default.
 */
public class rte_eth_conf {

    rte_eth_conf() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.paddingLayout(8),
        Dpdk.C_INT.withName("rxmode_mq_mode"),
        MemoryLayout.paddingLayout(116),
        Dpdk.C_POINTER.withName("rss_key"),
        Dpdk.C_CHAR.withName("rss_key_len"),
        MemoryLayout.paddingLayout(7),
        Dpdk.C_LONG.withName("rss_hf"),
        MemoryLayout.paddingLayout(2120)
    ).withName("rte_eth_conf");

    /**
     * The layout of this struct.
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt rxmode_mq_mode$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("rxmode_mq_mode"));

    /**
     * Layout for field rte_eth_conf.rxmode_mq_mode.
     */
    public static final ValueLayout.OfInt rxmode_mq_mode$layout() {
        return rxmode_mq_mode$LAYOUT;
    }

    private static final long rxmode_mq_mode$OFFSET = 8;

    /**
     * Offset for field rte_eth_conf.rxmode_mq_mode.
     */
    public static final long rxmode_mq_mode$offset() {
        return rxmode_mq_mode$OFFSET;
    }

    /**
     * Getter for field rte_eth_conf.rxmode_mq_mode.
     */
    public static int rxmode_mq_mode(MemorySegment struct) {
        return struct.get(rxmode_mq_mode$LAYOUT, rxmode_mq_mode$OFFSET);
    }

    /**
     * Setter for field rte_eth_conf.rxmode_mq_mode.
     */
    public static void rxmode_mq_mode(MemorySegment struct, int fieldValue) {
        struct.set(rxmode_mq_mode$LAYOUT, rxmode_mq_mode$OFFSET, fieldValue);
    }

    private static final java.lang.foreign.AddressLayout rss_key$LAYOUT = (java.lang.foreign.AddressLayout) $LAYOUT.select(groupElement("rss_key"));

    /**
     * Layout for field rte_eth_conf.rss_key.
     */
    public static final java.lang.foreign.AddressLayout rss_key$layout() {
        return rss_key$LAYOUT;
    }

    private static final long rss_key$OFFSET = 128;

    /**
     * Offset for field rte_eth_conf.rss_key.
     */
    public static final long rss_key$offset() {
        return rss_key$OFFSET;
    }

    /**
     * Getter for field rte_eth_conf.rss_key.
     */
    public static MemorySegment rss_key(MemorySegment struct) {
        return struct.get(rss_key$LAYOUT, rss_key$OFFSET);
    }

    /**
     * Setter for field rte_eth_conf.rss_key.
     */
    public static void rss_key(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(rss_key$LAYOUT, rss_key$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfByte rss_key_len$LAYOUT = (ValueLayout.OfByte) $LAYOUT.select(groupElement("rss_key_len"));

    /**
     * Layout for field rte_eth_conf.rss_key_len.
     */
    public static final ValueLayout.OfByte rss_key_len$layout() {
        return rss_key_len$LAYOUT;
    }

    private static final long rss_key_len$OFFSET = 136;

    /**
     * Offset for field rte_eth_conf.rss_key_len.
     */
    public static final long rss_key_len$offset() {
        return rss_key_len$OFFSET;
    }

    /**
     * Getter for field rte_eth_conf.rss_key_len.
     */
    public static byte rss_key_len(MemorySegment struct) {
        return struct.get(rss_key_len$LAYOUT, rss_key_len$OFFSET);
    }

    /**
     * Setter for field rte_eth_conf.rss_key_len.
     */
    public static void rss_key_len(MemorySegment struct, byte fieldValue) {
        struct.set(rss_key_len$LAYOUT, rss_key_len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong rss_hf$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("rss_hf"));

    /**
     * Layout for field rte_eth_conf.rss_hf.
     */
    public static final ValueLayout.OfLong rss_hf$layout() {
        return rss_hf$LAYOUT;
    }

    private static final long rss_hf$OFFSET = 144;

    /**
     * Offset for field rte_eth_conf.rss_hf.
     */
    public static final long rss_hf$offset() {
        return rss_hf$OFFSET;
    }

    /**
     * Getter for field rte_eth_conf.rss_hf.
     */
    public static long rss_hf(MemorySegment struct) {
        return struct.get(rss_hf$LAYOUT, rss_hf$OFFSET);
    }

    /**
     * Setter for field rte_eth_conf.rss_hf.
     */
    public static void rss_hf(MemorySegment struct, long fieldValue) {
        struct.set(rss_hf$LAYOUT, rss_hf$OFFSET, fieldValue);
    }

    /**
     * The size (in bytes) of this struct.
     */
    public static long sizeof() {
        return layout().byteSize();
    }

    /**
     * Allocate a segment of size {@code layout().byteSize()} using {@code allocator}.
     */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }
}
