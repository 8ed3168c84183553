package lb.dataplane.api;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The bucket bitmaps of ApplyView (dirty buckets) and ExportStickyClients (buckets to export): bucket {@code b} is
 * bit {@code b % 8} of byte {@code b / 8}, the layout of {@link java.util.BitSet#toByteArray()} and of a
 * {@code long[]} bit set written little-endian. Bytes past the end of a shorter bitmap read as zero, as BitSet trims.
 */
public final class BucketBitmaps {
    private BucketBitmaps() {
    }

    /**
     * @param bucketCount buckets per rule.
     * @return bytes in a full bitmap.
     */
    public static int byteLength(final int bucketCount) {
        return (bucketCount + Byte.SIZE - 1) / Byte.SIZE;
    }

    /**
     * Marks a bucket in a bitmap whose bytes the caller zeroed.
     *
     * @param bitmap where the bitmap is.
     * @param offset its first byte.
     * @param bucket bucket to mark.
     */
    public static void set(final MutableDirectBuffer bitmap, final int offset, final int bucket) {
        final int index = offset + (bucket >>> 3);
        bitmap.putByte(index, (byte)(bitmap.getByte(index) | (1 << (bucket & 7))));
    }

    /**
     * @param bitmap where the bitmap is; its capacity is the bitmap's length.
     * @param bucket bucket to test.
     * @return true when the bucket is marked.
     */
    public static boolean isSet(final DirectBuffer bitmap, final int bucket) {
        final int index = bucket >>> 3;
        return index < bitmap.capacity() && (bitmap.getByte(index) & (1 << (bucket & 7))) != 0;
    }

    /**
     * @param bitmap      where the bitmap is; its capacity is the bitmap's length.
     * @param bucketCount buckets per rule.
     * @return true when no bit at or beyond {@code bucketCount} is set and the bitmap is no longer than a full one:
     *     what a receiver should insist on.
     */
    public static boolean fits(final DirectBuffer bitmap, final int bucketCount) {
        final int length = bitmap.capacity();
        if (length > byteLength(bucketCount)) {
            return false;
        }
        final int spareBits = length * Byte.SIZE - bucketCount;
        return spareBits <= 0 || (bitmap.getByte(length - 1) & 0xff) >>> (Byte.SIZE - spareBits) == 0;
    }
}
