package lb.dataplane.buckets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import lb.dataplane.testkit.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Balance and movement over random membership sequences: every step is checked for balance, for moving exactly the
 * minimum number of buckets balance allows (an independent formula), and for the leave/join/repeat properties.
 */
class BucketAssignerPropertyTest {
    private static final int SEQUENCES = 1000;
    private static final int STEPS = 6;
    private static final int MAX_HOSTS = 32;
    private static final int MAX_HOST_ID = 1000;

    private enum Weights { EQUAL, RANDOM, ALL_ZERO }

    private enum Event { LEAVE, JOIN, REPEAT }

    @ParameterizedTest(name = "B = {0}")
    @ValueSource(ints = {60, 1, 7, 64, 1000, 65536})
    void shouldBalanceAndMoveMinimallyOverRandomMembershipSequences(final int buckets) {
        final long seed = Seeds.seed("BucketAssignerPropertyTest B=" + buckets);
        // Each bucket count gets its own stream even when one seed is given for the whole run.
        final SplittableRandom random = new SplittableRandom(seed ^ buckets * 0x9e37_79b9_7f4a_7c15L);
        final Stats stats = new Stats();
        for (int sequence = 0; sequence < SEQUENCES; sequence++) {
            new Sequence(buckets, random, "seed " + seed + " B " + buckets + " sequence " + sequence, stats).run();
        }
        System.out.println("B=" + buckets + ": " + stats);
        assertTrue(stats.leaves > 0 && stats.joins > 0 && stats.repeats > 0, stats::toString);
    }

    private static final class Stats {
        int steps;
        int leaves;
        int joins;
        int repeats;
        int weightedLeavesBeyondLeaver;
        int weightedJoinsBeyondJoiner;

        @Override
        public String toString() {
            return SEQUENCES + " sequences, " + steps + " assignments (" + leaves + " leaves, " + joins + " joins, " +
                repeats + " repeats); balance forced extra moves in " + weightedLeavesBeyondLeaver +
                " weighted leaves and " + weightedJoinsBeyondJoiner + " weighted joins";
        }
    }

    private static final class Sequence {
        private final int buckets;
        private final SplittableRandom random;
        private final String context;
        private final Stats stats;
        private final List<BucketMember> pool = new ArrayList<>();
        private final List<BucketMember> live = new ArrayList<>();
        private final int[] indexOfHost = new int[MAX_HOST_ID + 1];
        private final Weights weights;

        Sequence(final int buckets, final SplittableRandom random, final String context, final Stats stats) {
            this.buckets = buckets;
            this.random = random;
            this.context = context;
            this.stats = stats;
            final int size = 1 + random.nextInt(MAX_HOSTS);
            final List<Integer> priorities = shuffled(1, MAX_HOSTS);
            final List<Integer> ids = shuffled(1, MAX_HOST_ID);
            final int choice = random.nextInt(10);
            weights = choice < 4 ? Weights.EQUAL : choice < 9 ? Weights.RANDOM : Weights.ALL_ZERO;
            final int equalWeight = 1 + random.nextInt(100);
            for (int i = 0; i < size; i++) {
                final int weight = switch (weights) {
                    case EQUAL -> equalWeight;
                    case RANDOM -> random.nextInt(4) == 0 ? 0 : random.nextInt(101);
                    case ALL_ZERO -> 0;
                };
                pool.add(new BucketMember(ids.get(i), priorities.get(i), weight));
            }
            for (final BucketMember member : pool) {
                if (random.nextBoolean()) {
                    live.add(member);
                }
            }
            if (live.isEmpty()) {
                live.add(pool.get(random.nextInt(size)));
            }
        }

