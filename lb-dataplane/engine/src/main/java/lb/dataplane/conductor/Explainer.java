package lb.dataplane.conductor;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.IpAddress;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.net.IpProtocol;
import lb.dataplane.pipeline.Verdict;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.EntryMeta;
import lb.dataplane.view.DataplaneView;

/**
 * {@code lbctl explain}: how this host decides a flow's packets under the current view and tables, step by step as
 * {@link lb.dataplane.pipeline.Classifier} does, but reading only (no entry is created, touched or changed). It
 * answers twice: for a connection start (a TCP SYN; for UDP any datagram) and for a later packet of the flow.
 * {@code ExplainerTest} holds it to the classifier's verdicts. Conductor thread.
 */
public final class Explainer {
    private static final long IPV4_NETWORK_MASK_LO = 0xFFFF_FFFF_FFFF_FF00L;

    /**
     * What this host does with the flow, and the facts it decided by.
     *
     * @param isVip             whether the destination is a VIP of the view.
     * @param ruleIndex         the matching rule's canonical index, -1 when not a VIP.
     * @param ruleState         {@link DataplaneView#ENABLED}, {@link DataplaneView#DRAINING} or
     *                          {@link DataplaneView#RULE_DISABLED}.
     * @param filtering         {@link DataplaneView#MULTIPLE}, {@link DataplaneView#SINGLE} or
     *                          {@link DataplaneView#DISABLED}.
     * @param bucket            the flow's bucket, -1 when not computed.
     * @param ownsBucket        whether this host owns it (single host: whether it is the rule's winner).
     * @param bucketDirty       whether it moved this epoch.
     * @param connectionOwner   the owner of the flow's tracked connection, 0 when none.
     * @param connectionState   its TCP state flags ({@link EntryMeta#tcpState}), 0 when none.
     * @param stickyOwner       the owner of the client's affinity entry, 0 when none.
     * @param stickyForeign     whether that entry is foreign.
     * @param stickyExpiresInMs until the entry expires without traffic.
     * @param startVerdict      the {@link Verdict} of a connection start.
     * @param startReason       why, for a person.
     * @param ongoingVerdict    the {@link Verdict} of a later packet.
     * @param ongoingReason     why, for a person.
     */
    public record Explanation(boolean isVip, int ruleIndex, byte ruleState, byte filtering, int bucket,
        boolean ownsBucket, boolean bucketDirty, int connectionOwner, int connectionState, int stickyOwner,
        boolean stickyForeign, long stickyExpiresInMs, int startVerdict, String startReason, int ongoingVerdict,
        String ongoingReason) {
    }

    private final ConnectionTable connections;
    private final AffinityTable affinity;

    /**
     * @param connections the connection table.
     * @param affinity    the extended-affinity table.
     */
    public Explainer(final ConnectionTable connections, final AffinityTable affinity) {
        this.connections = connections;
        this.affinity = affinity;
    }

