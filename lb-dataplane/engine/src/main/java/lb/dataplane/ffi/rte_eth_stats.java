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
 * {@code struct rte_eth_stats} (rte_ethdev.h): a port's basic counters. Per-queue arrays have RTE_ETHDEV_QUEUE_STAT_CNTRS (16) entries.
 */
public class rte_eth_stats {

    rte_eth_stats() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        Dpdk.C_LONG.withName("ipackets"),
        Dpdk.C_LONG.withName("opackets"),
        Dpdk.C_LONG.withName("ibytes"),
        Dpdk.C_LONG.withName("obytes"),
        Dpdk.C_LONG.withName("imissed"),
        Dpdk.C_LONG.withName("ierrors"),
        Dpdk.C_LONG.withName("oerrors"),
        Dpdk.C_LONG.withName("rx_nombuf"),
        MemoryLayout.sequenceLayout(16, Dpdk.C_LONG).withName("q_ipackets"),
        MemoryLayout.sequenceLayout(16, Dpdk.C_LONG).withName("q_opackets"),
        MemoryLayout.sequenceLayout(16, Dpdk.C_LONG).withName("q_ibytes"),
        MemoryLayout.sequenceLayout(16, Dpdk.C_LONG).withName("q_obytes"),
        MemoryLayout.sequenceLayout(16, Dpdk.C_LONG).withName("q_errors")
    ).withName("rte_eth_stats");

    /**
     * The layout of this struct.
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfLong ipackets$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("ipackets"));

    /**
     * Layout for field rte_eth_stats.ipackets.
     */
    public static final ValueLayout.OfLong ipackets$layout() {
        return ipackets$LAYOUT;
    }

    private static final long ipackets$OFFSET = 0;

    /**
     * Offset for field rte_eth_stats.ipackets.
     */
    public static final long ipackets$offset() {
        return ipackets$OFFSET;
    }

    /**
     * Getter for field rte_eth_stats.ipackets.
     */
    public static long ipackets(MemorySegment struct) {
        return struct.get(ipackets$LAYOUT, ipackets$OFFSET);
    }

    /**
     * Setter for field rte_eth_stats.ipackets.
     */
    public static void ipackets(MemorySegment struct, long fieldValue) {
        struct.set(ipackets$LAYOUT, ipackets$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong opackets$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("opackets"));

    /**
     * Layout for field rte_eth_stats.opackets.
     */
    public static final ValueLayout.OfLong opackets$layout() {
        return opackets$LAYOUT;
    }

    private static final long opackets$OFFSET = 8;

    /**
     * Offset for field rte_eth_stats.opackets.
     */
    public static final long opackets$offset() {
        return opackets$OFFSET;
    }

    /**
     * Getter for field rte_eth_stats.opackets.
     */
    public static long opackets(MemorySegment struct) {
        return struct.get(opackets$LAYOUT, opackets$OFFSET);
    }

    /**
     * Setter for field rte_eth_stats.opackets.
     */
    public static void opackets(MemorySegment struct, long fieldValue) {
        struct.set(opackets$LAYOUT, opackets$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong ibytes$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("ibytes"));

    /**
     * Layout for field rte_eth_stats.ibytes.
     */
    public static final ValueLayout.OfLong ibytes$layout() {
        return ibytes$LAYOUT;
    }

    private static final long ibytes$OFFSET = 16;

    /**
     * Offset for field rte_eth_stats.ibytes.
     */
    public static final long ibytes$offset() {
        return ibytes$OFFSET;
    }

    /**
     * Getter for field rte_eth_stats.ibytes.
     */
    public static long ibytes(MemorySegment struct) {
        return struct.get(ibytes$LAYOUT, ibytes$OFFSET);
    }

    /**
     * Setter for field rte_eth_stats.ibytes.
     */
    public static void ibytes(MemorySegment struct, long fieldValue) {
        struct.set(ibytes$LAYOUT, ibytes$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong obytes$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("obytes"));

    /**
     * Layout for field rte_eth_stats.obytes.
     */
    public static final ValueLayout.OfLong obytes$layout() {
        return obytes$LAYOUT;
    }

    private static final long obytes$OFFSET = 24;

    /**
     * Offset for field rte_eth_stats.obytes.
     */
    public static final long obytes$offset() {
        return obytes$OFFSET;
    }

    /**
     * Getter for field rte_eth_stats.obytes.
     */
    public static long obytes(MemorySegment struct) {
        return struct.get(obytes$LAYOUT, obytes$OFFSET);
    }

    /**
     * Setter for field rte_eth_stats.obytes.
     */
    public static void obytes(MemorySegment struct, long fieldValue) {
        struct.set(obytes$LAYOUT, obytes$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong imissed$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("imissed"));

    /**
     * Layout for field rte_eth_stats.imissed.
     */
    public static final ValueLayout.OfLong imissed$layout() {
        return imissed$LAYOUT;
    }

    private static final long imissed$OFFSET = 32;

    /**
     * Offset for field rte_eth_stats.imissed.
     */
    public static final long imissed$offset() {
        return imissed$OFFSET;
    }

    /**
     * Getter for field rte_eth_stats.imissed.
     */
    public static long imissed(MemorySegment struct) {
        return struct.get(imissed$LAYOUT, imissed$OFFSET);
    }

    /**
     * Setter for field rte_eth_stats.imissed.
     */
    public static void imissed(MemorySegment struct, long fieldValue) {
        struct.set(imissed$LAYOUT, imissed$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong ierrors$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("ierrors"));

    /**
     * Layout for field rte_eth_stats.ierrors.
     */
    public static final ValueLayout.OfLong ierrors$layout() {
        return ierrors$LAYOUT;
    }

    private static final long ierrors$OFFSET = 40;

    /**
     * Offset for field rte_eth_stats.ierrors.
     */
    public static final long ierrors$offset() {
        return ierrors$OFFSET;
    }

    /**
     * Getter for field rte_eth_stats.ierrors.
     */
    public static long ierrors(MemorySegment struct) {
        return struct.get(ierrors$LAYOUT, ierrors$OFFSET);
    }

    /**
     * Setter for field rte_eth_stats.ierrors.
     */
    public static void ierrors(MemorySegment struct, long fieldValue) {
        struct.set(ierrors$LAYOUT, ierrors$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong oerrors$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("oerrors"));

    /**
     * Layout for field rte_eth_stats.oerrors.
     */
    public static final ValueLayout.OfLong oerrors$layout() {
        return oerrors$LAYOUT;
    }

    private static final long oerrors$OFFSET = 48;

    /**
     * Offset for field rte_eth_stats.oerrors.
     */
    public static final long oerrors$offset() {
        return oerrors$OFFSET;
    }

    /**
     * Getter for field rte_eth_stats.oerrors.
     */
    public static long oerrors(MemorySegment struct) {
        return struct.get(oerrors$LAYOUT, oerrors$OFFSET);
    }

    /**
     * Setter for field rte_eth_stats.oerrors.
     */
    public static void oerrors(MemorySegment struct, long fieldValue) {
        struct.set(oerrors$LAYOUT, oerrors$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong rx_nombuf$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("rx_nombuf"));

    /**
     * Layout for field rte_eth_stats.rx_nombuf.
     */
    public static final ValueLayout.OfLong rx_nombuf$layout() {
        return rx_nombuf$LAYOUT;
    }

    private static final long rx_nombuf$OFFSET = 56;

    /**
     * Offset for field rte_eth_stats.rx_nombuf.
     */
    public static final long rx_nombuf$offset() {
        return rx_nombuf$OFFSET;
    }

    /**
     * Getter for field rte_eth_stats.rx_nombuf.
     */
    public static long rx_nombuf(MemorySegment struct) {
        return struct.get(rx_nombuf$LAYOUT, rx_nombuf$OFFSET);
    }

    /**
     * Setter for field rte_eth_stats.rx_nombuf.
     */
    public static void rx_nombuf(MemorySegment struct, long fieldValue) {
        struct.set(rx_nombuf$LAYOUT, rx_nombuf$OFFSET, fieldValue);
    }

    private static final SequenceLayout q_ipackets$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("q_ipackets"));

    /**
     * Layout for field rte_eth_stats.q_ipackets.
     */
    public static final SequenceLayout q_ipackets$layout() {
        return q_ipackets$LAYOUT;
    }

    private static final long q_ipackets$OFFSET = 64;

    /**
     * Offset for field rte_eth_stats.q_ipackets.
     */
    public static final long q_ipackets$offset() {
        return q_ipackets$OFFSET;
    }

    /**
     * Indexed getter for field rte_eth_stats.q_ipackets.
     */
    public static long q_ipackets(MemorySegment struct, long index0) {
        return struct.getAtIndex(Dpdk.C_LONG, q_ipackets$OFFSET / Dpdk.C_LONG.byteSize() + index0);
    }

    private static final SequenceLayout q_opackets$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("q_opackets"));

    /**
     * Layout for field rte_eth_stats.q_opackets.
     */
    public static final SequenceLayout q_opackets$layout() {
        return q_opackets$LAYOUT;
    }

    private static final long q_opackets$OFFSET = 192;

    /**
     * Offset for field rte_eth_stats.q_opackets.
     */
    public static final long q_opackets$offset() {
        return q_opackets$OFFSET;
    }

    /**
     * Indexed getter for field rte_eth_stats.q_opackets.
     */
    public static long q_opackets(MemorySegment struct, long index0) {
        return struct.getAtIndex(Dpdk.C_LONG, q_opackets$OFFSET / Dpdk.C_LONG.byteSize() + index0);
    }

    private static final SequenceLayout q_ibytes$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("q_ibytes"));

    /**
     * Layout for field rte_eth_stats.q_ibytes.
     */
    public static final SequenceLayout q_ibytes$layout() {
        return q_ibytes$LAYOUT;
    }

    private static final long q_ibytes$OFFSET = 320;

    /**
     * Offset for field rte_eth_stats.q_ibytes.
     */
    public static final long q_ibytes$offset() {
        return q_ibytes$OFFSET;
    }

    /**
     * Indexed getter for field rte_eth_stats.q_ibytes.
     */
    public static long q_ibytes(MemorySegment struct, long index0) {
        return struct.getAtIndex(Dpdk.C_LONG, q_ibytes$OFFSET / Dpdk.C_LONG.byteSize() + index0);
    }

    private static final SequenceLayout q_obytes$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("q_obytes"));

    /**
     * Layout for field rte_eth_stats.q_obytes.
     */
    public static final SequenceLayout q_obytes$layout() {
        return q_obytes$LAYOUT;
    }

    private static final long q_obytes$OFFSET = 448;

    /**
     * Offset for field rte_eth_stats.q_obytes.
     */
    public static final long q_obytes$offset() {
        return q_obytes$OFFSET;
    }

    /**
     * Indexed getter for field rte_eth_stats.q_obytes.
     */
    public static long q_obytes(MemorySegment struct, long index0) {
        return struct.getAtIndex(Dpdk.C_LONG, q_obytes$OFFSET / Dpdk.C_LONG.byteSize() + index0);
    }

    private static final SequenceLayout q_errors$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("q_errors"));

    /**
     * Layout for field rte_eth_stats.q_errors.
     */
    public static final SequenceLayout q_errors$layout() {
        return q_errors$LAYOUT;
    }

    private static final long q_errors$OFFSET = 576;

    /**
     * Offset for field rte_eth_stats.q_errors.
     */
    public static final long q_errors$offset() {
        return q_errors$OFFSET;
    }

    /**
     * Indexed getter for field rte_eth_stats.q_errors.
     */
    public static long q_errors(MemorySegment struct, long index0) {
        return struct.getAtIndex(Dpdk.C_LONG, q_errors$OFFSET / Dpdk.C_LONG.byteSize() + index0);
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
