package lb.control.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lb.dataplane.api.CounterTypes;
import lb.dataplane.api.LatencyBuckets;

/**
 * How each dataplane counter ({@link CounterTypes}) is named in Prometheus: the family, its kind, its help and the
 * labels that say what {@code lbctl stat} groups it by (worker, port and device, pool, verdict, malformed reason).
 * A family's name is {@code lb_} and the {@code CounterTypes} constant in lower case ({@code WORKER_RX_PACKETS} is
 * {@code lb_worker_rx_packets}, exported as {@code lb_worker_rx_packets_total} because it counts); the families
 * of a range ({@code VERDICT_INGRESS_BASE} + verdict and the others) are named for what they count, with the member of
 * the range as a label taken from the counter's own label, so a verdict added to the dataplane needs no change here.
 * docs/metrics.md has the table. Pure: no Prometheus types, for tests.
 */
public final class CounterFamilies {
    /** What a family is to Prometheus. */
    public enum Kind {
        /** Only goes up (resets when the dataplane restarts): exported with {@code _total}. */
        COUNTER,
        /** Goes up and down: occupancy, the epoch. */
        GAUGE
    }

    /** Which id a counter's key is, which names its first label. */
    public enum Owner {
        /** A worker: label {@code worker}. */
        WORKER,
        /** A DPDK port: labels {@code port} and {@code device} (the name in the counter's label). */
        PORT,
        /** The packet pool: label {@code pool} (its name). */
        POOL,
        /** The host: no label. */
        HOST
    }

    /**
     * One Prometheus family.
     *
     * @param name     its name, without {@code _total}.
     * @param kind     counter or gauge.
     * @param owner    what its key is.
     * @param member   the label naming the member of a range ({@code verdict}, {@code reason}), or null.
     * @param help     what it counts.
     */
    public record Family(String name, Kind kind, Owner owner, String member, String help) {
        /**
         * @return the label names of its series, in order.
         */
        public List<String> labelNames() {
            final List<String> names = new ArrayList<>(switch (owner) {
                case WORKER -> List.of("worker");
                case PORT -> List.of("port", "device");
                case POOL -> List.of("pool");
                case HOST -> List.<String>of();
            });
            if (member != null) {
                names.add(member);
            }
            return names;
        }
    }

    /**
     * One series: its family and its label values, in {@link Family#labelNames()} order.
     *
     * @param family the family.
     * @param labels the label values.
     */
    public record Series(Family family, List<String> labels) {
    }

    /** The name of the burst-latency histogram (types WORKER_BURST_LATENCY_*), label {@code worker}. */
    public static final String BURST_LATENCY = "lb_worker_burst_latency_seconds";

    /** The verdict families take their member from the counter's label after these words. */
    private static final String INGRESS = "ingress ";
    private static final String EGRESS = "egress ";
    private static final String MALFORMED = "malformed ";

    private static final Map<Integer, Family> SINGLE = new LinkedHashMap<>();
    private static final Family INGRESS_FRAMES = new Family("lb_worker_ingress_frames", Kind.COUNTER, Owner.WORKER,
        "verdict", "Frames from the cluster network (NIC) a worker decided, by verdict (lb.dataplane.pipeline.Verdict).");
    private static final Family EGRESS_FRAMES = new Family("lb_worker_egress_frames", Kind.COUNTER, Owner.WORKER,
        "verdict", "Frames from the host's kernel and the conductor's announcements a worker decided, by verdict.");
    private static final Family MALFORMED_FRAMES = new Family("lb_worker_malformed_frames", Kind.COUNTER,
        Owner.WORKER, "reason", "Frames a worker dropped as malformed, by parse result (lb.dataplane.packet.ParseResult).");

