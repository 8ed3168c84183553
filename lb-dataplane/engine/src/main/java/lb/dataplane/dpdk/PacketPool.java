package lb.dataplane.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import lb.dataplane.ffi.Dpdk;

/**
 * A DPDK packet mbuf pool ({@code rte_pktmbuf_pool_create}).
 */
public final class PacketPool implements AutoCloseable {
    private final String name;
    private final MemorySegment pool;
    private final int size;
    private boolean closed;

    private PacketPool(final String name, final MemorySegment pool, final int size) {
        this.name = name;
        this.pool = pool;
        this.size = size;
    }

    /**
     * @param name      unique pool name.
     * @param size      number of mbufs (2^q - 1 is optimal for the ring underneath).
     * @param cacheSize per-lcore cache, at most 512 and at most size / 1.5.
     * @param dataRoom  bytes of data room per mbuf including headroom.
     * @param socket    NUMA socket to allocate on.
     * @return the pool.
     * @throws DpdkException naming the pool when DPDK cannot create it.
     */
    public static PacketPool create(final String name, final int size, final int cacheSize, final int dataRoom,
        final int socket) {
        final MemorySegment pool;
        try (Arena arena = Arena.ofConfined()) {
            pool = Dpdk.rte_pktmbuf_pool_create(arena.allocateFrom(name), size, cacheSize, (short)0,
                (short)dataRoom, socket);
        }
        if (pool.equals(MemorySegment.NULL)) {
            throw new DpdkException("rte_pktmbuf_pool_create(" + name + ", " + size + " mbufs of " + dataRoom +
                " bytes)", Dpdk.lb_errno());
        }
        return new PacketPool(name, pool, size);
    }

    /**
     * @return the native {@code struct rte_mempool *}.
     */
    public MemorySegment address() {
        return pool;
    }

    /**
     * @return the pool's name.
     */
    public String name() {
        return name;
    }

    /**
     * @return number of mbufs the pool was created with.
     */
    public int size() {
        return size;
    }

    /**
     * @return mbufs currently allocated from the pool (in rings, queues or held by the application).
     */
    public int inUse() {
        return Dpdk.rte_mempool_in_use_count(pool);
    }

    /**
     * @return mbufs free in the pool, caches included.
     */
    public int available() {
        return Dpdk.rte_mempool_avail_count(pool);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Dpdk.rte_mempool_free(pool);
        }
    }
}
