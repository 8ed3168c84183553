package lb.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Get, put and the idle sweep of the connection table and of the extended-affinity (sticky-client) table, each filled
 * with {@code entries} keys (1000 to 10^7) in the smallest power-of-two table that holds them at no more than 50% load
 * ({@link NumberedTable#capacityFor}; 10^7 connections take 2^25 slots, 2 GiB). The rare key the table refuses because
 * its probe window is full is skipped, and the count printed. Keys are visited in order, but the table hashes them, so
 * every operation lands on a random probe window: large tables pay their cache and TLB misses. Single-threaded: no
 * contention between workers, no conductor running beside them. Expiry proper (entries retired) is {@link
 * TableExpiryBenchmark}. Run: {@code ./lb bench TableBenchmark -prof gc}, or one table with {@code -p table=affinity}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=3g", "--enable-native-access=ALL-UNNAMED"})
public class TableBenchmark extends NumberedTableState {
    /** Slots per sweep call in {@link #sweepIdle}. */
    static final int SWEEP_SLOTS = 4096;

    private int cursor;
    private long now;

    @Setup(Level.Trial)
    public void fill() {
        create();
        final int refused = keys.fill(resident, 0);
        System.out.printf("%d %s entries in %d slots, %d keys refused (probe window full)%n", entries, table,
            keys.capacity(), refused);
    }

    private int next() {
        final int i = cursor;
        cursor = i + 1 == entries ? 0 : i + 1;
        return i;
    }

    /**
     * @return the meta word of a present key: lookup, touch, validated read of the value, as a worker does for a packet
     * of a tracked connection or a sticky client.
     */
    @Benchmark
    public long lookupHit() {
        final long handle = keys.lookup(NumberedTable.RESIDENT, resident[next()]);
        keys.touch(handle, ++now);
        return keys.meta(handle);
    }

    /**
     * @return NOT_FOUND: the whole probe window scanned, what a packet of an untracked flow costs.
     */
    @Benchmark
    public long lookupMiss() {
        return keys.lookup(NumberedTable.ABSENT, next());
    }

    /**
     * @return the removal's outcome after inserting a new key: a put that creates, plus the conductor's lookup and
     * remove that keep the load constant (about a {@code lookupHit} more than the put alone).
     */
    @Benchmark
    public boolean insertNewThenRemove() {
        final int i = next();
        keys.insert(NumberedTable.TRANSIENT, i, now);
        return keys.remove(NumberedTable.TRANSIENT, i);
    }

    /**
     * @return the handle of a put of a present key: insert-or-get finding its entry, as a retransmitted SYN does.
     */
    @Benchmark
    public long insertExisting() {
        return keys.insert(NumberedTable.RESIDENT, resident[next()], now);
    }

    /**
     * Per slot visited: the conductor's sweep when nothing is due, the steady cost of expiry. The conductor sweeps a
     * whole table once a second, so a pass costs this times the table's capacity.
     *
     * @return entries expired: 0.
     */
    @Benchmark
    @OperationsPerInvocation(SWEEP_SLOTS)
    public int sweepIdle() {
        return keys.sweep(0, SWEEP_SLOTS);
    }
}
