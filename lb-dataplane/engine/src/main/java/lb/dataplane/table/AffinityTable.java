package lb.dataplane.table;

import java.util.function.LongUnaryOperator;

import lb.dataplane.net.Ipv4Mapped;

/**
 * Extended affinity: which host a client (by port rule and masked address) sticks to until it has been idle for the
 * rule's timeout, across bucket moves; including clients the control plane installed as held by another host.
 * <p>
 * Key (3 longs): one word packing port-rule index and IP version, then the client address masked by the rule's
 * affinity (Single: the address, Network: its /24 or configured IPv6 prefix), 128 bits, IPv4 as {@link Ipv4Mapped}.
 * Value: see {@link EntryMeta}; {@link EntryMeta#FOREIGN} marks entries installed for another host.
 * <p>
 * Unlike a connection, one client's connections arrive on several workers (RSS hashes the 4-tuple), so two workers
 * may insert the same key at once; {@link OffHeapHashTable} guarantees one entry results and both get it.
 * Workers: {@link #lookup}, {@link #insert}, {@link #meta}, {@link #touch}. Conductor (one thread):
 * {@link #installForeign}, {@link #remove}, {@link #removeOwn}, {@link #ruleTimeoutTicks(int, long)}, {@link #sweep},
 * {@link #forEachInBuckets}, {@link #flush}, {@link #flushRule}, {@link #removeOwnInBuckets}, {@link #removeForeignOf}.
 */
public final class AffinityTable implements AutoCloseable {
    static final int KEY_WORDS = 3;

    private static final int MAX_INSTALL_ATTEMPTS = 4;

    private final OffHeapHashTable table;
    private final long[] ruleTimeouts = new long[SlotRange.MAX_RULE + 1];
    private final long[] scratch = new long[KEY_WORDS + 2];

    /**
     * Creates the table with every rule's timeout 0: set each rule's with {@link #ruleTimeoutTicks(int, long)}.
     *
     * @param context configuration; concluded here.
     */
    public AffinityTable(final AffinityTableContext context) {
        context.conclude();
        this.table = new OffHeapHashTable(
            context.capacity(),
            context.probeLimit(),
            KEY_WORDS,
            context.hashSeed(),
            new RuleTimeouts(ruleTimeouts),
            0,
            0,
            context.pages());
    }

    /**
     * Sets a port rule's extended-affinity timeout; the sweep applies it to existing entries too. Conductor.
     *
     * @param rule  port-rule index, 0-255.
     * @param ticks idle timeout in the caller's ticks, at least 0.
     */
    public void ruleTimeoutTicks(final int rule, final long ticks) {
        SlotRange.checkRule(rule);
        if (ticks < 0) {
            throw new IllegalArgumentException("ticks must be at least 0, was " + ticks);
        }
        ruleTimeouts[rule] = ticks;
    }

    /**
     * @param rule port-rule index, 0-255.
     * @return the rule's idle timeout in ticks.
     */
    public long ruleTimeoutTicks(final int rule) {
        SlotRange.checkRule(rule);
        return ruleTimeouts[rule];
    }

    /**
     * Finds a sticky client. Worker.
     *
     * @param rule      port-rule index, 0-255.
     * @param ipVersion 4 or 6.
     * @param clientHi  high 64 bits of the masked client address.
     * @param clientLo  low 64 bits of the masked client address.
     * @return a handle, or {@link TableResult#NOT_FOUND}.
     */
    public long lookup(final int rule, final int ipVersion, final long clientHi, final long clientLo) {
        return table.find(ruleWord(rule, ipVersion), clientHi, clientLo, 0, 0);
    }

    /**
     * Makes a client sticky to a host, or finds the entry that already makes it sticky. Worker.
     *
     * @param rule      port-rule index, 0-255.
     * @param ipVersion 4 or 6.
     * @param clientHi  high 64 bits of the masked client address.
     * @param clientLo  low 64 bits of the masked client address.
     * @param owner     owner host id, 0-65535.
     * @param bucket    bucket index, 0-65535.
     * @param nowTicks  current time in the caller's ticks.
     * @return a handle ({@link TableResult#isCreated} tells whether this call created the entry), or
     * {@link TableResult#PROBE_LIMIT} or {@link TableResult#CONTENDED}.
     */
    public long insert(
        final int rule, final int ipVersion, final long clientHi, final long clientLo,
        final int owner, final int bucket, final long nowTicks) {
        return table.insert(ruleWord(rule, ipVersion), clientHi, clientLo, 0, 0,
            EntryMeta.pack(owner, bucket, rule, 0), nowTicks);
    }

