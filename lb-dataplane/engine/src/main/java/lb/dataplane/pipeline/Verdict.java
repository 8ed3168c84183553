package lb.dataplane.pipeline;

/**
 * What the pipeline does with a frame: an int code, so the packet path allocates nothing; codes from
 * {@link #FIRST_DROP} on are drops, each with its own reason and counter.
 */
public final class Verdict {
    /** A VIP packet this host accepts: to its kernel, with the destination MAC set to the kernel port's. */
    public static final int ACCEPT = 0;
    /** Not VIP traffic (the host's own, or ARP/ND that is not about a VIP): to the kernel as it is. */
    public static final int PASS = 1;
    /** An ARP or ND request for a VIP this host may answer: the frame was rewritten in place into the answer. */
    public static final int REPLY = 2;

    /** First drop code. */
    public static final int FIRST_DROP = 3;
    /** The flow's bucket belongs to another host (or its client is tracked by none here). */
    public static final int DROP_NOT_OWNER = 3;
    /** A moved bucket: the new owner takes only connection starts and flows it tracks. */
    public static final int DROP_MOVED_BUCKET_NOT_TRACKED = 4;
    /** The client is sticky to another host (extended affinity installed by the control plane). */
    public static final int DROP_STICKY_ELSEWHERE = 5;
    /** The port rule is disabled. */
    public static final int DROP_RULE_DISABLED = 6;
    /** The port rule's filtering mode is disabled (it blocks its traffic). */
    public static final int DROP_FILTERING_DISABLED = 7;
    /** The port rule is draining: no new connections. */
    public static final int DROP_RULE_DRAINING = 8;
    /** No live host owns the flow's bucket. */
    public static final int DROP_NO_OWNER = 9;
    /** A later fragment of a datagram whose first fragment this host did not take (or has not seen yet). */
    public static final int DROP_FRAGMENT_UNROUTABLE = 10;
    /** ARP or ND about a VIP that this host may not answer for (only the view's answerer does). */
    public static final int DROP_VIP_NOT_ANSWERABLE = 11;
    /** The answer to an ARP or ND request did not fit the buffer. */
    public static final int DROP_REPLY_FAILED = 12;
    /** Unicast to another host's MAC: flooded to every port by the switch, not this host's. */
    public static final int DROP_NOT_FOR_HOST = 13;
    /** From the kernel: ARP or ND claiming a VIP that this host may not claim (the stale-ARP rule). */
    public static final int DROP_STALE_VIP_CLAIM = 14;
    /** The frame failed to parse (the parser's reason is counted separately). */
    public static final int DROP_MALFORMED = 15;
    /** From the wire: another host's ARP or ND announcing a VIP; this host's kernel must not see its address claimed. */
    public static final int DROP_PEER_VIP_CLAIM = 16;
    /**
     * From the wire: an IP packet to the cluster MAC for an address that is not a VIP. The cluster MAC carries VIP
     * traffic only (a host's own address is reached at the host's own MAC), so no host hands it to its kernel,
     * which with forwarding on would forward it once per host.
     */
    public static final int DROP_CLUSTER_MAC_NOT_VIP = 17;

    /** Number of verdict codes. */
    public static final int COUNT = 18;

    private static final String[] NAMES = {
        "accept", "pass", "reply", "not_owner", "moved_bucket_not_tracked", "sticky_elsewhere", "rule_disabled",
        "filtering_disabled", "rule_draining", "no_owner", "fragment_unroutable", "vip_not_answerable",
        "reply_failed", "not_for_host", "stale_vip_claim", "malformed", "peer_vip_claim", "cluster_mac_not_vip",
    };

    private Verdict() {
    }

    /**
     * @param verdict a code.
     * @return whether the frame is dropped.
     */
    public static boolean isDrop(final int verdict) {
        return verdict >= FIRST_DROP;
    }

    /**
     * @param verdict a code.
     * @return its snake_case name, for counters and tools.
     */
    public static String name(final int verdict) {
        return verdict >= 0 && verdict < COUNT ? NAMES[verdict] : "unknown_" + verdict;
    }
}
