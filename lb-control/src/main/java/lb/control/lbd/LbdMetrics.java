package lb.control.lbd;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import lb.control.convergence.ServingMode;
import lb.control.host.HostStatus;
import lb.control.membership.HostState;
import lb.control.membership.MemberId;
import lb.control.membership.Refusal;
import lb.control.protocol.HeartbeatMessage;
import lb.dataplane.config.ClusterConfig;

/**
 * lbd's own metrics (docs/metrics.md): what its duty cycle counts (heartbeats, peers timed out, views applied, view
 * changes and how long each took to reach the dataplane) and what the host is (state, mode, view epoch, refused
 * hosts, dataplane ready). The duty cycle writes (one thread: {@code ClusterNode} calls the one-line hooks below), the
 * HTTP server's thread reads at scrape time ({@link #collect}): counters are atomic longs, the state is an immutable
 * {@link HostStatus} behind a volatile reference.
 *
 * <p>A <em>convergence</em> here is one change of the view epoch this host holds, and its duration runs from the duty
 * cycle in which this host's machine took the new view (the change was heard: a heartbeat carrying it, a peer's
 * silence reaching the detection time, a departure, an operator's command) to the dataplane's Ack of the first view
 * of that epoch sent to it: the part of a failover that is this host's, the detection time (period x loss tolerance)
 * before it excluded.
 */