    /**
     * Records that the control plane says another host holds this client: creates or overwrites the entry with that
     * owner and {@link EntryMeta#FOREIGN}. Last seen becomes the later of the entry's and {@code lastSeenTicks}
     * (the caller converts the exporter's idle time into its own ticks). Conductor.
     *
     * @return a handle, or {@link TableResult#PROBE_LIMIT} or {@link TableResult#CONTENDED}.
     */
    public long installForeign(
        final int rule, final int ipVersion, final long clientHi, final long clientLo,
        final int owner, final int bucket, final long lastSeenTicks) {
        final long payload = EntryMeta.pack(owner, bucket, rule, EntryMeta.FOREIGN);
        for (int attempt = 0; attempt < MAX_INSTALL_ATTEMPTS; attempt++) {
            final long handle = table.insert(ruleWord(rule, ipVersion), clientHi, clientLo, 0, 0, payload,
                lastSeenTicks);
            if (handle < 0 || TableResult.isCreated(handle)) {
                return handle;
            }
            final long meta = table.meta(handle);
            if (meta >= 0 && ((meta & EntryMeta.PAYLOAD_MASK) == payload || table.updateMeta(handle, meta, payload))) {
                table.touch(handle, lastSeenTicks);
                return handle;
            }
        }
        return TableResult.CONTENDED;
    }

    /**
     * Worker or conductor.
     *
     * @param handle from {@link #lookup}, {@link #insert} or {@link #installForeign}.
     * @return the entry's meta word (decode with {@link EntryMeta}), or {@link TableResult#NOT_FOUND} if it is gone.
     */
    public long meta(final long handle) {
        return table.meta(handle);
    }

    /**
     * Records traffic from the client: at most one store, no CAS. Worker.
     *
     * @param handle   from {@link #lookup} or {@link #insert}.
     * @param nowTicks current time in the caller's ticks.
     * @return false if the entry is gone.
     */
    public boolean touch(final long handle, final long nowTicks) {
        return table.touch(handle, nowTicks);
    }

    /**
     * Drops a client's stickiness, as the control plane asks after a split brain heals. Conductor.
     *
     * @return whether an entry was removed.
     */
    public boolean remove(final int rule, final int ipVersion, final long clientHi, final long clientLo) {
        final long handle = lookup(rule, ipVersion, clientHi, clientLo);
        return handle >= 0 && table.remove(handle);
    }

    /**
     * Drops a client's stickiness only if this host holds it as its own, not as a {@link EntryMeta#FOREIGN} entry
     * left to another host: lbd's answer to a claim another host won. Conductor.
     *
     * @param rule      port-rule index, 0-255.
     * @param ipVersion 4 or 6.
     * @param clientHi  high 64 bits of the masked client address.
     * @param clientLo  low 64 bits of the masked client address.
     * @return whether an own entry was removed; false when there is none or the client's entry is foreign.
     */
    public boolean removeOwn(final int rule, final int ipVersion, final long clientHi, final long clientLo) {
        final long handle = lookup(rule, ipVersion, clientHi, clientLo);
        final long meta = table.meta(handle);
        return meta >= 0 && !EntryMeta.isForeign(meta) && table.removeIfMeta(handle, meta);
    }

