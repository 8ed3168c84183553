package lb.control.convergence;

import java.util.SortedSet;

import lb.control.membership.MemberId;
import lb.dataplane.buckets.BucketAssignment;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.config.ConfigFingerprint;
import lb.dataplane.hash.SipHash13;

/**
 * A 64-bit digest of a view's members, bucket owners and config fingerprint, which heartbeats carry so that hosts can tell they agree
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
     * The digest of these members, this assignment and the config it was computed for; never 0, which means "no
     * view". Two views of one epoch with the same owners but different configs (a VIP or a rule state changed) differ.
     */
    public static long of(final SortedSet<MemberId> members, final ClusterAssignment assignment,
        final ConfigFingerprint config) {
        long digest = HASH.hash(members.size(), assignment.byRule().size(), 0);
        final String hex = config.sha256Hex();
        for (int word = 0; word + 16 <= hex.length(); word += 32) {
            digest = HASH.hash(digest, java.util.HexFormat.fromHexDigitsToLong(hex.substring(word, word + 16)),
                java.util.HexFormat.fromHexDigitsToLong(hex.substring(word + 16, Math.min(hex.length(), word + 32))));
        }
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
