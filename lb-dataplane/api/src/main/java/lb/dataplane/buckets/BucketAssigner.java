package lb.dataplane.buckets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure, deterministic bucket assignment every host computes alike: from the bucket count, a rule's live members
 * and the previous assignment to the next one, moving as few buckets as balance allows.
 *
 * <p>Balance: each host owns {@code floor} or {@code ceil} of its exact share {@code B * w / sum(w)} (with equal
 * weights, {@code floor(B/N)} or {@code ceil(B/N)}); weight 0 owns nothing, unless every live host has weight 0, when
 * they share equally. Movement: a bucket changes owner only if its owner is no longer live or owns more than its new
 * count allows; so a leave moves only the leaver's buckets and a join moves buckets only to the joiner (always with
 * equal weights; with unequal weights balance can force a little more, see {@link BucketQuotas} and
 * docs/config-and-buckets.md). The input order of members does
 * not matter; ties go to the lower host priority, then the lower host id.
 */
public final class BucketAssigner {
    private static final Comparator<BucketMember> TIE_BREAK =
        Comparator.comparingInt(BucketMember::hostPriority).thenComparingInt(BucketMember::hostId);

    private BucketAssigner() {
    }

    /**
     * The next assignment of a multiple-host rule.
     *
     * @param bucketCount the rule's bucket count, at least 1.
     * @param live        the live members with their weights on the rule, in any order, host ids unique.
     * @param previous    the assignment in force; one with another bucket count (or {@link BucketAssignment#unowned})
     *                    means start afresh.
     */
    public static BucketAssignment assign(
        final int bucketCount, final Collection<BucketMember> live, final BucketAssignment previous) {
        BucketAssignment.requireBucketCount(bucketCount);
        final List<BucketMember> members = new ArrayList<>(live);
        members.sort(TIE_BREAK);
        final Map<Integer, Integer> indexOf = indexByHostId(members);
        final boolean continuing = previous.bucketCount() == bucketCount;
        final int[] owners = continuing ? previous.owners() : new int[bucketCount];
        if (members.isEmpty()) {
            return BucketAssignment.unowned(bucketCount);
        }
        final boolean[] joined = new boolean[members.size()];
        for (int i = 0; i < joined.length; i++) {
            joined[i] = !continuing || !previous.members().contains(members.get(i).hostId());
        }

        final int[] counts = new int[members.size()];
        for (int bucket = 0; bucket < bucketCount; bucket++) {
            final Integer index = indexOf.get(owners[bucket]);
            if (index == null) {
                owners[bucket] = BucketAssignment.NO_OWNER;
            } else {
                counts[index]++;
            }
        }
        final int[] targets = BucketQuotas.targets(bucketCount, members, counts, joined);

        // Hosts over their count give up their highest-numbered buckets; any fixed choice would do.
        for (int bucket = bucketCount - 1; bucket >= 0; bucket--) {
            final Integer index = indexOf.get(owners[bucket]);
            if (index != null && counts[index] > targets[index]) {
                owners[bucket] = BucketAssignment.NO_OWNER;
                counts[index]--;
            }
        }
        // Freed buckets go, lowest first, to the hosts under their count, in tie-break order.
        int member = 0;
        for (int bucket = 0; bucket < bucketCount; bucket++) {
            if (owners[bucket] != BucketAssignment.NO_OWNER) {
                continue;
            }
            while (counts[member] == targets[member]) {
                member++;
            }
            owners[bucket] = members.get(member).hostId();
            counts[member]++;
        }
        return BucketAssignment.wrap(owners, members.stream().map(BucketMember::hostId).toList());
    }

    /**
     * The assignment of a single-host rule: every bucket to the live host with the lowest handling priority (then the
     * lowest host id, should priorities ever tie); no owner when no host is live.
     */
    public static BucketAssignment assignSingleHost(final int bucketCount, final Collection<HandlingCandidate> live) {
        BucketAssignment.requireBucketCount(bucketCount);
        final int[] owners = new int[bucketCount];
        live.stream()
            .min(Comparator.comparingInt(HandlingCandidate::handlingPriority).thenComparingInt(HandlingCandidate::hostId))
            .ifPresent(winner -> Arrays.fill(owners, winner.hostId()));
        return BucketAssignment.wrap(owners, live.stream().map(HandlingCandidate::hostId).toList());
    }

    private static Map<Integer, Integer> indexByHostId(final List<BucketMember> members) {
        final Map<Integer, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            if (indexOf.put(members.get(i).hostId(), i) != null) {
                throw new IllegalArgumentException("host " + members.get(i).hostId() + " is listed twice");
            }
        }
        return indexOf;
    }
}
