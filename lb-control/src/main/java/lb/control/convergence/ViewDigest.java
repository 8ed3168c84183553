package lb.control.convergence;

import java.util.SortedSet;

import lb.control.membership.MemberId;
import lb.dataplane.buckets.BucketAssignment;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.hash.SipHash13;

/**
 * A 64-bit digest of a view's members and bucket owners, which heartbeats carry so that hosts can tell they agree
 * without sending the maps.
 *
 * <p>SipHash with a fixed key, chained over the words, so that two different views collide with probability about
 * 2^-64; it needs no secret because nobody gains anything by making two views collide on purpose.
 */
public final class ViewDigest {
    private static final SipHash13 HASH = new SipHash13(0x6c62766965776469L, 0x6765737430303031L);

    private ViewDigest() {
    }

    /**
     * The digest of these members and this assignment; never 0, which means "no view".
     */
    public static long of(final SortedSet<MemberId> members, final ClusterAssignment assignment) {
        long digest = HASH.hash(members.size(), assignment.byRule().size(), 0);
        for (final MemberId member : members) {
            digest = HASH.hash(digest, member.hostId(), member.incarnation());
        }
        for (final BucketAssignment rule : assignment.byRule().values()) {
            digest = mix(digest, rule);
        }
        digest = mix(digest, assignment.unmatched());
        return digest == 0 ? 1 : digest;
    }

    private static long mix(final long seed, final BucketAssignment rule) {
        long digest = HASH.hash(seed, rule.bucketCount(), rule.members().size());
        final int buckets = rule.bucketCount();
        for (int bucket = 0; bucket < buckets; bucket += 2) {
            final long pair = ((long)rule.owner(bucket) << 32) | (bucket + 1 < buckets ? rule.owner(bucket + 1) : 0);
            digest = HASH.hash(digest, bucket, pair);
        }
        return digest;
    }
}
