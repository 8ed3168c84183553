package lb.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import lb.dataplane.config.Affinity;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.hash.SipHash13;
import lb.dataplane.view.DataplaneView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The keyed flow hash: SipHash-1-3 of the 24-byte affinity key, alone and through {@link FlowHasher} as the classifier
 * calls it (the view's hasher, affinity none, so the client port is kept; single and network affinity only mask the
 * key first), for IPv4 and IPv6 clients, and with the reduction to a bucket ({@code Long.remainderUnsigned} by the
 * view's 60 buckets). Keys cycle through 1024 random clients (fixed seed) held in arrays that stay in L1, so this is
 * the hash's own latency-bound cost, not memory. Run: {@code ./lb bench HashBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class HashBenchmark {
    private static final int KEYS = 1024;

    private final int[] ipv4 = new int[KEYS];
    private final long[] ipv6Hi = new long[KEYS];
    private final long[] ipv6Lo = new long[KEYS];
    private final int[] ports = new int[KEYS];
    private FlowHasher hasher;
    private SipHash13 sipHash;
    private int bucketCount;
    private int next;

    @Setup
    public void setUp() {
        final DataplaneView view = BenchCluster.view();
        hasher = view.hasher();
        bucketCount = view.bucketCount();
        sipHash = new SipHash13(0x0706_0504_0302_0100L, 0x0f0e_0d0c_0b0a_0908L);
        final Random random = new Random(42);
        for (int i = 0; i < KEYS; i++) {
            ipv4[i] = random.nextInt();
            ipv6Hi[i] = 0x2001_0db8_0000_0000L | random.nextInt() & 0xFFFF_FFFFL;
            ipv6Lo[i] = random.nextLong();
            ports[i] = 1024 + random.nextInt(64512);
        }
    }

    private int next() {
        final int i = next;
        next = (i + 1) & (KEYS - 1);
        return i;
    }

    /** @return SipHash-1-3 of three words, the core without key building. */
    @Benchmark
    public long sipHash13() {
        final int i = next();
        return sipHash.hash(ipv6Hi[i], ipv6Lo[i], ports[i]);
    }

    /** @return the flow hash of an IPv4 client (address made IPv4-mapped, port kept). */
    @Benchmark
    public long flowHashIpv4() {
        final int i = next();
        return hasher.hashIpv4(ipv4[i], ports[i], Affinity.NONE);
    }

    /** @return the flow hash of an IPv6 client. */
    @Benchmark
    public long flowHashIpv6() {
        final int i = next();
        return hasher.hashIpv6(ipv6Hi[i], ipv6Lo[i], ports[i], Affinity.NONE);
    }

    /** @return the bucket of an IPv4 client: flow hash, then the unsigned remainder by the bucket count. */
    @Benchmark
    public int bucketIpv4() {
        final int i = next();
        return FlowHasher.bucket(hasher.hashIpv4(ipv4[i], ports[i], Affinity.NONE), bucketCount);
    }
}
