package lb.dataplane.api;

import java.util.BitSet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketBitmapsTest {
    @Test
    void shouldLayOutBucketsAsBitSetToByteArrayDoes() {
        final UnsafeBuffer bitmap = new UnsafeBuffer(new byte[BucketBitmaps.byteLength(60)]);
        final BitSet expected = new BitSet();
        for (final int bucket : new int[] {0, 9, 31, 59}) {
            BucketBitmaps.set(bitmap, 0, bucket);
            expected.set(bucket);
        }

        assertEquals(new UnsafeBuffer(expected.toByteArray()), bitmap);
        assertTrue(BucketBitmaps.isSet(bitmap, 9));
        assertFalse(BucketBitmaps.isSet(bitmap, 10));
    }

    @Test
    void shouldReadBucketsBeyondATrimmedBitmapAsClear() {
        final BitSet set = new BitSet();
        set.set(3);
        final UnsafeBuffer trimmed = new UnsafeBuffer(set.toByteArray());

        assertTrue(BucketBitmaps.isSet(trimmed, 3));
        assertFalse(BucketBitmaps.isSet(trimmed, 59));
        assertTrue(BucketBitmaps.fits(trimmed, 60));
    }

    @Test
    void shouldRejectABitmapWithBucketsBeyondTheBucketCount() {
        final UnsafeBuffer bitmap = new UnsafeBuffer(new byte[BucketBitmaps.byteLength(60)]);
        BucketBitmaps.set(bitmap, 0, 59);
        assertTrue(BucketBitmaps.fits(bitmap, 60));

        BucketBitmaps.set(bitmap, 0, 60);
        assertFalse(BucketBitmaps.fits(bitmap, 60));
        assertFalse(BucketBitmaps.fits(new UnsafeBuffer(new byte[9]), 60), "longer than 60 buckets need");
    }
}
