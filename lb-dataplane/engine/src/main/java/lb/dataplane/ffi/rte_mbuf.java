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
 * {@code struct rte_mbuf} (rte_mbuf_core.h), the fields the dataplane reads. The C struct is two cache lines
 * of anonymous unions and bit fields; this layout names the fields lb uses at the offsets the shim reports
 * ({@code lb_layout_facts}) and pads the rest. {@code hash_rss} is {@code hash.rss} in C.
 */
public class rte_mbuf {

    rte_mbuf() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        Dpdk.C_POINTER.withName("buf_addr"),
        Dpdk.C_LONG.withName("buf_iova"),
        Dpdk.C_SHORT.withName("data_off"),
        Dpdk.C_SHORT.withName("refcnt"),
        Dpdk.C_SHORT.withName("nb_segs"),
        Dpdk.C_SHORT.withName("port"),
        Dpdk.C_LONG.withName("ol_flags"),
        Dpdk.C_INT.withName("packet_type"),
        Dpdk.C_INT.withName("pkt_len"),
        Dpdk.C_SHORT.withName("data_len"),
        Dpdk.C_SHORT.withName("vlan_tci"),
        Dpdk.C_INT.withName("hash_rss"),
        MemoryLayout.paddingLayout(4),
        Dpdk.C_SHORT.withName("vlan_tci_outer"),
        Dpdk.C_SHORT.withName("buf_len"),
        Dpdk.C_POINTER.withName("pool"),
        Dpdk.C_POINTER.withName("next"),
        MemoryLayout.paddingLayout(56)
    ).withName("rte_mbuf");

    /**
     * The layout of this struct.
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final java.lang.foreign.AddressLayout buf_addr$LAYOUT = (java.lang.foreign.AddressLayout) $LAYOUT.select(groupElement("buf_addr"));

    /**
     * Layout for field rte_mbuf.buf_addr.
     */
    public static final java.lang.foreign.AddressLayout buf_addr$layout() {
        return buf_addr$LAYOUT;
    }

    private static final long buf_addr$OFFSET = 0;

    /**
     * Offset for field rte_mbuf.buf_addr.
     */
    public static final long buf_addr$offset() {
        return buf_addr$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.buf_addr.
     */
    public static MemorySegment buf_addr(MemorySegment struct) {
        return struct.get(buf_addr$LAYOUT, buf_addr$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.buf_addr.
     */
    public static void buf_addr(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(buf_addr$LAYOUT, buf_addr$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong buf_iova$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("buf_iova"));

    /**
     * Layout for field rte_mbuf.buf_iova.
     */
    public static final ValueLayout.OfLong buf_iova$layout() {
        return buf_iova$LAYOUT;
    }

    private static final long buf_iova$OFFSET = 8;

    /**
     * Offset for field rte_mbuf.buf_iova.
     */
    public static final long buf_iova$offset() {
        return buf_iova$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.buf_iova.
     */
    public static long buf_iova(MemorySegment struct) {
        return struct.get(buf_iova$LAYOUT, buf_iova$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.buf_iova.
     */
    public static void buf_iova(MemorySegment struct, long fieldValue) {
        struct.set(buf_iova$LAYOUT, buf_iova$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort data_off$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("data_off"));

    /**
     * Layout for field rte_mbuf.data_off.
     */
    public static final ValueLayout.OfShort data_off$layout() {
        return data_off$LAYOUT;
    }

    private static final long data_off$OFFSET = 16;

    /**
     * Offset for field rte_mbuf.data_off.
     */
    public static final long data_off$offset() {
        return data_off$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.data_off.
     */
    public static short data_off(MemorySegment struct) {
        return struct.get(data_off$LAYOUT, data_off$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.data_off.
     */
    public static void data_off(MemorySegment struct, short fieldValue) {
        struct.set(data_off$LAYOUT, data_off$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort refcnt$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("refcnt"));

    /**
     * Layout for field rte_mbuf.refcnt.
     */
    public static final ValueLayout.OfShort refcnt$layout() {
        return refcnt$LAYOUT;
    }

    private static final long refcnt$OFFSET = 18;

    /**
     * Offset for field rte_mbuf.refcnt.
     */
    public static final long refcnt$offset() {
        return refcnt$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.refcnt.
     */
    public static short refcnt(MemorySegment struct) {
        return struct.get(refcnt$LAYOUT, refcnt$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.refcnt.
     */
    public static void refcnt(MemorySegment struct, short fieldValue) {
        struct.set(refcnt$LAYOUT, refcnt$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort nb_segs$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("nb_segs"));

    /**
     * Layout for field rte_mbuf.nb_segs.
     */
    public static final ValueLayout.OfShort nb_segs$layout() {
        return nb_segs$LAYOUT;
    }

    private static final long nb_segs$OFFSET = 20;

    /**
     * Offset for field rte_mbuf.nb_segs.
     */
    public static final long nb_segs$offset() {
        return nb_segs$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.nb_segs.
     */
    public static short nb_segs(MemorySegment struct) {
        return struct.get(nb_segs$LAYOUT, nb_segs$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.nb_segs.
     */
    public static void nb_segs(MemorySegment struct, short fieldValue) {
        struct.set(nb_segs$LAYOUT, nb_segs$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort port$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("port"));

    /**
     * Layout for field rte_mbuf.port.
     */
    public static final ValueLayout.OfShort port$layout() {
        return port$LAYOUT;
    }

    private static final long port$OFFSET = 22;

    /**
     * Offset for field rte_mbuf.port.
     */
    public static final long port$offset() {
        return port$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.port.
     */
    public static short port(MemorySegment struct) {
        return struct.get(port$LAYOUT, port$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.port.
     */
    public static void port(MemorySegment struct, short fieldValue) {
        struct.set(port$LAYOUT, port$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong ol_flags$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("ol_flags"));

    /**
     * Layout for field rte_mbuf.ol_flags.
     */
    public static final ValueLayout.OfLong ol_flags$layout() {
        return ol_flags$LAYOUT;
    }

    private static final long ol_flags$OFFSET = 24;

    /**
     * Offset for field rte_mbuf.ol_flags.
     */
    public static final long ol_flags$offset() {
        return ol_flags$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.ol_flags.
     */
    public static long ol_flags(MemorySegment struct) {
        return struct.get(ol_flags$LAYOUT, ol_flags$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.ol_flags.
     */
    public static void ol_flags(MemorySegment struct, long fieldValue) {
        struct.set(ol_flags$LAYOUT, ol_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt packet_type$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("packet_type"));

    /**
     * Layout for field rte_mbuf.packet_type.
     */
    public static final ValueLayout.OfInt packet_type$layout() {
        return packet_type$LAYOUT;
    }

    private static final long packet_type$OFFSET = 32;

    /**
     * Offset for field rte_mbuf.packet_type.
     */
    public static final long packet_type$offset() {
        return packet_type$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.packet_type.
     */
    public static int packet_type(MemorySegment struct) {
        return struct.get(packet_type$LAYOUT, packet_type$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.packet_type.
     */
    public static void packet_type(MemorySegment struct, int fieldValue) {
        struct.set(packet_type$LAYOUT, packet_type$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt pkt_len$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("pkt_len"));

    /**
     * Layout for field rte_mbuf.pkt_len.
     */
    public static final ValueLayout.OfInt pkt_len$layout() {
        return pkt_len$LAYOUT;
    }

    private static final long pkt_len$OFFSET = 36;

    /**
     * Offset for field rte_mbuf.pkt_len.
     */
    public static final long pkt_len$offset() {
        return pkt_len$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.pkt_len.
     */
    public static int pkt_len(MemorySegment struct) {
        return struct.get(pkt_len$LAYOUT, pkt_len$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.pkt_len.
     */
    public static void pkt_len(MemorySegment struct, int fieldValue) {
        struct.set(pkt_len$LAYOUT, pkt_len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort data_len$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("data_len"));

    /**
     * Layout for field rte_mbuf.data_len.
     */
    public static final ValueLayout.OfShort data_len$layout() {
        return data_len$LAYOUT;
    }

    private static final long data_len$OFFSET = 40;

    /**
     * Offset for field rte_mbuf.data_len.
     */
    public static final long data_len$offset() {
        return data_len$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.data_len.
     */
    public static short data_len(MemorySegment struct) {
        return struct.get(data_len$LAYOUT, data_len$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.data_len.
     */
    public static void data_len(MemorySegment struct, short fieldValue) {
        struct.set(data_len$LAYOUT, data_len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort vlan_tci$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("vlan_tci"));

    /**
     * Layout for field rte_mbuf.vlan_tci.
     */
    public static final ValueLayout.OfShort vlan_tci$layout() {
        return vlan_tci$LAYOUT;
    }

    private static final long vlan_tci$OFFSET = 42;

    /**
     * Offset for field rte_mbuf.vlan_tci.
     */
    public static final long vlan_tci$offset() {
        return vlan_tci$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.vlan_tci.
     */
    public static short vlan_tci(MemorySegment struct) {
        return struct.get(vlan_tci$LAYOUT, vlan_tci$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.vlan_tci.
     */
    public static void vlan_tci(MemorySegment struct, short fieldValue) {
        struct.set(vlan_tci$LAYOUT, vlan_tci$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt hash_rss$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("hash_rss"));

    /**
     * Layout for field rte_mbuf.hash_rss.
     */
    public static final ValueLayout.OfInt hash_rss$layout() {
        return hash_rss$LAYOUT;
    }

    private static final long hash_rss$OFFSET = 44;

    /**
     * Offset for field rte_mbuf.hash_rss.
     */
    public static final long hash_rss$offset() {
        return hash_rss$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.hash_rss.
     */
    public static int hash_rss(MemorySegment struct) {
        return struct.get(hash_rss$LAYOUT, hash_rss$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.hash_rss.
     */
    public static void hash_rss(MemorySegment struct, int fieldValue) {
        struct.set(hash_rss$LAYOUT, hash_rss$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort vlan_tci_outer$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("vlan_tci_outer"));

    /**
     * Layout for field rte_mbuf.vlan_tci_outer.
     */
    public static final ValueLayout.OfShort vlan_tci_outer$layout() {
        return vlan_tci_outer$LAYOUT;
    }

    private static final long vlan_tci_outer$OFFSET = 52;

    /**
     * Offset for field rte_mbuf.vlan_tci_outer.
     */
    public static final long vlan_tci_outer$offset() {
        return vlan_tci_outer$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.vlan_tci_outer.
     */
    public static short vlan_tci_outer(MemorySegment struct) {
        return struct.get(vlan_tci_outer$LAYOUT, vlan_tci_outer$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.vlan_tci_outer.
     */
    public static void vlan_tci_outer(MemorySegment struct, short fieldValue) {
        struct.set(vlan_tci_outer$LAYOUT, vlan_tci_outer$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort buf_len$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("buf_len"));

    /**
     * Layout for field rte_mbuf.buf_len.
     */
    public static final ValueLayout.OfShort buf_len$layout() {
        return buf_len$LAYOUT;
    }

    private static final long buf_len$OFFSET = 54;

    /**
     * Offset for field rte_mbuf.buf_len.
     */
    public static final long buf_len$offset() {
        return buf_len$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.buf_len.
     */
    public static short buf_len(MemorySegment struct) {
        return struct.get(buf_len$LAYOUT, buf_len$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.buf_len.
     */
    public static void buf_len(MemorySegment struct, short fieldValue) {
        struct.set(buf_len$LAYOUT, buf_len$OFFSET, fieldValue);
    }

    private static final java.lang.foreign.AddressLayout pool$LAYOUT = (java.lang.foreign.AddressLayout) $LAYOUT.select(groupElement("pool"));

    /**
     * Layout for field rte_mbuf.pool.
     */
    public static final java.lang.foreign.AddressLayout pool$layout() {
        return pool$LAYOUT;
    }

    private static final long pool$OFFSET = 56;

    /**
     * Offset for field rte_mbuf.pool.
     */
    public static final long pool$offset() {
        return pool$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.pool.
     */
    public static MemorySegment pool(MemorySegment struct) {
        return struct.get(pool$LAYOUT, pool$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.pool.
     */
    public static void pool(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(pool$LAYOUT, pool$OFFSET, fieldValue);
    }

    private static final java.lang.foreign.AddressLayout next$LAYOUT = (java.lang.foreign.AddressLayout) $LAYOUT.select(groupElement("next"));

    /**
     * Layout for field rte_mbuf.next.
     */
    public static final java.lang.foreign.AddressLayout next$layout() {
        return next$LAYOUT;
    }

    private static final long next$OFFSET = 64;

    /**
     * Offset for field rte_mbuf.next.
     */
    public static final long next$offset() {
        return next$OFFSET;
    }

    /**
     * Getter for field rte_mbuf.next.
     */
    public static MemorySegment next(MemorySegment struct) {
        return struct.get(next$LAYOUT, next$OFFSET);
    }

    /**
     * Setter for field rte_mbuf.next.
     */
    public static void next(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(next$LAYOUT, next$OFFSET, fieldValue);
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
