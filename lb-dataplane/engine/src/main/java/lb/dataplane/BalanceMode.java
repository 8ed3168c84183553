package lb.dataplane;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.aeron.Counter;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import lb.dataplane.aeron.AeronHost;
import lb.dataplane.aeron.CounterAllocator;
import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.api.MessageScreen;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.conductor.AnnouncementFrames;
import lb.dataplane.conductor.ConductorDuty;
import lb.dataplane.conductor.HostControl;
import lb.dataplane.conductor.IgmpReporter;
import lb.dataplane.conductor.TableSweeps;
import lb.dataplane.conductor.VipAnnouncer;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.GratuitousArp;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.file.ClusterFileLoader;
import lb.dataplane.control.ControlAdapter;
import lb.dataplane.control.DataplaneEventsProxy;
import lb.dataplane.dpdk.EthPort;
import lb.dataplane.host.HostState;
import lb.dataplane.host.StaticClusterFeed;
import lb.dataplane.memory.PageMemory;
import lb.dataplane.pipeline.Classifier;
import lb.dataplane.pipeline.Pipeline;
import lb.dataplane.pipeline.Verdict;
import lb.dataplane.port.PortIo;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.ClusterMacs;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewHolder;
import lb.dataplane.worker.BalancingAgent;
import lb.dataplane.worker.BalancingCounters;
import lb.dataplane.worker.BurstLatency;
import lb.dataplane.worker.BurstLatencyCounters;
import lb.dataplane.worker.LcoreAgent;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A cluster host: the NIC (cluster network), the kernel port (exception path) and optionally a port
 * that captures drops. Its view state lives in one {@link HostState}; lbd drives it over the control interface,
 * or, without {@code --await-lbd}, the {@link StaticClusterFeed} applies the cluster file's view (every member
 * live) through the same calls.
 */
final class BalanceMode implements Mode {
    private static final int ANNOUNCEMENT_RING_BYTES = 64 * 1024;

    private final DataplaneOptions options;
    private final ClusterConfig config;
    private EthPort nic;
    private EthPort kernel;
    private EthPort drops;

    private BalanceMode(final DataplaneOptions options, final ClusterConfig config) {
        this.options = options;
        this.config = config;
    }

    /**
     * Reads and validates the cluster file and checks that this host is a member.
     *
     * @throws lb.dataplane.config.ConfigException listing every error in the file.
     * @throws IllegalArgumentException naming the option when the host or ports are missing.
     */
    static BalanceMode load(final DataplaneOptions options) {
        if (options.hostId <= 0) {
            throw new IllegalArgumentException("--host-id is required with --cluster: this host's id in the file");
        }
        if (options.kernel == null) {
            throw new IllegalArgumentException("--kernel is required with --cluster: the port to the host's kernel " +
                "(e.g. a net_tap vdev, or a net_pcap vdev writing accepted packets to a file)");
        }
        final ClusterConfig config = ClusterFileLoader.loadForHost(options.cluster, options.hostId);
        return new BalanceMode(options, config);
    }

    @Override
    public List<EthPort> openPorts() {
        nic = EthPort.open(options.nic);
        kernel = EthPort.open(options.kernel);
        if (kernel.id() == nic.id()) {
            throw new IllegalArgumentException("--kernel names the same port as --nic (" + nic.name() + ")");
        }
        final List<EthPort> ports = new ArrayList<>(List.of(nic, kernel));
        if (options.drops != null) {
            drops = EthPort.open(options.drops);
            ports.add(drops);
        }
        return ports;
    }

    @Override
    public String role(final EthPort port) {
        return port == nic ? "the cluster network (nic)" : port == kernel ? "the exception path (kernel)" :
            "the drop capture";
    }

    @Override
    public Workers start(final AeronHost aeron, final PortIo io, final List<AutoCloseable> resources) {
        final PageMemory.Policy pages = PageMemory.Policy.parse(options.tablePages);
        final ConnectionTableContext tableContext = new ConnectionTableContext()
            .capacity(options.connections).halfOpenLimit(options.connections / 8).pages(pages);
        if (!config.parameters().udpFlowTimeout().isZero()) {
            tableContext.udpTimeoutTicks(config.parameters().udpFlowTimeout().toMillis());
        }
        if (options.closingTimeoutMs > 0) {
            tableContext.closingTimeoutTicks(options.closingTimeoutMs);
        }
        final ConnectionTable connections = new ConnectionTable(tableContext);
        resources.add(connections);
        final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(options.stickyClients)
            .pages(pages));
        resources.add(affinity);
        final FragmentTable fragments = new FragmentTable(Math.max(1024, options.connections / 16), 1000, pages);
        resources.add(fragments);
        Dataplane.say("tables (" + options.tablePages + "): connections " + connections.describeMemory() +
            "; sticky clients " + affinity.describeMemory() + "; fragments " + fragments.describeMemory());

