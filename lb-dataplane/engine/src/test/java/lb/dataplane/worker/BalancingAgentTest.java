package lb.dataplane.worker;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import lb.dataplane.aeron.TestCounters;
import lb.dataplane.packet.ParseResult;
import lb.dataplane.pipeline.Classifier;
import lb.dataplane.pipeline.Pipeline;
import lb.dataplane.pipeline.PipelineFixtures;
import lb.dataplane.pipeline.PipelineFixtures.Fixture;
import lb.dataplane.pipeline.Verdict;
import lb.dataplane.port.memory.MemoryPorts;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.ViewHolder;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives a balancing worker's duty cycle over ports in memory with a fake clock: frames in on a port's queue,
 * one {@code doWork()}, frames out per port and the verdict counters as published. No EAL, no threads.
 */
class BalancingAgentTest {
    private static final int QUEUE = 0;

    private final MemoryPorts ports = new MemoryPorts(256, 2048);
    private final MemoryPorts.Port nic = ports.addPort("nic", PipelineFixtures.NIC_MAC);
    private final MemoryPorts.Port kernel = ports.addPort("kernel", PipelineFixtures.KERNEL_MAC);
    private final MemoryPorts.Port drops = ports.addPort("drops", 0x02_00_00_00_00_DDL);
    private final ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 12));
    private final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 12));
    private final FragmentTable fragments = new FragmentTable(1 << 10, 1000);
    private final TestCounters counters = new TestCounters();
    private final BalancingCounters workerCounters = BalancingCounters.allocate(counters, 0);
    private final CachedEpochClock clock = new CachedEpochClock();
    private final BalancingAgent agent = agent(drops.id());

    @AfterEach
    void close() {
        agent.onClose();
        workerCounters.close();
        connections.close();
        affinity.close();
        fragments.close();
        ports.close();
    }

    @Test
    void shouldSendAcceptedVipFrameToKernelPort() {
        final Fixture accepted = firstIngress(Verdict.ACCEPT);

        assertTrue(nic.inject(QUEUE, accepted.frame()));
        assertEquals(1, doWork());

        assertFramesEqual(List.of(accepted.output()), kernel.takeTransmitted());
        assertEquals(List.of(), nic.takeTransmitted());
        assertEquals(List.of(), drops.takeTransmitted());
        assertEquals(1, workerCounters.ingress(Verdict.ACCEPT));
        assertEquals(1, workerCounters.rxFromNic());
        assertEquals(0, ports.mbufsInUse());
    }

    @Test
    void shouldAnswerArpForVipOnNicPort() {
        final Fixture arp = firstIngress(Verdict.REPLY);

        nic.inject(QUEUE, arp.frame());
        doWork();

        assertFramesEqual(List.of(arp.output()), nic.takeTransmitted());
        assertEquals(List.of(), kernel.takeTransmitted());
        assertEquals(1, workerCounters.ingress(Verdict.REPLY));
        assertEquals(0, ports.mbufsInUse());
    }

    @Test
    void shouldCountAndDropMalformedFrame() {
        final Fixture malformed = firstIngress(Verdict.DROP_MALFORMED);

        nic.inject(QUEUE, malformed.frame());
        doWork();

        assertFramesEqual(List.of(malformed.frame()), drops.takeTransmitted());
        assertEquals(List.of(), kernel.takeTransmitted());
        assertEquals(1, workerCounters.ingress(Verdict.DROP_MALFORMED));
        long parseDrops = 0;
        for (int reason = 1; reason < ParseResult.COUNT; reason++) {
            parseDrops += workerCounters.parse[reason];
        }
        assertEquals(1, parseDrops, "one parse reason counted");
        assertEquals(0, ports.mbufsInUse());
    }

    @Test
    void shouldFreeWhatTxDidNotTake() {
        final Fixture accepted = firstIngress(Verdict.ACCEPT);
        kernel.txRoom(1);

        for (int i = 0; i < 3; i++) {
            nic.inject(QUEUE, accepted.frame());
        }
        assertEquals(3, doWork());

        assertEquals(1, kernel.takeTransmitted().size());
        assertEquals(3, workerCounters.ingress(Verdict.ACCEPT));
        assertEquals(2, counters.value(lb.dataplane.api.CounterTypes.WORKER_TX_DROPPED, 0));
        assertEquals(0, ports.mbufsInUse(), "the two the kernel port refused went back to the pool");
    }

    @Test
    void shouldFreeDropsWhenThereIsNoDropPort() {
        final BalancingAgent withoutDropPort = agent(-1);
        try {
            nic.inject(QUEUE, firstIngress(Verdict.DROP_NOT_OWNER).frame());
            nic.inject(QUEUE, firstIngress(Verdict.DROP_MALFORMED).frame());
            clock.advance(1);
            withoutDropPort.doWork();

            assertEquals(List.of(), drops.takeTransmitted());
            assertEquals(0, ports.mbufsInUse());
        } finally {
            withoutDropPort.onClose();
        }
    }

    @Test
    void shouldSendKernelFramesOutOfNicAfterEgressCheck() {
        final List<Fixture> egress = PipelineFixtures.all().stream().filter(Fixture::fromKernel).toList();
        for (final Fixture fixture : egress) {
            kernel.inject(QUEUE, fixture.frame());
        }
        assertEquals(egress.size(), doWork());

        assertFramesEqual(egress.stream().filter(f -> f.verdict() == Verdict.PASS).map(Fixture::output).toList(),
            nic.takeTransmitted());
        assertEquals(0, ports.mbufsInUse());
    }

    @Test
    void shouldSendEveryIngressFixtureWhereItsVerdictSays() {
        for (final Fixture fixture : PipelineFixtures.all()) {
            if (fixture.fromKernel()) {
                continue;
            }
            nic.inject(QUEUE, fixture.frame());
            doWork();
            final List<byte[]> toKernel = kernel.takeTransmitted();
            final List<byte[]> toNic = nic.takeTransmitted();
            final List<byte[]> dropped = drops.takeTransmitted();
            final int verdict = fixture.verdict();
            final List<byte[]> expected = List.of(fixture.output() != null ? fixture.output() : fixture.frame());
            if (verdict == Verdict.ACCEPT || verdict == Verdict.PASS) {
                assertFramesEqual(expected, toKernel, fixture.description());
            } else if (verdict == Verdict.REPLY) {
                assertEquals(1, toNic.size(), fixture.description());
                if (fixture.output() != null) {
                    assertFramesEqual(expected, toNic, fixture.description());
                }
            } else {
                assertFramesEqual(List.of(fixture.frame()), dropped, fixture.description());
            }
            assertEquals(0, ports.mbufsInUse(), fixture.description());
        }
    }

    @Test
    void shouldTimeOneNonEmptyBurstInSixteenIntoItsLatencyCounters() {
        final BurstLatencyCounters latency = BurstLatencyCounters.allocate(counters, 0);
        final BalancingAgent timed = agent(drops.id(), BurstLatency.of(0, false, latency));
        final Fixture accepted = firstIngress(Verdict.ACCEPT);
        for (int burst = 0; burst < 32; burst++) {
            nic.inject(QUEUE, accepted.frame());
            clock.advance(1);
            timed.doWork();
            // Empty bursts are not counted: only non-empty ones are.
            timed.doWork();
        }
        kernel.takeTransmitted();

        long timedBursts = 0;
        for (int b = 0; b < lb.dataplane.api.LatencyBuckets.COUNT; b++) {
            timedBursts += latency.bucket(b);
        }
        assertEquals(2, timedBursts, "32 non-empty bursts, one in 16 timed");
        assertTrue(latency.sumNs() > 0);
        timed.onClose();
        latency.close();
    }

    private BalancingAgent agent(final int dropPort) {
        return agent(dropPort, null);
    }

    private BalancingAgent agent(final int dropPort, final BurstLatency latency) {
        final Pipeline pipeline = new Pipeline(new Classifier(connections, affinity, fragments),
            PipelineFixtures.NIC_MAC, PipelineFixtures.KERNEL_MAC);
        final OneToOneRingBuffer fromConductor = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(4096 + RingBufferDescriptor.TRAILER_LENGTH)));
        return new BalancingAgent(0, nic.id(), kernel.id(), dropPort, QUEUE, 32, -1,
            new ViewHolder(PipelineFixtures.view(true), 1), pipeline, workerCounters, clock, fromConductor, latency,
            ports);
    }

    /** One duty cycle a millisecond after the last, so the worker publishes its counters. */
    private int doWork() {
        clock.advance(1);
        return agent.doWork();
    }

    private static Fixture firstIngress(final int verdict) {
        return PipelineFixtures.all().stream().filter(f -> !f.fromKernel() && f.verdict() == verdict).findFirst()
            .orElseThrow(() -> new AssertionError("no ingress fixture with verdict " + Verdict.name(verdict)));
    }

    private static void assertFramesEqual(final List<byte[]> expected, final List<byte[]> actual) {
        assertFramesEqual(expected, actual, "frames");
    }

    private static void assertFramesEqual(final List<byte[]> expected, final List<byte[]> actual,
        final String message) {
        assertEquals(expected.size(), actual.size(), message + ": frame count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), message + ": frame " + i + " " +
                Arrays.toString(actual.get(i)));
        }
    }
}
