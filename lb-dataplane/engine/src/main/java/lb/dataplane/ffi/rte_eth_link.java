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
 * {@code struct rte_eth_link} (rte_ethdev.h). The C struct declares three one-bit fields after link_speed
 * (link_duplex, link_autoneg, link_status, allocated from the least significant bit by GCC on x86-64);
 * FFM has no bit fields, so they are read together as {@code link_flags}: bit 0 duplex, bit 1 autoneg,
 * bit 2 status. The struct is {@code __rte_aligned(8)}.
 */
public class rte_eth_link {

    rte_eth_link() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        Dpdk.C_INT.withName("link_speed"),
        Dpdk.C_SHORT.withName("link_flags"),
        MemoryLayout.paddingLayout(2)
    ).withByteAlignment(8).withName("rte_eth_link");

    /**
     * The layout of this struct.
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt link_speed$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("link_speed"));

    /**
     * Layout for field rte_eth_link.link_speed.
     */
    public static final ValueLayout.OfInt link_speed$layout() {
        return link_speed$LAYOUT;
    }

    private static final long link_speed$OFFSET = 0;

    /**
     * Offset for field rte_eth_link.link_speed.
     */
    public static final long link_speed$offset() {
        return link_speed$OFFSET;
    }

    /**
     * Getter for field rte_eth_link.link_speed.
     */
    public static int link_speed(MemorySegment struct) {
        return struct.get(link_speed$LAYOUT, link_speed$OFFSET);
    }

    /**
     * Setter for field rte_eth_link.link_speed.
     */
    public static void link_speed(MemorySegment struct, int fieldValue) {
        struct.set(link_speed$LAYOUT, link_speed$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort link_flags$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("link_flags"));

    /**
     * Layout for field rte_eth_link.link_flags.
     */
    public static final ValueLayout.OfShort link_flags$layout() {
        return link_flags$LAYOUT;
    }

    private static final long link_flags$OFFSET = 4;

    /**
     * Offset for field rte_eth_link.link_flags.
     */
    public static final long link_flags$offset() {
        return link_flags$OFFSET;
    }

    /**
     * Getter for field rte_eth_link.link_flags.
     */
    public static short link_flags(MemorySegment struct) {
        return struct.get(link_flags$LAYOUT, link_flags$OFFSET);
    }

    /**
     * Setter for field rte_eth_link.link_flags.
     */
    public static void link_flags(MemorySegment struct, short fieldValue) {
        struct.set(link_flags$LAYOUT, link_flags$OFFSET, fieldValue);
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