        final Counter epoch = aeron.addCounter(CounterTypes.VIEW_EPOCH, 0, "lb view epoch");
        resources.add(epoch);
        final HostState host = new HostState(options.hostId, nic.mac(), options.workers, connections, affinity,
            epoch);
        final ViewHolder views = host.views();
        if (options.awaitLbd) {
            Dataplane.say("cluster " + config.parameters().name() + " (" + options.cluster + "): host " +
                options.hostId + " owns nothing and answers for no VIP until lbd applies a config and a view");
        } else {
            describe(StaticClusterFeed.apply(config, host), views.current());
        }
        final Counter connectionsLive = aeron.addCounter(CounterTypes.TABLE_CONNECTIONS_LIVE, 0,
            "lb connections tracked");
        final Counter halfOpen = aeron.addCounter(CounterTypes.TABLE_CONNECTIONS_HALF_OPEN, 0,
            "lb connections half-open");
        final Counter connectionsExpired = aeron.addCounter(CounterTypes.TABLE_CONNECTIONS_EXPIRED, 0,
            "lb connections expired");
        final Counter stickyLive = aeron.addCounter(CounterTypes.TABLE_AFFINITY_LIVE, 0, "lb sticky clients");
        final Counter stickyExpired = aeron.addCounter(CounterTypes.TABLE_AFFINITY_EXPIRED, 0,
            "lb sticky clients expired");
        resources.addAll(List.of(connectionsLive, halfOpen, connectionsExpired, stickyLive, stickyExpired));

        final SystemEpochClock clock = new SystemEpochClock();
        final RingBuffer toWorker0 = new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(
            ANNOUNCEMENT_RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        final BalancingCounters[] counters = new BalancingCounters[options.workers];
        final BalancingAgent[] agents = new BalancingAgent[options.workers];
        for (int w = 0; w < options.workers; w++) {
            counters[w] = BalancingCounters.allocate(aeron, w);
            resources.add(counters[w]);
            final Pipeline pipeline = new Pipeline(new Classifier(connections, affinity, fragments), nic.mac(), kernel.mac());
            agents[w] = new BalancingAgent(w, nic.id(), kernel.id(), drops == null ? -1 : drops.id(), w,
                options.burst, options.workerCpu(w), views, pipeline, counters[w], clock, w == 0 ? toWorker0 : null,
                burstLatency(aeron, w, resources), io);
        }

        final AnnouncementFrames announcements = new AnnouncementFrames(io, toWorker0);
        resources.add(announcements);
        final VipAnnouncer announcer = new VipAnnouncer(announcements);
        final IgmpReporter igmp = new IgmpReporter(announcements::report, views, clock.time());
        final GratuitousArp garp = config.parameters().gratuitousArp();
        int announced = 0;
        for (final IpAddress vip : config.vips()) {
            if (host.mayAnswer(vip)) {
                announcer.announce(vip, garp.count(), garp.spacing().toMillis(), clock.time());
                announced++;
            }
        }
        final ExclusivePublication events = aeron.addExclusivePublication(ControlChannels.channel(),
            ControlChannels.eventsStreamId());
        final Subscription requests = aeron.addSubscription(ControlChannels.channel(),
            ControlChannels.controlStreamId());
        resources.add(0, events);
        resources.add(0, requests);
        final Counter skipped = aeron.addCounter(CounterTypes.CONTROL_MESSAGES_SKIPPED, 0,
            "lb control messages skipped");
        resources.add(skipped);
        final HostControl control = new HostControl(host, connections, affinity, announcer,
            new DataplaneEventsProxy(events, clock.time()), clock.time(), options.workers);
        control.adapter(new ControlAdapter(requests, control, new MessageScreen("dataplane control adapter", skipped,
            error -> Dataplane.say("control: " + error.getMessage()))));
        Dataplane.say("control: lbd requests on " + ControlChannels.channel() + " stream " +
            ControlChannels.controlStreamId() + ", answers on stream " + ControlChannels.eventsStreamId() +
            "; announcing " + announced + " VIPs " + garp.count() + " times, " +
            lb.dataplane.config.Durations.format(garp.spacing()) + " apart");

        final TableSweeps sweeps = new TableSweeps(connections, affinity, fragments, new TableSweeps.Counters(
            connectionsLive, halfOpen, connectionsExpired, stickyLive, stickyExpired), clock.time());
        final String describe = "host " + options.hostId + ": " + nic.name() + " <-> " + kernel.name() +
            (drops == null ? "" : ", drops to " + drops.name());
        return new Workers() {
            private final long[] last = new long[4];

            @Override
            public LcoreAgent agent(final int worker) {
                return agents[worker];
            }

            @Override
            public String describe(final int worker) {
                return describe;
            }

            @Override
            public List<ConductorDuty> conductorDuties() {
                return List.of(sweeps, control, igmp);
            }

            @Override
            public String statsLine(final double seconds) {
                final long[] now = totals(counters);
                final String line = String.format("rx %d (%.0f pps): accepted %d, passed %d, replies %d, dropped %d; " +
                    "connections %d", now[0], (now[0] - last[0]) / seconds, now[1], now[2], now[3],
                    now[0] - now[1] - now[2] - now[3], connections.liveEntries());
                System.arraycopy(now, 0, last, 0, last.length);
                return line;
            }

            @Override
            public List<String> summary() {
                final List<String> lines = new ArrayList<>();
                for (int w = 0; w < counters.length; w++) {
                    final StringBuilder text = new StringBuilder("stopped: worker " + w + " rx " +
                        counters[w].rxFromNic() + " from the nic:");
                    for (int v = 0; v < Verdict.COUNT; v++) {
                        if (counters[w].ingress(v) > 0) {
                            text.append(' ').append(Verdict.name(v)).append(' ').append(counters[w].ingress(v));
                        }
                    }
                    lines.add(text.toString());
                }
                return lines;
            }
        };
    }

