package lb.dataplane.pipeline;

import lb.dataplane.config.Affinity;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.net.IpProtocol;
import lb.dataplane.packet.FrameKind;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.packet.TcpDescriptor;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.EntryMeta;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.table.TableResult;
import lb.dataplane.view.DataplaneView;

/**
 * Decides an IP packet arriving from the cluster network: the NLB verdict of DESIGN.md. One per worker;
 * no allocation, no locks, no exceptions.
 *
 * <pre>
 * not a VIP                     -> PASS (the host's own traffic)
 * rule disabled / filtering off -> drop
 * tracked connection?           -> its owner (the previous owner keeps its connections across a move)
 * rule draining                 -> drop (no new connections: only tracked ones finish)
 * sticky client (ext. affinity) -> its owner
 * bucket = hash(affinity key) mod B; single-host rules have one bucket, owned by the winning host
 *   owned, not moved this epoch -> ACCEPT (a connection start is tracked; a sticky client recorded)
 *   owned, moved this epoch     -> ACCEPT only a connection start; other packets may be another host's
 *   not owned                   -> drop
 * </pre>
 *
 * <p>Tracked flows: TCP (from its SYN), IPsec (IKE on UDP 500/4500, ESP, AH) and GRE. A TCP start is a
 * SYN without ACK; the other kinds have no start marker, so in a moved bucket only flows already tracked
 * here are taken, and new ones wait for the move to settle. UDP follows its bucket unless the cluster sets a
 * udp-flow-timeout: then UDP flows are tracked like the kinds without a start marker.
 * When the connection table has no room (or the half-open bound is reached) the packet is still decided
 * by its bucket, statelessly, and counted. ICMP errors are decided by the flow they quote and never
 * create state. A later (non-first) TCP or UDP fragment has no ports, so neither its rule nor its bucket
 * can be known: it goes where its datagram's first fragment went (recorded in the fragment table), and is
 * dropped, counted, when this host did not take the first (or has not seen it yet: fail closed).
 */
public final class Classifier {
    private static final long IPV4_NETWORK_MASK_LO = 0xFFFF_FFFF_FFFF_FF00L;

    private final ConnectionTable connections;
    private final AffinityTable affinity;
    private final FragmentTable fragments;

    /** A hit's meta word, from {@link ConnectionTable#lookupMeta}. */
    private final long[] foundMeta = new long[1];
    /** The last view {@link #counted} saw, and its bucket shape. */
    private DataplaneView shapeView;
    private long shape;
    private int lastRuleSlot;
    private int lastBucket;
    private long statelessFallbacks;
    private long halfOpenRefusals;

    /**
     * @param connections the shared connection table.
     * @param affinity    the shared extended-affinity table.
     * @param fragments   the shared table of datagrams whose first fragment this host took.
     */
    public Classifier(final ConnectionTable connections, final AffinityTable affinity, final FragmentTable fragments) {
        this.connections = connections;
        this.affinity = affinity;
        this.fragments = fragments;
    }

    /**
     * The connection-table slot that {@link #classify} of this packet reads first if it looks the packet up, its
     * key's hash memoised in the packet for that lookup; -1 when classify certainly looks nothing up in the
     * connection table (not IP; a protocol never tracked; a later fragment). Knowing no view, it also answers for
     * packets classify will not look up (not to a VIP; UDP where the view tracks none): a wasted prefetch, never a
     * different decision.
     *
     * @param p a parsed packet from the cluster network.
     * @return a slot, or -1.
     */
    int connectionHomeSlot(final ParsedPacket p) {
        final int kind = p.kind();
        final int protocol = p.protocol();
        if ((kind != FrameKind.IPV4 && kind != FrameKind.IPV6) || !(protocol == IpProtocol.TCP ||
            protocol == IpProtocol.UDP || protocol == IpProtocol.GRE || p.isIpsec()) ||
            (!p.hasPorts() && p.isFragment())) {
            return -1;
        }
        return connections.homeSlotOf(connectionHash(p));
    }

