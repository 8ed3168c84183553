package lb.dataplane.table;

import java.security.SecureRandom;
import java.util.Objects;

import lb.dataplane.memory.PageMemory;

/**
 * Configuration of a {@link ConnectionTable}, resolved and validated once in {@link #conclude()}.
 * <p>
 * Timeouts are in the caller's ticks (the table reads no clock). Unset timeouts default to NLB's values where NLB
 * has one, converted with {@link #ticksPerSecond(long)}: closing linger 60 s, GRE 10 s, IPsec 86400 s. Where NLB
 * publishes none the defaults are ours: SYN_SEEN 10 s (short, since SYNs are what a flood is made of), ESTABLISHED
 * idle 3600 s, UDP idle 60 s.
 */
public final class ConnectionTableContext {
    /** Default slots. At 64 bytes a slot, 64 MiB. */
    public static final int DEFAULT_CAPACITY = 1 << 20;
    /** Default probe window: two cache lines of control words. */
    public static final int DEFAULT_PROBE_LIMIT = 16;
    /** Default ticks per second: milliseconds. */
    public static final long DEFAULT_TICKS_PER_SECOND = 1000;
    /** NLB's linger after TCP close activity. */
    public static final long DEFAULT_CLOSING_TIMEOUT_SECONDS = 60;
    /** NLB's GRE (PPTP) session timeout. */
    public static final long DEFAULT_GRE_TIMEOUT_SECONDS = 10;
    /** NLB's IPsec (IKE UDP 500/4500) session timeout. */
    public static final long DEFAULT_IPSEC_TIMEOUT_SECONDS = 86_400;
    /** Half-open TCP idle timeout (ours). */
    public static final long DEFAULT_SYN_SEEN_TIMEOUT_SECONDS = 10;
    /** Established TCP idle timeout (ours). */
    public static final long DEFAULT_ESTABLISHED_TIMEOUT_SECONDS = 3600;
    /** Tracked UDP flow idle timeout (ours). */
    public static final long DEFAULT_UDP_TIMEOUT_SECONDS = 60;

    private static final long UNSET = -1;

    private int capacity = DEFAULT_CAPACITY;
    private int probeLimit = DEFAULT_PROBE_LIMIT;
    private long halfOpenLimit = UNSET;
    private long hashSeed;
    private PageMemory.Policy pages = PageMemory.Policy.AUTO;
    private boolean hashSeedSet;
    private long ticksPerSecond = DEFAULT_TICKS_PER_SECOND;
    private long synSeenTimeoutTicks = UNSET;
    private long establishedTimeoutTicks = UNSET;
    private long closingTimeoutTicks = UNSET;
    private long greTimeoutTicks = UNSET;
    private long ipsecTimeoutTicks = UNSET;
    private long udpTimeoutTicks = UNSET;

