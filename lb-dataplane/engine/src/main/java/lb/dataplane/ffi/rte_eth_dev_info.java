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
 * {@code struct rte_eth_dev_info} (rte_ethdev.h), the fields lb reads, at the offsets the shim reports; the rest is padding.
 */
public class rte_eth_dev_info {

    rte_eth_dev_info() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.paddingLayout(44),
        Dpdk.C_SHORT.withName("max_rx_queues"),
        Dpdk.C_SHORT.withName("max_tx_queues"),
        MemoryLayout.paddingLayout(58),
        Dpdk.C_CHAR.withName("hash_key_size"),
        MemoryLayout.paddingLayout(5),
        Dpdk.C_LONG.withName("flow_type_rss_offloads"),
        MemoryLayout.paddingLayout(256)
    ).withName("rte_eth_dev_info");

    /**
     * The layout of this struct.
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfShort max_rx_queues$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("max_rx_queues"));

    /**
     * Layout for field rte_eth_dev_info.max_rx_queues.
     */
    public static final ValueLayout.OfShort max_rx_queues$layout() {
        return max_rx_queues$LAYOUT;
    }

    private static final long max_rx_queues$OFFSET = 44;

    /**
     * Offset for field rte_eth_dev_info.max_rx_queues.
     */
    public static final long max_rx_queues$offset() {
        return max_rx_queues$OFFSET;
    }

    /**
     * Getter for field rte_eth_dev_info.max_rx_queues.
     */
    public static short max_rx_queues(MemorySegment struct) {
        return struct.get(max_rx_queues$LAYOUT, max_rx_queues$OFFSET);
    }

    /**
     * Setter for field rte_eth_dev_info.max_rx_queues.
     */
    public static void max_rx_queues(MemorySegment struct, short fieldValue) {
        struct.set(max_rx_queues$LAYOUT, max_rx_queues$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort max_tx_queues$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("max_tx_queues"));

    /**
     * Layout for field rte_eth_dev_info.max_tx_queues.
     */
    public static final ValueLayout.OfShort max_tx_queues$layout() {
        return max_tx_queues$LAYOUT;
    }

    private static final long max_tx_queues$OFFSET = 46;

    /**
     * Offset for field rte_eth_dev_info.max_tx_queues.
     */
    public static final long max_tx_queues$offset() {
        return max_tx_queues$OFFSET;
    }

    /**
     * Getter for field rte_eth_dev_info.max_tx_queues.
     */
    public static short max_tx_queues(MemorySegment struct) {
        return struct.get(max_tx_queues$LAYOUT, max_tx_queues$OFFSET);
    }

    /**
     * Setter for field rte_eth_dev_info.max_tx_queues.
     */
    public static void max_tx_queues(MemorySegment struct, short fieldValue) {
        struct.set(max_tx_queues$LAYOUT, max_tx_queues$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfByte hash_key_size$LAYOUT = (ValueLayout.OfByte) $LAYOUT.select(groupElement("hash_key_size"));

    /**
     * Layout for field rte_eth_dev_info.hash_key_size.
     */
    public static final ValueLayout.OfByte hash_key_size$layout() {
        return hash_key_size$LAYOUT;
    }

    private static final long hash_key_size$OFFSET = 106;

    /**
     * Offset for field rte_eth_dev_info.hash_key_size.
     */
    public static final long hash_key_size$offset() {
        return hash_key_size$OFFSET;
    }

    /**
     * Getter for field rte_eth_dev_info.hash_key_size.
     */
    public static byte hash_key_size(MemorySegment struct) {
        return struct.get(hash_key_size$LAYOUT, hash_key_size$OFFSET);
    }

    /**
     * Setter for field rte_eth_dev_info.hash_key_size.
     */
    public static void hash_key_size(MemorySegment struct, byte fieldValue) {
        struct.set(hash_key_size$LAYOUT, hash_key_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong flow_type_rss_offloads$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("flow_type_rss_offloads"));

    /**
     * Layout for field rte_eth_dev_info.flow_type_rss_offloads.
     */
    public static final ValueLayout.OfLong flow_type_rss_offloads$layout() {
        return flow_type_rss_offloads$LAYOUT;
    }

    private static final long flow_type_rss_offloads$OFFSET = 112;

    /**
     * Offset for field rte_eth_dev_info.flow_type_rss_offloads.
     */
    public static final long flow_type_rss_offloads$offset() {
        return flow_type_rss_offloads$OFFSET;
    }

    /**
     * Getter for field rte_eth_dev_info.flow_type_rss_offloads.
     */
    public static long flow_type_rss_offloads(MemorySegment struct) {
        return struct.get(flow_type_rss_offloads$LAYOUT, flow_type_rss_offloads$OFFSET);
    }

    /**
     * Setter for field rte_eth_dev_info.flow_type_rss_offloads.
     */
    public static void flow_type_rss_offloads(MemorySegment struct, long fieldValue) {
        struct.set(flow_type_rss_offloads$LAYOUT, flow_type_rss_offloads$OFFSET, fieldValue);
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