    /** The connection key's hash: the one classify looks up (client to VIP), memoised in the packet. */
    private long connectionHash(final ParsedPacket p) {
        if (!p.connectionHashedBy(connections)) {
            final boolean hasPorts = p.hasPorts();
            p.connectionHash(connections.keyHash(p.protocol(), p.ipVersion(), p.srcHi(), p.srcLo(),
                hasPorts ? p.srcPort() : 0, p.dstHi(), p.dstLo(), hasPorts ? p.dstPort() : 0), connections);
        }
        return p.connectionHash();
    }

    /**
     * Addresses of connection-table slots, for a prefetch (see {@link ConnectionTable#slotAddresses}).
     */
    int connectionSlotAddresses(final int[] slots, final int count, final long out) {
        return connections.slotAddresses(slots, count, out);
    }

    /**
     * Decides a parsed IPv4 or IPv6 packet from the cluster network.
     *
     * @param p        the packet.
     * @param view     the view of this burst.
     * @param nowTicks milliseconds, for table timestamps.
     * @return a {@link Verdict} code: ACCEPT, PASS or a drop.
     */
    public int classify(final ParsedPacket p, final DataplaneView view, final long nowTicks) {
        final int vip = view.vipIndex(p.dstHi(), p.dstLo());
        if (vip < 0) {
            return Verdict.PASS;
        }
        final int protocol = p.protocol();
        if (!p.hasPorts() && (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP)) {
            // A later fragment: without its ports neither rule nor bucket can be known; it follows its first.
            final int owner = fragments.ownerOf(protocol, p.ipVersion(), p.srcHi(), p.srcLo(), p.dstHi(), p.dstLo(),
                p.fragmentId(), nowTicks);
            return owner == view.hostId() ? Verdict.ACCEPT : Verdict.DROP_FRAGMENT_UNROUTABLE;
        }
        final int verdict = decide(p, view, vip, protocol, nowTicks);
        if (verdict == Verdict.ACCEPT && p.isFragment()) {
            fragments.recordFirst(protocol, p.ipVersion(), p.srcHi(), p.srcLo(), p.dstHi(), p.dstLo(), p.fragmentId(),
                view.hostId(), nowTicks);
        }
        return verdict;
    }