        void run() {
            BucketAssignment current = BucketAssigner.assign(buckets, live, BucketAssignment.unowned(buckets));
            checkBalance(current, "initial");
            checkInitialTiesFavourPriority(current);
            final int orderCheckStep = random.nextInt(STEPS);
            for (int step = 0; step < STEPS; step++) {
                final String where = context + " step " + step;
                final Event event = nextEvent();
                BucketMember changed = null;
                switch (event) {
                    case LEAVE -> {
                        changed = live.remove(random.nextInt(live.size()));
                        stats.leaves++;
                    }
                    case JOIN -> {
                        final List<BucketMember> absent = pool.stream().filter(m -> !live.contains(m)).toList();
                        changed = absent.get(random.nextInt(absent.size()));
                        live.add(changed);
                        stats.joins++;
                    }
                    case REPEAT -> stats.repeats++;
                }
                final BucketAssignment next = BucketAssigner.assign(buckets, live, current);
                stats.steps++;
                checkBalance(next, where);
                checkMinimalMovement(current, next, where);
                switch (event) {
                    case LEAVE -> checkLeave(current, next, changed, where);
                    case JOIN -> checkJoin(current, next, changed, where);
                    case REPEAT -> assertEquals(current, next, where + ": the same input twice moved buckets");
                }
                if (step == orderCheckStep) {
                    final List<BucketMember> reordered = new ArrayList<>(live);
                    Collections.shuffle(reordered, new Random(random.nextLong()));
                    assertEquals(next, BucketAssigner.assign(buckets, reordered, current),
                        where + ": result depends on member order");
                }
                current = next;
            }
        }

        private Event nextEvent() {
            final boolean canLeave = !live.isEmpty();
            final boolean canJoin = live.size() < pool.size();
            final int roll = random.nextInt(10);
            if (roll < 1 || (!canLeave && !canJoin)) {
                return Event.REPEAT;
            }
            if (canLeave && (roll < 6 || !canJoin)) {
                return Event.LEAVE;
            }
            return Event.JOIN;
        }

        /** Each live host owns floor or ceil of B * w / sum(w) (equal shares when every weight is 0). */
        private void checkBalance(final BucketAssignment assignment, final String where) {
            final int[] counts = counts(assignment);
            if (live.isEmpty()) {
                assertEquals(buckets, assignment.countOwnedBy(BucketAssignment.NO_OWNER), where + ": no host, no owner");
                return;
            }
            final long total = totalWeight();
            int owned = 0;
            for (final BucketMember member : live) {
                final long share = (long)buckets * effectiveWeight(member, total);
                final long sum = total == 0 ? live.size() : total;
                final long low = share / sum;
                final long high = low + (share % sum == 0 ? 0 : 1);
                final int count = counts[indexOfHost[member.hostId()]];
                assertTrue(count >= low && count <= high, () -> where + ": host " + member.hostId() + " weight " +
                    member.weight() + " owns " + count + ", share " + share + "/" + sum + " " + assignment);
                if (weights == Weights.EQUAL || total == 0) {
                    assertTrue(count == buckets / live.size() || count == (buckets + live.size() - 1) / live.size(),
                        where + ": equal weights but host " + member.hostId() + " owns " + count);
                }
                if (member.weight() == 0 && total > 0) {
                    assertEquals(0, count, where + ": weight 0 owns buckets");
                }
                owned += count;
            }
            assertEquals(buckets, owned, where + ": some bucket has no live owner");
        }

        /** From nothing, equal weights: the extra buckets of B mod N go to the best host priorities. */
        private void checkInitialTiesFavourPriority(final BucketAssignment assignment) {
            if (weights != Weights.EQUAL) {
                return;
            }
            final List<BucketMember> byPriority =
                live.stream().sorted(Comparator.comparingInt(BucketMember::hostPriority)).toList();
            final int extra = buckets % live.size();
            for (int i = 0; i < byPriority.size(); i++) {
                final int expected = buckets / live.size() + (i < extra ? 1 : 0);
                assertEquals(expected, assignment.countOwnedBy(byPriority.get(i).hostId()),
                    context + ": ties must favour lower host priority");
            }
        }

        /**
         * What balance demands of a move from {@code before} to the current live set: with c a host's current count,
         * [lo, hi] its allowed counts and O the buckets without a live owner, gains = sum of (lo - c)+, losses = sum of
         * (c - hi)+, and at least max(gains, O + losses) buckets must move.
         */
        private record Bounds(long gains, long losses, long orphans, long[] high) {
            long minimumMoves() {
                return Math.max(gains, orphans + losses);
            }
        }

