package lb.dataplane.buckets;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which host owns each bucket of one rule (an owner table of host ids, {@link #NO_OWNER} where no host does), and the
 * live hosts it was computed for.
 *
 * <p>The member set matters because a live host may own no bucket (weight 0, or more hosts than buckets): the next
 * assignment can only tell a host that just joined from such a host by this set. Immutable; the dataplane's view
 * copies the table ({@link #owners()}) or a host's bitmap ({@link #ownedBy}).
 */
public final class BucketAssignment {
    /** The owner of a bucket nobody owns (host ids start at 1). */
    public static final int NO_OWNER = 0;

    private final int[] owners;
    private final SortedSet<Integer> members;

    private BucketAssignment(final int[] owners, final SortedSet<Integer> members) {
        this.owners = owners;
        this.members = members;
    }

    /**
     * Buckets none of which has an owner, computed for no host.
     */
    public static BucketAssignment unowned(final int bucketCount) {
        requireBucketCount(bucketCount);
        return new BucketAssignment(new int[bucketCount], Collections.emptySortedSet());
    }

    /**
     * The owner table given (copied) for the given live hosts, which must include every owner.
     */
    public static BucketAssignment of(final int[] owners, final Collection<Integer> members) {
        requireBucketCount(owners.length);
        final SortedSet<Integer> memberSet = Collections.unmodifiableSortedSet(new TreeSet<>(members));
        for (int bucket = 0; bucket < owners.length; bucket++) {
            if (owners[bucket] != NO_OWNER && !memberSet.contains(owners[bucket])) {
                throw new IllegalArgumentException("bucket " + bucket + " is owned by host " + owners[bucket] +
                    ", which is not one of the members " + memberSet);
            }
        }
        if (memberSet.stream().anyMatch(id -> id <= NO_OWNER)) {
            throw new IllegalArgumentException("host ids are positive, members were " + memberSet);
        }
        return new BucketAssignment(owners.clone(), memberSet);
    }

    static BucketAssignment wrap(final int[] owners, final Collection<Integer> members) {
        return new BucketAssignment(owners, Collections.unmodifiableSortedSet(new TreeSet<>(members)));
    }

    /** The live hosts the assignment was computed for; owners are among them. */
    public SortedSet<Integer> members() {
        return members;
    }

    /** How many buckets. */
    public int bucketCount() {
        return owners.length;
    }

    /** The host owning the bucket, or {@link #NO_OWNER}. */
    public int owner(final int bucket) {
        return owners[bucket];
    }

    /** A copy of the owner table, indexed by bucket. */
    public int[] owners() {
        return owners.clone();
    }

    /** The buckets a host owns. */
    public BucketBitmap ownedBy(final int hostId) {
        final long[] words = new long[BucketBitmap.wordCount(owners.length)];
        for (int bucket = 0; bucket < owners.length; bucket++) {
            if (owners[bucket] == hostId) {
                words[bucket >>> 6] |= 1L << bucket;
            }
        }
        return BucketBitmap.wrap(owners.length, words);
    }

    /** How many buckets a host owns. */
    public int countOwnedBy(final int hostId) {
        int count = 0;
        for (final int owner : owners) {
            count += owner == hostId ? 1 : 0;
        }
        return count;
    }

    /** Bucket counts by owner, {@link #NO_OWNER} included when some bucket has none. */
    public SortedMap<Integer, Integer> ownerCounts() {
        final TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (final int owner : owners) {
            counts.merge(owner, 1, Integer::sum);
        }
        return Collections.unmodifiableSortedMap(counts);
    }

    /**
     * The buckets whose owner differs from {@code previous}: the dirty buckets of the epoch this assignment starts,
     * in which the new owner accepts only new connections and the connections it tracks. Every bucket when the bucket
     * count changed.
     */
    public BucketBitmap changedSince(final BucketAssignment previous) {
        final long[] words = new long[BucketBitmap.wordCount(owners.length)];
        final boolean comparable = previous.owners.length == owners.length;
        for (int bucket = 0; bucket < owners.length; bucket++) {
            if (!comparable || previous.owners[bucket] != owners[bucket]) {
                words[bucket >>> 6] |= 1L << bucket;
            }
        }
        return BucketBitmap.wrap(owners.length, words);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof BucketAssignment that && Arrays.equals(owners, that.owners) &&
            members.equals(that.members);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(owners) + members.hashCode();
    }

    /**
     * Owners with their buckets: {@code [host 1: {0-29}, host 2: {30-59}]}.
     */
    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("[");
        for (final int owner : ownerCounts().keySet()) {
            text.append(text.length() > 1 ? ", " : "")
                .append(owner == NO_OWNER ? "no owner" : "host " + owner).append(": ").append(ownedBy(owner));
        }
        return text.append(']').toString();
    }

    static void requireBucketCount(final int bucketCount) {
        if (bucketCount < 1) {
            throw new IllegalArgumentException("bucket count must be at least 1, was " + bucketCount);
        }
    }
}