    private int decide(final ParsedPacket p, final DataplaneView view, final int vip, final int protocol,
        final long nowTicks) {
        final boolean hasPorts = p.hasPorts();
        final int slot = view.ruleSlot(vip, protocol, hasPorts ? p.dstPort() : 0);
        lastRuleSlot = slot;
        lastBucket = -1;
        if (view.state(slot) == DataplaneView.RULE_DISABLED) {
            return Verdict.DROP_RULE_DISABLED;
        }
        final byte filtering = view.filtering(slot);
        if (filtering == DataplaneView.DISABLED) {
            return Verdict.DROP_FILTERING_DISABLED;
        }

        final boolean tracked = protocol == IpProtocol.TCP || protocol == IpProtocol.GRE || p.isIpsec() ||
            protocol == IpProtocol.UDP && view.tracksUdp();
        final boolean icmpError = p.isIcmpError();
        final int clientPort = hasPorts ? p.srcPort() : 0;
        final int vipPort = hasPorts ? p.dstPort() : 0;
        final int hostId = view.hostId();
        final Affinity ruleAffinity = view.affinity(slot);
        final boolean multiple = filtering == DataplaneView.MULTIPLE;
        // The bucket first (a pure function of the packet and the view's shape): where this host tracks no flow of
        // the rule in that bucket, the connection lookup would miss, and is skipped.
        final int hashedBucket = multiple ? bucketOf(p, view, clientPort, ruleAffinity) : 0;
        long reopened = TableResult.NOT_FOUND;
        if (tracked && (hasPorts || !p.isFragment()) && !(counted(view) && connections.untracked(slot, hashedBucket))) {
            final long connection = connections.lookupMeta(connectionHash(p), protocol, p.ipVersion(), p.srcHi(),
                p.srcLo(), clientPort, p.dstHi(), p.dstLo(), vipPort, foundMeta);
            if (connection >= 0) {
                // The meta word the lookup validated with the key: the hit is validated once.
                final long meta = foundMeta[0];
                if (EntryMeta.owner(meta) != hostId) {
                    return Verdict.DROP_NOT_OWNER;
                }
                if (icmpError || protocol != IpProtocol.TCP || EntryMeta.tcpState(meta) != EntryMeta.CLOSING ||
                    (p.tcpFlags() & (TcpDescriptor.SYN | TcpDescriptor.ACK)) != TcpDescriptor.SYN) {
                    if (!icmpError) {
                        connections.touchFound(connection, nowTicks);
                        updateTcpState(connection, meta, p.tcpFlags(), protocol);
                    }
                    lastBucket = EntryMeta.bucket(meta);
                    return Verdict.ACCEPT;
                }
                // A SYN on the 5-tuple of a connection that closed here (a client reusing its port within the
                // close linger) starts a new connection: decided below like any new one, by the bucket's current
                // owner, not by this host's memory of the old one.
                reopened = connection;
            }
        }

        if (view.state(slot) == DataplaneView.DRAINING) {
            return disown(reopened, Verdict.DROP_RULE_DRAINING);
        }

        final boolean sticky = multiple && view.extendedAffinityMillis(slot) > 0 && ruleAffinity != Affinity.NONE;
        final long clientHi = sticky ? maskedHi(p, ruleAffinity, view) : 0;
        final long clientLo = sticky ? maskedLo(p, ruleAffinity, view) : 0;
        long stickyHandle = TableResult.NOT_FOUND;
        if (sticky) {
            stickyHandle = affinity.lookup(slot, p.ipVersion(), clientHi, clientLo);
            if (stickyHandle >= 0) {
                final long meta = affinity.meta(stickyHandle);
                if (meta >= 0) {
                    if (EntryMeta.owner(meta) != hostId) {
                        return disown(reopened, Verdict.DROP_STICKY_ELSEWHERE);
                    }
                    if (!icmpError) {
                        affinity.touch(stickyHandle, nowTicks);
                    }
                }
            }
        }

        final int bucket;
        final boolean owned;
        final boolean moved;
        if (multiple) {
            bucket = hashedBucket;
            owned = view.owns(slot, bucket);
            moved = view.isDirty(slot, bucket);
        } else {
            final int owner = view.singleOwner(slot);
            if (owner == 0) {
                return disown(reopened, Verdict.DROP_NO_OWNER);
            }
            bucket = 0;
            owned = owner == hostId;
            moved = view.singleOwnerMoved(slot);
        }
        lastBucket = bucket;
        final boolean stickyHere = stickyHandle >= 0;
        if (!owned && !stickyHere) {
            return disown(reopened, Verdict.DROP_NOT_OWNER);
        }
        final boolean start = !icmpError &&
            (protocol == IpProtocol.TCP ? (p.tcpFlags() & (TcpDescriptor.SYN | TcpDescriptor.ACK)) == TcpDescriptor.SYN : !tracked);
        if (moved && !stickyHere && tracked && !start) {
            return Verdict.DROP_MOVED_BUCKET_NOT_TRACKED;
        }
        if (icmpError) {
            return Verdict.ACCEPT;
        }
        if (reopened >= 0) {
            connections.touch(reopened, nowTicks);
            connections.transition(reopened, EntryMeta.SYN_SEEN);
        } else if (tracked && (protocol != IpProtocol.TCP || start) && (hasPorts || !p.isFragment())) {
            track(p, protocol, clientPort, vipPort, hostId, bucket, slot, nowTicks);
        }
        if (sticky && !stickyHere) {
            affinity.insert(slot, p.ipVersion(), clientHi, clientLo, hostId, bucket, nowTicks);
        }
        return Verdict.ACCEPT;
    }

    private static int bucketOf(final ParsedPacket p, final DataplaneView view, final int clientPort,
        final Affinity ruleAffinity) {
        final FlowHasher hasher = view.hasher();
        final long hash = p.ipVersion() == 4 ?
            hasher.hashIpv4((int)p.srcLo(), clientPort, ruleAffinity) :
            hasher.hashIpv6(p.srcHi(), p.srcLo(), clientPort, ruleAffinity);
        return FlowHasher.bucket(hash, view.bucketCount());
    }

