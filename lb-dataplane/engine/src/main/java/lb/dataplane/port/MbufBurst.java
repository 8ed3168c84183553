package lb.dataplane.port;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import lb.dataplane.memory.UncheckedMemory;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static lb.dataplane.memory.UncheckedMemory.NATIVE;

/**
 * An off-heap array of {@code struct rte_mbuf *} that one thread receives into and transmits from through a
 * {@link PortIo}, with every suffix slice made ahead so that freeing the unsent tail of a burst allocates nothing.
 *
 * <pre>
 *  segment: [ mbuf* 0 ][ mbuf* 1 ] ... [ mbuf* capacity-1 ]     8 bytes each
 *  tail(i): the segment from entry i to the end
 * </pre>
 */
public final class MbufBurst {
    private final PortIo io;
    private final MemorySegment pointers;
    /** Address of {@link #pointers}; per-packet reads and writes go through the constant NATIVE. */
    private final long pointersBase;
    private final MemorySegment[] tails;
    private final int capacity;

    /**
     * @param capacity entries (the burst size).
     * @param arena    arena that owns the array, for as long as the burst is used.
     * @param io       the ports and pool the mbufs come from and go to.
     */
    public MbufBurst(final int capacity, final Arena arena, final PortIo io) {
        if (capacity < 1 || capacity > 0xFFFF) {
            throw new IllegalArgumentException("burst size must be 1..65535, was " + capacity);
        }
        this.io = io;
        this.capacity = capacity;
        // Unchecked: the owner closes the arena only after its worker stopped (see UncheckedMemory).
        this.pointers = UncheckedMemory.view(arena.allocate(ADDRESS, capacity));
        this.pointersBase = pointers.address();
        this.tails = new MemorySegment[capacity + 1];
        for (int i = 0; i <= capacity; i++) {
            tails[i] = pointers.asSlice(i * ADDRESS.byteSize());
        }
    }

    /**
     * @return entries in the array.
     */
    public int capacity() {
        return capacity;
    }

    /**
     * @return the {@code struct rte_mbuf **} to pass to burst calls.
     */
    public MemorySegment pointers() {
        return pointers;
    }

    /**
     * Receives up to capacity mbufs.
     *
     * @param port  port id.
     * @param queue RX queue id.
     * @return how many entries now hold a received mbuf.
     */
    public int receive(final int port, final int queue) {
        return io.receive(port, queue, pointers, capacity);
    }

    /**
     * Transmits entries [0, count); whatever the device does not take is freed.
     *
     * @param port  port id.
     * @param queue TX queue id.
     * @param count entries to send.
     * @return how many the device took; {@code count} minus this were freed.
     */
    public int transmitOrFree(final int port, final int queue, final int count) {
        final int sent = io.transmit(port, queue, pointers, count);
        if (sent < count) {
            io.free(tails[sent], count - sent);
        }
        return sent;
    }

    /**
     * Fills entries [0, count) with fresh mbufs from the pool, all or none.
     *
     * @param count mbufs wanted, at most the capacity.
     * @return false when the pool has fewer.
     */
    public boolean allocate(final int count) {
        return io.allocate(pointers, count);
    }

    /**
     * Frees entries [0, count).
     *
     * @param count entries to free.
     */
    public void free(final int count) {
        io.free(pointers, count);
    }

    /**
     * @param index entry.
     * @return address of the mbuf in that entry.
     */
    public long mbuf(final int index) {
        return NATIVE.get(JAVA_LONG, pointersBase + 8L * index);
    }

    /**
     * Puts an mbuf into an entry (to build an output burst).
     *
     * @param index entry.
     * @param mbuf  address of the mbuf.
     */
    public void set(final int index, final long mbuf) {
        NATIVE.set(JAVA_LONG, pointersBase + 8L * index, mbuf);
    }

    /**
     * Transmits entries [0, count) and frees what the device does not take, or only frees them when
     * {@code port} is negative (no such port configured).
     *
     * @return how many the device took.
     */
    public int transmitOrFreeAll(final int port, final int queue, final int count) {
        if (count == 0) {
            return 0;
        }
        if (port < 0) {
            free(count);
            return 0;
        }
        return transmitOrFree(port, queue, count);
    }
}
