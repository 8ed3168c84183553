package lb.dataplane.worker;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLongArray;

import lb.dataplane.pipeline.Verdict;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A running capture as the workers see it: a ring per worker that the worker copies each frame from the cluster
 * network into before deciding it, then commits with the verdict (or aborts when the capture does not want that
 * verdict or rule). The conductor drains the rings ({@link #ring}). While no capture runs the workers hold none
 * and pay one field read per burst. A full ring loses the frame, counted in {@link #missed}.
 *
 * <pre>
 *   record in a ring (message type 1):
 *   0        8            12       16        20             24
 *   | epochNs | rule slot | bucket | verdict | original len | bytes (at most snapLength) ... |
 * </pre>
 */
public final class CaptureTap {
    /** Ring message type of a captured frame. */
    public static final int FRAME = 1;
    public static final int EPOCH_NS_OFFSET = 0;
    public static final int RULE_SLOT_OFFSET = 8;
    public static final int BUCKET_OFFSET = 12;
    public static final int VERDICT_OFFSET = 16;
    public static final int ORIGINAL_LENGTH_OFFSET = 20;
    public static final int BYTES_OFFSET = 24;
    private static final int STRIDE = 16;

    private final RingBuffer[] rings;
    private final UnsafeBuffer[] frames;
    private final AtomicLongArray missed;
    private final long verdictMask;
    private final int ruleSlot;
    private final int snapLength;
    private final long epochNsAtStart = System.currentTimeMillis() * 1_000_000L;
    private final long nanoAtStart = System.nanoTime();

    /**
     * @param workers     worker count.
     * @param ringBytes   bytes of each worker's ring, a power of two.
     * @param verdictMask bit {@code v} set: frames of {@link Verdict} {@code v} are kept.
     * @param ruleSlot    only frames the classifier matched to this rule slot, or -1 for every frame.
     * @param snapLength  bytes kept of each frame.
     */
    public CaptureTap(final int workers, final int ringBytes, final long verdictMask, final int ruleSlot,
        final int snapLength) {
        this.rings = new RingBuffer[workers];
        this.frames = new UnsafeBuffer[workers];
        for (int w = 0; w < workers; w++) {
            rings[w] = new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(ringBytes +
                RingBufferDescriptor.TRAILER_LENGTH)));
            frames[w] = new UnsafeBuffer(0, 0);
        }
        this.missed = new AtomicLongArray((workers + 1) * STRIDE);
        this.verdictMask = verdictMask;
        this.ruleSlot = ruleSlot;
        this.snapLength = snapLength;
    }

    /**
     * Copies a frame into the worker's ring before it is decided (the decision may rewrite it). Worker.
     *
     * @return the claim to {@link #commit}, or -1 when the ring is full (the frame is counted missed).
     */
    public int claim(final int worker, final long address, final int length) {
        final int kept = Math.min(length, snapLength);
        final RingBuffer ring = rings[worker];
        final int index = ring.tryClaim(FRAME, BYTES_OFFSET + kept);
        if (index <= 0) {
            final int slot = (worker + 1) * STRIDE;
            missed.setRelease(slot, missed.getPlain(slot) + 1);
            return -1;
        }
        final UnsafeBuffer buffer = (UnsafeBuffer)ring.buffer();
        final UnsafeBuffer frame = frames[worker];
        frame.wrap(address, kept);
        buffer.putBytes(index + BYTES_OFFSET, frame, 0, kept);
        buffer.putInt(index + ORIGINAL_LENGTH_OFFSET, length);
        return index;
    }

    /**
     * Keeps the claimed frame with its verdict, or drops it when the capture does not want it. Worker.
     *
     * @param ruleSlot the classifier's rule slot for classified verdicts (ignored for the others).
     * @param bucket   the classifier's bucket, -1 when none.
     */
    public void commit(final int worker, final int claim, final int verdict, final int ruleSlot, final int bucket) {
        final RingBuffer ring = rings[worker];
        final boolean classified = verdict == Verdict.ACCEPT ||
            verdict >= Verdict.DROP_NOT_OWNER && verdict <= Verdict.DROP_NO_OWNER;
        final int slot = classified ? ruleSlot : -1;
        if ((verdictMask & (1L << verdict)) == 0 || this.ruleSlot >= 0 && slot != this.ruleSlot) {
            ring.abort(claim);
            return;
        }
        final UnsafeBuffer buffer = (UnsafeBuffer)ring.buffer();
        buffer.putLong(claim + EPOCH_NS_OFFSET, epochNsAtStart + System.nanoTime() - nanoAtStart);
        buffer.putInt(claim + RULE_SLOT_OFFSET, slot);
        buffer.putInt(claim + BUCKET_OFFSET, classified ? bucket : -1);
        buffer.putInt(claim + VERDICT_OFFSET, verdict);
        ring.commit(claim);
    }

    /**
     * @return a worker's ring, for the conductor to drain.
     */
    public RingBuffer ring(final int worker) {
        return rings[worker];
    }

    /**
     * @return the workers' rings.
     */
    public int workers() {
        return rings.length;
    }

    /**
     * @return frames the workers could not put in their rings so far.
     */
    public long missed() {
        long total = 0;
        for (int w = 0; w < rings.length; w++) {
            total += missed.getAcquire((w + 1) * STRIDE);
        }
        return total;
    }
}