    /**
     * @param view     the current view.
     * @param protocol IP protocol number (TCP or UDP).
     * @param nowMs    now, in the tables' ticks.
     */
    public Explanation explain(final DataplaneView view, final int protocol, final IpAddress client,
        final int clientPort, final IpAddress vip, final int vipPort, final long nowMs) {
        final int ipVersion = client.isIpv4() ? 4 : 6;
        final int vipIndex = view.vipIndex(vip.hi(), vip.lo());
        if (vipIndex < 0) {
            final String why = vip + " is not a VIP of view " + view.epoch() + ": the host's own traffic";
            return new Explanation(false, -1, DataplaneView.ENABLED, DataplaneView.DISABLED, -1, false, false, 0, 0, 0,
                false, 0, Verdict.PASS, why, Verdict.PASS, why);
        }
        final int slot = view.ruleSlot(vipIndex, protocol, vipPort);
        final int ruleIndex = view.ruleIndex(slot);
        final byte state = view.state(slot);
        final byte filtering = view.filtering(slot);
        final boolean multiple = filtering == DataplaneView.MULTIPLE;

        final boolean tracked = protocol == IpProtocol.TCP || protocol == IpProtocol.UDP && view.tracksUdp();
        int connectionOwner = 0;
        int connectionState = 0;
        int connectionBucket = -1;
        boolean connectionFound = false;
        if (tracked) {
            final long handle = connections.lookup(protocol, ipVersion, client.hi(), client.lo(), clientPort,
                vip.hi(), vip.lo(), vipPort);
            final long meta = handle >= 0 ? connections.meta(handle) : -1;
            if (meta >= 0) {
                connectionFound = true;
                connectionOwner = EntryMeta.owner(meta);
                connectionState = EntryMeta.tcpState(meta);
                connectionBucket = EntryMeta.bucket(meta);
            }
        }

        final Affinity ruleAffinity = view.affinity(slot);
        final boolean sticky = multiple && view.extendedAffinityMillis(slot) > 0 && ruleAffinity != Affinity.NONE;
        int stickyOwner = 0;
        boolean stickyForeign = false;
        long stickyExpires = 0;
        if (sticky) {
            final long hi = maskedHi(client, ipVersion, ruleAffinity, view);
            final long lo = maskedLo(client, ipVersion, ruleAffinity, view);
            final long handle = affinity.lookup(slot, ipVersion, hi, lo);
            final long meta = handle >= 0 ? affinity.meta(handle) : -1;
            if (meta >= 0) {
                stickyOwner = EntryMeta.owner(meta);
                stickyForeign = EntryMeta.isForeign(meta);
                final long lastSeen = affinity.lastSeenTicks(handle);
                final long timeout = affinity.ruleTimeoutTicks(slot);
                stickyExpires = lastSeen < 0 ? 0 : Math.min(timeout, Math.max(0, lastSeen + timeout - nowMs));
            }
        }

        int bucket;
        boolean owned;
        boolean moved;
        int singleOwner = -1;
        if (multiple) {
            final FlowHasher hasher = view.hasher();
            final long hash = ipVersion == 4 ? hasher.hashIpv4(client.ipv4(), clientPort, ruleAffinity) :
                hasher.hashIpv6(client.hi(), client.lo(), clientPort, ruleAffinity);
            bucket = FlowHasher.bucket(hash, view.bucketCount());
            owned = view.owns(slot, bucket);
            moved = view.isDirty(slot, bucket);
        } else if (filtering == DataplaneView.SINGLE) {
            singleOwner = view.singleOwner(slot);
            bucket = 0;
            owned = singleOwner == view.hostId();
            moved = view.singleOwnerMoved(slot);
        } else {
            bucket = -1;
            owned = false;
            moved = false;
        }
        final Facts facts = new Facts(view.hostId(), state, filtering, protocol == IpProtocol.TCP, tracked, connectionFound, connectionOwner,
            connectionBucket, connectionState == EntryMeta.CLOSING, stickyOwner, bucket, owned, moved, singleOwner);
        final int[] verdict = new int[1];
        final String startReason = decide(facts, true, verdict);
        final int startVerdict = verdict[0];
        final String ongoingReason = decide(facts, false, verdict);
        return new Explanation(true, ruleIndex, state, filtering, bucket, owned, moved, connectionOwner,
            connectionState, stickyOwner, stickyForeign, stickyExpires, startVerdict, startReason, verdict[0],
            ongoingReason);
    }

    private record Facts(int hostId, byte state, byte filtering, boolean tcp, boolean tracked, boolean connectionFound,
        int connectionOwner, int connectionBucket, boolean connectionClosing, int stickyOwner, int bucket, boolean owned, boolean moved, int singleOwner) {
    }

