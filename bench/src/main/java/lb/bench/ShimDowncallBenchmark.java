package lb.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

import lb.dataplane.ffi.Dpdk;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one downcall into the shim, as jextract binds it (default linker options) and with
 * {@code Linker.Option.critical(false)}, which skips the thread-state transition and is allowed for
 * short calls that never upcall or block. The burst calls are candidates for it; this measures what it
 * saves. Not measured: the C side of real work (the burst is empty, no EAL is initialised). Run:
 * {@code ./lb bench ShimDowncall -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class ShimDowncallBenchmark {
    // Static final, as jextract's own handles are: a handle in an instance field is not a constant to the JIT, so
    // invokeExact on it would not inline the downcall and the critical variant would lose to the default one.
    private static final MethodHandle LCORE_ID_CRITICAL = Linker.nativeLinker().downcallHandle(
        Dpdk.lb_lcore_id$address(), Dpdk.lb_lcore_id$descriptor(), Linker.Option.critical(false));
    private static final MethodHandle PREFETCH_CRITICAL = Linker.nativeLinker().downcallHandle(
        Dpdk.lb_prefetch$address(), Dpdk.lb_prefetch$descriptor(), Linker.Option.critical(false));

    private Arena arena;
    private MemorySegment emptyBurst;

    @Setup
    public void setUp() {
        arena = Arena.ofConfined();
        emptyBurst = arena.allocate(8 * 32);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    /** The thread-local read behind rte_lcore_id(), jextract's default binding. */
    @Benchmark
    public int lcoreIdDefault() {
        return Dpdk.lb_lcore_id();
    }

    /** The same call, critical. */
    @Benchmark
    public int lcoreIdCritical() throws Throwable {
        return (int)LCORE_ID_CRITICAL.invokeExact();
    }

    /** A burst-shaped call (a pointer array and a count) with an empty burst, default binding. */
    @Benchmark
    public void burstCallDefault() {
        Dpdk.lb_prefetch(emptyBurst, (short)0);
    }

    /** The same call, critical. */
    @Benchmark
    public void burstCallCritical() throws Throwable {
        PREFETCH_CRITICAL.invokeExact(emptyBurst, (short)0);
    }
}
