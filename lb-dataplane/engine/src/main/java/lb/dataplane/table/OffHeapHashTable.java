package lb.dataplane.table;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.LongUnaryOperator;

import lb.dataplane.memory.PageMemory;
import lb.dataplane.memory.UncheckedMemory;

import static lb.dataplane.memory.UncheckedMemory.NATIVE;
import static lb.dataplane.table.TableDescriptor.BUSY;
import static lb.dataplane.table.TableDescriptor.CAPPED_COUNT_OFFSET;
import static lb.dataplane.table.TableDescriptor.CONTROL_LENGTH;
import static lb.dataplane.table.TableDescriptor.CONTROL_OFFSET;
import static lb.dataplane.table.TableDescriptor.CREATED_BIT;
import static lb.dataplane.table.TableDescriptor.EXPIRATIONS_OFFSET;
import static lb.dataplane.table.TableDescriptor.FREE;
import static lb.dataplane.table.TableDescriptor.HEADER_LENGTH;
import static lb.dataplane.table.TableDescriptor.KEY_OFFSET;
import static lb.dataplane.table.TableDescriptor.LIVE;
import static lb.dataplane.table.TableDescriptor.LIVE_ENTRIES_OFFSET;
import static lb.dataplane.table.TableDescriptor.PENDING;
import static lb.dataplane.table.TableDescriptor.SWEEP_CURSOR_OFFSET;
import static lb.dataplane.table.TableDescriptor.SWEEP_LIVE_OFFSET;
import static lb.dataplane.table.TableDescriptor.control;
import static lb.dataplane.table.TableDescriptor.handle;
import static lb.dataplane.table.TableDescriptor.handleMatches;
import static lb.dataplane.table.TableDescriptor.nextVersion;
import static lb.dataplane.table.TableDescriptor.sameVersion;
import static lb.dataplane.table.TableDescriptor.state;
import static lb.dataplane.table.TableDescriptor.tag;
import static lb.dataplane.table.TableDescriptor.version;
import static lb.dataplane.table.TableDescriptor.visible;

/**
 * Fixed-capacity, lock-free, open-addressing hash table of fixed-size keys over one off-heap segment, shared by
 * several worker threads and one conductor thread; the core under {@link ConnectionTable} and {@link AffinityTable}.
 *
 * <h2>Shape</h2>
 * Layout in {@link TableDescriptor}. A key of {@code keyWords} longs (1 to 5; callers pass zero for the unused ones)
 * hashes, with a secret seed, to a home slot; the key may live only in the probe window of {@code probeLimit} slots
 * from there (linear probing, so a window is contiguous control words). Lookups scan the whole window by tag and never
 * stop early at a free slot, which is what makes deletion simple: a freed slot is FREE at once, reusable by any
 * insert, and there are no tombstones to accumulate or reclaim. When no slot of the window is free an insert returns
 * {@link TableResult#PROBE_LIMIT}; nothing ever grows, moves or loops without bound.
 *
 * <h2>Threads</h2>
 * Workers call {@link #find}, {@link #insert}, {@link #meta}, {@link #touch} and {@link #updateMeta}, concurrently
 * with each other and with the conductor. Only one thread, the conductor, calls {@link #remove}, {@link #sweep} and
 * {@link #read}; the counter getters may be called from any thread. Nothing takes a lock, allocates or throws on the
 * worker paths, and every loop is bounded by the probe limit times a small constant.
 *
 * <h2>Why readers never see a torn entry</h2>
 * A slot's key is written only while its control word is BUSY, which no reader accepts; meta is a single word changed
 * only by CAS; last-seen is a single word. A reader reads the control word (acquire), the key and meta, then an
 * acquire fence and the control word again: if the version is the same, the slot was neither freed nor re-claimed in
 * between (every claim and free bumps the version), so key and meta belong to one entry. Otherwise it retries a few
 * times and then treats the slot as not matching, which is what it would have seen a moment later anyway.
 *
 * <h2>Why two concurrent inserts of one key never leave two live entries</h2>
 * Inserters of the same key share its probe window, so the slot's distance from home gives them a total order. An
 * inserter claims a free slot (CAS FREE to BUSY), writes the entry, publishes it as PENDING with a volatile store, and
 * only then scans the window (volatile loads) for the same key, PENDING or LIVE:
 * <ul>
 * <li>a LIVE twin, or a PENDING twin nearer home: it frees its own slot and returns the twin (insert-or-get);</li>
 * <li>a PENDING twin farther from home: it frees the twin by CAS (PENDING to FREE); if that CAS fails because the twin
 * has just committed, it treats it as LIVE (above).</li>
 * </ul>
 * It commits by CAS PENDING to LIVE, which fails if a nearer twin freed it; then it starts over and finds that twin.
 * Suppose A (nearer) and B both committed. Each published before scanning, and the volatile accesses are totally
 * ordered, so at least one saw the other's publication. If B saw A pending or live, B freed itself; if A saw B pending,
 * A freed B or saw it live and freed itself. Either way one of them did not commit: contradiction. And some insert
 * always stands: the nearest twin is freed by nobody and frees itself only for a live twin. Tags and the version in
 * the control word make each check exact; at most a few rounds are lost to races over the same free slot, bounded by
 * {@link #MAX_INSERT_ATTEMPTS}, after which the insert returns {@link TableResult#CONTENDED}.
 *
 * <h2>Removal and the capped count</h2>
 * Only the conductor frees LIVE slots (workers only ever CAS FREE, BUSY and PENDING words), so removal is: CAS the
 * meta word to dead, then release-store the control word FREE. The meta CAS is the single point where an entry dies,
 * so it races exactly one way with a worker's meta CAS (a state change): one wins, the other sees a changed word.
 * Entries whose meta carries a capped flag (SYN_SEEN for connections) are counted, with a limit checked at insert by a
 * wait-free add that is undone on failure; the count moves only on the winning side of each of those CASes and on
 * the insert's own outcome, so at quiescence it equals the number of live capped entries exactly.
 */
