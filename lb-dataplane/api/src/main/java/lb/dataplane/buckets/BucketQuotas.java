package lb.dataplane.buckets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How many buckets each live host should own: a count within one bucket of its exact share, chosen as close to what it
 * owns now as that allows, so that as few buckets as possible move.
 *
 * <p>Host {@code i}'s exact share is {@code s = B * w_i / W}. Its allowed counts are {@code floor(s)} and
 * {@code ceil(s)} (just {@code s} when whole). Start every host at its current count clamped into that interval; the
 * sum is then off from {@code B} by some {@code k}, and any {@code k} single-bucket adjustments inside the intervals
 * fix it. Every adjustment costs exactly one moved bucket whichever host takes it, so the choice is free: a bucket is
 * added first to hosts that just joined (so that what a join moves goes to the joiner), then to the hosts with the
 * largest remainder (furthest below their share), and taken from the hosts with the smallest remainder (furthest
 * above it); ties go to the better (lower) host priority.
 */
final class BucketQuotas {
    private BucketQuotas() {
    }

    /**
     * @param bucketCount B.
     * @param members     live members in tie-break order (best host priority first).
     * @param current     how many buckets each member owns now, by the same index.
     * @param joined      whether each member was not a member of the previous assignment.
     * @return the count each member should own, summing to {@code bucketCount}.
     */
    static int[] targets(
        final int bucketCount, final List<BucketMember> members, final int[] current, final boolean[] joined) {
        final int n = members.size();
        long totalWeight = 0;
        for (final BucketMember member : members) {
            totalWeight += member.weight();
        }
        // Every live host at weight 0: serve the traffic evenly rather than drop it all, as availability wins in NLB.
        final boolean allZero = totalWeight == 0;
        final long sum = allZero ? n : totalWeight;
        final int[] low = new int[n];
        final long[] remainder = new long[n];
        final int[] targets = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            final long weighted = (long)bucketCount * (allZero ? 1 : members.get(i).weight());
            low[i] = (int)(weighted / sum);
            remainder[i] = weighted % sum;
            final int high = low[i] + (remainder[i] > 0 ? 1 : 0);
            targets[i] = Math.clamp(current[i], low[i], high);
            total += targets[i];
        }
        if (total < bucketCount) {
            final List<Integer> raisable = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (targets[i] == low[i] && remainder[i] > 0) {
                    raisable.add(i);
                }
            }
            raisable.sort(Comparator.comparing((Integer i) -> !joined[i])
                .thenComparingLong(i -> -remainder[i])
                .thenComparingInt(i -> i));
            for (int k = 0; k < bucketCount - total; k++) {
                targets[raisable.get(k)]++;
            }
        } else if (total > bucketCount) {
            final List<Integer> lowerable = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (targets[i] > low[i]) {
                    lowerable.add(i);
                }
            }
            lowerable.sort(Comparator.comparingLong((Integer i) -> remainder[i]).thenComparingInt(i -> -i));
            for (int k = 0; k < total - bucketCount; k++) {
                targets[lowerable.get(k)]--;
            }
        }
        return targets;
    }
}
