package lb.dataplane.view;

import java.util.Arrays;

import lb.dataplane.config.Affinity;
import lb.dataplane.hash.FlowHasher;

/**
 * Everything a worker needs to decide a packet, compiled by the conductor into flat arrays and never
 * changed after publication: the VIPs, the port rules as sorted port ranges per VIP and protocol,
 * each rule's mode, affinity and state, the buckets this host owns and those that moved this epoch.
 * Workers read the current one once per burst ({@link ViewHolder}); a new view replaces it whole.
 *
 * <p>Per-rule arrays are indexed by table slot ({@link RuleSlots}): the rule's identity in table entries, stable
 * across config changes; {@link RuleSlots#DEFAULT_SLOT} is the default rule (VIP traffic no rule covers, and VIP
 * traffic that is neither TCP nor UDP: the default host takes it). A rule's index (its place in the config's
 * canonical order, what messages and tools use) maps to its slot with {@link #slot(int)}.
 */
public final class DataplaneView {
    /** Filtering mode codes. */
    public static final byte MULTIPLE = 0;
    /** Single host: the live host with the best handling priority takes the rule's traffic. */
    public static final byte SINGLE = 1;
    /** Filtering disabled: the rule's traffic is blocked. */
    public static final byte DISABLED = 2;

    /** Rule state codes. */
    public static final byte ENABLED = 0;
    /** The rule blocks its traffic. */
    public static final byte RULE_DISABLED = 1;
    /** No new connections; tracked ones finish. */
    public static final byte DRAINING = 2;

    private static final int TCP = 0;
    private static final int UDP = 1;

    final long epoch;
    final long version;
    final int hostId;
    final int bucketCount;
    final FlowHasher hasher;

    final long[] vipHi;
    /** Addresses that were VIPs of a config this process ran and are VIPs no more; set once, before publication. */
    private long[] retiredHi = new long[0];
    private long[] retiredLo = new long[0];
    final long[] vipLo;
    final boolean[] vipAnswerable;

    /** Per (VIP index, or vipCount for rules on every VIP) × protocol: sorted ranges and their slots. */
    final int[][] rangeStart;
    final int[][] rangeEnd;
    final int[][] rangeSlot;

    final int ruleCount;
    /** Rule index to slot, the default rule's last; and back (-1 where no rule holds the slot). */
    final int[] slotOfIndex;
    final int[] indexOfSlot;
    final byte[] filtering;
    final Affinity[] affinity;
    final byte[] state;
    final long[] extendedAffinityMillis;
    /** Single-host rules (and the default rule): the winning host, 0 for none. */
    final int[] singleOwner;
    /** Multiple-host rules: the buckets this host owns, a bit per bucket; null for other modes. */
    final long[][] owned;
    /** Multiple-host rules: the buckets whose owner changed this epoch; null for other modes. */
    final long[][] dirty;
    /** Single-host rules (and the default rule): whether the winning host changed this epoch. */
    final boolean[] singleOwnerMoved;
    final long ipv6NetworkMaskHi;
    final long ipv6NetworkMaskLo;
    final long clusterMac;
    final long sourceMac;
    final boolean tracksUdp;
    final int igmpGroup;
    final int igmpSource;
    /** {@link #bucketShape}, 0 until computed (a benign race: every thread computes the same value). */
    private long bucketShape;

    DataplaneView(final long epoch, final long version, final int hostId, final int bucketCount, final FlowHasher hasher,
        final long[] vipHi, final long[] vipLo, final boolean[] vipAnswerable, final int[][] rangeStart,
        final int[][] rangeEnd, final int[][] rangeSlot, final byte[] filtering, final Affinity[] affinity,
        final byte[] state, final long[] extendedAffinityMillis, final int[] singleOwner, final long[][] owned,
        final long[][] dirty, final boolean[] singleOwnerMoved, final int[] slotOfIndex, final int ipv6NetworkPrefix, final long clusterMac,
        final long sourceMac, final boolean tracksUdp, final int igmpGroup, final int igmpSource) {
        this.epoch = epoch;
        this.version = version;
        this.hostId = hostId;
        this.bucketCount = bucketCount;
        this.hasher = hasher;
        this.vipHi = vipHi;
        this.vipLo = vipLo;
        this.vipAnswerable = vipAnswerable;
        this.rangeStart = rangeStart;
        this.rangeEnd = rangeEnd;
        this.rangeSlot = rangeSlot;
        this.ruleCount = slotOfIndex.length - 1;
        this.slotOfIndex = slotOfIndex;
        this.indexOfSlot = new int[filtering.length];
        Arrays.fill(indexOfSlot, -1);
        for (int index = 0; index < slotOfIndex.length; index++) {
            indexOfSlot[slotOfIndex[index]] = index;
        }
        this.filtering = filtering;
        this.affinity = affinity;
        this.state = state;
        this.extendedAffinityMillis = extendedAffinityMillis;
        this.singleOwner = singleOwner;
        this.owned = owned;
        this.dirty = dirty;
        this.singleOwnerMoved = singleOwnerMoved;
        this.ipv6NetworkMaskHi = prefixMask(Math.min(ipv6NetworkPrefix, 64));
        this.ipv6NetworkMaskLo = prefixMask(Math.max(ipv6NetworkPrefix - 64, 0));
        this.clusterMac = clusterMac;
        this.sourceMac = sourceMac;
        this.tracksUdp = tracksUdp;
        this.igmpGroup = igmpGroup;
        this.igmpSource = igmpSource;
    }

