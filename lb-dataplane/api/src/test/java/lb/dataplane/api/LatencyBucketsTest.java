package lb.dataplane.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyBucketsTest {
    @Test
    void boundsDoubleFrom128NsTo8MsThenOverflow() {
        assertEquals(17, LatencyBuckets.FINITE);
        assertEquals(18, LatencyBuckets.COUNT);
        assertEquals(128, LatencyBuckets.upperBoundNs(0));
        assertEquals(256, LatencyBuckets.upperBoundNs(1));
        assertEquals(8_388_608, LatencyBuckets.upperBoundNs(LatencyBuckets.FINITE - 1));
        assertEquals(1.28e-7, LatencyBuckets.upperBoundSeconds(0), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, LatencyBuckets.upperBoundSeconds(LatencyBuckets.OVERFLOW));
        assertThrows(IllegalArgumentException.class, () -> LatencyBuckets.upperBoundNs(LatencyBuckets.OVERFLOW));
        assertThrows(IllegalArgumentException.class, () -> LatencyBuckets.upperBoundNs(-1));
    }

    @Test
    void eachValueFallsInTheFirstBucketWhoseBoundHoldsIt() {
        assertEquals(0, LatencyBuckets.index(Long.MIN_VALUE));
        assertEquals(0, LatencyBuckets.index(0));
        assertEquals(0, LatencyBuckets.index(1));
        assertEquals(0, LatencyBuckets.index(128));
        assertEquals(1, LatencyBuckets.index(129));
        assertEquals(1, LatencyBuckets.index(256));
        assertEquals(2, LatencyBuckets.index(257));
        assertEquals(LatencyBuckets.FINITE - 1, LatencyBuckets.index(8_388_608));
        assertEquals(LatencyBuckets.OVERFLOW, LatencyBuckets.index(8_388_609));
        assertEquals(LatencyBuckets.OVERFLOW, LatencyBuckets.index(Long.MAX_VALUE));
    }

    @Test
    void agreesWithALinearSearchOverTheBounds() {
        // Every power of two and its neighbours, up to past the last bound.
        for (int shift = 0; shift < 40; shift++) {
            for (long ns = (1L << shift) - 1; ns <= (1L << shift) + 1; ns++) {
                assertEquals(linear(ns), LatencyBuckets.index(ns), "ns " + ns);
            }
        }
        final java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 100_000; i++) {
            final long ns = random.nextLong(1L << 25);
            final int bucket = LatencyBuckets.index(ns);
            assertEquals(linear(ns), bucket, "ns " + ns);
            assertTrue(bucket == LatencyBuckets.OVERFLOW || ns <= LatencyBuckets.upperBoundNs(bucket));
            assertTrue(bucket == 0 || ns > LatencyBuckets.upperBoundNs(bucket - 1));
        }
    }

    @Test
    void describesEachBucketForTheCounterLabel() {
        assertEquals("burst latency <= 128 ns", LatencyBuckets.describe(0));
        assertEquals("burst latency > 8388608 ns", LatencyBuckets.describe(LatencyBuckets.OVERFLOW));
    }

    private static int linear(final long ns) {
        for (int b = 0; b < LatencyBuckets.FINITE; b++) {
            if (ns <= LatencyBuckets.upperBoundNs(b)) {
                return b;
            }
        }
        return LatencyBuckets.OVERFLOW;
    }
}
