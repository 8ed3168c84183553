package lb.dataplane.worker;

import lb.dataplane.aeron.CounterAllocator;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.api.LatencyBuckets;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One worker's burst latency as counters in the counters file, for lbd's {@code /metrics} and {@code lbctl stat}: one
 * counter per {@link LatencyBuckets} bucket and one for the sum of the durations, so a reader builds a histogram
 * without asking the dataplane. The worker is their single writer: a record is one ordered increment of its bucket
 * and one ordered add to the sum (a plain load and a release store each; no lock, no allocation).
 */
public final class BurstLatencyCounters implements AutoCloseable {
    private final AtomicCounter[] buckets;
    private final AtomicCounter sumNs;

    private BurstLatencyCounters(final AtomicCounter[] buckets, final AtomicCounter sumNs) {
        this.buckets = buckets;
        this.sumNs = sumNs;
    }

    /**
     * @param aeron    where to allocate them.
     * @param workerId key of every counter.
     * @return the worker's latency counters, registered in the CnC file.
     */
    public static BurstLatencyCounters allocate(final CounterAllocator aeron, final int workerId) {
        final String prefix = "lb worker " + workerId + " ";
        final AtomicCounter[] buckets = new AtomicCounter[LatencyBuckets.COUNT];
        for (int b = 0; b < LatencyBuckets.COUNT; b++) {
            buckets[b] = aeron.addCounter(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE + b, workerId,
                prefix + LatencyBuckets.describe(b));
        }
        final AtomicCounter sumNs = aeron.addCounter(CounterTypes.WORKER_BURST_LATENCY_SUM_NS, workerId,
            prefix + "burst latency sum ns");
        return new BurstLatencyCounters(buckets, sumNs);
    }

    /**
     * Counts one timed burst. Worker thread only; allocation-free.
     *
     * @param ns how long it took, in nanoseconds.
     */
    public void record(final long ns) {
        buckets[LatencyBuckets.index(ns)].incrementRelease();
        sumNs.getAndAddRelease(ns);
    }

    /**
     * @param bucket 0 to {@link LatencyBuckets#OVERFLOW}.
     * @return the bursts counted in that bucket.
     */
    public long bucket(final int bucket) {
        return buckets[bucket].get();
    }

    /**
     * @return the sum of the counted bursts' durations, in nanoseconds.
     */
    public long sumNs() {
        return sumNs.get();
    }

    @Override
    public void close() {
        CloseHelper.closeAll(buckets);
        CloseHelper.close(sumNs);
    }
}