        private Bounds bounds(final BucketAssignment before) {
            final int[] counts = counts(before);
            final long total = totalWeight();
            final long[] high = new long[pool.size()];
            long gains = 0;
            long losses = 0;
            long heldByLive = 0;
            for (final BucketMember member : live) {
                final long share = (long)buckets * effectiveWeight(member, total);
                final long sum = total == 0 ? live.size() : total;
                final long low = share / sum;
                final int index = indexOfHost[member.hostId()];
                high[index] = low + (share % sum == 0 ? 0 : 1);
                gains += Math.max(0, low - counts[index]);
                losses += Math.max(0, counts[index] - high[index]);
                heldByLive += counts[index];
            }
            return new Bounds(gains, losses, buckets - heldByLive, high);
        }

        private void checkMinimalMovement(final BucketAssignment before, final BucketAssignment after, final String where) {
            if (!live.isEmpty()) {
                assertEquals(bounds(before).minimumMoves(), after.changedSince(before).cardinality(),
                    where + ": not a minimal move");
            }
        }

        private void checkLeave(
            final BucketAssignment before, final BucketAssignment after, final BucketMember leaver, final String where) {
            final BucketBitmap leaverBuckets = before.ownedBy(leaver.hostId());
            final BucketBitmap moved = after.changedSince(before);
            if (moved.equals(leaverBuckets)) {
                return;
            }
            // Only unequal weights can need more than the leaver's buckets: survivors' shares may cross a whole number
            // while the leaver held too few buckets to top them up (gains > orphans), so balance forces more moves.
            final Bounds bounds = bounds(before);
            assertTrue(weights == Weights.RANDOM && bounds.gains() > bounds.orphans(), () -> where + ": leave of host " +
                leaver.hostId() + " moved " + moved + " but it owned " + leaverBuckets + "; " + bounds);
            assertTrue(leaverBuckets.stream().allMatch(moved::contains), where + ": a bucket of the leaver kept it");
            stats.weightedLeavesBeyondLeaver++;
        }

        private void checkJoin(
            final BucketAssignment before, final BucketAssignment after, final BucketMember joiner, final String where) {
            final BucketBitmap moved = after.changedSince(before);
            if (moved.stream().allMatch(b -> after.owner(b) == joiner.hostId())) {
                return;
            }
            // Only unequal weights can shed more buckets than the joiner may take: several hosts' shares drop below a
            // whole number at once while the joiner's share is small (losses > joiner's ceiling).
            final Bounds bounds = bounds(before);
            final long joinerCeiling = bounds.high()[indexOfHost[joiner.hostId()]];
            assertTrue(weights == Weights.RANDOM && bounds.losses() > joinerCeiling, () -> where + ": join of host " +
                joiner.hostId() + " moved buckets elsewhere: " + moved + " live " + live + " before " + before +
                " after " + after);
            assertEquals(joinerCeiling, after.countOwnedBy(joiner.hostId()), where + ": joiner not filled first");
            stats.weightedJoinsBeyondJoiner++;
        }

        private int[] counts(final BucketAssignment assignment) {
            for (int i = 0; i < pool.size(); i++) {
                indexOfHost[pool.get(i).hostId()] = i;
            }
            final int[] counts = new int[pool.size()];
            final int[] owners = assignment.owners();
            for (final int owner : owners) {
                if (owner != BucketAssignment.NO_OWNER) {
                    counts[indexOfHost[owner]]++;
                }
            }
            return counts;
        }

        private long totalWeight() {
            long total = 0;
            for (final BucketMember member : live) {
                total += member.weight();
            }
            return total;
        }

        private static long effectiveWeight(final BucketMember member, final long total) {
            return total == 0 ? 1 : member.weight();
        }

        private List<Integer> shuffled(final int from, final int to) {
            final List<Integer> values = new ArrayList<>();
            for (int v = from; v <= to; v++) {
                values.add(v);
            }
            Collections.shuffle(values, new Random(random.nextLong()));
            return values;
        }
    }
}
