package lb.bench;

import java.util.concurrent.TimeUnit;

import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.EntryMeta;
import lb.dataplane.table.Ipv4Mapped;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Connection table get and put at 1K to 10M live entries (the largest power of two not above the parameter, in a table
 * of twice that: 50% load, the sizing docs/tables.md advises), with keys visited in a scattered order so large tables
 * pay their cache misses. Run, with allocation profiling:
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/classes:$(cat bench/target/classpath.txt) \
 *     org.openjdk.jmh.Main TableBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "--enable-native-access=ALL-UNNAMED"})
public class TableBenchmark {
    private static final int TCP = 6;
    /** An odd stride visits every index of a power-of-two range once per cycle, in scattered order. */
    private static final int STRIDE = 0x9E3779B1;

    @Param({"1000", "100000", "1000000", "10000000"})
    int entries;

    private ConnectionTable table;
    private int indexMask;
    private int cursor;

    @Setup(Level.Trial)
    public void fill() {
        indexMask = Integer.highestOneBit(entries) - 1;
        table = new ConnectionTable(new ConnectionTableContext().capacity(Math.max(1024, (indexMask + 1) << 1)));
        for (int i = 0; i <= indexMask; i++) {
            insert(i);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        table.close();
    }

    private static long client(final int i) {
        return Ipv4Mapped.low(0x0A00_0000 + (i >>> 8));
    }

    private static int port(final int i) {
        return 1024 + (i & 0xFF);
    }

    private long insert(final int i) {
        return table.insert(TCP, 4, 0, client(i), port(i), 0, Ipv4Mapped.low(0xC0A8_0001), 443,
            1, i & 63, 0, EntryMeta.ESTABLISHED, 0);
    }

    private long lookup(final int i, final int vipPort) {
        return table.lookup(TCP, 4, 0, client(i), port(i), 0, Ipv4Mapped.low(0xC0A8_0001), vipPort);
    }

    private int next() {
        cursor += STRIDE;
        return cursor & indexMask;
    }

    /**
     * @return the meta word of a tracked connection: lookup, validated read, touch, as a worker does per packet.
     */
    @Benchmark
    public long lookupHitAndTouch() {
        final long handle = lookup(next(), 443);
        table.touch(handle, cursor);
        return table.meta(handle);
    }

    /**
     * @return NOT_FOUND: the full-window scan a packet of an untracked flow costs.
     */
    @Benchmark
    public long lookupMiss() {
        return lookup(next(), 444);
    }

    /**
     * @return the handle of an insert of a new connection, which is then removed so the load stays constant.
     */
    @Benchmark
    public long insertNewThenRemove() {
        final int i = next();
        final long handle = table.insert(TCP, 4, 0, client(i), port(i), 0, Ipv4Mapped.low(0xC0A8_0001), 8443,
            1, i & 63, 0, EntryMeta.SYN_SEEN, 0);
        table.remove(TCP, 4, 0, client(i), port(i), 0, Ipv4Mapped.low(0xC0A8_0001), 8443);
        return handle;
    }

    /**
     * @return the handle found by insert-or-get of a tracked connection.
     */
    @Benchmark
    public long insertExisting() {
        return insert(next());
    }
}
