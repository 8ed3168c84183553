package lb.dataplane.table;

import java.util.Arrays;

/**
 * A set of bucket indices (0-65535) as a bitmap, built once by the conductor and reused for every export scan.
 */
public final class BucketSet {
    /** Buckets a set can hold: the largest bucket count a cluster may configure. */
    public static final int MAX_BUCKETS = 65536;

    private final long[] bits = new long[MAX_BUCKETS / 64];

    /**
     * @param bucket bucket index, 0-65535.
     * @return this set.
     * @throws IllegalArgumentException if the bucket is out of range.
     */
    public BucketSet add(final int bucket) {
        checkBucket(bucket);
        bits[bucket >>> 6] |= 1L << bucket;
        return this;
    }

    /**
     * @param bucket bucket index; values outside 0-65535 are never members.
     * @return whether the bucket is in the set.
     */
    public boolean contains(final int bucket) {
        return bucket >= 0 && bucket < MAX_BUCKETS && (bits[bucket >>> 6] & (1L << bucket)) != 0;
    }

    /**
     * Empties the set.
     *
     * @return this set.
     */
    public BucketSet clear() {
        Arrays.fill(bits, 0);
        return this;
    }

    private static void checkBucket(final int bucket) {
        if (bucket < 0 || bucket >= MAX_BUCKETS) {
            throw new IllegalArgumentException("bucket must be between 0 and " + (MAX_BUCKETS - 1) + ", was " + bucket);
        }
    }
}