    private static long prefixMask(final int bits) {
        return bits == 0 ? 0 : -1L << (64 - bits);
    }

    /**
     * @return the epoch this view was computed for; epochs only grow.
     */
    public long epoch() {
        return epoch;
    }

    /**
     * @return this process's number for this view: it grows with every view published, also when a local
     * change (a VIP withdrawn) keeps the cluster's epoch.
     */
    public long version() {
        return version;
    }

    /**
     * @return this host's id.
     */
    public int hostId() {
        return hostId;
    }

    /**
     * @return buckets per multiple-host rule.
     */
    public int bucketCount() {
        return bucketCount;
    }

    /**
     * @return the keyed flow hash of this cluster.
     */
    public FlowHasher hasher() {
        return hasher;
    }

    /**
     * @return number of configured rules; the default rule's index is {@code ruleCount()}.
     */
    public int ruleCount() {
        return ruleCount;
    }

    /**
     * @param ruleIndex 0 to {@link #ruleCount()} (the default rule).
     * @return the rule's table slot.
     */
    public int slot(final int ruleIndex) {
        return slotOfIndex[ruleIndex];
    }

    /**
     * @param slot a table slot.
     * @return the index of the rule holding it, or -1 when no rule of this view does.
     */
    public int ruleIndex(final int slot) {
        return indexOfSlot[slot];
    }

    /**
     * @return number of VIPs.
     */
    public int vipCount() {
        return vipHi.length;
    }

