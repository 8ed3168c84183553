package lb.dataplane.buckets;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * An immutable set of buckets as a bitmap of 64-bit words, bucket {@code b} at bit {@code b % 64} of word
 * {@code b / 64}; for 60 buckets it is NLB's single 64-bit map.
 */
public final class BucketBitmap {
    private final int bucketCount;
    private final long[] words;

    private BucketBitmap(final int bucketCount, final long[] words) {
        this.bucketCount = bucketCount;
        this.words = words;
    }

    /**
     * The buckets, out of {@code bucketCount}, whose numbers are given.
     */
    public static BucketBitmap of(final int bucketCount, final int... buckets) {
        final long[] words = new long[wordCount(bucketCount)];
        for (final int bucket : buckets) {
            if (bucket < 0 || bucket >= bucketCount) {
                throw new IllegalArgumentException("bucket " + bucket + " is not in 0.." + (bucketCount - 1));
            }
            words[bucket >>> 6] |= 1L << bucket;
        }
        return new BucketBitmap(bucketCount, words);
    }

    /**
     * The buckets whose bits are set in the words (bits past {@code bucketCount} must be clear).
     */
    public static BucketBitmap ofWords(final int bucketCount, final long[] words) {
        if (words.length != wordCount(bucketCount)) {
            throw new IllegalArgumentException(bucketCount + " buckets need " + wordCount(bucketCount) + " words");
        }
        final int spare = words.length * 64 - bucketCount;
        if (spare > 0 && (words[words.length - 1] >>> (64 - spare)) != 0) {
            throw new IllegalArgumentException("bits set past bucket " + (bucketCount - 1));
        }
        return new BucketBitmap(bucketCount, words.clone());
    }

    /** How many buckets the set is drawn from. */
    public int bucketCount() {
        return bucketCount;
    }

    /** Whether the bucket is in the set. */
    public boolean contains(final int bucket) {
        return bucket >= 0 && bucket < bucketCount && (words[bucket >>> 6] & (1L << bucket)) != 0;
    }

    /** How many buckets are in the set. */
    public int cardinality() {
        int count = 0;
        for (final long word : words) {
            count += Long.bitCount(word);
        }
        return count;
    }

    /** Whether the set is empty. */
    public boolean isEmpty() {
        return cardinality() == 0;
    }

    /** The buckets in ascending order. */
    public IntStream stream() {
        return IntStream.range(0, bucketCount).filter(this::contains);
    }

    /** A copy of the words, for messages and views. */
    public long[] toLongArray() {
        return words.clone();
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof BucketBitmap that && bucketCount == that.bucketCount && Arrays.equals(words, that.words);
    }

    @Override
    public int hashCode() {
        return 31 * bucketCount + Arrays.hashCode(words);
    }

    /**
     * Runs of buckets, {@code {0-3,7,9-10}}.
     */
    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("{");
        int bucket = 0;
        while (bucket < bucketCount) {
            if (!contains(bucket)) {
                bucket++;
                continue;
            }
            int end = bucket;
            while (end + 1 < bucketCount && contains(end + 1)) {
                end++;
            }
            text.append(text.length() > 1 ? "," : "").append(bucket).append(end > bucket ? "-" + end : "");
            bucket = end + 1;
        }
        return text.append('}').toString();
    }

    static BucketBitmap wrap(final int bucketCount, final long[] words) {
        return new BucketBitmap(bucketCount, words);
    }

    static int wordCount(final int bucketCount) {
        return (bucketCount + 63) >>> 6;
    }
}
