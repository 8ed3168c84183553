package lb.dataplane.table;

/**
 * Memory layout of an {@link OffHeapHashTable}: a header of counters, a dense array of control words and an
 * array of entries, in one segment that never grows.
 * <pre>
 *   0                          256                      256 + 8 * capacity
 *   +--------------------------+------------------------+-----------------------------------------+
 *   | header (counters)        | control words          | entries                                 |
 *   | 256 bytes                | capacity x 8 bytes     | capacity x (8 x (keyWords + 2)) bytes   |
 *   +--------------------------+------------------------+-----------------------------------------+
 * </pre>
 * Control words are kept apart from the entries so that a probe window of 16 slots is two cache lines of 8-byte
 * words, compared by tag before any key is touched (the idea of DPDK's rte_hash signatures and of SwissTable's
 * control bytes). Slot {@code i} owns control word {@code i} and entry {@code i}.
 * <p>
 * Control word (one per slot, changed only by CAS or by its single owner, see {@link OffHeapHashTable}):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |St |               Tag             |     Version (bits 0-13)   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |             Version (bits 14-44)                            |0|
 *  +---------------------------------------------------------------+
 *  St: FREE 0, BUSY 1 (claimed, entry being written), PENDING 2 (entry written, not yet committed), LIVE 3.
 *  Tag: 16 bits of the key's hash that the slot index does not use; a probe compares keys only on a tag match.
 *  Version: bumped each time the slot is claimed or freed, so a reader that sees the same version before and
 *  after reading the entry knows it read one entry (seqlock); also the ABA guard of every CAS on the slot.
 * </pre>
 * Entry ({@code keyWords} key longs, then the value):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Key word 0                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        ... Key word keyWords - 1              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Meta (see EntryMeta)                   |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Last seen, caller's ticks              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * The key is written only while the slot is BUSY and never changes while it is PENDING or LIVE. Meta is one word so
 * that a state change is a single CAS. Last seen is a separate word written with an opaque store on every packet,
 * never by CAS, so touching an entry costs one store.
 * <p>
 * Header (counters; worker-written and conductor-written words on different 128-byte blocks so neither side's
 * writes invalidate the other's lines, adjacent-line prefetch included):
 * <pre>
 *   0    capped count (entries carrying the capped flag; workers, atomic add)
 *   128  expirations (conductor)
 *   136  live entries counted by the last complete sweep pass (conductor)
 *   144  sweep cursor (conductor)
 *   152  live entries seen so far in the current sweep pass (conductor)
 * </pre>
 * A handle names one incarnation of an entry: its slot and the low 34 bits of the slot's version, plus a bit that
 * says whether the insert that returned it created the entry. Handles are never negative; result codes are.
 * <pre>
 *  bits 0-27 slot | bits 28-61 version | bit 62 created | bit 63 zero
 * </pre>
 */
final class TableDescriptor {
    /** Length of the counters header. */
    static final int HEADER_LENGTH = 256;
    /** Offset of the capped-entry count, added to atomically by inserting workers. */
    static final long CAPPED_COUNT_OFFSET = 0;
    /** Offset of the count of expired entries, written by the conductor's sweep. */
    static final long EXPIRATIONS_OFFSET = 128;
    /** Offset of the live-entry count of the last complete sweep pass. */
    static final long LIVE_ENTRIES_OFFSET = 136;
    /** Offset of the sweep's next slot (a long that only grows). */
    static final long SWEEP_CURSOR_OFFSET = 144;
    /** Offset of the live entries seen so far in the current sweep pass. */
    static final long SWEEP_LIVE_OFFSET = 152;

    /** Length of a control word. */
    static final int CONTROL_LENGTH = 8;
    /** Offset of the first control word. */
    static final long CONTROL_OFFSET = HEADER_LENGTH;

    /** Offset of the key within an entry. */
    static final int KEY_OFFSET = 0;

    /** Control state: the slot holds nothing and may be claimed. */
    static final int FREE = 0;
    /** Control state: an inserter claimed the slot and is writing the entry; invisible to everyone else. */
    static final int BUSY = 1;
    /** Control state: the entry is written and visible to inserters of the same key, not yet committed. */
    static final int PENDING = 2;
    /** Control state: the entry is committed and visible to every reader. */
    static final int LIVE = 3;

    static final long STATE_MASK = 0b11;
    static final int TAG_SHIFT = 2;
    static final long TAG_MASK = 0xFFFF;
    static final int VERSION_SHIFT = 18;
    /** 45 bits, so that a control word is never negative and -1 can mean "no match". */
    static final long VERSION_MASK = (1L << 45) - 1;

    static final long SLOT_MASK = (1L << 28) - 1;
    static final int HANDLE_VERSION_SHIFT = 28;
    static final long HANDLE_VERSION_MASK = (1L << 34) - 1;
    static final long CREATED_BIT = 1L << 62;

    private TableDescriptor() {
    }

    /**
     * @param keyWords longs in a key.
     * @return bytes in one entry: the key, the meta word and the last-seen word.
     */
    static int entryLength(final int keyWords) {
        return 8 * (keyWords + 2);
    }

    /**
     * @param keyWords longs in a key.
     * @return offset of the meta word within an entry.
     */
    static int metaOffset(final int keyWords) {
        return 8 * keyWords;
    }

    /**
     * @param keyWords longs in a key.
     * @return offset of the last-seen word within an entry.
     */
    static int lastSeenOffset(final int keyWords) {
        return 8 * (keyWords + 1);
    }

    static long control(final long version, final long tag, final int state) {
        return (version << VERSION_SHIFT) | (tag << TAG_SHIFT) | state;
    }

    static int state(final long control) {
        return (int)(control & STATE_MASK);
    }

    static long tag(final long control) {
        return (control >>> TAG_SHIFT) & TAG_MASK;
    }

    static long version(final long control) {
        return control >>> VERSION_SHIFT;
    }

    static long nextVersion(final long control) {
        return (version(control) + 1) & VERSION_MASK;
    }

    static boolean sameVersion(final long a, final long b) {
        return (a >>> VERSION_SHIFT) == (b >>> VERSION_SHIFT);
    }

    /** PENDING and LIVE both have the high state bit set. */
    static boolean visible(final long control) {
        return (control & 0b10) != 0;
    }

    static long handle(final int slot, final long control) {
        return ((version(control) & HANDLE_VERSION_MASK) << HANDLE_VERSION_SHIFT) | slot;
    }

    static int slot(final long handle) {
        return (int)(handle & SLOT_MASK);
    }

    static boolean handleMatches(final long handle, final long control) {
        return ((handle >>> HANDLE_VERSION_SHIFT) & HANDLE_VERSION_MASK) == (version(control) & HANDLE_VERSION_MASK);
    }
}