    /** The classifier's order of checks, on the facts read; the verdict goes to {@code verdict[0]}. */
    private static String decide(final Facts f, final boolean start, final int[] verdict) {
        if (f.state() == DataplaneView.RULE_DISABLED) {
            verdict[0] = Verdict.DROP_RULE_DISABLED;
            return "the rule is disabled on this host";
        }
        if (f.filtering() == DataplaneView.DISABLED) {
            verdict[0] = Verdict.DROP_FILTERING_DISABLED;
            return "the rule's filtering mode is disabled: every host drops its traffic";
        }
        String reopened = "";
        if (f.connectionFound()) {
            if (f.connectionOwner() != f.hostId()) {
                verdict[0] = Verdict.DROP_NOT_OWNER;
                return f.connectionOwner() == 0 ? "this host gave the connection it tracked here up (a SYN reused " +
                    "its ports and another host took it)" : "a tracked connection here names host " +
                    f.connectionOwner() + " as its owner";
            }
            if (!(f.tcp() && start && f.connectionClosing())) {
                verdict[0] = Verdict.ACCEPT;
                return "this host tracks the connection (bucket " + f.connectionBucket() + ")";
            }
            // As the classifier: a SYN on a connection that closed here starts a new one, decided as any new one.
            reopened = "the connection tracked here closed, so a SYN starts a new one: ";
        }
        final String why = decideNew(f, start, verdict);
        return reopened.isEmpty() ? why : reopened + why;
    }

    private static String decideNew(final Facts f, final boolean start, final int[] verdict) {
        if (f.state() == DataplaneView.DRAINING) {
            verdict[0] = Verdict.DROP_RULE_DRAINING;
            return "the rule drains on this host: only connections it tracks finish";
        }
        if (f.stickyOwner() != 0 && f.stickyOwner() != f.hostId()) {
            verdict[0] = Verdict.DROP_STICKY_ELSEWHERE;
            return "the client is sticky to host " + f.stickyOwner() + " (extended affinity)";
        }
        if (f.filtering() == DataplaneView.SINGLE && f.singleOwner() == 0) {
            verdict[0] = Verdict.DROP_NO_OWNER;
            return "no live host takes the single-host rule";
        }
        final boolean stickyHere = f.stickyOwner() == f.hostId();
        if (!f.owned() && !stickyHere) {
            verdict[0] = Verdict.DROP_NOT_OWNER;
            return f.filtering() == DataplaneView.SINGLE ? "host " + f.singleOwner() + " handles the single-host " +
                "rule" : "bucket " + f.bucket() + " belongs to another host";
        }
        // As the classifier: a TCP SYN starts a connection; a datagram of an untracked protocol always does, one of
        // a tracked protocol without a start marker (tracked UDP) never.
        final boolean connectionStart = f.tcp() ? start : !f.tracked();
        if (f.moved() && !stickyHere && f.tracked() && !connectionStart) {
            verdict[0] = Verdict.DROP_MOVED_BUCKET_NOT_TRACKED;
            return "bucket " + f.bucket() + " moved here this epoch (dirty): only connection starts are taken, " +
                "its other packets may be the previous owner's";
        }
        verdict[0] = Verdict.ACCEPT;
        if (!f.owned()) {
            return "the client is sticky to this host (extended affinity), though bucket " + f.bucket() +
                " is another's";
        }
        final String where = f.filtering() == DataplaneView.SINGLE ? "this host handles the single-host rule" :
            "this host owns bucket " + f.bucket();
        return where + (f.moved() ? " (moved here this epoch)" : "") + (stickyHere ? ", and the client is sticky here" :
            "") + (f.tracked() && (connectionStart || !f.tcp()) ?
            "; the connection is tracked from here" : "");
    }

    private static long maskedHi(final IpAddress client, final int ipVersion, final Affinity affinity,
        final DataplaneView view) {
        return affinity == Affinity.NETWORK && ipVersion == 6 ? client.hi() & view.ipv6NetworkMaskHi() : client.hi();
    }

    private static long maskedLo(final IpAddress client, final int ipVersion, final Affinity affinity,
        final DataplaneView view) {
        if (affinity != Affinity.NETWORK) {
            return client.lo();
        }
        return ipVersion == 4 ? client.lo() & IPV4_NETWORK_MASK_LO : client.lo() & view.ipv6NetworkMaskLo();
    }

    /** The client key of a rule slot as the affinity table holds it (masked by the rule's affinity). */
    static IpAddress masked(final DataplaneView view, final int slot, final IpAddress client) {
        final int ipVersion = client.isIpv4() ? 4 : 6;
        final Affinity ruleAffinity = view.affinity(slot);
        return new IpAddress(maskedHi(client, ipVersion, ruleAffinity, view),
            maskedLo(client, ipVersion, ruleAffinity, view));
    }
}
