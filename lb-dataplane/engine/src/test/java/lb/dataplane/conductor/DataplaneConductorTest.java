package lb.dataplane.conductor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import lb.dataplane.aeron.TestCounters;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.pipeline.Classifier;
import lb.dataplane.pipeline.Pipeline;
import lb.dataplane.pipeline.PipelineFixtures;
import lb.dataplane.pipeline.Verdict;
import lb.dataplane.port.memory.MemoryPorts;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewBuilder;
import lb.dataplane.view.ViewHolder;
import lb.dataplane.worker.BalancingAgent;
import lb.dataplane.worker.BalancingCounters;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the conductor and worker 0 together over ports in memory with fake clocks: the announcer's frames go
 * through the ring and worker 0's egress check to the NIC, and port and pool statistics land in counters.
 */
class DataplaneConductorTest {
    private static final IpAddress VIP4 = IpAddress.parse("10.0.0.100");
    private static final long MS = 1_000_000L;
    private static final int ARP_SENDER_MAC_OFFSET = 22;

    private final MemoryPorts ports = new MemoryPorts(64, 2048);
    private final MemoryPorts.Port nic = ports.addPort("nic", PipelineFixtures.NIC_MAC);
    private final MemoryPorts.Port kernel = ports.addPort("kernel", PipelineFixtures.KERNEL_MAC);
    private final ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 10));
    private final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 10));
    private final FragmentTable fragments = new FragmentTable(1 << 10, 1000);
    private final TestCounters counters = new TestCounters();
    private final BalancingCounters workerCounters = BalancingCounters.allocate(counters, 0);
    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final ViewHolder views = new ViewHolder(PipelineFixtures.view(true), 1);
    private final OneToOneRingBuffer toWorker = new OneToOneRingBuffer(new UnsafeBuffer(
        ByteBuffer.allocateDirect(4096 + RingBufferDescriptor.TRAILER_LENGTH)));
    private final BalancingAgent worker = new BalancingAgent(0, nic.id(), kernel.id(), -1, 0, 32, -1, views,
        new Pipeline(new Classifier(connections, affinity, fragments), PipelineFixtures.NIC_MAC,
            PipelineFixtures.KERNEL_MAC), workerCounters, epochClock, toWorker, null, ports);
    private final AnnouncementFrames announcements = new AnnouncementFrames(ports, toWorker);
    private final VipAnnouncer announcer = new VipAnnouncer(announcements);
    private final StatsSampler stats = new StatsSampler(counters, List.of(nic, kernel), "memory", ports);
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ConductorDuty announcing = new ConductorDuty() {
        @Override
        public int doWork(final long nowMs) {
            return announcer.doWork(nowMs, views.current());
        }

        @Override
        public String roleName() {
            return "announcer";
        }
    };
    private final DataplaneConductor conductor = new DataplaneConductor(stats, List.of(announcing),
        seconds -> "interval " + seconds, nanoClock, epochClock, new PrintStream(printed, true, StandardCharsets.UTF_8),
        1_000 * MS);

    @AfterEach
    void close() {
        worker.onClose();
        announcements.close();
        stats.close();
        workerCounters.close();
        connections.close();
        affinity.close();
        fragments.close();
        ports.close();
    }

    @Test
    void shouldSendEachAnnouncementRoundThroughWorkerEgressNamingTheClusterMac() {
        announcer.announce(VIP4, 2, 1000, epochClock.time());

        conductor.doWork();
        worker.doWork();
        final List<byte[]> first = nic.takeTransmitted();
        assertEquals(2, first.size(), "a gratuitous ARP request and reply");
        for (final byte[] frame : first) {
            assertEquals(PipelineFixtures.CLUSTER_MAC, mac(frame, ARP_SENDER_MAC_OFFSET));
            assertEquals(PipelineFixtures.MASKED_MAC, mac(frame, 6), "from the masked source MAC");
        }

        advance(999);
        assertEquals(List.of(), nic.takeTransmitted(), "the next round is a second later");
        advance(1);
        assertEquals(2, nic.takeTransmitted().size());
        advance(5000);
        assertEquals(List.of(), nic.takeTransmitted(), "two rounds in all");
        assertEquals(0, ports.mbufsInUse());
    }

    @Test
    void shouldDropAnnouncementWrittenBeforeWithdrawal() {
        announcer.announce(VIP4, 1, 1000, epochClock.time());
        conductor.doWork();
        views.publish(notAnswerable());

        epochClock.advance(1);
        worker.doWork();

        assertEquals(List.of(), nic.takeTransmitted(), "the egress check uses the view as the frame leaves");
        epochClock.advance(1);
        worker.doWork();
        assertEquals(2, workerCounters.egress(Verdict.DROP_STALE_VIP_CLAIM));
        assertEquals(0, ports.mbufsInUse());
    }

    @Test
    void shouldSamplePortsAndPoolIntoCountersAndPrintStats() {
        final byte[] accepted = PipelineFixtures.all().getFirst().frame();
        nic.inject(0, accepted);
        nic.inject(0, accepted);
        worker.doWork();
        nic.inject(0, accepted);

        conductor.doWork();
        assertEquals(2, counters.value(CounterTypes.PORT_RX_PACKETS, nic.id()));
        assertEquals(2, counters.value(CounterTypes.PORT_TX_PACKETS, kernel.id()));
        assertEquals(1, counters.value(CounterTypes.POOL_MBUFS_IN_USE, 0), "one frame still in the NIC's queue");

        worker.doWork();
        advance(99);
        assertEquals(1, counters.value(CounterTypes.POOL_MBUFS_IN_USE, 0), "sampled every 100 ms");
        advance(1);
        assertEquals(0, counters.value(CounterTypes.POOL_MBUFS_IN_USE, 0));
        assertEquals(3, counters.value(CounterTypes.PORT_TX_PACKETS, kernel.id()));

        assertEquals("", printed.toString(StandardCharsets.UTF_8));
        advance(900);
        assertTrue(printed.toString(StandardCharsets.UTF_8).startsWith("lb-dataplane: stats: interval 1.0"),
            printed.toString(StandardCharsets.UTF_8));
    }

    /** Moves both clocks on, then runs a conductor and a worker duty cycle. */
    private void advance(final long ms) {
        epochClock.advance(ms);
        nanoClock.advance(ms * MS);
        conductor.doWork();
        worker.doWork();
    }

    private static DataplaneView notAnswerable() {
        final ClusterConfig config = PipelineFixtures.config();
        final ClusterAssignment assignment = ClusterAssignment.compute(config, new TreeSet<>(List.of(1, 2, 3)),
            ClusterAssignment.NONE);
        return ViewBuilder.build(config, PipelineFixtures.HOST, 1, 2,
            RuleOwnership.of(config, assignment, ClusterAssignment.NONE), Set.of(), PipelineFixtures.NIC_MAC);
    }

    private static long mac(final byte[] frame, final int offset) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | (frame[offset + i] & 0xFF);
        }
        return mac;
    }
}
