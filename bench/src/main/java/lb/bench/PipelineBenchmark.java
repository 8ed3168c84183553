package lb.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.packet.TcpDescriptor;
import lb.dataplane.pipeline.Classifier;
import lb.dataplane.pipeline.Pipeline;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.worker.BurstLatency;
import lb.dataplane.worker.BurstLatencyCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static lb.dataplane.memory.UncheckedMemory.NATIVE;

/**
 * The whole per-packet decision of a cluster host, without I/O: parse in place, match the rule, hash, look up (and
 * on a flow's first SYN insert) in the connection table, decide, rewrite the destination MAC. Frames are TCP SYNs of
 * {@code flows} random clients to the HTTP rule of {@link BenchCluster}, built ahead in off-heap memory laid out like
 * mbuf data rooms (2 KiB apart) and recycled, a burst of 32 per invocation. After the first pass over the flows the
 * mix is steady: about a third of the frames belong to buckets host 1 owns and find their tracked connection, the rest
 * miss the table, hash and are dropped as not owned. {@code parseBurst} isolates the parser; {@link
 * ClassifyBenchmark} isolates the classifier. Not measured: mbuf handling, RX/TX downcalls, counters, the view
 * read per burst. {@code prepareWarmDecideBurstTimed} adds what a worker does when it publishes its burst-latency
 * buckets ({@code BurstLatencyCounters}): the same one-in-16 sampling of non-empty bursts, two clock reads and the
 * counters' increments, so its difference to {@code prepareWarmDecideBurst} is that cost per frame. Run:
 * {@code ./lb bench Pipeline -prof gc}; the allocation rate must read 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class PipelineBenchmark {
    private static final int BURST = 32;
    private static final int ROOM = 2048;

    /** Distinct flows the frames cycle through. */
    @Param({"1024", "1048576"})
    public int flows;

    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();
    private Arena arena;
    private MemorySegment frames;
    private int[] lengths;
    private ConnectionTable connections;
    private AffinityTable affinity;
    private FragmentTable fragments;
    private Pipeline pipeline;
    private DataplaneView view;
    private MemorySegment slotAddresses;
    private long warmSink;
    private BurstLatency latency;
    private long bursts;
    private int next;
    private long now;

    @Setup(Level.Trial)
    public void setUp() {
        view = BenchCluster.view();
        connections = new ConnectionTable(new ConnectionTableContext().capacity(Integer.highestOneBit(flows) * 4)
            .hashSeed(BenchCluster.TABLE_SEED));
        affinity = new AffinityTable(new AffinityTableContext().capacity(1024).hashSeed(BenchCluster.TABLE_SEED));
        fragments = new FragmentTable(1024, 1000);
        pipeline = new Pipeline(new Classifier(connections, affinity, fragments), BenchCluster.NIC_MAC,
            BenchCluster.KERNEL_MAC);
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(new byte[64 * CountersManager.METADATA_LENGTH]),
            new UnsafeBuffer(new byte[64 * CountersManager.COUNTER_LENGTH]));
        latency = new BurstLatency(0, false, BurstLatencyCounters.allocate(
            (type, key, label) -> counters.newCounter(label, type, buffer -> buffer.putInt(0, key)), 0));
        arena = Arena.ofShared();
        slotAddresses = arena.allocate(JAVA_LONG, 2 * BURST);
        frames = arena.allocate((long)flows * ROOM, 64);
        lengths = new int[flows];
        final Random random = new Random(42);
        for (int i = 0; i < flows; i++) {
            lengths[i] = Frames.tcp(frames, (long)i * ROOM, random.nextInt(), 1024 + random.nextInt(60000),
                BenchCluster.VIP, BenchCluster.HTTP_PORT, TcpDescriptor.SYN);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        connections.close();
        affinity.close();
        fragments.close();
        arena.close();
    }

    /** Parse, classify, track and rewrite a burst of 32 frames. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int decideBurst() {
        int verdicts = 0;
        final long nowMs = ++now;
        for (int i = 0; i < BURST; i++) {
            final int frame = next;
            next = frame + 1 == flows ? 0 : frame + 1;
            verdicts += pipeline.ingress(frames, (long)frame * ROOM, lengths[frame], ROOM, view, nowMs);
        }
        return verdicts;
    }

    /**
     * The worker's two passes over a burst of 32: parse every frame and warm its connection slot (with loads: the
     * dataplane prefetches through the shim, which JMH does not load), then decide each.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int prepareWarmDecideBurst() {
        int verdicts = 0;
        final long nowMs = ++now;
        final int first = next;
        int frame = first;
        for (int i = 0; i < BURST; i++) {
            pipeline.prepare(i, frames, (long)frame * ROOM, lengths[frame]);
            frame = frame + 1 == flows ? 0 : frame + 1;
        }
        warm(pipeline.prefetchAddresses(BURST, slotAddresses.address()));
        frame = first;
        for (int i = 0; i < BURST; i++) {
            verdicts += pipeline.decide(i, frames, (long)frame * ROOM, lengths[frame], ROOM, view, nowMs);
            frame = frame + 1 == flows ? 0 : frame + 1;
        }
        next = frame;
        return verdicts;
    }

    /**
     * {@link #prepareWarmDecideBurst} timed as a worker times it for its burst-latency buckets: one burst in 16 reads
     * the clock before and after and counts into {@code BurstLatencyCounters}.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int prepareWarmDecideBurstTimed() {
        final long startNs = (++bursts & BurstLatency.SAMPLE_MASK) == 0 ? System.nanoTime() : 0;
        final int verdicts = prepareWarmDecideBurst();
        if (startNs != 0) {
            latency.record(startNs);
        }
        return verdicts;
    }

    /** Loads each address the pipeline would prefetch (JMH does not load the shim's lb_prefetch). */
    private void warm(final int addresses) {
        long sink = warmSink;
        for (int i = 0; i < addresses; i++) {
            sink += NATIVE.get(JAVA_LONG, NATIVE.get(JAVA_LONG, slotAddresses.address() + 8L * i));
        }
        warmSink = sink;
    }

    /** Parse a burst of 32 frames only. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int parseBurst() {
        int results = 0;
        for (int i = 0; i < BURST; i++) {
            final int frame = next;
            next = frame + 1 == flows ? 0 : frame + 1;
            results += parser.parse(frames, (long)frame * ROOM, lengths[frame], parsed);
        }
        return results;
    }
}
