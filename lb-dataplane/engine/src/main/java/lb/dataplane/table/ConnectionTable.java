package lb.dataplane.table;

import java.util.function.LongUnaryOperator;

import lb.dataplane.net.IpProtocol;
import lb.dataplane.net.Ipv4Mapped;

/**
 * The dataplane's connection tracking: which host owns each TCP connection (SYN to FIN/RST plus a linger), GRE and
 * IPsec session and, optionally, UDP flow, so that flows stay on their host when their bucket moves.
 * <p>
 * Key (5 longs): client address, VIP address (128 bits each, IPv4 as {@link Ipv4Mapped}), and one word packing
 * protocol, IP version, client port and VIP port. Value: see {@link EntryMeta}; the flow kind (TCP, UDP, GRE, IPsec)
 * is derived from protocol and VIP port at insert and chooses the idle timeout together with the TCP state.
 * <p>
 * Workers (any number, concurrently): {@link #lookup}, {@link #insert}, {@link #meta}, {@link #touch},
 * {@link #transition}; none of them locks, allocates or throws. With symmetric RSS a connection always reaches the same
 * worker, but nothing here relies on it. Conductor (one thread): {@link #remove}, {@link #sweep},
 * {@link #forEachInBuckets}, {@link #flush}, {@link #flushRule}. See {@link OffHeapHashTable} for the concurrency
 * argument and {@code docs/tables.md} for the design.
 * <p>
 * Half-open entries (SYN_SEEN) are bounded separately, so a SYN flood fills at most {@link #halfOpenLimit()} slots
 * and can neither evict established flows (nothing is ever evicted) nor take all the room they need.
 */
public final class ConnectionTable implements AutoCloseable {
    static final int KEY_WORDS = 5;

    static final int KIND_TCP = 0;
    static final int KIND_UDP = 1;
    static final int KIND_GRE = 2;
    static final int KIND_IPSEC = 3;

    private static final int PROTOCOL_UDP = 17;
    private static final int PROTOCOL_GRE = 47;
    private static final int PROTOCOL_ESP = 50;
    private static final int PORT_IKE = 500;
    private static final int PORT_IKE_NAT_T = 4500;
    private static final int MAX_TRANSITION_ATTEMPTS = 4;

    private final OffHeapHashTable table;
    private final long halfOpenLimit;
    private final long[] scratch = new long[KEY_WORDS + 2];

    /**
     * @param context configuration; concluded here.
     */
    public ConnectionTable(final ConnectionTableContext context) {
        context.conclude();
        this.halfOpenLimit = context.halfOpenLimit();
        this.table = new OffHeapHashTable(
            context.capacity(),
            context.probeLimit(),
            KEY_WORDS,
            context.hashSeed(),
            new Timeouts(context),
            EntryMeta.SYN_SEEN,
            context.halfOpenLimit(),
            context.pages(),
            true);
    }