final class OffHeapHashTable implements AutoCloseable {
    /** Smallest capacity accepted. */
    static final int MIN_CAPACITY = 1024;
    /** Largest capacity accepted: slot indices fit in the 28 bits a handle gives them. */
    static final int MAX_CAPACITY = 1 << 28;
    /** Largest probe window accepted: a window is scanned in full on every miss. */
    static final int MAX_PROBE_LIMIT = 64;
    /** Largest key accepted, in longs: the connection key. */
    static final int MAX_KEY_WORDS = 5;
    /**
     * Insert rounds before giving up with CONTENDED. A round is lost only to another inserter: one that claimed the same
     * free slot first, a nearer twin that freed ours, or a twin still writing the last free slot of the window.
     */
    static final int MAX_INSERT_ATTEMPTS = 8;
    /** Times a reader re-reads a slot that changed under it before treating it as not matching. */
    static final int MAX_READ_RETRIES = 4;
    /** Rounds a conductor removal retries when a worker changes the meta word at the same moment. */
    static final int MAX_REMOVE_ATTEMPTS = 16;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final ValueLayout.OfLong PLAIN_LONG = ValueLayout.JAVA_LONG;

    /** Mask of a control word's tag and state, compared at once against {@link #wanted}. */
    private static final long TAG_STATE_MASK = (TableDescriptor.TAG_MASK << TableDescriptor.TAG_SHIFT) |
        TableDescriptor.STATE_MASK;

    private final Arena arena;
    private final PageMemory.Block block;
    private final MemorySegment memory;
    /**
     * Address of {@link #memory}: every access is base + offset in {@code UncheckedMemory.NATIVE}. An instance
     * field segment is reloaded and checked on each access (C2 does not trust instance final fields); the static
     * final one folds away, leaving the access itself. The table's lifetime is its arena's (see UncheckedMemory).
     */
    private final long base;
    private final int capacity;
    private final int mask;
    private final int probeLimit;
    private final int keyWords;
    private final int entryLength;
    private final long entriesOffset;
    private final int metaOffset;
    private final int lastSeenOffset;
    private final long seed;
    /** The hash's secrets, derived from the seed once ({@link #secrets}). */
    private final long s0;
    private final long s1;
    private final long s2;
    private final long s3;
    private final long s4;
    private final long s5;
    private final long s6;
    private final long s7;
    private final LongUnaryOperator idleTimeout;
    /**
     * Address of the per-(rule, bucket) entry counts ({@link #untracked}), or 0 when this table keeps none: one long
     * per rule slot (256) and bucket (1024; bucket b counts at b mod 1024, which can only over-count, never under).
     */
    private final long countsBase;
    private final long cappedBits;
    private final long capLimit;

    /**
     * @param capacity    slots, a power of two between {@link #MIN_CAPACITY} and {@link #MAX_CAPACITY}.
     * @param probeLimit  slots an entry may be from its home slot, 1 to {@link #MAX_PROBE_LIMIT}, at most capacity.
     * @param keyWords    longs in a key, 1 to {@link #MAX_KEY_WORDS}.
     * @param seed        secret hash seed, so that outsiders cannot aim keys at one probe window.
     * @param idleTimeout idle timeout in ticks of an entry, given its meta word; called by the sweep only.
     * @param cappedFlags flags (see {@link EntryMeta}) that make an entry count against {@code capLimit}; 0 for none.
     * @param capLimit    most entries carrying a capped flag, at least 0.
     * @param pages       where the memory may come from (huge pages where the machine has them).
     */
    OffHeapHashTable(
        final int capacity,
        final int probeLimit,
        final int keyWords,
        final long seed,
        final LongUnaryOperator idleTimeout,
        final int cappedFlags,
        final long capLimit,
        final PageMemory.Policy pages) {
        this(capacity, probeLimit, keyWords, seed, idleTimeout, cappedFlags, capLimit, pages, false);
    }

