package lb.dataplane.api;

/**
 * Type ids of the dataplane's counters in the Aeron counters file (Aeron reserves ids below 1000).
 * A counter's key holds the id of what it counts (worker, port or pool) as an int; its label says it in words.
 */
public final class CounterTypes {
    /** Packets a worker received from its RX queue. */
    public static final int WORKER_RX_PACKETS = 1000;
    // 1001 was a worker's received bytes: the ports' own statistics carry bytes, the worker reads no frame.
    /** Packets a worker handed to a TX queue. */
    public static final int WORKER_TX_PACKETS = 1002;
    /** Packets a worker freed because the TX queue was full. */
    public static final int WORKER_TX_DROPPED = 1003;
    /** Non-empty RX bursts a worker processed. */
    public static final int WORKER_RX_BURSTS = 1004;
    /** Packets a worker received from the kernel (exception path). */
    public static final int WORKER_RX_KERNEL_PACKETS = 1005;
    /** Packets decided statelessly because the connection table had no room. */
    public static final int WORKER_STATELESS_FALLBACKS = 1006;
    /** Connection starts not tracked because the half-open bound was reached. */
    public static final int WORKER_HALF_OPEN_REFUSALS = 1007;

    /** Frames from the cluster network by verdict: type = base + verdict code (lb.dataplane.pipeline.Verdict). */
    public static final int VERDICT_INGRESS_BASE = 1400;
    /** Frames from the kernel by verdict: type = base + verdict code. */
    public static final int VERDICT_EGRESS_BASE = 1450;
    /** Malformed frames by parse result: type = base + result code (lb.dataplane.packet.ParseResult). */
    public static final int PARSE_DROP_BASE = 1500;

    /** Connection table: live entries (as of the last complete sweep). */
    public static final int TABLE_CONNECTIONS_LIVE = 1600;
    /** Connection table: half-open entries. */
    public static final int TABLE_CONNECTIONS_HALF_OPEN = 1601;
    /** Connection table: entries expired. */
    public static final int TABLE_CONNECTIONS_EXPIRED = 1602;
    /** Affinity table: live entries (as of the last complete sweep). */
    public static final int TABLE_AFFINITY_LIVE = 1610;
    /** Affinity table: entries expired. */
    public static final int TABLE_AFFINITY_EXPIRED = 1611;
    /** The epoch of the view the workers decide with. */
    public static final int VIEW_EPOCH = 1700;

    /**
     * A worker's timed bursts (one non-empty NIC burst in 16, from RX returning to the last TX): the sum of their
     * durations in nanoseconds. With the buckets below it makes a histogram ({@link LatencyBuckets}).
     */
    public static final int WORKER_BURST_LATENCY_SUM_NS = 1800;
    /**
     * A worker's timed bursts per latency bucket: type = base + bucket ({@link LatencyBuckets}, 0 to
     * {@link LatencyBuckets#OVERFLOW}); each counter holds its own bucket's count (not cumulative).
     */
    public static final int WORKER_BURST_LATENCY_BUCKET_BASE = 1810;

    /** Port: packets received by the device (rte_eth_stats.ipackets). */
    public static final int PORT_RX_PACKETS = 1100;
    /** Port: packets sent by the device (opackets). */
    public static final int PORT_TX_PACKETS = 1101;
    /** Port: packets the device dropped because RX queues were full (imissed). */
    public static final int PORT_RX_MISSED = 1102;
    /** Port: erroneous received packets (ierrors). */
    public static final int PORT_RX_ERRORS = 1103;
    /** Port: failed transmissions (oerrors). */
    public static final int PORT_TX_ERRORS = 1104;
    /** Port: RX mbuf allocation failures (rx_nombuf). */
    public static final int PORT_RX_NOMBUF = 1105;

    /** Pool: mbufs currently allocated from the packet pool. */
    public static final int POOL_MBUFS_IN_USE = 1200;

    /** Control requests the dataplane skipped because this build cannot read them (see MessageScreen). */
    public static final int CONTROL_MESSAGES_SKIPPED = 1300;
    /** Dataplane answers lbd skipped because its build cannot read them (see MessageScreen). */
    public static final int EVENTS_MESSAGES_SKIPPED = 1301;

    private CounterTypes() {
    }
}