    static {
        single(CounterTypes.WORKER_RX_PACKETS, "WORKER_RX_PACKETS", Kind.COUNTER, Owner.WORKER,
            "Packets a worker received from its RX queue (a cluster host: from the NIC).");
        single(CounterTypes.WORKER_TX_PACKETS, "WORKER_TX_PACKETS", Kind.COUNTER, Owner.WORKER,
            "Packets a worker handed to a TX queue (passthrough).");
        single(CounterTypes.WORKER_TX_DROPPED, "WORKER_TX_DROPPED", Kind.COUNTER, Owner.WORKER,
            "Packets a worker freed because the TX queue was full.");
        single(CounterTypes.WORKER_RX_BURSTS, "WORKER_RX_BURSTS", Kind.COUNTER, Owner.WORKER,
            "Non-empty RX bursts a worker processed (passthrough).");
        single(CounterTypes.WORKER_RX_KERNEL_PACKETS, "WORKER_RX_KERNEL_PACKETS", Kind.COUNTER, Owner.WORKER,
            "Packets a worker received from the host's kernel (exception path).");
        single(CounterTypes.WORKER_STATELESS_FALLBACKS, "WORKER_STATELESS_FALLBACKS", Kind.COUNTER, Owner.WORKER,
            "Packets decided statelessly because the connection table had no room.");
        single(CounterTypes.WORKER_HALF_OPEN_REFUSALS, "WORKER_HALF_OPEN_REFUSALS", Kind.COUNTER, Owner.WORKER,
            "Connection starts not tracked because the half-open bound was reached.");
        single(CounterTypes.PORT_RX_PACKETS, "PORT_RX_PACKETS", Kind.COUNTER, Owner.PORT,
            "Packets the device received (rte_eth_stats.ipackets).");
        single(CounterTypes.PORT_TX_PACKETS, "PORT_TX_PACKETS", Kind.COUNTER, Owner.PORT,
            "Packets the device sent (opackets).");
        single(CounterTypes.PORT_RX_MISSED, "PORT_RX_MISSED", Kind.COUNTER, Owner.PORT,
            "Packets the device dropped because its RX queues were full (imissed).");
        single(CounterTypes.PORT_RX_ERRORS, "PORT_RX_ERRORS", Kind.COUNTER, Owner.PORT,
            "Erroneous packets the device received (ierrors).");
        single(CounterTypes.PORT_TX_ERRORS, "PORT_TX_ERRORS", Kind.COUNTER, Owner.PORT,
            "Failed transmissions (oerrors).");
        single(CounterTypes.PORT_RX_NOMBUF, "PORT_RX_NOMBUF", Kind.COUNTER, Owner.PORT,
            "RX mbuf allocation failures (rx_nombuf).");
        single(CounterTypes.POOL_MBUFS_IN_USE, "POOL_MBUFS_IN_USE", Kind.GAUGE, Owner.POOL,
            "Mbufs currently allocated from the packet pool.");
        single(CounterTypes.CONTROL_MESSAGES_SKIPPED, "CONTROL_MESSAGES_SKIPPED", Kind.COUNTER, Owner.HOST,
            "Control requests the dataplane skipped because its build cannot read them.");
        single(CounterTypes.EVENTS_MESSAGES_SKIPPED, "EVENTS_MESSAGES_SKIPPED", Kind.COUNTER, Owner.HOST,
            "Dataplane answers lbd skipped because its build cannot read them.");
        single(CounterTypes.TABLE_CONNECTIONS_LIVE, "TABLE_CONNECTIONS_LIVE", Kind.GAUGE, Owner.HOST,
            "Connections tracked (as of the last complete sweep).");
        single(CounterTypes.TABLE_CONNECTIONS_HALF_OPEN, "TABLE_CONNECTIONS_HALF_OPEN", Kind.GAUGE, Owner.HOST,
            "Connections tracked half-open.");
        single(CounterTypes.TABLE_CONNECTIONS_EXPIRED, "TABLE_CONNECTIONS_EXPIRED", Kind.COUNTER, Owner.HOST,
            "Tracked connections expired.");
        single(CounterTypes.TABLE_AFFINITY_LIVE, "TABLE_AFFINITY_LIVE", Kind.GAUGE, Owner.HOST,
            "Sticky clients (extended affinity) kept (as of the last complete sweep).");
        single(CounterTypes.TABLE_AFFINITY_EXPIRED, "TABLE_AFFINITY_EXPIRED", Kind.COUNTER, Owner.HOST,
            "Sticky clients expired.");
        single(CounterTypes.VIEW_EPOCH, "VIEW_EPOCH", Kind.GAUGE, Owner.HOST,
            "The epoch of the view the dataplane's workers decide with (0: none yet).");
    }

