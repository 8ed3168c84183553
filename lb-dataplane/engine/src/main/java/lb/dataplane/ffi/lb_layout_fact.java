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
 * {@code struct lb_layout_fact} (lb_shim.h): one compile-time fact, a name and a value.
 */
public class lb_layout_fact {

    lb_layout_fact() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        Dpdk.C_POINTER.withName("name"),
        Dpdk.C_LONG.withName("value")
    ).withName("lb_layout_fact");

    /**
     * The layout of this struct.
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final java.lang.foreign.AddressLayout name$LAYOUT = (java.lang.foreign.AddressLayout) $LAYOUT.select(groupElement("name"));

    /**
     * Layout for field lb_layout_fact.name.
     */
    public static final java.lang.foreign.AddressLayout name$layout() {
        return name$LAYOUT;
    }

    private static final long name$OFFSET = 0;

    /**
     * Offset for field lb_layout_fact.name.
     */
    public static final long name$offset() {
        return name$OFFSET;
    }

    /**
     * Getter for field lb_layout_fact.name.
     */
    public static MemorySegment name(MemorySegment struct) {
        return struct.get(name$LAYOUT, name$OFFSET);
    }

    /**
     * Setter for field lb_layout_fact.name.
     */
    public static void name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(name$LAYOUT, name$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong value$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("value"));

    /**
     * Layout for field lb_layout_fact.value.
     */
    public static final ValueLayout.OfLong value$layout() {
        return value$LAYOUT;
    }

    private static final long value$OFFSET = 8;

    /**
     * Offset for field lb_layout_fact.value.
     */
    public static final long value$offset() {
        return value$OFFSET;
    }

    /**
     * Getter for field lb_layout_fact.value.
     */
    public static long value(MemorySegment struct) {
        return struct.get(value$LAYOUT, value$OFFSET);
    }

    /**
     * Setter for field lb_layout_fact.value.
     */
    public static void value(MemorySegment struct, long fieldValue) {
        struct.set(value$LAYOUT, value$OFFSET, fieldValue);
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
