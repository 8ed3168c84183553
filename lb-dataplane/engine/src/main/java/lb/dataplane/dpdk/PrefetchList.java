package lb.dataplane.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import lb.dataplane.ffi.Dpdk;
import lb.dataplane.memory.UncheckedMemory;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * A worker's list of addresses to prefetch, handed to the shim's {@code lb_prefetch} in one call. Java has no
 * prefetch instruction: loads stand in for one only partly (the core stops retiring at the first one that misses),
 * while {@code prefetcht0} retires at once and lets a whole burst's misses overlap. The producer writes addresses
 * at {@link #address()} (8 bytes each); {@link #prefetch(int)} prefetches the first ones. Single thread,
 * allocation-free.
 */
public final class PrefetchList {
    private final MemorySegment addresses;
    private final int capacity;

    /**
     * @param capacity addresses the list holds, 1 to 65535.
     * @param arena    owns the list for as long as it is used.
     */
    public PrefetchList(final int capacity, final Arena arena) {
        if (capacity < 1 || capacity > 0xFFFF) {
            throw new IllegalArgumentException("capacity must be 1..65535, was " + capacity);
        }
        this.capacity = capacity;
        // Unchecked: the owner closes the arena only after its worker stopped (see UncheckedMemory).
        this.addresses = UncheckedMemory.view(arena.allocate(ADDRESS, capacity));
    }

    /**
     * @return where the addresses go, 8 bytes each.
     */
    public long address() {
        return addresses.address();
    }

    /**
     * @return addresses the list holds.
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Prefetches the first {@code count} addresses into every cache level. Never faults.
     *
     * @param count 0 to {@link #capacity()}.
     */
    public void prefetch(final int count) {
        if (count > 0) {
            Dpdk.lb_prefetch(addresses, (short)count);
        }
    }
}