    private static long[] totals(final BalancingCounters[] counters) {
        final long[] totals = new long[4];
        for (final BalancingCounters c : counters) {
            totals[0] += c.rxFromNic();
            totals[1] += c.ingress(Verdict.ACCEPT);
            totals[2] += c.ingress(Verdict.PASS);
            totals[3] += c.ingress(Verdict.REPLY);
        }
        return totals;
    }

    private void describe(final ClusterAssignment assignment, final DataplaneView view) {
        if (config.portRules().isEmpty()) {
            Dataplane.say("warning: " + options.cluster + " has no port rules: the default rule sends all VIP traffic " +
                "to the default host (the live host with the lowest host priority); add port-rules to balance it");
        }
        final ClusterMember me = config.member(options.hostId).orElseThrow();
        Dataplane.say("cluster " + config.parameters().name() + " (" + options.cluster + "): host " + me.hostId() +
            ", priority " + me.hostPriority() + ", " + config.members().size() + " members taken as live, " +
            config.vips().size() + " VIPs, cluster MAC " + ClusterMacs.format(view.clusterMac()) + ", source MAC " +
            ClusterMacs.format(view.sourceMac()) + ", config " + config.fingerprint().sha256Hex().substring(0, 16));
        for (final PortRule rule : config.canonicalRules()) {
            final String owns = rule.filtering() == FilteringMode.MULTIPLE ?
                assignment.of(rule).countOwnedBy(me.hostId()) + " of " + config.parameters().bucketCount() +
                    " buckets" : rule.filtering() == FilteringMode.SINGLE ?
                (assignment.of(rule).owner(0) == me.hostId() ? "all its traffic" : "none of its traffic") : "nothing";
            Dataplane.say("  " + config.ruleLabel(rule) + " " + rule + ": this host owns " + owns);
        }
    }

    /** What worker {@code w} times its bursts into, as the options ask, or null for no timing. */
    private BurstLatency burstLatency(final CounterAllocator aeron, final int w, final List<AutoCloseable> resources) {
        final BurstLatencyCounters counters = options.burstLatencyCounters ? BurstLatencyCounters.allocate(aeron, w) :
            null;
        if (counters != null) {
            resources.add(counters);
        }
        return BurstLatency.of((long)(options.burstLatencyWarmup * 1e9), options.burstLatency != null, counters);
    }
}