final class LbdMetrics implements MultiCollector {
    /** Upper bounds of the convergence histogram, seconds. */
    static final double[] CONVERGENCE_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
        Double.POSITIVE_INFINITY};
    /** The reasons a host is refused, as the {@code reason} label says them. */
    static final List<String> REFUSAL_REASONS = List.of("config_fingerprint", "duplicate_host_id", "not_member",
        "host_priority", "other");
    /** How often the duty cycle looks for peers gone silent. */
    private static final long EXPIRY_CHECK_MS = 10;

    private final String cluster;
    private final MemberId self;
    /** Written by lbd's thread, read at scrape time. */
    private volatile String fingerprint;
    private final long detectionMs;
    private final AtomicLong heartbeatsSent = new AtomicLong();
    private final AtomicLong heartbeatDeliveries = new AtomicLong();
    private final AtomicLong heartbeatsReceived = new AtomicLong();
    private final AtomicLong peersTimedOut = new AtomicLong();
    private final AtomicLong viewsApplied = new AtomicLong();
    private final AtomicLong viewChanges = new AtomicLong();
    private final AtomicLongArray convergenceBuckets = new AtomicLongArray(CONVERGENCE_BOUNDS.length);
    private final AtomicLong convergenceSumMicros = new AtomicLong();
    private volatile HostStatus status;
    private volatile boolean dataplaneReady;
    // Duty cycle only.
    private final Map<MemberId, Heard> heard = new HashMap<>();
    private long nextExpiryCheckMs = Long.MIN_VALUE;
    private long heldEpoch;
    private long pendingEpoch;
    private long pendingSinceMs;

    private record Heard(long atMs, boolean departed) {
    }

    /**
     * @param config      the cluster config.
     * @param self        this run of the host.
     * @param detectionMs how long a silent host is still counted live (heartbeat period x loss tolerance).
     */
    LbdMetrics(final ClusterConfig config, final MemberId self, final long detectionMs) {
        this.cluster = config.parameters().name();
        this.self = self;
        this.fingerprint = config.fingerprint().sha256Hex().substring(0, 16);
        this.detectionMs = detectionMs;
    }

    /** The host runs another config from now on (the info series names it). */
    void configChanged(final ClusterConfig config) {
        fingerprint = config.fingerprint().sha256Hex().substring(0, 16);
    }

    /**
     * A heartbeat went out.
     *
     * @param publications how many publications took it (a peer's, or the multicast group's); one whose peer is not
     *                     connected does not.
     */
    void heartbeatsSent(final int publications) {
        heartbeatsSent.incrementAndGet();
        heartbeatDeliveries.addAndGet(publications);
    }

    /** A heartbeat of another run came in (this host's own, looped back by multicast, is not counted). */
    void heartbeatReceived(final long nowMs, final HeartbeatMessage heartbeat) {
        if (heartbeat.sender().equals(self)) {
            return;
        }
        heartbeatsReceived.incrementAndGet();
        heard.put(heartbeat.sender(), new Heard(nowMs, heartbeat.state() == HostState.STOPPED));
    }

    /**
     * Once a duty cycle: a run of another host not heard for the detection time has timed out, unless its last
     * heartbeat was its departure (a stopped host says so; it is not missed).
     */
    void tick(final long nowMs) {
        if (nextExpiryCheckMs != Long.MIN_VALUE && nowMs - nextExpiryCheckMs < 0) {
            return;
        }
        nextExpiryCheckMs = nowMs + EXPIRY_CHECK_MS;
        final Iterator<Heard> runs = heard.values().iterator();
        while (runs.hasNext()) {
            final Heard run = runs.next();
            if (nowMs - run.atMs() >= detectionMs) {
                runs.remove();
                if (!run.departed()) {
                    peersTimedOut.incrementAndGet();
                }
            }
        }
    }

    /** The host's status changed; a new view epoch starts a convergence. */
    void status(final long nowMs, final HostStatus next) {
        status = next;
        if (next.viewEpoch() != 0 && next.viewEpoch() != heldEpoch) {
            viewChanges.incrementAndGet();
            pendingEpoch = next.viewEpoch();
            pendingSinceMs = nowMs;
        }
        heldEpoch = next.viewEpoch();
    }

    /** The dataplane acked a view of this cluster epoch; the first ack of a new epoch ends its convergence. */
    void viewAcked(final long clusterEpoch, final long ackedMs) {
        viewsApplied.incrementAndGet();
        if (pendingEpoch != 0 && clusterEpoch == pendingEpoch) {
            pendingEpoch = 0;
            observeConvergence(Math.max(0, ackedMs - pendingSinceMs));
        }
    }

    /** The dataplane became ready (took lbd's config) or was lost. */
    void dataplaneReady(final boolean ready) {
        dataplaneReady = ready;
    }

    void observeConvergence(final long ms) {
        final double seconds = ms / 1e3;
        int bucket = 0;
        while (seconds > CONVERGENCE_BOUNDS[bucket]) {
            bucket++;
        }
        convergenceBuckets.incrementAndGet(bucket);
        convergenceSumMicros.addAndGet(ms * 1000);
    }

    /**
     * The short reason a refusal's words come down to, for the {@code reason} label.
     *
     * @param refusal what HostMachine said.
     * @return one of {@link #REFUSAL_REASONS}.
     */
    static String reason(final Refusal refusal) {
        final String words = refusal.reason();
        if (words.contains("config fingerprint")) {
            return "config_fingerprint";
        }
        if (words.contains("duplicate host id") || words.contains("already run by incarnation") ||
            words.contains("claims this host's id")) {
            return "duplicate_host_id";
        }
        if (words.contains("is not a member")) {
            return "not_member";
        }
        if (words.contains("host priority")) {
            return "host_priority";
        }
        return "other";
    }

    long heartbeatsReceived() {
        return heartbeatsReceived.get();
    }

    long peersTimedOut() {
        return peersTimedOut.get();
    }

    long viewChanges() {
        return viewChanges.get();
    }

    long convergences() {
        long total = 0;
        for (int i = 0; i < convergenceBuckets.length(); i++) {
            total += convergenceBuckets.get(i);
        }
        return total;
    }

    @Override
    public MetricSnapshots collect() {
        final HostStatus now = status;
        final MetricSnapshots.Builder all = MetricSnapshots.builder();
        all.metricSnapshot(gauge("lb_lbd_info", "1, with this lbd's cluster, host id, incarnation and config " +
            "fingerprint (16 hex digits) as labels", Labels.of("cluster", cluster, "host_id",
            Integer.toString(self.hostId()), "incarnation", Long.toString(self.incarnation()), "config", fingerprint),
            1));
        all.metricSnapshot(counter("lb_lbd_heartbeats_sent", "Heartbeats this host sent (one a period, and at " +
            "once on a change)", heartbeatsSent.get()));
        all.metricSnapshot(counter("lb_lbd_heartbeat_deliveries", "Heartbeats taken by a publication: once per " +
            "connected peer (transport peers) or once by the group (multicast)", heartbeatDeliveries.get()));
        all.metricSnapshot(counter("lb_lbd_heartbeats_received", "Heartbeats received from other hosts' runs",
            heartbeatsReceived.get()));
        all.metricSnapshot(counter("lb_lbd_peers_timed_out", "Runs of other hosts not heard for the detection time " +
            "(period x loss tolerance) without a departure", peersTimedOut.get()));
        all.metricSnapshot(counter("lb_lbd_views_applied", "Views the dataplane acked (ApplyView OK)",
            viewsApplied.get()));
        all.metricSnapshot(counter("lb_lbd_view_changes", "Changes of the view epoch this host holds",
            viewChanges.get()));
        final long[] buckets = new long[CONVERGENCE_BOUNDS.length];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = convergenceBuckets.get(i);
        }
        all.metricSnapshot(HistogramSnapshot.builder().name("lb_lbd_convergence_seconds")
            .help("From the duty cycle in which this host took a new view epoch to its dataplane's Ack of a view of " +
                "that epoch")
            .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(CONVERGENCE_BOUNDS, buckets))
                .sum(convergenceSumMicros.get() / 1e6).build())
            .build());
        final GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("lb_lbd_host_state")
            .help("1 for the host's state (the operator's: started, stopped, suspended, draining), 0 for the others");
        for (final HostState value : HostState.values()) {
            state.dataPoint(point(Labels.of("state", name(value)), now != null && now.state() == value ? 1 : 0));
        }
        all.metricSnapshot(state.build());
        final GaugeSnapshot.Builder mode = GaugeSnapshot.builder().name("lb_lbd_host_mode")
            .help("1 for how the host serves now (serving, draining, withdrawn, stopped), 0 for the others");
        for (final ServingMode value : ServingMode.values()) {
            mode.dataPoint(point(Labels.of("mode", name(value)), now != null && now.mode() == value ? 1 : 0));
        }
        all.metricSnapshot(mode.build());
        all.metricSnapshot(gauge("lb_lbd_view_epoch", "The epoch of the cluster view this host holds (0: none yet)",
            Labels.EMPTY, now == null ? 0 : now.viewEpoch()));
        all.metricSnapshot(gauge("lb_lbd_leader_host_id", "The host this host follows (its own id when it leads), " +
            "0 for none", Labels.EMPTY, now == null ? 0 : now.leaderId()));
        all.metricSnapshot(gauge("lb_lbd_members", "Members of the view this host holds", Labels.EMPTY,
            now == null ? 0 : now.members().size()));
        all.metricSnapshot(gauge("lb_lbd_listening", "1 while the host listens before it may own anything",
            Labels.EMPTY, now != null && now.listening() ? 1 : 0));
        all.metricSnapshot(gauge("lb_lbd_converged", "1 when the host serves and every member holds its view",
            Labels.EMPTY, now != null && now.converged() ? 1 : 0));
        final Map<String, Integer> refused = new HashMap<>();
        if (now != null) {
            for (final Refusal refusal : now.refusals()) {
                refused.merge(reason(refusal), 1, Integer::sum);
            }
        }
        final GaugeSnapshot.Builder refusals = GaugeSnapshot.builder().name("lb_lbd_refused_hosts")
            .help("Hosts this host will not converge with, by reason (this host itself when it is the one refused)");
        for (final String reason : REFUSAL_REASONS) {
            refusals.dataPoint(point(Labels.of("reason", reason), refused.getOrDefault(reason, 0)));
        }
        all.metricSnapshot(refusals.build());
        all.metricSnapshot(gauge("lb_lbd_dataplane_ready", "1 while the dataplane runs lbd's config (views go to it)",
            Labels.EMPTY, dataplaneReady ? 1 : 0));
        return all.build();
    }

    private static String name(final Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static CounterSnapshot counter(final String name, final String help, final long value) {
        return CounterSnapshot.builder().name(name).help(help)
            .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static GaugeSnapshot gauge(final String name, final String help, final Labels labels, final double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(point(labels, value)).build();
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(final Labels labels, final double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
