package lb.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Expiry of a whole table: one sweep pass over every slot of a connection or affinity table whose {@code entries}
 * entries (sized as in {@link TableBenchmark}) are all idle past their timeout, so the pass retires each of them. The
 * score is one pass; divided by {@code entries} it is the cost of expiring an entry, scan included ({@link
 * TableBenchmark#sweepIdle} is the scan alone). The table is refilled before each pass, outside the measurement (which
 * is why each iteration holds few passes at 10^7 entries, and why {@code -prof gc} reads up to kilobytes per pass
 * there: JMH's own allocation per iteration, divided by one pass). Not measured: the conductor's pacing ({@code
 * TableSweeper}, a division per duty cycle), workers touching entries during the pass. Run:
 * {@code ./lb bench TableExpiry -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=3g", "--enable-native-access=ALL-UNNAMED"})
public class TableExpiryBenchmark extends NumberedTableState {
    /** Later than every entry's last-seen tick plus its timeout. */
    private static final long EXPIRED_NOW = 1L << 40;

    @Setup(Level.Trial)
    public void createTable() {
        create();
    }

    /** The previous pass retired every entry, so each key is new again (the fill checks it). */
    @Setup(Level.Invocation)
    public void fill() {
        keys.fill(resident, 0);
    }

    /**
     * @return entries expired: all of them.
     */
    @Benchmark
    public int expireAll() {
        return keys.sweep(EXPIRED_NOW, keys.capacity());
    }
}
