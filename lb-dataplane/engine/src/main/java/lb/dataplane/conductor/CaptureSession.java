package lb.dataplane.conductor;

import lb.dataplane.api.Offers;
import lb.dataplane.api.sbe.BooleanType;
import lb.dataplane.api.sbe.CapturedFramesEncoder;
import lb.dataplane.api.sbe.MessageHeaderEncoder;
import lb.dataplane.control.DataplaneEventsProxy;
import lb.dataplane.pipeline.Verdict;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewHolder;
import lb.dataplane.worker.CaptureTap;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * One running {@code lbctl capture} on the conductor: arms the workers' {@link CaptureTap}, drains their rings into
 * CapturedFrames messages for lbd (in order per worker, at most {@code maxFrames} in all), sends one at least every
 * {@link #KEEPALIVE_MS} so lbd knows it runs, and ends (the tap disarmed, a last message naming why) at the frame
 * count, the deadline or a StopCapture. A message that meets back pressure is offered again, the rings wait. Conductor
 * thread.
 */
final class CaptureSession {
    static final long KEEPALIVE_MS = 500;
    static final int RING_BYTES = 1 << 20;
    private static final int MAX_FRAMES_PER_MESSAGE = 64;

    private final ViewHolder views;
    private final DataplaneEventsProxy events;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final CapturedFramesEncoder message = new CapturedFramesEncoder();
    private final UnsafeBuffer bytes = new UnsafeBuffer(0, 0);
    private final int[] frameIndex = new int[MAX_FRAMES_PER_MESSAGE];
    private CaptureTap tap;
    private long captureId;
    private long maxFrames;
    private long deadlineMs;
    private long sent;
    private long lastSentMs;
    private String endReason;
    private int pendingLength;
    private int frameCount;
    private int messageBytes;
    private DataplaneView view;
    private boolean pendingLast;
    private int framesPerMessage;
    private int drainingWorker;
    private final ExpandableArrayBuffer frames = new ExpandableArrayBuffer(64 * 1024);
    private final int[] frameLength = new int[MAX_FRAMES_PER_MESSAGE];
    private final int[] frameWorker = new int[MAX_FRAMES_PER_MESSAGE];
    private final org.agrona.concurrent.MessageHandler onFrame = this::onFrame;

    CaptureSession(final ViewHolder views, final DataplaneEventsProxy events) {
        this.views = views;
        this.events = events;
    }

    boolean isActive() {
        return tap != null;
    }

    long captureId() {
        return captureId;
    }

    /**
     * Arms the workers.
     *
     * @param verdictMask bit {@code v}: keep frames of verdict {@code v}.
     * @param ruleSlot    one rule's slot, or -1.
     */
    void start(final long captureId, final int workers, final long verdictMask, final int ruleSlot,
        final long maxFrames, final int snapLength, final long durationMs, final long nowMs) {
        this.captureId = captureId;
        this.maxFrames = maxFrames;
        this.deadlineMs = nowMs + durationMs;
        this.sent = 0;
        this.lastSentMs = nowMs;
        this.endReason = null;
        this.pendingLength = 0;
        this.framesPerMessage = Math.max(1, Math.min(MAX_FRAMES_PER_MESSAGE,
            (events.maxMessageLength() - 1024) / (snapLength + CaptureTap.BYTES_OFFSET + 64)));
        this.tap = new CaptureTap(workers, RING_BYTES, verdictMask, ruleSlot, snapLength);
        views.capture(tap);
    }

    /** Ends the capture at the next duty cycle, with this reason in its last message. */
    void stop(final String reason) {
        if (tap != null && endReason == null) {
            endReason = reason;
        }
    }

    int doWork(final long nowMs) {
        if (tap == null) {
            return 0;
        }
        if (pendingLength > 0) {
            if (!offer(nowMs)) {
                return 0;
            }
            if (tap == null) {
                return 1;
            }
        }
        if (endReason == null && nowMs - deadlineMs >= 0) {
            endReason = "its duration ended after " + sent + " frames";
        }
        view = views.current();
        begin();
        if (endReason == null) {
            for (int w = 0; w < tap.workers() && frameCount < framesPerMessage && sent + frameCount < maxFrames;
                w++) {
                drainingWorker = w;
                tap.ring(w).read(onFrame, (int)Math.min(framesPerMessage - frameCount, maxFrames - sent - frameCount));
            }
            if (sent + frameCount >= maxFrames) {
                endReason = maxFrames + " frames captured";
            }
        }
        if (frameCount == 0 && endReason == null && nowMs - lastSentMs < KEEPALIVE_MS) {
            return 0;
        }
        finish();
        return offer(nowMs) ? 1 : 0;
    }

    private void begin() {
        frameCount = 0;
        messageBytes = 0;
        message.wrapAndApplyHeader(buffer, 0, header).correlationId(captureId).incarnation(events.incarnation());
    }

    /** Frames are copied out of the rings first: the message's group count must be written before them. */
    private void onFrame(final int type, final MutableDirectBuffer source, final int index, final int length) {
        frames.putBytes(messageBytes, source, index, length);
        frameIndex[frameCount] = messageBytes;
        frameLength[frameCount] = length;
        frameWorker[frameCount] = drainingWorker;
        messageBytes += length;
        frameCount++;
    }

    private void finish() {
        pendingLast = endReason != null;
        message.last(pendingLast ? BooleanType.TRUE : BooleanType.FALSE).framesMissed(tap.missed());
        final CapturedFramesEncoder.FramesEncoder group = message.framesCount(frameCount);
        final MutableDirectBuffer source = frames;
        for (int i = 0; i < frameCount; i++) {
            final int at = frameIndex[i];
            final int slot = source.getInt(at + CaptureTap.RULE_SLOT_OFFSET);
            final int ruleIndex = slot < 0 || view == null ? -1 : view.ruleIndex(slot);
            final int verdict = source.getInt(at + CaptureTap.VERDICT_OFFSET);
            bytes.wrap(source, at + CaptureTap.BYTES_OFFSET, frameLength[i] - CaptureTap.BYTES_OFFSET);
            group.next()
                .epochNs(source.getLong(at + CaptureTap.EPOCH_NS_OFFSET))
                .worker(frameWorker[i])
                .ruleIndex(ruleIndex < 0 ? 65535 : ruleIndex)
                .bucket(source.getInt(at + CaptureTap.BUCKET_OFFSET))
                .originalLength(Math.min(65535, source.getInt(at + CaptureTap.ORIGINAL_LENGTH_OFFSET)))
                .verdict(Verdict.name(verdict))
                .putBytes(bytes, 0, bytes.capacity());
        }
        message.endReason(endReason == null ? "" : endReason);
        pendingLength = MessageHeaderEncoder.ENCODED_LENGTH + message.encodedLength();
        sent += frameCount;
    }

    /** Offers the encoded message; ends the session after its last one. */
    private boolean offer(final long nowMs) {
        final long result = events.offer(buffer, pendingLength);
        if (!Offers.isSent(result) && Offers.isRetryable(result)) {
            return false;
        }
        final boolean last = pendingLast || !Offers.isSent(result);
        pendingLength = 0;
        lastSentMs = nowMs;
        if (last) {
            views.capture(null);
            tap = null;
        }
        return true;
    }
}