    /**
     * Fills defaults and validates.
     *
     * @return this context.
     * @throws IllegalArgumentException naming the first invalid setting and what would be valid.
     */
    public ConnectionTableContext conclude() {
        if (capacity < OffHeapHashTable.MIN_CAPACITY || capacity > OffHeapHashTable.MAX_CAPACITY ||
            Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two between " +
                OffHeapHashTable.MIN_CAPACITY + " and " + OffHeapHashTable.MAX_CAPACITY + ", was " + capacity);
        }
        if (probeLimit < 1 || probeLimit > OffHeapHashTable.MAX_PROBE_LIMIT) {
            throw new IllegalArgumentException("probeLimit must be between 1 and " +
                OffHeapHashTable.MAX_PROBE_LIMIT + ", was " + probeLimit);
        }
        if (ticksPerSecond < 1) {
            throw new IllegalArgumentException("ticksPerSecond must be at least 1, was " + ticksPerSecond);
        }
        if (halfOpenLimit == UNSET) {
            halfOpenLimit = capacity / 8;
        }
        if (halfOpenLimit < 0 || halfOpenLimit > capacity) {
            throw new IllegalArgumentException("halfOpenLimit must be between 0 and capacity (" + capacity +
                "), was " + halfOpenLimit);
        }
        if (!hashSeedSet) {
            hashSeed = new SecureRandom().nextLong();
            hashSeedSet = true;
        }
        synSeenTimeoutTicks = resolve("synSeenTimeoutTicks", synSeenTimeoutTicks, DEFAULT_SYN_SEEN_TIMEOUT_SECONDS);
        establishedTimeoutTicks = resolve("establishedTimeoutTicks", establishedTimeoutTicks,
            DEFAULT_ESTABLISHED_TIMEOUT_SECONDS);
        closingTimeoutTicks = resolve("closingTimeoutTicks", closingTimeoutTicks, DEFAULT_CLOSING_TIMEOUT_SECONDS);
        greTimeoutTicks = resolve("greTimeoutTicks", greTimeoutTicks, DEFAULT_GRE_TIMEOUT_SECONDS);
        ipsecTimeoutTicks = resolve("ipsecTimeoutTicks", ipsecTimeoutTicks, DEFAULT_IPSEC_TIMEOUT_SECONDS);
        udpTimeoutTicks = resolve("udpTimeoutTicks", udpTimeoutTicks, DEFAULT_UDP_TIMEOUT_SECONDS);
        return this;
    }

    private long resolve(final String name, final long ticks, final long defaultSeconds) {
        if (ticks == UNSET) {
            return Math.multiplyExact(defaultSeconds, ticksPerSecond);
        }
        if (ticks < 0) {
            throw new IllegalArgumentException(name + " must be at least 0, was " + ticks);
        }
        return ticks;
    }

    /**
     * @param capacity slots, a power of two between 1024 and 2^28. Size it at about twice the flows expected.
     * @return this context.
     */
    public ConnectionTableContext capacity(final int capacity) {
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
    public ConnectionTableContext probeLimit(final int probeLimit) {
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
     * @param halfOpenLimit most SYN_SEEN entries, 0 to capacity; default capacity / 8.
     * @return this context.
     */
    public ConnectionTableContext halfOpenLimit(final long halfOpenLimit) {
        this.halfOpenLimit = halfOpenLimit;
        return this;
    }

    /**
     * @return most SYN_SEEN entries.
     */
    public long halfOpenLimit() {
        return halfOpenLimit;
    }

    /**
     * @param hashSeed secret seed of the slot hash; default a fresh random one. Set it only to replay a test.
     * @return this context.
     */
    public ConnectionTableContext hashSeed(final long hashSeed) {
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
     * @param ticksPerSecond ticks of the caller's clock per second, used only to resolve default timeouts.
     * @return this context.
     */
    public ConnectionTableContext ticksPerSecond(final long ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
        return this;
    }

    /**
     * @return ticks of the caller's clock per second.
     */
    public long ticksPerSecond() {
        return ticksPerSecond;
    }

    /**
     * @param ticks idle timeout of a SYN_SEEN entry.
     * @return this context.
     */
    public ConnectionTableContext synSeenTimeoutTicks(final long ticks) {
        this.synSeenTimeoutTicks = ticks;
        return this;
    }

    /**
     * @return idle timeout of a SYN_SEEN entry.
     */
    public long synSeenTimeoutTicks() {
        return synSeenTimeoutTicks;
    }

    /**
     * @param ticks idle timeout of an ESTABLISHED entry.
     * @return this context.
     */
    public ConnectionTableContext establishedTimeoutTicks(final long ticks) {
        this.establishedTimeoutTicks = ticks;
        return this;
    }

    /**
     * @return idle timeout of an ESTABLISHED entry.
     */
    public long establishedTimeoutTicks() {
        return establishedTimeoutTicks;
    }

    /**
     * @param ticks linger of a CLOSING entry after its last packet.
     * @return this context.
     */
    public ConnectionTableContext closingTimeoutTicks(final long ticks) {
        this.closingTimeoutTicks = ticks;
        return this;
    }

    /**
     * @return linger of a CLOSING entry after its last packet.
     */
    public long closingTimeoutTicks() {
        return closingTimeoutTicks;
    }

    /**
     * @param ticks idle timeout of a GRE entry.
     * @return this context.
     */
    public ConnectionTableContext greTimeoutTicks(final long ticks) {
        this.greTimeoutTicks = ticks;
        return this;
    }

    /**
     * @return idle timeout of a GRE entry.
     */
    public long greTimeoutTicks() {
        return greTimeoutTicks;
    }

    /**
     * @param ticks idle timeout of an IPsec entry (IKE UDP 500/4500, ESP).
     * @return this context.
     */
    public ConnectionTableContext ipsecTimeoutTicks(final long ticks) {
        this.ipsecTimeoutTicks = ticks;
        return this;
    }

    /**
     * @return idle timeout of an IPsec entry.
     */
    public long ipsecTimeoutTicks() {
        return ipsecTimeoutTicks;
    }

    /**
     * @param ticks idle timeout of a tracked UDP flow.
     * @return this context.
     */
    public ConnectionTableContext udpTimeoutTicks(final long ticks) {
        this.udpTimeoutTicks = ticks;
        return this;
    }

    /**
     * @return idle timeout of a tracked UDP flow.
     */
    public long udpTimeoutTicks() {
        return udpTimeoutTicks;
    }

    /**
     * @param pages where the table's memory may come from; default {@link PageMemory.Policy#AUTO} (huge pages
     *              where the machine has them).
     * @return this context.
     */
    public ConnectionTableContext pages(final PageMemory.Policy pages) {
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