    /** {@link #countedShape} once views of more than one bucket shape have been seen: counts are then never used. */
    private static final long NO_SHAPE = Long.MIN_VALUE;
    private final java.util.concurrent.atomic.AtomicLong countedShape = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Records the bucket shape ({@code DataplaneView.bucketShape}) of a view a worker is about to classify with,
     * before it inserts anything under it. The per-bucket counts say something about a packet only under the shape
     * its entries were counted in: the first shape recorded is that one, and a second, different shape ends their use
     * for the table's lifetime (a config change that moves packets between rule slots or buckets is rare, and the
     * counts of the old entries would then be under the old slots and buckets). Workers.
     */
    public void recordShape(final long shape) {
        final long now = countedShape.get();
        if (now == 0 && countedShape.compareAndSet(0, shape)) {
            return;
        }
        if (countedShape.get() != shape) {
            countedShape.set(NO_SHAPE);
        }
    }

    /**
     * @return the bucket shape under which {@link #untracked} holds for packets, or {@link Long#MIN_VALUE} for none.
     */
    public long countedShape() {
        return countedShape.get();
    }

    /**
     * Whether the table tracks no flow of this rule slot and bucket, so that a lookup of a packet in them would find
     * nothing (see {@link OffHeapHashTable#untracked}); valid for packets of views of the {@link #countedShape}. In an
     * N-host cluster (N-1)/N of the packets fall in buckets a host does not own and mostly tracks nothing in, so this
     * spares the drop path the lookup. Worker.
     */
    public boolean untracked(final int rule, final int bucket) {
        return table.untracked(rule, bucket);
    }

    /**
     * Finds a tracked flow. Worker.
     *
     * @param protocol   IP protocol number.
     * @param ipVersion  4 or 6.
     * @param clientHi   high 64 bits of the client address.
     * @param clientLo   low 64 bits of the client address.
     * @param clientPort client port, 0 for protocols without ports.
     * @param vipHi      high 64 bits of the VIP.
     * @param vipLo      low 64 bits of the VIP.
     * @param vipPort    VIP port, 0 for protocols without ports.
     * @return a handle, or {@link TableResult#NOT_FOUND}.
     */
    public long lookup(
        final int protocol, final int ipVersion, final long clientHi, final long clientLo, final int clientPort,
        final long vipHi, final long vipLo, final int vipPort) {
        return table.find(clientHi, clientLo, vipHi, vipLo, portsWord(protocol, ipVersion, clientPort, vipPort));
    }

    /**
     * @return the table's hash of this flow's key, for {@link #lookup(long, int, int, long, long, int, long, long,
     *     int)} and {@link #homeSlotOf}; arguments as {@link #lookup(int, int, long, long, int, long, long, int)}.
     */
    public long keyHash(
        final int protocol, final int ipVersion, final long clientHi, final long clientLo, final int clientPort,
        final long vipHi, final long vipLo, final int vipPort) {
        return table.hashOf(clientHi, clientLo, vipHi, vipLo, portsWord(protocol, ipVersion, clientPort, vipPort));
    }

    /**
     * @param hash a flow's {@link #keyHash}.
     * @return the slot a lookup of that flow reads first.
     */
    public int homeSlotOf(final long hash) {
        return table.homeSlotOf(hash);
    }

    /**
     * {@link #lookup(int, int, long, long, int, long, long, int)} with the key's hash computed already. Worker.
     *
     * @param hash the flow's {@link #keyHash}; a wrong one finds nothing (or, with a colliding tag, still only
     *             the entry whose key matches).
     * @return a handle, or {@link TableResult#NOT_FOUND}.
     */
    public long lookup(
        final long hash, final int protocol, final int ipVersion, final long clientHi, final long clientLo,
        final int clientPort, final long vipHi, final long vipLo, final int vipPort) {
        return table.find(hash, clientHi, clientLo, vipHi, vipLo, portsWord(protocol, ipVersion, clientPort, vipPort));
    }

    /**
     * The classifier's lookup: {@link #lookup(long, int, int, long, long, int, long, long, int)} that also hands back
     * the entry's meta word, read and validated with its key, so that a hit is validated once. Worker.
     *
     * @param metaOut on a hit, {@code metaOut[0]} is the entry's meta word (decode with {@link EntryMeta}).
     * @return a handle, or {@link TableResult#NOT_FOUND}.
     */
    public long lookupMeta(
        final long hash, final int protocol, final int ipVersion, final long clientHi, final long clientLo,
        final int clientPort, final long vipHi, final long vipLo, final int vipPort, final long[] metaOut) {
        return table.findMeta5(hash, clientHi, clientLo, vipHi, vipLo,
            portsWord(protocol, ipVersion, clientPort, vipPort), metaOut);
    }

    /**
     * {@link #touch} of an entry {@link #lookupMeta} has just found, without validating it again (see
     * {@link OffHeapHashTable#touchFound5}). Worker.
     */
    public void touchFound(final long handle, final long nowTicks) {
        table.touchFound5(handle, nowTicks);
    }

    /**
     * Addresses a prefetch of these home slots should bring in (see {@link OffHeapHashTable#slotAddresses}). Worker.
     *
     * @return addresses written at {@code out}, at most 2 x count.
     */
    public int slotAddresses(final int[] slots, final int count, final long out) {
        return table.slotAddresses(slots, count, out);
    }

    /**
     * Starts tracking a flow, or finds it if tracked already. Worker.
     *
     * @param protocol   IP protocol number.
     * @param ipVersion  4 or 6.
     * @param clientHi   high 64 bits of the client address.
     * @param clientLo   low 64 bits of the client address.
     * @param clientPort client port, 0 for protocols without ports.
     * @param vipHi      high 64 bits of the VIP.
     * @param vipLo      low 64 bits of the VIP.
     * @param vipPort    VIP port, 0 for protocols without ports.
     * @param owner      owner host id, 0-65535.
     * @param bucket     bucket index, 0-65535.
     * @param rule       port-rule index, 0-255.
     * @param tcpState   for TCP, {@link EntryMeta#SYN_SEEN}, {@link EntryMeta#ESTABLISHED} or
     *                   {@link EntryMeta#CLOSING}; ignored for other protocols.
     * @param nowTicks   current time in the caller's ticks.
     * @return a handle ({@link TableResult#isCreated} tells whether this call created the entry), or
     * {@link TableResult#PROBE_LIMIT}, {@link TableResult#HALF_OPEN_LIMIT}, {@link TableResult#CONTENDED}.
     */
    public long insert(
        final int protocol, final int ipVersion, final long clientHi, final long clientLo, final int clientPort,
        final long vipHi, final long vipLo, final int vipPort,
        final int owner, final int bucket, final int rule, final int tcpState, final long nowTicks) {
        final int kind = kind(protocol, vipPort);
        final int state = kind == KIND_TCP ? tcpState & EntryMeta.TCP_STATE_MASK : 0;
        final long payload = EntryMeta.pack(owner, bucket, rule, (kind << EntryMeta.KIND_SHIFT) | state);
        return table.insert(clientHi, clientLo, vipHi, vipLo, portsWord(protocol, ipVersion, clientPort, vipPort),
            payload, nowTicks);
    }

    /**
     * Worker or conductor.
     *
     * @param handle from {@link #lookup} or {@link #insert}.
     * @return the entry's meta word (decode with {@link EntryMeta}), or {@link TableResult#NOT_FOUND} if it is gone.
     */
    public long meta(final long handle) {
        return table.meta(handle);
    }

    /**
     * Records traffic on the flow: one store, no CAS. Worker.
     *
     * @param handle   from {@link #lookup} or {@link #insert}.
     * @param nowTicks current time in the caller's ticks.
     * @return false if the entry is gone.
     */
    public boolean touch(final long handle, final long nowTicks) {
        return table.touch(handle, nowTicks);
    }

    /**
     * Moves a TCP entry to another state (SYN_SEEN to ESTABLISHED on the handshake's ACK, to CLOSING on FIN or RST),
     * which also changes its idle timeout. Leaving SYN_SEEN frees its place under the half-open limit. Worker.
     *
     * @param handle   from {@link #lookup} or {@link #insert}.
     * @param tcpState {@link EntryMeta#SYN_SEEN}, {@link EntryMeta#ESTABLISHED} or {@link EntryMeta#CLOSING}.
     * @return false if the entry is gone or is not TCP.
     */
    public boolean transition(final long handle, final int tcpState) {
        for (int attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
            final long meta = table.meta(handle);
            if (meta < 0) {
                return false;
            }
            final int flags = EntryMeta.flags(meta);
            if ((flags & EntryMeta.KIND_MASK) != KIND_TCP << EntryMeta.KIND_SHIFT) {
                return false;
            }
            final int newFlags = (flags & ~EntryMeta.TCP_STATE_MASK) | (tcpState & EntryMeta.TCP_STATE_MASK);
            if (newFlags == flags || table.updateMeta(handle, meta, EntryMeta.withFlags(meta, newFlags))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives the entry to no host (owner 0): every host's lookup of the flow then finds another host's entry, and it
     * expires as it would have. For a closed connection whose 5-tuple a new connection reuses on another host. Worker.
     *
     * @param handle from {@link #lookup} or {@link #insert}.
     * @return false if the entry is gone.
     */
    public boolean disown(final long handle) {
        for (int attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
            final long meta = table.meta(handle);
            if (meta < 0) {
                return false;
            }
            if (EntryMeta.owner(meta) == 0 || table.updateMeta(handle, meta, meta & ~0xFFFFL)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops tracking a flow. Conductor.
     *
     * @return whether an entry was removed.
     */
    public boolean remove(
        final int protocol, final int ipVersion, final long clientHi, final long clientLo, final int clientPort,
        final long vipHi, final long vipLo, final int vipPort) {
        final long handle = lookup(protocol, ipVersion, clientHi, clientLo, clientPort, vipHi, vipLo, vipPort);
        return handle >= 0 && table.remove(handle);
    }

    /**
     * Expires idle entries, visiting at most {@code limit} slots from where the last call stopped. Conductor, once per
     * duty cycle.
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
     * visitor, allocating nothing. Call with increasing {@code fromSlot} until {@link #capacity()} to cover the table
     * in bounded steps. Conductor.
     *
     * @return entries passed to the visitor.
     */
    public int forEachInBuckets(
        final BucketSet buckets, final int fromSlot, final int slotCount, final ConnectionVisitor visitor) {
        final long[] entry = scratch;
        final int end = SlotRange.end(table.capacity(), fromSlot, slotCount);
        int visited = 0;
        for (int slot = fromSlot; slot < end; slot++) {
            if (table.read(slot, entry) >= 0 && buckets.contains(EntryMeta.bucket(entry[KEY_WORDS]))) {
                final long ports = entry[4];
                visitor.onConnection(
                    (int)(ports >>> 40) & 0xFF, (int)(ports >>> 32) & 0xFF, entry[0], entry[1],
                    (int)(ports >>> 16) & 0xFFFF, entry[2], entry[3], (int)ports & 0xFFFF,
                    entry[KEY_WORDS], entry[KEY_WORDS + 1]);
                visited++;
            }
        }
        return visited;
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
     * @return SYN_SEEN entries now; exact whenever no insert or transition is in flight.
     */
    public long halfOpen() {
        return table.cappedCount();
    }

    /**
     * @return most SYN_SEEN entries the table admits.
     */
    public long halfOpenLimit() {
        return halfOpenLimit;
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

    static long portsWord(final int protocol, final int ipVersion, final int clientPort, final int vipPort) {
        return ((protocol & 0xFFL) << 40) | ((ipVersion & 0xFFL) << 32) | ((clientPort & 0xFFFFL) << 16) |
            (vipPort & 0xFFFFL);
    }

    static int kind(final int protocol, final int vipPort) {
        return switch (protocol) {
            case IpProtocol.TCP -> KIND_TCP;
            case PROTOCOL_GRE -> KIND_GRE;
            case PROTOCOL_ESP -> KIND_IPSEC;
            case PROTOCOL_UDP -> vipPort == PORT_IKE || vipPort == PORT_IKE_NAT_T ? KIND_IPSEC : KIND_UDP;
            default -> KIND_UDP;
        };
    }

    /**
     * Idle timeout of an entry from its flow kind and TCP state; called by the sweep only.
     */
    private static final class Timeouts implements LongUnaryOperator {
        private final long synSeen;
        private final long established;
        private final long closing;
        private final long udp;
        private final long gre;
        private final long ipsec;

        Timeouts(final ConnectionTableContext context) {
            this.synSeen = context.synSeenTimeoutTicks();
            this.established = context.establishedTimeoutTicks();
            this.closing = context.closingTimeoutTicks();
            this.udp = context.udpTimeoutTicks();
            this.gre = context.greTimeoutTicks();
            this.ipsec = context.ipsecTimeoutTicks();
        }

        @Override
        public long applyAsLong(final long meta) {
            final int flags = EntryMeta.flags(meta);
            return switch ((flags & EntryMeta.KIND_MASK) >>> EntryMeta.KIND_SHIFT) {
                case KIND_TCP -> (flags & EntryMeta.SYN_SEEN) != 0 ? synSeen :
                    (flags & EntryMeta.CLOSING) != 0 ? closing : established;
                case KIND_UDP -> udp;
                case KIND_GRE -> gre;
                default -> ipsec;
            };
        }
    }

    /**
     * @return the table's memory for an operator: size and page kind.
     */
    public String describeMemory() {
        return table.describeMemory();
    }
}
