package lb.dataplane.table;

import java.security.SecureRandom;
import java.util.Objects;

import lb.dataplane.memory.PageMemory;

/**
 * Configuration of an {@link AffinityTable}, resolved and validated once in {@link #conclude()}. Timeouts are per
 * port rule and change with the rules, so they are set on the table, not here.
 */
public final class AffinityTableContext {
    /** Default slots. At 48 bytes a slot, 12 MiB. */
    public static final int DEFAULT_CAPACITY = 1 << 18;
    /** Default probe window: two cache lines of control words. */
    public static final int DEFAULT_PROBE_LIMIT = 16;

    private int capacity = DEFAULT_CAPACITY;
    private int probeLimit = DEFAULT_PROBE_LIMIT;
    private long hashSeed;
    private PageMemory.Policy pages = PageMemory.Policy.AUTO;
    private boolean hashSeedSet;

    /**
     * Fills defaults and validates.
     *
     * @return this context.
     * @throws IllegalArgumentException naming the first invalid setting and what would be valid.
     */
    public AffinityTableContext conclude() {
        if (capacity < OffHeapHashTable.MIN_CAPACITY || capacity > OffHeapHashTable.MAX_CAPACITY ||
            Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two between " +
                OffHeapHashTable.MIN_CAPACITY + " and " + OffHeapHashTable.MAX_CAPACITY + ", was " + capacity);
        }
        if (probeLimit < 1 || probeLimit > OffHeapHashTable.MAX_PROBE_LIMIT) {
            throw new IllegalArgumentException("probeLimit must be between 1 and " +
                OffHeapHashTable.MAX_PROBE_LIMIT + ", was " + probeLimit);
        }
        if (!hashSeedSet) {
            hashSeed = new SecureRandom().nextLong();
            hashSeedSet = true;
        }
        return this;
    }

    /**
     * @param capacity slots, a power of two between 1024 and 2^28. Size it at about twice the sticky clients expected.
     * @return this context.
     */
    public AffinityTableContext capacity(final int capacity) {
        this.capacity = capacity;
        return this;
    }

    /**
     * @return slots.
     */
    public int capacity() {
        return capacity;
    }

    /**
     * @param probeLimit slots an entry may sit from its home slot, 1 to 64.
     * @return this context.
     */
    public AffinityTableContext probeLimit(final int probeLimit) {
        this.probeLimit = probeLimit;
        return this;
    }

    /**
     * @return slots an entry may sit from its home slot.
     */
    public int probeLimit() {
        return probeLimit;
    }

    /**
     * @param hashSeed secret seed of the slot hash; default a fresh random one. Set it only to replay a test.
     * @return this context.
     */
    public AffinityTableContext hashSeed(final long hashSeed) {
        this.hashSeed = hashSeed;
        this.hashSeedSet = true;
        return this;
    }

    /**
     * @return seed of the slot hash.
     */
    public long hashSeed() {
        return hashSeed;
    }

    /**
     * @param pages where the table's memory may come from; default {@link PageMemory.Policy#AUTO} (huge pages
     *              where the machine has them).
     * @return this context.
     */
    public AffinityTableContext pages(final PageMemory.Policy pages) {
        this.pages = Objects.requireNonNull(pages, "pages");
        return this;
    }

    /**
     * @return where the table's memory may come from.
     */
    public PageMemory.Policy pages() {
        return pages;
    }
}