    /**
     * @param hi first 8 bytes of the address (IPv4 is IPv4-mapped), network order.
     * @param lo last 8 bytes.
     * @return the VIP's index, or -1 when the address is not a VIP.
     */
    public int vipIndex(final long hi, final long lo) {
        final long[] vipLo = this.vipLo;
        for (int i = 0; i < vipLo.length; i++) {
            if (vipLo[i] == lo && vipHi[i] == hi) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Gives the view the addresses removed from the cluster's VIPs (the stale-ARP rule: the host's kernel may still
     * hold one, and no frame claiming it may leave). Once, by the view's owner, before it publishes the view.
     */
    public void retiredVips(final long[] hi, final long[] lo) {
        if (hi.length != lo.length) {
            throw new IllegalArgumentException(hi.length + " high and " + lo.length + " low words");
        }
        retiredHi = hi.clone();
        retiredLo = lo.clone();
    }

    /**
     * @return whether the address was a VIP of a config this process ran and is not one of this view's: no ARP or ND
     *     frame may claim it.
     */
    public boolean isRetiredVip(final long hi, final long lo) {
        final long[] los = this.retiredLo;
        for (int i = 0; i < los.length; i++) {
            if (los[i] == lo && retiredHi[i] == hi) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return how many retired VIPs the view silences.
     */
    public int retiredVipCount() {
        return retiredLo.length;
    }

    /**
     * @param vipIndex a VIP index.
     * @return whether this host may answer ARP/ND for the VIP and announce it.
     */
    public boolean mayAnswerFor(final int vipIndex) {
        return vipAnswerable[vipIndex];
    }

    /**
     * A fingerprint of everything that decides a packet's rule slot and bucket: the VIPs, the rules' port ranges and
     * slots, each slot's filtering and affinity, the bucket count, the hash key and the IPv6 network mask. Two views
     * with the same fingerprint put every packet in the same (slot, bucket). The classifier skips the connection
     * lookup in a bucket where the table counts no entry only while the view's fingerprint is the one the entries
     * were counted under (see {@code ConnectionTable#untracked}). Computed once per view.
     *
     * @return the fingerprint, never 0.
     */
    public long bucketShape() {
        long shape = bucketShape;
        if (shape == 0) {
            long h = mix(0x6c62736861706531L, bucketCount);
            h = mix(h, hasher.hashIpv4(0x0A0B0C0D, 4321, Affinity.NONE));
            h = mix(h, hasher.hashIpv6(0x20010DB800000001L, 0x0102030405060708L, 0, Affinity.NETWORK));
            for (int i = 0; i < vipHi.length; i++) {
                h = mix(mix(h, vipHi[i]), vipLo[i]);
            }
            for (int t = 0; t < rangeStart.length; t++) {
                h = mix(h, -1 - t);
                for (int r = 0; r < rangeStart[t].length; r++) {
                    h = mix(mix(mix(h, rangeStart[t][r]), rangeEnd[t][r]), rangeSlot[t][r]);
                }
            }
            for (int slot = 0; slot < filtering.length; slot++) {
                h = mix(mix(h, filtering[slot]), affinity[slot] == null ? -1 : affinity[slot].ordinal());
            }
            shape = h == 0 ? 1 : h;
            bucketShape = shape;
        }
        return shape;
    }

    private static long mix(final long h, final long x) {
        long v = (h ^ x) * 0x9E3779B97F4A7C15L;
        v ^= v >>> 29;
        return v * 0xBF58476D1CE4E5B9L;
    }

    /**
     * @param vipIndex index of the VIP addressed.
     * @param protocol IP protocol number.
     * @param port     destination port (ignored for protocols other than TCP and UDP).
     * @return the slot of the rule that covers the packet: a rule for that VIP first, then a rule for
     * every VIP, else the default rule.
     */
    public int ruleSlot(final int vipIndex, final int protocol, final int port) {
        final int p = protocol == 6 ? TCP : protocol == 17 ? UDP : -1;
        if (p < 0) {
            return RuleSlots.DEFAULT_SLOT;
        }
        int slot = find((vipIndex << 1) | p, port);
        if (slot < 0) {
            slot = find((vipHi.length << 1) | p, port);
        }
        return slot < 0 ? RuleSlots.DEFAULT_SLOT : slot;
    }

    private int find(final int table, final int port) {
        final int[] starts = rangeStart[table];
        int low = 0;
        int high = starts.length - 1;
        while (low <= high) {
            final int mid = (low + high) >>> 1;
            if (starts[mid] <= port) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high >= 0 && port <= rangeEnd[table][high] ? rangeSlot[table][high] : -1;
    }

    /**
     * @param slot a rule slot.
     * @return {@link #MULTIPLE}, {@link #SINGLE} or {@link #DISABLED}.
     */
    public byte filtering(final int slot) {
        return filtering[slot];
    }

    /**
     * @param slot a rule slot.
     * @return the rule's affinity.
     */
    public Affinity affinity(final int slot) {
        return affinity[slot];
    }

    /**
     * @param slot a rule slot.
     * @return {@link #ENABLED}, {@link #RULE_DISABLED} or {@link #DRAINING}.
     */
    public byte state(final int slot) {
        return state[slot];
    }

    /**
     * @param slot a rule slot.
     * @return extended-affinity timeout in milliseconds, 0 when off.
     */
    public long extendedAffinityMillis(final int slot) {
        return extendedAffinityMillis[slot];
    }

    /**
     * @param slot a single-host rule's slot (or the default rule's).
     * @return the host that takes all its traffic, 0 when no host is live.
     */
    public int singleOwner(final int slot) {
        return singleOwner[slot];
    }

    /**
     * @param slot   a multiple-host rule's slot.
     * @param bucket a bucket.
     * @return whether this host owns the bucket.
     */
    public boolean owns(final int slot, final int bucket) {
        return (owned[slot][bucket >>> 6] & (1L << bucket)) != 0;
    }

    /**
     * @param slot   a multiple-host rule's slot.
     * @param bucket a bucket.
     * @return whether the bucket changed owner this epoch.
     */
    public boolean isDirty(final int slot, final int bucket) {
        return (dirty[slot][bucket >>> 6] & (1L << bucket)) != 0;
    }

    /**
     * @param slot a single-host rule's slot (or the default rule's).
     * @return whether its winning host changed this epoch.
     */
    public boolean singleOwnerMoved(final int slot) {
        return singleOwnerMoved[slot];
    }

    /**
     * @return whether UDP flows are tracked (the cluster's udp-flow-timeout is set) and so stay on their host
     * across convergence.
     */
    public boolean tracksUdp() {
        return tracksUdp;
    }

    /**
     * @return the multicast group to join in IGMP multicast mode (IPv4, first octet in the top byte), 0 otherwise.
     */
    public int igmpGroup() {
        return igmpGroup;
    }

    /**
     * @return the source address of IGMP reports: the primary IPv4 VIP, 0 when there is none.
     */
    public int igmpSource() {
        return igmpSource;
    }

    /**
     * @return the high word of the IPv6 network-affinity mask.
     */
    public long ipv6NetworkMaskHi() {
        return ipv6NetworkMaskHi;
    }

    /**
     * @return the low word of the IPv6 network-affinity mask.
     */
    public long ipv6NetworkMaskLo() {
        return ipv6NetworkMaskLo;
    }

    /**
     * @return the cluster MAC, which ARP and ND answers give for every VIP (low 48 bits).
     */
    public long clusterMac() {
        return clusterMac;
    }

    /**
     * @return the Ethernet source of frames this host sends for a VIP: in unicast mode the masked MAC
     * {@code 02-<host priority>-<VIP>}, so switches never learn the cluster MAC; else the NIC's own.
     */
    public long sourceMac() {
        return sourceMac;
    }
}
