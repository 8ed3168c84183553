package lb.dataplane.table;

import lb.dataplane.memory.PageMemory;

/**
 * Which host took the first fragment of an IP datagram, so that its later fragments (which carry no
 * ports, hence neither rule nor bucket) follow it. Keyed like IP reassembly: source, destination,
 * protocol and identification. Entries live a reassembly timeout (30 s, Linux's ipfrag_time).
 *
 * <pre>
 *  key words: source hi | source lo | destination hi | destination lo | protocol:8 version:8 id:32
 * </pre>
 *
 * <p>Workers record and look up; the conductor sweeps. Same concurrency as {@link ConnectionTable}.
 */
public final class FragmentTable implements AutoCloseable {
    /** How long a datagram's fragments are followed after the last one seen, in milliseconds. */
    public static final long TIMEOUT_MS = 30_000;

    private static final int KEY_WORDS = 5;
    private static final int PROBE_LIMIT = 16;

    private final OffHeapHashTable table;

    /**
     * @param capacity entries, a power of two of at least 1024.
     * @param ticksPerSecond the caller's clock (1000 for milliseconds).
     */
    public FragmentTable(final int capacity, final long ticksPerSecond) {
        this(capacity, ticksPerSecond, PageMemory.Policy.AUTO);
    }

    /**
     * @param capacity entries, a power of two of at least 1024.
     * @param ticksPerSecond the caller's clock (1000 for milliseconds).
     * @param pages where the table's memory may come from.
     */
    public FragmentTable(final int capacity, final long ticksPerSecond, final PageMemory.Policy pages) {
        final long timeout = TIMEOUT_MS * ticksPerSecond / 1000;
        this.table = new OffHeapHashTable(capacity, PROBE_LIMIT, KEY_WORDS, 0x6c62_6672_6167L, meta -> timeout, 0, 0,
            pages);
    }

    /**
     * Records that {@code owner} took the datagram's first fragment. Worker.
     *
     * @return a handle, or a negative {@link TableResult} when there is no room (its later fragments are then dropped).
     */
    public long recordFirst(final int protocol, final int ipVersion, final long srcHi, final long srcLo,
        final long dstHi, final long dstLo, final int id, final int owner, final long nowTicks) {
        return table.insert(srcHi, srcLo, dstHi, dstLo, idWord(protocol, ipVersion, id), EntryMeta.pack(owner, 0, 0, 0),
            nowTicks);
    }

    /**
     * The host that took the datagram's first fragment. Worker.
     *
     * @return its host id, or -1 when no first fragment was recorded (not seen yet, or not taken here).
     */
    public int ownerOf(final int protocol, final int ipVersion, final long srcHi, final long srcLo, final long dstHi,
        final long dstLo, final int id, final long nowTicks) {
        final long handle = table.find(srcHi, srcLo, dstHi, dstLo, idWord(protocol, ipVersion, id));
        if (handle < 0) {
            return -1;
        }
        final long meta = table.meta(handle);
        if (meta < 0) {
            return -1;
        }
        table.touch(handle, nowTicks);
        return EntryMeta.owner(meta);
    }

    /**
     * Expires entries, visiting at most {@code limit} slots. Conductor.
     *
     * @return entries expired.
     */
    public int sweep(final long nowTicks, final int limit) {
        return table.sweep(nowTicks, limit);
    }

    /**
     * @return slots in the table.
     */
    public int capacity() {
        return table.capacity();
    }

    /**
     * @return live entries as of the last complete sweep.
     */
    public long liveEntries() {
        return table.liveEntries();
    }

    @Override
    public void close() {
        table.close();
    }

    private static long idWord(final int protocol, final int ipVersion, final int id) {
        return ((protocol & 0xFFL) << 40) | ((ipVersion & 0xFFL) << 32) | (id & 0xFFFF_FFFFL);
    }

    /**
     * @return the table's memory for an operator: size and page kind.
     */
    public String describeMemory() {
        return table.describeMemory();
    }
}