    /**
     * Removes this host's own entries (not {@link EntryMeta#FOREIGN}) of one port rule whose bucket is in
     * {@code buckets}, in slots {@code [fromSlot, fromSlot + slotCount)}, allocating nothing: the claims lbd tells it
     * to give up. Call with increasing {@code fromSlot} until {@link #capacity()} to cover the table in bounded
     * steps. Conductor.
     *
     * @param rule    port-rule index, 0-255.
     * @param buckets the buckets whose own clients go.
     * @return entries removed.
     */
    public int removeOwnInBuckets(final int rule, final BucketSet buckets, final int fromSlot, final int slotCount) {
        SlotRange.checkRule(rule);
        final long[] entry = scratch;
        final int end = SlotRange.end(table.capacity(), fromSlot, slotCount);
        int removed = 0;
        for (int slot = fromSlot; slot < end; slot++) {
            final long handle = table.read(slot, entry);
            final long meta = entry[KEY_WORDS];
            if (handle >= 0 && EntryMeta.rule(meta) == rule && !EntryMeta.isForeign(meta) &&
                buckets.contains(EntryMeta.bucket(meta)) && table.removeIfMeta(handle, meta)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Removes the {@link EntryMeta#FOREIGN} entries of every port rule that leave their client to one host, in slots
     * {@code [fromSlot, fromSlot + slotCount)}, so those clients fall back to bucket hashing; this host's own entries
     * stay. Conductor.
     *
     * @param owner the host whose foreign entries go, 0-65535.
     * @return entries removed.
     */
    public int removeForeignOf(final int owner, final int fromSlot, final int slotCount) {
        final long[] entry = scratch;
        final int end = SlotRange.end(table.capacity(), fromSlot, slotCount);
        int removed = 0;
        for (int slot = fromSlot; slot < end; slot++) {
            final long handle = table.read(slot, entry);
            final long meta = entry[KEY_WORDS];
            if (handle >= 0 && EntryMeta.isForeign(meta) && EntryMeta.owner(meta) == owner &&
                table.removeIfMeta(handle, meta)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Expires clients idle longer than their rule's timeout, visiting at most {@code limit} slots from where the last
     * call stopped. Conductor, once per duty cycle.
     *
     * @param nowTicks current time in the caller's ticks.
     * @param limit    slots to visit.
     * @return entries expired, as work done.
     */
    public int sweep(final long nowTicks, final int limit) {
        return table.sweep(nowTicks, limit);
    }

    /**
     * Passes each entry in slots {@code [fromSlot, fromSlot + slotCount)} whose bucket is in {@code buckets} to the
     * visitor, allocating nothing: the sticky clients of moved buckets, for export to the control plane. Call with
     * increasing {@code fromSlot} until {@link #capacity()} to cover the table in bounded steps. Conductor.
     *
     * @return entries passed to the visitor.
     */
    public int forEachInBuckets(
        final BucketSet buckets, final int fromSlot, final int slotCount, final AffinityVisitor visitor) {
        final long[] entry = scratch;
        final int end = SlotRange.end(table.capacity(), fromSlot, slotCount);
        int visited = 0;
        for (int slot = fromSlot; slot < end; slot++) {
            if (table.read(slot, entry) >= 0 && buckets.contains(EntryMeta.bucket(entry[KEY_WORDS]))) {
                visitor.onAffinity((int)(entry[0] >>> 8) & 0xFF, (int)entry[0] & 0xFF, entry[1], entry[2],
                    entry[KEY_WORDS], entry[KEY_WORDS + 1]);
                visited++;
            }
        }
        return visited;
    }

    /**
     * Passes every entry in slots {@code [fromSlot, fromSlot + slotCount)} to the visitor, allocating nothing: a page
     * of the table for the operator's listing. An entry that stays in the table while the caller steps through it
     * is passed exactly once (entries never move between slots). Conductor.
     *
     * @return entries passed to the visitor.
     */
    public int forEach(final int fromSlot, final int slotCount, final AffinityVisitor visitor) {
        final long[] entry = scratch;
        final int end = SlotRange.end(table.capacity(), fromSlot, slotCount);
        int visited = 0;
        for (int slot = fromSlot; slot < end; slot++) {
            if (table.read(slot, entry) >= 0) {
                visitor.onAffinity((int)(entry[0] >>> 8) & 0xFF, (int)entry[0] & 0xFF, entry[1], entry[2],
                    entry[KEY_WORDS], entry[KEY_WORDS + 1]);
                visited++;
            }
        }
        return visited;
    }

    /**
     * When the entry a handle names was last seen. Conductor.
     *
     * @param handle from {@link #lookup}.
     * @return its last-seen time in the caller's ticks, or -1 if the entry is gone.
     */
    public long lastSeenTicks(final long handle) {
        final long[] entry = scratch;
        final long read = table.read(OffHeapHashTable.slotOf(handle), entry);
        return read == handle ? entry[KEY_WORDS + 1] : -1;
    }

    /**
     * Removes every entry in slots {@code [fromSlot, fromSlot + slotCount)}. Conductor.
     *
     * @return entries removed.
     */
    public int flush(final int fromSlot, final int slotCount) {
        return flush(-1, fromSlot, slotCount);
    }

    /**
     * Removes the entries of one port rule in slots {@code [fromSlot, fromSlot + slotCount)}. Conductor.
     *
     * @param rule port-rule index, 0-255.
     * @return entries removed.
     */
    public int flushRule(final int rule, final int fromSlot, final int slotCount) {
        SlotRange.checkRule(rule);
        return flush(rule, fromSlot, slotCount);
    }

    private int flush(final int rule, final int fromSlot, final int slotCount) {
        return table.flush(rule, fromSlot, slotCount, scratch);
    }

    /**
     * @return entries expired by the sweep since construction.
     */
    public long expirations() {
        return table.expirations();
    }

    /**
     * @return live entries counted by the last complete sweep pass (approximate; lags by up to one pass).
     */
    public long liveEntries() {
        return table.liveEntries();
    }

    /**
     * @return slots, fixed at construction.
     */
    public int capacity() {
        return table.capacity();
    }

    /**
     * @return bytes of off-heap memory the table holds, fixed at construction.
     */
    public long memoryLength() {
        return table.memoryLength();
    }

    /**
     * Frees the memory; only once no worker or conductor uses the table.
     */
    @Override
    public void close() {
        table.close();
    }

    /**
     * @return the core table, for tests that inspect slots.
     */
    OffHeapHashTable core() {
        return table;
    }

    static long ruleWord(final int rule, final int ipVersion) {
        return ((rule & 0xFFL) << 8) | (ipVersion & 0xFFL);
    }

    /**
     * Idle timeout of an entry: its rule's; read by the sweep, on the conductor thread that also sets them.
     */
    private record RuleTimeouts(long[] ticksByRule) implements LongUnaryOperator {
        @Override
        public long applyAsLong(final long meta) {
            return ticksByRule[EntryMeta.rule(meta)];
        }
    }

    /**
     * @return the table's memory for an operator: size and page kind.
     */
    public String describeMemory() {
        return table.describeMemory();
    }
}
