package lb.dataplane.buckets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class BucketBitmapTest {
    @Test
    void shouldHoldSixtyBucketsInOneWordAsNlbDoes() {
        final BucketBitmap bitmap = BucketBitmap.of(60, 0, 1, 2, 3, 7, 59);
        assertArrayEquals(new long[] {0b1000_1111L | 1L << 59}, bitmap.toLongArray());
        assertEquals(6, bitmap.cardinality());
        assertTrue(bitmap.contains(59));
        assertFalse(bitmap.contains(60));
        assertEquals("{0-3,7,59}", bitmap.toString());
        assertEquals(bitmap, BucketBitmap.ofWords(60, bitmap.toLongArray()));
    }

    @Test
    void shouldSpanManyWordsForLargeBucketCounts() {
        final BucketBitmap bitmap = BucketBitmap.of(65536, 0, 64, 65535);
        assertEquals(1024, bitmap.toLongArray().length);
        assertEquals(List.of(0, 64, 65535), bitmap.stream().boxed().toList());
    }

    @Test
    void shouldRejectBucketsOutsideTheCount() {
        assertThrows(IllegalArgumentException.class, () -> BucketBitmap.of(60, 60));
        assertThrows(IllegalArgumentException.class, () -> BucketBitmap.ofWords(60, new long[] {1L << 60}));
        assertThrows(IllegalArgumentException.class, () -> BucketBitmap.ofWords(65, new long[] {1}));
    }

    @Test
    void shouldGiveEachHostItsBitmapAndTheDirtyBuckets() {
        final BucketAssignment before = BucketAssignment.of(new int[] {1, 1, 2, 2, 3}, List.of(1, 2, 3));
        final BucketAssignment after = BucketAssignment.of(new int[] {1, 1, 2, 1, 2}, List.of(1, 2));
        assertEquals(BucketBitmap.of(5, 0, 1, 3), after.ownedBy(1));
        assertEquals(BucketBitmap.of(5, 3, 4), after.changedSince(before));
        assertThrows(IllegalArgumentException.class, () -> BucketAssignment.of(new int[] {4}, List.of(1)));
    }
}