    private CounterFamilies() {
    }

    private static void single(final int type, final String constant, final Kind kind, final Owner owner,
        final String help) {
        SINGLE.put(type, new Family(nameOf(constant), kind, owner, null, help));
    }

    /**
     * The family name of a {@link CounterTypes} constant: {@code lb_} and the constant in lower case.
     *
     * @param constant the constant's name, e.g. {@code WORKER_RX_PACKETS}.
     * @return e.g. {@code lb_worker_rx_packets}.
     */
    public static String nameOf(final String constant) {
        return "lb_" + constant.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @return every family of a single type, in type order of {@link CounterTypes}, then the three range families.
     */
    public static List<Family> all() {
        final List<Family> all = new ArrayList<>(SINGLE.values());
        all.addAll(List.of(INGRESS_FRAMES, EGRESS_FRAMES, MALFORMED_FRAMES));
        return Collections.unmodifiableList(all);
    }

    /**
     * @param typeId a counter type.
     * @return whether it is one of the burst-latency histogram's counters (the sum or a bucket).
     */
    public static boolean isBurstLatency(final int typeId) {
        return typeId == CounterTypes.WORKER_BURST_LATENCY_SUM_NS || bucketOf(typeId) >= 0;
    }

    /**
     * @param typeId a counter type.
     * @return its {@link LatencyBuckets} bucket if it is a burst-latency bucket counter, else -1.
     */
    public static int bucketOf(final int typeId) {
        final int bucket = typeId - CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE;
        return bucket >= 0 && bucket < LatencyBuckets.COUNT ? bucket : -1;
    }

    /**
     * The series of one counter, or null for the burst-latency counters (a histogram, see {@link #BURST_LATENCY}),
     * Aeron's own (below 1000) and types this build does not know (a newer dataplane's).
     *
     * @param typeId its type.
     * @param key    its key (worker, port or pool id).
     * @param label  its label in the counters file.
     * @return the series, or null.
     */
    public static Series series(final int typeId, final int key, final String label) {
        final Family single = SINGLE.get(typeId);
        if (single != null) {
            return new Series(single, labels(single, key, label, null));
        }
        if (typeId >= CounterTypes.VERDICT_INGRESS_BASE && typeId < CounterTypes.VERDICT_EGRESS_BASE) {
            return member(INGRESS_FRAMES, key, label, INGRESS, typeId - CounterTypes.VERDICT_INGRESS_BASE);
        }
        if (typeId >= CounterTypes.VERDICT_EGRESS_BASE && typeId < CounterTypes.PARSE_DROP_BASE) {
            return member(EGRESS_FRAMES, key, label, EGRESS, typeId - CounterTypes.VERDICT_EGRESS_BASE);
        }
        if (typeId >= CounterTypes.PARSE_DROP_BASE && typeId < CounterTypes.TABLE_CONNECTIONS_LIVE) {
            return member(MALFORMED_FRAMES, key, label, MALFORMED, typeId - CounterTypes.PARSE_DROP_BASE);
        }
        return null;
    }

    private static Series member(final Family family, final int key, final String label, final String after,
        final int code) {
        final int at = label.lastIndexOf(after);
        final String name = at < 0 ? "" : label.substring(at + after.length()).trim();
        return new Series(family, labels(family, key, label, name.matches("[a-z0-9_]+") ? name : "code_" + code));
    }

    private static List<String> labels(final Family family, final int key, final String label, final String member) {
        final List<String> values = new ArrayList<>(3);
        switch (family.owner()) {
            case WORKER -> values.add(Integer.toString(key));
            case PORT -> {
                values.add(Integer.toString(key));
                values.add(between(label, "(", ")"));
            }
            case POOL -> values.add(between(label, "lb pool ", " mbufs in use"));
            case HOST -> {
            }
        }
        if (member != null) {
            values.add(member);
        }
        return values;
    }

    /** The text between two markers of a label, or "" when it has not got them. */
    private static String between(final String label, final String open, final String close) {
        final int from = label.indexOf(open);
        final int to = from < 0 ? -1 : label.indexOf(close, from + open.length());
        return to < 0 ? "" : label.substring(from + open.length(), to);
    }
}