    /**
     * @param bucketCounts whether to count entries per (rule, bucket) of their meta word, for {@link #untracked}.
     */
    OffHeapHashTable(
        final int capacity,
        final int probeLimit,
        final int keyWords,
        final long seed,
        final LongUnaryOperator idleTimeout,
        final int cappedFlags,
        final long capLimit,
        final PageMemory.Policy pages,
        final boolean bucketCounts) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two between " + MIN_CAPACITY + " and " +
                MAX_CAPACITY + ", was " + capacity);
        }
        if (probeLimit < 1 || probeLimit > MAX_PROBE_LIMIT) {
            throw new IllegalArgumentException("probeLimit must be between 1 and " + MAX_PROBE_LIMIT + ", was " +
                probeLimit);
        }
        if (keyWords < 1 || keyWords > MAX_KEY_WORDS) {
            throw new IllegalArgumentException("keyWords must be between 1 and " + MAX_KEY_WORDS + ", was " + keyWords);
        }
        if (capLimit < 0) {
            throw new IllegalArgumentException("capLimit must be at least 0, was " + capLimit);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.probeLimit = probeLimit;
        this.keyWords = keyWords;
        this.entryLength = TableDescriptor.entryLength(keyWords);
        this.entriesOffset = CONTROL_OFFSET + (long)capacity * CONTROL_LENGTH;
        this.metaOffset = TableDescriptor.metaOffset(keyWords);
        this.lastSeenOffset = TableDescriptor.lastSeenOffset(keyWords);
        this.seed = seed;
        final long[] secret = secrets(seed, keyWords);
        this.s0 = secret[0];
        this.s1 = secret[1];
        this.s2 = secret[2];
        this.s3 = secret[3];
        this.s4 = secret[4];
        this.s5 = secret[5];
        this.s6 = secret[6];
        this.s7 = secret[7];
        this.idleTimeout = idleTimeout;
        this.cappedBits = ((long)cappedFlags & 0xFF) << EntryMeta.FLAGS_SHIFT;
        this.capLimit = capLimit;
        this.arena = Arena.ofShared();
        // Zeroed: every control word FREE with version 0, every counter 0.
        this.block = PageMemory.allocate(arena, memoryLength(capacity, keyWords), pages);
        this.memory = UncheckedMemory.view(block.segment());
        this.base = memory.address();
        this.countsBase = bucketCounts ?
            UncheckedMemory.view(arena.allocate(COUNTED_RULES * COUNTED_BUCKETS * 8L, 64)).address() : 0;
    }

    /** Rule slots and buckets {@link #untracked} tells apart. */
    static final int COUNTED_RULES = 256;
    static final int COUNTED_BUCKETS = 1024;

    /**
     * Whether no entry of this rule slot and bucket is in the table (only if the table counts them): then a lookup
     * of a key whose entry would carry them finds nothing, and can be skipped. Exact at quiescence; an insert counts
     * its entry before publishing it and a removal uncounts it after retiring it, so a lookup skipped on a zero count
     * is one that could not have seen the entry. Workers.
     */
    boolean untracked(final int rule, final int bucket) {
        return countsBase != 0 &&
            (long)LONG.getAcquire(NATIVE, countsBase + 8L * (((rule & 0xFF) << 10) | (bucket & (COUNTED_BUCKETS - 1)))) == 0;
    }

    /** Adds delta to the count of a meta word's (rule, bucket), if this table counts. */
    private void count(final long meta, final long delta) {
        if (countsBase != 0) {
            LONG.getAndAdd(NATIVE, countsBase + 8L * ((EntryMeta.rule(meta) << 10) |
                (EntryMeta.bucket(meta) & (COUNTED_BUCKETS - 1))), delta);
        }
    }

    private static boolean sameCount(final long a, final long b) {
        return EntryMeta.rule(a) == EntryMeta.rule(b) &&
            (EntryMeta.bucket(a) & (COUNTED_BUCKETS - 1)) == (EntryMeta.bucket(b) & (COUNTED_BUCKETS - 1));
    }

    /**
     * @param capacity slots.
     * @param keyWords longs in a key.
     * @return bytes a table of this shape allocates, once, at construction.
     */
    static long memoryLength(final int capacity, final int keyWords) {
        return HEADER_LENGTH + (long)capacity * (CONTROL_LENGTH + TableDescriptor.entryLength(keyWords));
    }

    int capacity() {
        return capacity;
    }

    long memoryLength() {
        return memory.byteSize();
    }

    /**
     * @return the table's memory for an operator: size and page kind.
     */
    String describeMemory() {
        return block.describe();
    }

    /**
     * @return where the table's memory came from.
     */
    PageMemory.Kind pageKind() {
        return block.kind();
    }

    /**
     * Finds a committed entry. Any thread.
     *
     * @return a handle, or {@link TableResult#NOT_FOUND}.
     */
    long find(final long k0, final long k1, final long k2, final long k3, final long k4) {
        return find(hashOf(k0, k1, k2, k3, k4), k0, k1, k2, k3, k4);
    }

    /**
     * {@link #find(long, long, long, long, long)} with the key's hash already computed. Workers.
     *
     * @param hash {@link #hashOf} of the key.
     */
    long find(final long hash, final long k0, final long k1, final long k2, final long k3, final long k4) {
        final int home = (int)hash & mask;
        final long tag = hashTag(hash);
        final long wanted = wanted(hash);
        for (int d = 0; d < probeLimit; d++) {
            final int slot = (home + d) & mask;
            // Filter the window with plain loads; only a slot that may hold the key pays for ordering. A plain
            // load followed by an acquire fence is an acquire load: the key and meta reads in match() cannot
            // move above it. (On x86 both are the same instruction; what the fence-per-slot cost is the JIT's
            // freedom to schedule and hoist across the whole window, which C compilers keep for relaxed/acquire
            // loads.) Tag and state are compared at once, under one mask.
            final long plain = NATIVE.get(PLAIN_LONG, base + controlOffset(slot));
            if ((plain & TAG_STATE_MASK) != wanted) {
                continue;
            }
            VarHandle.acquireFence();
            final long control = match(slot, plain, tag, k0, k1, k2, k3, k4, false);
            if (control >= 0) {
                return handle(slot, control);
            }
        }
        return TableResult.NOT_FOUND;
    }

    /**
     * The workers' lookup of a five-word key (the connection key), specialised: the table's fields read once into
     * locals before the scan (the acquire fence of a candidate would otherwise have them reloaded), tag and state
     * of each control word compared at once, the key width and entry size constants, and the meta word read and
     * validated with the key handed back in {@code metaOut[0]}, so that the caller validates its hit once.
     *
     * @param hash    {@link #hashOf} of the key.
     * @param metaOut where a hit's meta word goes (never negative); untouched on a miss.
     * @return a handle, or {@link TableResult#NOT_FOUND}.
     */
    long findMeta5(final long hash, final long k0, final long k1, final long k2, final long k3, final long k4,
        final long[] metaOut) {
        // The scan stays small enough for C2 to inline into the classifier (FreqInlineSize); the validation of a
        // candidate, once per hit, is a call.
        final long controls = base + CONTROL_OFFSET;
        final int m = mask;
        final int limit = probeLimit;
        final int home = (int)hash & m;
        final long wanted = wanted(hash);
        for (int d = 0; d < limit; d++) {
            final int slot = (home + d) & m;
            final long control = NATIVE.get(PLAIN_LONG, controls + (long)slot * CONTROL_LENGTH);
            if ((control & TAG_STATE_MASK) == wanted) {
                final long handle = validate5(slot, control, wanted, k0, k1, k2, k3, k4, metaOut);
                if (handle >= 0) {
                    return handle;
                }
            }
        }
        return TableResult.NOT_FOUND;
    }

    /** {@link #findMeta5}'s check of a candidate slot: key, meta and the control word again at the same version. */
    private long validate5(final int slot, final long first, final long wanted,
        final long k0, final long k1, final long k2, final long k3, final long k4, final long[] metaOut) {
        VarHandle.acquireFence();
        final long controlAt = base + CONTROL_OFFSET + (long)slot * CONTROL_LENGTH;
        final long entry = base + entriesOffset + (long)slot * ENTRY_LENGTH_5;
        long control = first;
        for (int retry = 0; retry < MAX_READ_RETRIES && (control & TAG_STATE_MASK) == wanted; retry++) {
            final boolean sameKey = NATIVE.get(PLAIN_LONG, entry) == k0 &&
                NATIVE.get(PLAIN_LONG, entry + 8) == k1 &&
                NATIVE.get(PLAIN_LONG, entry + 16) == k2 &&
                NATIVE.get(PLAIN_LONG, entry + 24) == k3 &&
                NATIVE.get(PLAIN_LONG, entry + 32) == k4;
            final long meta = (long)LONG.getOpaque(NATIVE, entry + 40);
            VarHandle.acquireFence();
            final long again = (long)LONG.getAcquire(NATIVE, controlAt);
            if (sameVersion(control, again) && visible(again)) {
                if (sameKey && meta >= 0) {
                    metaOut[0] = meta;
                    return handle(slot, again);
                }
                return -1;
            }
            control = again;
        }
        return -1;
    }

    /** Entry length of a five-word key: key, meta, last seen. */
    private static final int ENTRY_LENGTH_5 = 8 * (5 + 2);

    /**
     * Records traffic on an entry the caller has just found with {@link #findMeta5} (which validated it): no second
     * check of the control word. If the entry was freed in between, the store lands in a free slot (overwritten by
     * the next insert there) or in an entry being inserted there, whose last-seen becomes a moment later than its
     * inserter wrote: harmless either way. Workers.
     */
    void touchFound5(final long handle, final long nowTicks) {
        final long at = base + entriesOffset + (long)((int)handle & mask) * ENTRY_LENGTH_5 + 48;
        if ((long)LONG.getOpaque(NATIVE, at) < nowTicks) {
            LONG.setOpaque(NATIVE, at, nowTicks);
        }
    }

    /** A control word's tag and state bits for a LIVE entry of this hash's tag. */
    private static long wanted(final long hash) {
        return (hashTag(hash) << TableDescriptor.TAG_SHIFT) | LIVE;
    }

    /**
     * @return this table's (seeded) hash of a key.
     */
    long hashOf(final long k0, final long k1, final long k2, final long k3, final long k4) {
        final long a = mum(k0 ^ s0, k1 ^ s1);
        final long b = mum(k2 ^ s2, k3 ^ s3);
        final long c = mum(k4 ^ s4, s5);
        return mum(a ^ b ^ s6, c ^ s7);
    }

    /**
     * @param hash a key's {@link #hashOf}.
     * @return the slot a lookup of that key reads first.
     */
    int homeSlotOf(final long hash) {
        return (int)hash & mask;
    }

    /**
     * Writes, for each slot, the addresses of its control word and of its entry, 8 bytes each from {@code out}:
     * what a lookup starting at that slot reads first, for a prefetch.
     *
     * @param slots slots from {@link #homeSlotOf}; negative entries are skipped.
     * @param count how many of {@code slots}.
     * @param out   native address of room for 2 x count addresses.
     * @return addresses written.
     */
    int slotAddresses(final int[] slots, final int count, final long out) {
        int written = 0;
        for (int i = 0; i < count; i++) {
            final int slot = slots[i];
            if (slot >= 0) {
                NATIVE.set(PLAIN_LONG, out + 8L * written++, base + controlOffset(slot));
                NATIVE.set(PLAIN_LONG, out + 8L * written++, base + entryOffset(slot));
            }
        }
        return written;
    }

    /**
     * Inserts an entry unless one with the same key exists. Workers and conductor.
     *
     * @param payload  meta payload, see {@link EntryMeta#pack}.
     * @param lastSeen initial last-seen ticks.
     * @return a handle (with {@link TableResult#isCreated} true when this call created it), or
     * {@link TableResult#PROBE_LIMIT}, {@link TableResult#HALF_OPEN_LIMIT} (the capped count is at its limit) or
     * {@link TableResult#CONTENDED}.
     */
    long insert(
        final long k0, final long k1, final long k2, final long k3, final long k4,
        final long payload, final long lastSeen) {
        final long stored = payload & EntryMeta.PAYLOAD_MASK;
        final boolean capped = (stored & cappedBits) != 0;
        final long hash = hashOf(k0, k1, k2, k3, k4);
        final int home = (int)hash & mask;
        final long tag = hashTag(hash);
        boolean reserved = false;
        long result = TableResult.CONTENDED;
        for (int attempt = 0; attempt < MAX_INSERT_ATTEMPTS; attempt++) {
            int free = -1;
            long freeControl = 0;
            long twin = -1;
            boolean busyWithOurTag = false;
            for (int d = 0; d < probeLimit && twin < 0; d++) {
                final int slot = (home + d) & mask;
                final long control = controlAcquire(slot);
                final int state = state(control);
                if (state == FREE) {
                    if (free < 0) {
                        free = d;
                        freeControl = control;
                    }
                } else if (state == BUSY) {
                    busyWithOurTag |= tag(control) == tag;
                } else if ((twin = match(slot, control, tag, k0, k1, k2, k3, k4, true)) >= 0) {
                    result = handle(slot, twin);
                }
            }
            if (twin >= 0) {
                break;
            }
            if (free < 0) {
                // A slot being written under our tag may be a twin of this key holding the last free slot: it
                // becomes visible within a few stores, so look again rather than fail an insert that will exist.
                if (busyWithOurTag) {
                    Thread.onSpinWait();
                    continue;
                }
                result = TableResult.PROBE_LIMIT;
                break;
            }
            // Reserved only once the key is known to be absent, so a tracked flow's retransmitted SYN still finds
            // its entry when the limit is reached; kept across rounds, released below unless this call created.
            if (capped && !reserved) {
                reserved = true;
                if (addCapped(1) >= capLimit) {
                    result = TableResult.HALF_OPEN_LIMIT;
                    break;
                }
            }
            final int slot = (home + free) & mask;
            final long version = nextVersion(freeControl);
            if (!LONG.compareAndSet(NATIVE, base + controlOffset(slot), freeControl, control(version, tag, BUSY))) {
                continue;
            }
            final long entry = entryOffset(slot);
            writeKey(entry, k0, k1, k2, k3, k4);
            LONG.setOpaque(NATIVE, base + entry + metaOffset, stored | EntryMeta.stamp(version));
            LONG.setOpaque(NATIVE, base + entry + lastSeenOffset, lastSeen);
            final long pending = control(version, tag, PENDING);
            // Counted before it can be seen (see untracked), uncounted if it does not stand.
            count(stored, 1);
            // Volatile, not release: this store must be ordered before the scan's loads (the Dekker step).
            LONG.setVolatile(NATIVE, base + controlOffset(slot), pending);
            final long winner = resolve(home, free, tag, k0, k1, k2, k3, k4, pending);
            if (winner >= 0) {
                count(stored, -1);
                result = winner;
                break;
            }
            if (LONG.compareAndSet(NATIVE, base + controlOffset(slot), pending, control(version, tag, LIVE))) {
                return handle(slot, pending) | CREATED_BIT;
            }
            count(stored, -1);
            // A twin nearer home freed our slot; the next round finds it.
        }
        if (reserved) {
            addCapped(-1);
        }
        return result;
    }

    /**
     * Reads an entry's meta word. Any thread.
     *
     * @return the meta word (never negative), or {@link TableResult#NOT_FOUND} if the handle's entry is gone.
     */
    long meta(final long handle) {
        if (handle < 0) {
            return TableResult.NOT_FOUND;
        }
        final int slot = (int)handle & mask;
        final long control = controlAcquire(slot);
        if (!visible(control) || !handleMatches(handle, control)) {
            return TableResult.NOT_FOUND;
        }
        final long meta = (long)LONG.getOpaque(NATIVE, base + entryOffset(slot) + metaOffset);
        VarHandle.acquireFence();
        final long again = controlAcquire(slot);
        return meta >= 0 && visible(again) && sameVersion(control, again) ? meta : TableResult.NOT_FOUND;
    }

    /**
     * Records that the entry saw traffic: one opaque store, skipped when the word already holds a later tick so that
     * entries shared by several workers (a client's affinity) do not bounce between their caches. Any thread.
     * <p>
     * A touch racing the sweep that expires the same entry may be lost; the entry was idle for its whole timeout
     * until that instant, and the caller can tell from the result of its next {@link #meta} or {@link #touch}.
     *
     * @return false if the handle's entry is gone.
     */
    boolean touch(final long handle, final long nowTicks) {
        if (handle < 0) {
            return false;
        }
        final int slot = (int)handle & mask;
        final long control = controlAcquire(slot);
        if (!visible(control) || !handleMatches(handle, control)) {
            return false;
        }
        final long at = entryOffset(slot) + lastSeenOffset;
        if ((long)LONG.getOpaque(NATIVE, base + at) < nowTicks) {
            LONG.setOpaque(NATIVE, base + at, nowTicks);
        }
        return true;
    }

    /**
     * Replaces a committed entry's meta payload if its meta word still equals {@code expected}. Any thread.
     *
     * @param expected meta word read by {@link #meta} with the same handle.
     * @param payload  new payload; the stamp of {@code expected} is kept.
     * @return whether the word was replaced.
     */
    boolean updateMeta(final long handle, final long expected, final long payload) {
        if (handle < 0 || expected < 0) {
            return false;
        }
        final int slot = (int)handle & mask;
        final long control = controlAcquire(slot);
        // LIVE only: a PENDING entry's capped reservation still belongs to its inserter.
        if (state(control) != LIVE || !handleMatches(handle, control)) {
            return false;
        }
        final long update = (expected & EntryMeta.STAMP_MASK) | (payload & EntryMeta.PAYLOAD_MASK);
        final boolean recount = countsBase != 0 && !sameCount(expected, update);
        if (recount) {
            count(update, 1);
        }
        if (!LONG.compareAndSet(NATIVE, base + entryOffset(slot) + metaOffset, expected, update)) {
            if (recount) {
                count(update, -1);
            }
            return false;
        }
        if (recount) {
            count(expected, -1);
        }
        final long cappedDelta = ((update & cappedBits) != 0 ? 1 : 0) - ((expected & cappedBits) != 0 ? 1 : 0);
        if (cappedDelta != 0) {
            addCapped(cappedDelta);
        }
        return true;
    }

    /**
     * Removes a committed entry. Conductor only.
     *
     * @return whether this call removed it.
     */
    boolean remove(final long handle) {
        for (int attempt = 0; attempt < MAX_REMOVE_ATTEMPTS; attempt++) {
            final long meta = meta(handle);
            if (meta < 0) {
                return false;
            }
            final int slot = (int)handle & mask;
            final long control = controlAcquire(slot);
            if (state(control) != LIVE || !handleMatches(handle, control)) {
                return false;
            }
            if (retire(slot, control, meta)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes a committed entry only if its meta word is still {@code expected}, so that a caller who chose the entry
     * by its meta (owner, flags, bucket) removes exactly the entry it chose and never one changed since. Conductor
     * only.
     *
     * @param expected meta word read with the same handle, by {@link #read} or {@link #meta}.
     * @return whether this call removed it; false when the entry is gone or its meta changed.
     */
    boolean removeIfMeta(final long handle, final long expected) {
        if (handle < 0 || expected < 0) {
            return false;
        }
        final int slot = (int)handle & mask;
        final long control = controlAcquire(slot);
        return state(control) == LIVE && handleMatches(handle, control) && retire(slot, control, expected);
    }

    /**
     * Expires entries idle longer than their timeout, visiting at most {@code limit} slots from where the previous
     * call stopped, so a conductor duty cycle does bounded work. Also counts live entries: each completed pass over
     * the table publishes what it saw as {@link #liveEntries()}. Conductor only.
     *
     * @return entries expired.
     */
    int sweep(final long nowTicks, final int limit) {
        long cursor = NATIVE.get(PLAIN_LONG, base + SWEEP_CURSOR_OFFSET);
        long seenLive = NATIVE.get(PLAIN_LONG, base + SWEEP_LIVE_OFFSET);
        int expired = 0;
        for (int i = 0; i < limit; i++) {
            final int slot = (int)cursor & mask;
            final long control = controlAcquire(slot);
            if (state(control) == LIVE) {
                final long entry = entryOffset(slot);
                final long meta = (long)LONG.getOpaque(NATIVE, base + entry + metaOffset);
                final long lastSeen = (long)LONG.getOpaque(NATIVE, base + entry + lastSeenOffset);
                if (meta >= 0) {
                    if (nowTicks - lastSeen > idleTimeout.applyAsLong(meta) && retire(slot, control, meta)) {
                        expired++;
                    } else {
                        seenLive++;
                    }
                }
            }
            cursor++;
            if (((int)cursor & mask) == 0) {
                LONG.setOpaque(NATIVE, base + LIVE_ENTRIES_OFFSET, seenLive);
                seenLive = 0;
            }
        }
        NATIVE.set(PLAIN_LONG, base + SWEEP_CURSOR_OFFSET, cursor);
        NATIVE.set(PLAIN_LONG, base + SWEEP_LIVE_OFFSET, seenLive);
        if (expired > 0) {
            LONG.setOpaque(NATIVE, base + EXPIRATIONS_OFFSET, (long)LONG.getOpaque(NATIVE, base + EXPIRATIONS_OFFSET) + expired);
        }
        return expired;
    }

    /**
     * Removes every committed entry in slots {@code [fromSlot, fromSlot + slotCount)}, or only those of one port
     * rule. Conductor.
     *
     * @param rule  port-rule index, or -1 for every rule.
     * @param entry scratch of at least {@code keyWords + 2} longs.
     * @return entries removed.
     */
    int flush(final int rule, final int fromSlot, final int slotCount, final long[] entry) {
        final int end = SlotRange.end(capacity(), fromSlot, slotCount);
        int removed = 0;
        for (int slot = fromSlot; slot < end; slot++) {
            final long handle = read(slot, entry);
            if (handle >= 0 && (rule < 0 || EntryMeta.rule(entry[keyWords]) == rule) && remove(handle)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Copies a committed entry (key words, meta, last seen) into {@code dst} without tearing. Conductor, or any
     * thread with its own {@code dst}.
     *
     * @param dst at least {@code keyWords + 2} longs.
     * @return the entry's handle, or {@link TableResult#NOT_FOUND} if the slot holds no committed entry.
     */
    long read(final int slot, final long[] dst) {
        long control = controlAcquire(slot);
        for (int retry = 0; retry < MAX_READ_RETRIES && state(control) == LIVE; retry++) {
            final long entry = entryOffset(slot);
            for (int w = 0; w < keyWords; w++) {
                dst[w] = NATIVE.get(PLAIN_LONG, base + entry + KEY_OFFSET + 8L * w);
            }
            final long meta = (long)LONG.getOpaque(NATIVE, base + entry + metaOffset);
            dst[keyWords] = meta;
            dst[keyWords + 1] = (long)LONG.getOpaque(NATIVE, base + entry + lastSeenOffset);
            VarHandle.acquireFence();
            final long again = controlAcquire(slot);
            if (again == control) {
                return meta >= 0 ? handle(slot, control) : TableResult.NOT_FOUND;
            }
            control = again;
        }
        return TableResult.NOT_FOUND;
    }

    /**
     * @return live entries carrying a capped flag; exact whenever no operation is in flight, and otherwise off by at
     * most the number of inserts in flight.
     */
    long cappedCount() {
        return (long)LONG.getVolatile(NATIVE, base + CAPPED_COUNT_OFFSET);
    }

    /**
     * @return entries the sweep has expired since construction.
     */
    long expirations() {
        return (long)LONG.getOpaque(NATIVE, base + EXPIRATIONS_OFFSET);
    }

    /**
     * @return live entries counted by the last complete sweep pass (approximate: entries come and go during a pass;
     * 0 until the first pass completes).
     */
    long liveEntries() {
        return (long)LONG.getOpaque(NATIVE, base + LIVE_ENTRIES_OFFSET);
    }

    /**
     * Frees the memory. Call only when no other thread uses the table any more.
     */
    @Override
    public void close() {
        arena.close();
    }

    /**
     * Keyed hash of a key (what {@link #hashOf} computes with the secrets derived once): wyhash's folded 128-bit
     * multiply ("mum": low ^ high half of the product) over the key words in pairs, each word mixed with a secret
     * derived from the seed, then folded once more. The three first-level products are independent, so they overlap
     * in the multiplier: about a third of the time of the XXH64-round chain it replaced (five dependent rounds and an
     * avalanche). Unused key words are zero (callers pass 0). Well mixed, not a PRF: the secrets raise the bar for
     * an attacker aiming keys at one window but are no proof against it. The worst such an attacker achieves is full
     * windows: inserts there fail with PROBE_LIMIT, are counted and fall back to stateless hashing, and the half-open
     * limit bounds how much of the table SYNs can hold. The C reference (bench/cref/cref_table.h) computes the same.
     */
    static long hash(
        final long seed, final int keyWords,
        final long k0, final long k1, final long k2, final long k3, final long k4) {
        final long[] s = secrets(seed, keyWords);
        final long a = mum(k0 ^ s[0], k1 ^ s[1]);
        final long b = mum(k2 ^ s[2], k3 ^ s[3]);
        final long c = mum(k4 ^ s[4], s[5]);
        return mum(a ^ b ^ s[6], c ^ s[7]);
    }

    /** The eight secrets of a table's hash: SplitMix64 outputs of seed, word count and index. */
    static long[] secrets(final long seed, final int keyWords) {
        final long[] s = new long[8];
        for (int i = 0; i < 8; i++) {
            s[i] = splitMix64(seed + 0x632BE59BD9B4E019L * (i + 1) + keyWords);
        }
        return s;
    }

    private static long splitMix64(final long value) {
        long x = value + 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    private static long mum(final long a, final long b) {
        return (a * b) ^ Math.unsignedMultiplyHigh(a, b);
    }

    /**
     * @return the home slot of a hash (tests use it to choose colliding keys).
     */
    int homeSlot(final long hash) {
        return (int)hash & mask;
    }

    /**
     * @return the tag of a hash: its top 16 bits, which the slot index never uses (capacity is at most 2^28).
     */
    static long hashTag(final long hash) {
        return hash >>> 48;
    }

    /**
     * The scan after publishing PENDING at distance {@code mine}: frees farther pending twins, defers to a live twin
     * or a nearer pending one by freeing its own slot.
     *
     * @return the handle of the twin deferred to, or -1 if this insert may commit.
     */
    private long resolve(
        final int home, final int mine, final long tag,
        final long k0, final long k1, final long k2, final long k3, final long k4,
        final long pending) {
        for (int d = 0; d < probeLimit; d++) {
            if (d == mine) {
                continue;
            }
            final int slot = (home + d) & mask;
            long twin = match(slot, (long)LONG.getVolatile(NATIVE, base + controlOffset(slot)), tag, k0, k1, k2, k3, k4, true);
            if (twin < 0) {
                continue;
            }
            if (state(twin) == PENDING && d > mine) {
                if (LONG.compareAndSet(NATIVE, base + controlOffset(slot), twin, control(nextVersion(twin), 0, FREE))) {
                    continue;
                }
                // Its key cannot change while its version stands, so LIVE at that version means it committed first.
                final long now = (long)LONG.getVolatile(NATIVE, base + controlOffset(slot));
                if (state(now) != LIVE || !sameVersion(now, twin)) {
                    continue;
                }
                twin = now;
            }
            // Fails only if a nearer twin already freed our slot: the same outcome.
            LONG.compareAndSet(NATIVE, base + controlOffset((home + mine) & mask), pending,
                control(nextVersion(pending), 0, FREE));
            return handle(slot, twin);
        }
        return -1;
    }

    /**
     * Validated check that {@code slot} holds the key: visible (LIVE, or PENDING if asked), same tag, same key words,
     * meta not dead, all at one version.
     *
     * @return the control word at which it matched, or -1.
     */
    private long match(
        final int slot, final long first, final long tag,
        final long k0, final long k1, final long k2, final long k3, final long k4,
        final boolean pendingToo) {
        long control = first;
        for (int retry = 0; retry < MAX_READ_RETRIES; retry++) {
            if (tag(control) != tag || (pendingToo ? !visible(control) : state(control) != LIVE)) {
                return -1;
            }
            final long entry = entryOffset(slot);
            final boolean sameKey = keyEquals(entry, k0, k1, k2, k3, k4);
            final long meta = (long)LONG.getOpaque(NATIVE, base + entry + metaOffset);
            VarHandle.acquireFence();
            final long again = controlAcquire(slot);
            if (sameVersion(control, again) && visible(again)) {
                return sameKey && meta >= 0 ? again : -1;
            }
            control = again;
        }
        return -1;
    }

    private boolean keyEquals(final long entry, final long k0, final long k1, final long k2, final long k3,
        final long k4) {
        final int words = keyWords;
        return NATIVE.get(PLAIN_LONG, base + entry) == k0 &&
            (words < 2 || NATIVE.get(PLAIN_LONG, base + entry + 8) == k1) &&
            (words < 3 || NATIVE.get(PLAIN_LONG, base + entry + 16) == k2) &&
            (words < 4 || NATIVE.get(PLAIN_LONG, base + entry + 24) == k3) &&
            (words < 5 || NATIVE.get(PLAIN_LONG, base + entry + 32) == k4);
    }

    private void writeKey(final long entry, final long k0, final long k1, final long k2, final long k3,
        final long k4) {
        final int words = keyWords;
        NATIVE.set(PLAIN_LONG, base + entry, k0);
        if (words > 1) {
            NATIVE.set(PLAIN_LONG, base + entry + 8, k1);
        }
        if (words > 2) {
            NATIVE.set(PLAIN_LONG, base + entry + 16, k2);
        }
        if (words > 3) {
            NATIVE.set(PLAIN_LONG, base + entry + 24, k3);
        }
        if (words > 4) {
            NATIVE.set(PLAIN_LONG, base + entry + 32, k4);
        }
    }

    /**
     * The one place an entry dies: CAS its meta to dead (losing to a concurrent worker update is a refusal), then
     * free the slot. The release store is enough because no other thread ever writes a LIVE control word.
     */
    private boolean retire(final int slot, final long control, final long meta) {
        if (!LONG.compareAndSet(NATIVE, base + entryOffset(slot) + metaOffset, meta, meta | EntryMeta.DEAD)) {
            return false;
        }
        count(meta, -1);
        if ((meta & cappedBits) != 0) {
            addCapped(-1);
        }
        LONG.setRelease(NATIVE, base + controlOffset(slot), control(nextVersion(control), 0, FREE));
        return true;
    }

    private long addCapped(final long delta) {
        return (long)LONG.getAndAdd(NATIVE, base + CAPPED_COUNT_OFFSET, delta);
    }

    private long controlAcquire(final int slot) {
        return (long)LONG.getAcquire(NATIVE, base + controlOffset(slot));
    }

    private static long controlOffset(final int slot) {
        return CONTROL_OFFSET + (long)slot * CONTROL_LENGTH;
    }

    private long entryOffset(final int slot) {
        return entriesOffset + (long)slot * entryLength;
    }

    /**
     * @return the slot a handle names (tests use it to check probe distances and slot reuse).
     */
    static int slotOf(final long handle) {
        return TableDescriptor.slot(handle);
    }
}
