package lb.dataplane.table;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BucketSet} holds any of the 65536 bucket indices and can be emptied for reuse.
 */
class BucketSetTest {
    @Test
    void shouldContainAddedBucketsOnlyUntilCleared() {
        final BucketSet set = new BucketSet().add(0).add(63).add(64).add(65_535);
        assertTrue(set.contains(0) && set.contains(63) && set.contains(64) && set.contains(65_535));
        assertFalse(set.contains(1) || set.contains(65_534) || set.contains(-1) || set.contains(65_536));
        set.clear();
        assertFalse(set.contains(0) || set.contains(65_535));
    }

    @Test
    void shouldNameTheValidRangeWhenBucketIsOutOfRange() {
        assertEquals("bucket must be between 0 and 65535, was 65536",
            assertThrows(IllegalArgumentException.class, () -> new BucketSet().add(65_536)).getMessage());
    }
}
