package lb.dataplane.api;

/**
 * The fixed log-scale buckets of a worker's burst latency as the dataplane publishes it in counters
 * ({@link CounterTypes#WORKER_BURST_LATENCY_BUCKET_BASE}): bucket {@code i} counts the timed bursts that took more
 * than the previous bucket's bound and at most {@link #upperBoundNs upperBoundNs(i)} nanoseconds, the bounds doubling
 * from {@value #FIRST_BOUND_NS} ns (everything up to it falls in bucket 0) to 2^{@value #LAST_SHIFT} ns (8.39 ms); the
 * last bucket, {@link #OVERFLOW}, counts what took longer. Each counter holds its own bucket's count, not a cumulative
 * one (the worker increments one counter per timed burst); a reader sums them for Prometheus's cumulative
 * {@code le} buckets. Powers of two make the bucket of a value two instructions ({@link #index}), with no branch and no
 * table.
 */
public final class LatencyBuckets {
    /** The shift of the first bucket's upper bound: 2^7 = 128 ns. */
    public static final int FIRST_SHIFT = 7;
    /** The shift of the last finite bucket's upper bound: 2^23 ns = 8.39 ms. */
    public static final int LAST_SHIFT = 23;
    /** The first bucket's upper bound, in nanoseconds. */
    public static final long FIRST_BOUND_NS = 1L << FIRST_SHIFT;
    /** Buckets with a finite upper bound. */
    public static final int FINITE = LAST_SHIFT - FIRST_SHIFT + 1;
    /** The index of the bucket of everything above the last finite bound (Prometheus's {@code +Inf}). */
    public static final int OVERFLOW = FINITE;
    /** Buckets in all, the overflow bucket included. */
    public static final int COUNT = FINITE + 1;

    private LatencyBuckets() {
    }

    /**
     * The bucket of a duration: the smallest {@code i} with {@code ns <= upperBoundNs(i)}, {@link #OVERFLOW} above the
     * last bound; 0 for 0 or less. Allocation-free and branch-free (worker thread).
     *
     * @param ns a duration in nanoseconds.
     * @return its bucket, 0 to {@link #OVERFLOW}.
     */
    public static int index(final long ns) {
        // ceil(log2(ns)) for ns >= 1 is 64 - nlz(ns - 1); clamped to the first and the overflow bucket.
        final int ceilLog2 = 64 - Long.numberOfLeadingZeros(Math.max(ns, 1) - 1);
        return Math.min(Math.max(ceilLog2 - FIRST_SHIFT, 0), OVERFLOW);
    }

    /**
     * @param bucket 0 to {@link #FINITE} - 1.
     * @return the bucket's inclusive upper bound in nanoseconds.
     * @throws IllegalArgumentException for the overflow bucket or one outside the range.
     */
    public static long upperBoundNs(final int bucket) {
        if (bucket < 0 || bucket >= FINITE) {
            throw new IllegalArgumentException("bucket must be 0-" + (FINITE - 1) + " (the overflow bucket " +
                OVERFLOW + " has no bound), was " + bucket);
        }
        return 1L << (FIRST_SHIFT + bucket);
    }

    /**
     * @param bucket 0 to {@link #OVERFLOW}.
     * @return the bucket's upper bound in seconds, {@code +Inf} for the overflow bucket (Prometheus's {@code le}).
     */
    public static double upperBoundSeconds(final int bucket) {
        return bucket == OVERFLOW ? Double.POSITIVE_INFINITY : upperBoundNs(bucket) / 1e9;
    }

    /**
     * @param bucket 0 to {@link #OVERFLOW}.
     * @return the words of a counter's label: "burst latency <= 128 ns", "... > 8388608 ns".
     */
    public static String describe(final int bucket) {
        return bucket == OVERFLOW ? "burst latency > " + upperBoundNs(FINITE - 1) + " ns" :
            "burst latency <= " + upperBoundNs(bucket) + " ns";
    }
}
