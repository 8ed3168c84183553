package lb.dataplane.port;

import java.lang.foreign.MemorySegment;

/**
 * How workers and the conductor move mbufs: bursts in and out of a port's queues, and mbufs from and back to the
 * pool, so that the packet loop runs over DPDK or over plain memory alike.
 *
 * <p>{@code dpdk.DpdkPorts} is DPDK's and the only implementation a dataplane process loads, so every call site
 * stays monomorphic: class-hierarchy analysis sees one implementor, the type profile one receiver, and C2 inlines
 * the call down to its downcall. {@code port.memory.MemoryPorts} keeps ports and mbufs in an arena, for tests and
 * for running the engine in-process without EAL. Calls are per burst, never per packet. In both, an mbuf is the
 * address of a {@code struct rte_mbuf} ({@code dpdk.Mbufs} reads its fields) and a burst an array of them.
 */
public interface PortIo {
    /**
     * Receives up to {@code capacity} mbufs from a port's queue.
     *
     * @param port     port id.
     * @param queue    RX queue.
     * @param mbufs    array of mbuf addresses to fill, 8 bytes each.
     * @param capacity entries of {@code mbufs}.
     * @return entries filled.
     */
    int receive(int port, int queue, MemorySegment mbufs, int capacity);

    /**
     * Offers entries [0, count) to a port's TX queue; the port owns those it takes.
     *
     * @param port  port id.
     * @param queue TX queue.
     * @param mbufs array of mbuf addresses.
     * @param count entries to offer.
     * @return how many the port took (the first ones); the caller still owns the rest.
     */
    int transmit(int port, int queue, MemorySegment mbufs, int count);

    /**
     * Takes {@code count} mbufs from the pool, all or none.
     *
     * @param mbufs array of mbuf addresses to fill.
     * @param count mbufs wanted.
     * @return false when the pool has fewer.
     */
    boolean allocate(MemorySegment mbufs, int count);

    /**
     * Returns entries [0, count) to the pool.
     *
     * @param mbufs array of mbuf addresses.
     * @param count entries.
     */
    void free(MemorySegment mbufs, int count);

    /**
     * @return mbufs taken from the pool and not yet returned (in queues, in flight or held).
     */
    int mbufsInUse();
}
