package lb.dataplane.memory;

import java.lang.foreign.MemorySegment;

/**
 * Hot-path views of memory whose lifetime the owner manages itself.
 *
 * <p>A segment from a shared arena pays for its safety on every access: a liveness check of its session
 * (which the JIT cannot always hoist out of a loop) and, when passed to a downcall, an atomic acquire and
 * release of the session. The packet path touches such memory (bursts of mbuf pointers, the connection
 * and affinity tables) tens of times per packet. An unchecked view is the same address and length in the
 * global scope: no check, no acquire. The owner keeps the arena, frees it by closing the arena, and must
 * not touch the view afterwards: tables and workers close only after every worker thread has stopped.
 */
public final class UncheckedMemory {
    /**
     * All native memory in the global scope, for reading and writing at absolute addresses (mbufs, their frames,
     * table slots) with no segment per object: a constant the JIT folds, so an access costs the load alone.
     */
    public static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private UncheckedMemory() {
    }

    /**
     * @param owned memory allocated from an arena the caller owns.
     * @return the same bytes, without liveness checks; valid only until that arena closes.
     */
    public static MemorySegment view(final MemorySegment owned) {
        return MemorySegment.ofAddress(owned.address()).reinterpret(owned.byteSize());
    }
}
