package lb.dataplane.worker;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Burst handling times of one worker, recorded by that worker only, into either or both of: an HdrHistogram
 * ({@code --burst-latency FILE}, read after the worker stopped and written to the file, for benchmarks) and the
 * worker's latency counters in the counters file ({@link BurstLatencyCounters}, read live by lbd's {@code /metrics}
 * and {@code lbctl stat}). What a worker records in its first {@code warmupNs} after its first timed burst (class
 * loading, JIT compilation, first touches of the tables) is discarded from the histogram, so the histogram describes
 * the steady state; the counters keep everything. Recording is allocation-free; values above {@link #HIGHEST_NS} are
 * clamped to it. One non-empty burst in {@link #SAMPLE_MASK} + 1 is timed: a clock read costs some 20 ns
 * (System.nanoTime through the vDSO), which timing every burst would add to every burst of one packet.
 */
public final class BurstLatency {
    /** Bursts counted with this mask; the one where the masked count is 0 is timed (1 in 16). */
    public static final long SAMPLE_MASK = 15;

    /** Largest value tracked exactly: one second. */
    public static final long HIGHEST_NS = 1_000_000_000L;

    private final Histogram histogram;
    private final BurstLatencyCounters counters;
    private final long warmupNs;
    private long firstNs;
    private boolean warm;

    /**
     * A histogram only, as {@code --burst-latency} records.
     *
     * @param warmupNs nanoseconds after the first timed burst whose records are discarded; 0 keeps everything.
     */
    public BurstLatency(final long warmupNs) {
        this(warmupNs, true, null);
    }

    /**
     * @param warmupNs  nanoseconds after the first timed burst whose records the histogram discards; 0 keeps
     *                  everything.
     * @param histogram whether to record into an HdrHistogram ({@code --burst-latency}).
     * @param counters  the worker's latency counters to count into, or null.
     * @throws IllegalArgumentException when there is nowhere to record, or warmupNs is negative.
     */
    public BurstLatency(final long warmupNs, final boolean histogram, final BurstLatencyCounters counters) {
        if (warmupNs < 0) {
            throw new IllegalArgumentException("warmupNs must be at least 0, was " + warmupNs);
        }
        if (!histogram && counters == null) {
            throw new IllegalArgumentException("a burst latency needs a histogram, counters or both");
        }
        this.histogram = histogram ? newHistogram() : null;
        this.counters = counters;
        this.warmupNs = warmupNs;
        this.warm = warmupNs == 0;
    }

    /**
     * The recorder for one worker as the options ask, or null when nothing is to be recorded (no timing at all).
     *
     * @param warmupNs  see {@link #BurstLatency(long, boolean, BurstLatencyCounters)}.
     * @param histogram whether to record into an HdrHistogram.
     * @param counters  the worker's latency counters, or null.
     * @return the recorder, or null.
     */
    public static BurstLatency of(final long warmupNs, final boolean histogram, final BurstLatencyCounters counters) {
        return histogram || counters != null ? new BurstLatency(warmupNs, histogram, counters) : null;
    }

    /**
     * Records the time since {@code startNs}; the first record after warm-up first clears what warm-up recorded.
     * Worker thread only; allocation-free.
     *
     * @param startNs {@link System#nanoTime()} when the burst arrived.
     */
    public void record(final long startNs) {
        record(startNs, System.nanoTime());
    }

    /**
     * {@link #record(long)} at a given time (tests drive the clock).
     *
     * @param startNs when the burst arrived.
     * @param now     now, on the same clock.
     */
    void record(final long startNs, final long now) {
        final long ns = Math.max(1, Math.min(now - startNs, HIGHEST_NS));
        if (counters != null) {
            counters.record(ns);
        }
        if (histogram == null) {
            return;
        }
        if (!warm) {
            if (firstNs == 0) {
                firstNs = now;
            } else if (now - firstNs >= warmupNs) {
                histogram.reset();
                warm = true;
            }
        }
        histogram.recordValue(ns);
    }

    /**
     * @return the histogram, or null when only counters are recorded; read it only after the worker stopped.
     */
    public Histogram histogram() {
        return histogram;
    }

    /**
     * @return a histogram for one worker: 1 ns to 1 s, three significant digits.
     */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_NS, 3);
    }

    /**
     * Writes the sum of the histograms as lines {@code <ns> <count>} (the value each bucket stands for), the
     * format the benchmark harness reads from every contender, atomically (temporary file, then rename).
     *
     * @param histograms the workers' histograms; nulls are skipped.
     * @param file       where.
     * @return bursts recorded.
     * @throws IOException when the file cannot be written.
     */
    public static long write(final List<Histogram> histograms, final Path file) throws IOException {
        final Histogram sum = newHistogram();
        for (final Histogram h : histograms) {
            if (h != null) {
                sum.add(h);
            }
        }
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp); PrintWriter out = new PrintWriter(w)) {
            for (final HistogramIterationValue v : sum.recordedValues()) {
                out.println(sum.highestEquivalentValue(v.getValueIteratedTo()) + " " + v.getCountAtValueIteratedTo());
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return sum.getTotalCount();
    }
}