    /**
     * Whether the connection table's per-bucket counts hold for packets of this view: its bucket shape is the one
     * they were counted under. A new view's shape is recorded before anything is inserted under it.
     */
    private boolean counted(final DataplaneView view) {
        if (view != shapeView) {
            shape = view.bucketShape();
            connections.recordShape(shape);
            shapeView = view;
        }
        return connections.countedShape() == shape;
    }

    /**
     * Records connection state seen on the way out (the host's kernel answering): a FIN or RST from the
     * VIP side starts the close linger. Called for packets from the kernel whose source is a VIP.
     *
     * @param p        the packet, source = VIP, destination = client.
     * @param nowTicks milliseconds.
     */
    public void observeOutbound(final ParsedPacket p, final long nowTicks) {
        if (p.protocol() != IpProtocol.TCP || !p.hasPorts()) {
            return;
        }
        final long connection = connections.lookup(IpProtocol.TCP, p.ipVersion(), p.dstHi(), p.dstLo(),
            p.dstPort(), p.srcHi(), p.srcLo(), p.srcPort());
        if (connection >= 0) {
            connections.touch(connection, nowTicks);
            if ((p.tcpFlags() & (TcpDescriptor.FIN | TcpDescriptor.RST)) != 0) {
                connections.transition(connection, EntryMeta.CLOSING);
            }
        }
    }

    /**
     * A new connection on the 5-tuple of one that closed here, which this host does not take: the old entry must not
     * claim the new connection's later packets (the host that took its SYN answers them; this host's kernel would
     * reset them), so it is given to no host and expires as it would have.
     */
    private int disown(final long reopened, final int verdict) {
        if (reopened >= 0) {
            connections.disown(reopened);
        }
        return verdict;
    }

    private void track(final ParsedPacket p, final int protocol, final int clientPort, final int vipPort,
        final int hostId, final int bucket, final int slot, final long nowTicks) {
        final long handle = connections.insert(protocol, p.ipVersion(), p.srcHi(), p.srcLo(), clientPort,
            p.dstHi(), p.dstLo(), vipPort, hostId, bucket, slot, EntryMeta.SYN_SEEN, nowTicks);
        if (handle == TableResult.HALF_OPEN_LIMIT) {
            halfOpenRefusals++;
        } else if (handle < 0) {
            statelessFallbacks++;
        }
    }

    private void updateTcpState(final long connection, final long meta, final int flags, final int protocol) {
        if (protocol != IpProtocol.TCP) {
            return;
        }
        final int state = EntryMeta.flags(meta) & EntryMeta.TCP_STATE_MASK;
        if ((flags & (TcpDescriptor.FIN | TcpDescriptor.RST)) != 0) {
            if (state != EntryMeta.CLOSING) {
                connections.transition(connection, EntryMeta.CLOSING);
            }
        } else if (state == EntryMeta.SYN_SEEN && (flags & (TcpDescriptor.ACK | TcpDescriptor.SYN)) == TcpDescriptor.ACK) {
            connections.transition(connection, EntryMeta.ESTABLISHED);
        }
    }

    private static long maskedHi(final ParsedPacket p, final Affinity affinity, final DataplaneView view) {
        return affinity == Affinity.NETWORK && p.ipVersion() == 6 ? p.srcHi() & view.ipv6NetworkMaskHi() : p.srcHi();
    }

    private static long maskedLo(final ParsedPacket p, final Affinity affinity, final DataplaneView view) {
        if (affinity != Affinity.NETWORK) {
            return p.srcLo();
        }
        return p.ipVersion() == 4 ? p.srcLo() & IPV4_NETWORK_MASK_LO : p.srcLo() & view.ipv6NetworkMaskLo();
    }

    /**
     * @return the rule slot of the last packet classified (for tools and tests).
     */
    public int lastRuleSlot() {
        return lastRuleSlot;
    }

    /**
     * @return the bucket of the last packet classified, -1 when none was computed.
     */
    public int lastBucket() {
        return lastBucket;
    }

    /**
     * @return packets decided statelessly because the connection table had no room for them.
     */
    public long statelessFallbacks() {
        return statelessFallbacks;
    }

    /**
     * @return connection starts not tracked because the half-open bound was reached (decided statelessly).
     */
    public long halfOpenRefusals() {
        return halfOpenRefusals;
    }
}
