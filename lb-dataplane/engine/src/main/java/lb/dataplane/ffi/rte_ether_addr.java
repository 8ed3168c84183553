// Generated in the shape of jextract's output; see Dpdk.java.

package lb.dataplane.ffi;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code struct rte_ether_addr} (rte_ether.h): six address bytes, 2-byte aligned.
 */
public class rte_ether_addr {

    rte_ether_addr() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(6, Dpdk.C_CHAR).withName("addr_bytes")
    ).withByteAlignment(2).withName("rte_ether_addr");

    /**
     * The layout of this struct.
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final SequenceLayout addr_bytes$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("addr_bytes"));

    /**
     * Layout for field rte_ether_addr.addr_bytes.
     */
    public static final SequenceLayout addr_bytes$layout() {
        return addr_bytes$LAYOUT;
    }

    private static final long addr_bytes$OFFSET = 0;

    /**
     * Offset for field rte_ether_addr.addr_bytes.
     */
    public static final long addr_bytes$offset() {
        return addr_bytes$OFFSET;
    }

    /**
     * Indexed getter for field rte_ether_addr.addr_bytes.
     */
    public static byte addr_bytes(MemorySegment struct, long index0) {
        return struct.get(Dpdk.C_CHAR, addr_bytes$OFFSET + index0);
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
