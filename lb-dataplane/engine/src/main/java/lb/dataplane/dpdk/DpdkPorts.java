package lb.dataplane.dpdk;

import java.lang.foreign.MemorySegment;

import lb.dataplane.ffi.Dpdk;
import lb.dataplane.port.PortIo;

/**
 * The dataplane's {@link PortIo}: the shim's burst wrappers over DPDK's inline {@code rte_eth_rx_burst},
 * {@code rte_eth_tx_burst} and {@code rte_pktmbuf_alloc_bulk}, and {@code rte_pktmbuf_free_bulk}, on one pool.
 * Final and the only implementation a dataplane process loads, so every burst call inlines into its downcall.
 */
public final class DpdkPorts implements PortIo {
    private final PacketPool pool;

    /**
     * @param pool where allocated mbufs come from (freed ones go back to their own pool).
     */
    public DpdkPorts(final PacketPool pool) {
        this.pool = pool;
    }

    @Override
    public int receive(final int port, final int queue, final MemorySegment mbufs, final int capacity) {
        return Short.toUnsignedInt(Dpdk.lb_rx_burst((short)port, (short)queue, mbufs, (short)capacity));
    }

    @Override
    public int transmit(final int port, final int queue, final MemorySegment mbufs, final int count) {
        return Short.toUnsignedInt(Dpdk.lb_tx_burst((short)port, (short)queue, mbufs, (short)count));
    }

    @Override
    public boolean allocate(final MemorySegment mbufs, final int count) {
        return Dpdk.lb_pktmbuf_alloc_bulk(pool.address(), mbufs, count) == 0;
    }

    @Override
    public void free(final MemorySegment mbufs, final int count) {
        Dpdk.rte_pktmbuf_free_bulk(mbufs, count);
    }

    @Override
    public int mbufsInUse() {
        return pool.inUse();
    }
}
