package lb.dataplane.buckets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BucketAssignerTest {
    private static final BucketMember A = new BucketMember(10, 1, 50);
    private static final BucketMember B = new BucketMember(20, 2, 50);
    private static final BucketMember C = new BucketMember(30, 3, 50);

    @Test
    void shouldSplitSixtyBucketsEvenlyFromNothing() {
        final BucketAssignment assignment = BucketAssigner.assign(60, List.of(C, A, B), BucketAssignment.unowned(60));
        assertEquals(Map.of(10, 20, 20, 20, 30, 20), assignment.ownerCounts());
        assertEquals("[host 10: {0-19}, host 20: {20-39}, host 30: {40-59}]", assignment.toString());
        assertEquals(List.of(10, 20, 30), List.copyOf(assignment.members()));
    }

    @Test
    void shouldGiveTheRemainderToTheBestHostPriorities() {
        final BucketMember worst = new BucketMember(1, 32, 50);
        final BucketAssignment assignment =
            BucketAssigner.assign(8, List.of(worst, C, B), BucketAssignment.unowned(8));
        assertEquals(3, assignment.countOwnedBy(B.hostId()));
        assertEquals(3, assignment.countOwnedBy(C.hostId()));
        assertEquals(2, assignment.countOwnedBy(worst.hostId()));
    }

    @Test
    void shouldMoveOnlyTheLeaversBucketsAndOnlyToTheJoiner() {
        final BucketAssignment three = BucketAssigner.assign(60, List.of(A, B, C), BucketAssignment.unowned(60));
        final BucketAssignment two = BucketAssigner.assign(60, List.of(A, C), three);
        assertEquals(three.ownedBy(B.hostId()), two.changedSince(three));
        final BucketAssignment back = BucketAssigner.assign(60, List.of(A, B, C), two);
        assertEquals(back.ownedBy(B.hostId()), back.changedSince(two));
        assertEquals(20, back.countOwnedBy(B.hostId()));
    }

    @Test
    void shouldShareByWeight() {
        final BucketMember heavy = new BucketMember(1, 1, 100);
        final BucketMember light = new BucketMember(2, 2, 20);
        final BucketMember idle = new BucketMember(3, 3, 0);
        final BucketAssignment assignment =
            BucketAssigner.assign(60, List.of(heavy, light, idle), BucketAssignment.unowned(60));
        assertEquals(Map.of(1, 50, 2, 10), assignment.ownerCounts());
    }

    @Test
    void shouldShareEquallyWhenEveryLiveHostHasWeightZero() {
        final List<BucketMember> idle = List.of(new BucketMember(1, 1, 0), new BucketMember(2, 2, 0));
        assertEquals(Map.of(1, 30, 2, 30), BucketAssigner.assign(60, idle, BucketAssignment.unowned(60)).ownerCounts());
    }

    @Test
    void shouldLeaveEveryBucketUnownedWithNoLiveHost() {
        final BucketAssignment some = BucketAssigner.assign(7, List.of(A), BucketAssignment.unowned(7));
        final BucketAssignment none = BucketAssigner.assign(7, List.of(), some);
        assertEquals(Map.of(BucketAssignment.NO_OWNER, 7), none.ownerCounts());
        assertEquals(7, none.changedSince(some).cardinality());
    }

    @Test
    void shouldStartAfreshWhenTheBucketCountChanges() {
        final BucketAssignment sixty = BucketAssigner.assign(60, List.of(A, B), BucketAssignment.unowned(60));
        final BucketAssignment hundred = BucketAssigner.assign(100, List.of(A, B), sixty);
        assertEquals(Map.of(10, 50, 20, 50), hundred.ownerCounts());
        assertEquals(100, hundred.changedSince(sixty).cardinality());
    }

    @Test
    void shouldGiveMoreHostsThanBucketsOneBucketEachByPriority() {
        final BucketAssignment one = BucketAssigner.assign(1, List.of(C, B, A), BucketAssignment.unowned(1));
        assertEquals(A.hostId(), one.owner(0));
        final BucketAssignment stillOne = BucketAssigner.assign(1, List.of(C, B), one);
        assertEquals(B.hostId(), stillOne.owner(0));
        final BucketAssignment rejoined = BucketAssigner.assign(1, List.of(C, B, A), stillOne);
        assertTrue(rejoined.changedSince(stillOne).isEmpty(), "a returning host takes nothing it need not");
    }

    @Test
    void shouldGiveASingleHostRuleToTheLowestHandlingPriority() {
        final BucketAssignment assignment = BucketAssigner.assignSingleHost(60,
            List.of(new HandlingCandidate(1, 5), new HandlingCandidate(2, 3), new HandlingCandidate(3, 4)));
        assertEquals(Map.of(2, 60), assignment.ownerCounts());
        assertEquals(Map.of(BucketAssignment.NO_OWNER, 60),
            BucketAssigner.assignSingleHost(60, List.of()).ownerCounts());
    }

    @Test
    void shouldRejectAHostListedTwice() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BucketAssigner.assign(60, List.of(A, A), BucketAssignment.unowned(60)));
        assertTrue(e.getMessage().contains("host 10 is listed twice"), e::getMessage);
    }
}
