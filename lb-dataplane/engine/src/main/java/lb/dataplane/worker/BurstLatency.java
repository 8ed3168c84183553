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
 * Burst handling times of one worker ({@code --burst-latency}): an HdrHistogram written by that worker only, read
 * after it stopped. What a worker records in its first {@code warmupNs} after its first timed burst (class loading,
 * JIT compilation, first touches of the tables) is discarded, so the histogram describes the steady state. Recording is allocation-free; values above {@link #HIGHEST_NS}
 * are clamped to it. One non-empty burst in {@link #SAMPLE_MASK} + 1 is timed: a clock read costs some 20 ns
 * (System.nanoTime through the vDSO), which timing every burst would add to every burst of one packet.
 */
public final class BurstLatency {
    /** Bursts counted with this mask; the one where the masked count is 0 is timed (1 in 16). */
    public static final long SAMPLE_MASK = 15;

    /** Largest value tracked exactly: one second. */
    public static final long HIGHEST_NS = 1_000_000_000L;

    private final Histogram histogram = newHistogram();
    private final long warmupNs;
    private long firstNs;
    private boolean warm;

    /**
     * @param warmupNs nanoseconds after the first timed burst whose records are discarded; 0 keeps everything.
     */
    public BurstLatency(final long warmupNs) {
        if (warmupNs < 0) {
            throw new IllegalArgumentException("warmupNs must be at least 0, was " + warmupNs);
        }
        this.warmupNs = warmupNs;
        this.warm = warmupNs == 0;
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
        if (!warm) {
            if (firstNs == 0) {
                firstNs = now;
            } else if (now - firstNs >= warmupNs) {
                histogram.reset();
                warm = true;
            }
        }
        histogram.recordValue(Math.max(1, Math.min(now - startNs, HIGHEST_NS)));
    }

    /**
     * @return the histogram; read it only after the worker stopped.
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
