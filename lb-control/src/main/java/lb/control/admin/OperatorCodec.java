package lb.control.admin;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import lb.control.admin.sbe.AffinityFlushEncoder;
import lb.control.admin.sbe.AffinityListEncoder;
import lb.control.admin.sbe.AffinityPageDecoder;
import lb.control.admin.sbe.AffinityPageEncoder;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.BooleanType;
import lb.control.admin.sbe.CaptureFramesDecoder;
import lb.control.admin.sbe.CaptureFramesEncoder;
import lb.control.admin.sbe.CaptureStartEncoder;
import lb.control.admin.sbe.CaptureStopEncoder;
import lb.control.admin.sbe.CaptureVerdictCode;
import lb.control.admin.sbe.ErrorListDecoder;
import lb.control.admin.sbe.ErrorListEncoder;
import lb.control.admin.sbe.ErrorsQueryEncoder;
import lb.control.admin.sbe.ExplainFlowEncoder;
import lb.control.admin.sbe.FlowExplanationDecoder;
import lb.control.admin.sbe.FlowExplanationEncoder;
import lb.control.admin.sbe.MessageHeaderDecoder;
import lb.control.admin.sbe.MessageHeaderEncoder;
import lb.control.admin.sbe.OperatorAnswerDecoder;
import lb.control.admin.sbe.OperatorAnswerEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The admin API's operator messages (lbctl affinity, explain, capture, errors; template ids 20-29, answers 120-129):
 * encoders into byte arrays, decoders into records, and the two things an lbd does with one it does not handle
 * itself, {@link #forward} (a request for another host) and {@link #relay} (that host's answer). Both rest on the
 * common start every such message has (admin-schema.xml). Not thread safe.
 */
public final class OperatorCodec {
    /** Request template ids are 20-29. */
    public static final int FIRST_REQUEST = 20;
    /** Answer template ids are 120-129. */
    public static final int FIRST_ANSWER = 120;
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int TARGET_OFFSET = 8;
    private static final int REPLY_STREAM_OFFSET = 10;
    private static final int HOST_OFFSET = 8;
    private static final int STATUS_OFFSET = 10;
    private static final int LAST_OFFSET = 11;
    /** Captured bytes per answer message: a UDP management channel carries 8 KiB messages at Aeron's defaults. */
    public static final int MAX_FRAME_BYTES_PER_MESSAGE = 6_000;
    /** Sticky clients per page: well inside one 8 KiB message. */
    public static final int PAGE_ENTRIES = 96;

    /** A sticky client as a host holds it. */
    public record StickyEntry(String rule, String client, int ownerHostId, boolean foreign, int bucket,
        long expiresInMs) {
    }

    /**
     * One page of a host's affinity table.
     *
     * @param entries  the clients.
     * @param nextSlot where the next page starts.
     * @param done     whether this was the table's last page.
     */
    public record AffinityPage(int hostId, AnswerStatus status, String detail, long viewEpoch, List<StickyEntry> entries,
        long nextSlot, boolean done) {
    }

    /** The outcome of a flush or a stop. */
    public record OperatorResult(int hostId, AnswerStatus status, String detail) {
    }

    /** How a host decides a flow, as its dataplane explained it. */
    public record FlowReport(int hostId, AnswerStatus status, String detail, long viewEpoch, String hostMode,
        boolean isVip, String rule, String ruleState, String filtering, int bucket, int bucketOwner,
        boolean ownsBucket, boolean bucketDirty, int connectionOwner, String connectionState, int stickyOwner,
        boolean stickyForeign, long stickyExpiresInMs, String startVerdict, String startReason, String ongoingVerdict,
        String ongoingReason) {
    }

    /** A captured frame with its verdict. */
    public record Frame(long epochNs, int worker, String rule, String verdict, int bucket, int originalLength,
        byte[] bytes) {
    }

    /** A message of a capture. */
    public record FramesMessage(int hostId, AnswerStatus status, boolean last, long framesMissed, List<Frame> frames,
        String detail) {
    }

    /** A distinct error or warning with how often and when it happened. */
    public record ErrorEntry(String source, String severity, String message, long count, long firstMs,
        long lastMs) {
    }

    /** A message of an error list. */
    public record ErrorsMessage(int hostId, AnswerStatus status, boolean last, List<ErrorEntry> errors,
        String detail) {
    }

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8192);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final AffinityListEncoder affinityList = new AffinityListEncoder();
    private final AffinityFlushEncoder affinityFlush = new AffinityFlushEncoder();
    private final ExplainFlowEncoder explainFlow = new ExplainFlowEncoder();
    private final CaptureStartEncoder captureStart = new CaptureStartEncoder();
    private final CaptureStopEncoder captureStop = new CaptureStopEncoder();
    private final ErrorsQueryEncoder errorsQuery = new ErrorsQueryEncoder();
    private final AffinityPageEncoder affinityPage = new AffinityPageEncoder();
    private final OperatorAnswerEncoder operatorAnswer = new OperatorAnswerEncoder();
    private final FlowExplanationEncoder flowExplanation = new FlowExplanationEncoder();
    private final CaptureFramesEncoder captureFrames = new CaptureFramesEncoder();
    private final ErrorListEncoder errorList = new ErrorListEncoder();

    /** Whether a template id is an operator request. */
    public static boolean isRequest(final int templateId) {
        return templateId >= FIRST_REQUEST && templateId < FIRST_REQUEST + 10;
    }

    /** Whether a template id is an operator answer. */
    public static boolean isAnswer(final int templateId) {
        return templateId >= FIRST_ANSWER && templateId < FIRST_ANSWER + 10;
    }

    /** The correlation id of an operator request or answer (header first). */
    public static long correlationId(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + HEADER, ByteOrder.LITTLE_ENDIAN);
    }

    /** The host an operator request is for, 0 for the one that takes it. */
    public static int targetHostId(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + HEADER + TARGET_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /** The stream an operator request's answers go to. */
    public static int replyStreamId(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + HEADER + REPLY_STREAM_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /** The channel an operator request's answers go to: its first var data. */
    public static String replyChannel(final DirectBuffer buffer, final int offset) {
        final int at = offset + HEADER + blockLength(buffer, offset);
        final int length = buffer.getInt(at, ByteOrder.LITTLE_ENDIAN);
        return buffer.getStringWithoutLengthAscii(at + 4, length);
    }

    /** Whether an operator answer is the last for its request. */
    public static boolean isLast(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + HEADER + LAST_OFFSET) == 1;
    }

    /**
     * The request as it goes on to the host it is for: the same fields, answered to this lbd under its own
     * correlation id.
     */
    public static byte[] forward(final DirectBuffer buffer, final int offset, final int length,
        final long correlationId, final String replyChannel, final int replyStreamId) {
        final int varAt = HEADER + blockLength(buffer, offset);
        final int oldChannel = buffer.getInt(offset + varAt, ByteOrder.LITTLE_ENDIAN);
        final byte[] channel = replyChannel.getBytes(StandardCharsets.US_ASCII);
        final int restAt = varAt + 4 + oldChannel;
        final byte[] message = new byte[varAt + 4 + channel.length + length - restAt];
        final UnsafeBuffer out = new UnsafeBuffer(message);
        out.putBytes(0, buffer, offset, varAt);
        out.putLong(HEADER, correlationId, ByteOrder.LITTLE_ENDIAN);
        out.putInt(HEADER + REPLY_STREAM_OFFSET, replyStreamId, ByteOrder.LITTLE_ENDIAN);
        out.putInt(varAt, channel.length, ByteOrder.LITTLE_ENDIAN);
        out.putBytes(varAt + 4, channel);
        out.putBytes(varAt + 4 + channel.length, buffer, offset + restAt, length - restAt);
        return message;
    }

    /** An answer relayed to the asker: the same message under the asker's correlation id. */
    public static byte[] relay(final DirectBuffer buffer, final int offset, final int length,
        final long correlationId) {
        final byte[] message = new byte[length];
        buffer.getBytes(offset, message);
        new UnsafeBuffer(message).putLong(HEADER, correlationId, ByteOrder.LITTLE_ENDIAN);
        return message;
    }

    private static int blockLength(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    // Requests (lbctl).

    public byte[] affinityList(final long correlationId, final int targetHostId, final String replyChannel,
        final int replyStreamId, final long fromSlot, final String rule, final String client) {
        affinityList.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).targetHostId(targetHostId)
            .replyStreamId(replyStreamId).fromSlot(fromSlot).replyChannel(replyChannel).rule(rule).client(client);
        return bytes(affinityList.encodedLength());
    }

    public byte[] affinityFlush(final long correlationId, final int targetHostId, final String replyChannel,
        final int replyStreamId, final String rule, final String client) {
        affinityFlush.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).targetHostId(targetHostId)
            .replyStreamId(replyStreamId).replyChannel(replyChannel).rule(rule).client(client);
        return bytes(affinityFlush.encodedLength());
    }

    public byte[] explainFlow(final long correlationId, final int targetHostId, final String replyChannel,
        final int replyStreamId, final int protocol, final String client, final int clientPort, final String vip,
        final int vipPort) {
        explainFlow.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).targetHostId(targetHostId)
            .replyStreamId(replyStreamId).protocol((short)protocol).clientPort(clientPort).vipPort(vipPort)
            .replyChannel(replyChannel).client(client).vip(vip);
        return bytes(explainFlow.encodedLength());
    }

    public byte[] captureStart(final long correlationId, final int targetHostId, final String replyChannel,
        final int replyStreamId, final CaptureVerdictCode verdicts, final long maxFrames, final int snapLength,
        final long durationMs, final String rule) {
        captureStart.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).targetHostId(targetHostId)
            .replyStreamId(replyStreamId).verdicts(verdicts).maxFrames(maxFrames).snapLength(snapLength)
            .durationMs(durationMs).replyChannel(replyChannel).rule(rule);
        return bytes(captureStart.encodedLength());
    }

    public byte[] captureStop(final long correlationId, final int targetHostId, final String replyChannel,
        final int replyStreamId) {
        captureStop.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).targetHostId(targetHostId)
            .replyStreamId(replyStreamId).replyChannel(replyChannel);
        return bytes(captureStop.encodedLength());
    }

    public byte[] errorsQuery(final long correlationId, final int targetHostId, final String replyChannel,
        final int replyStreamId) {
        errorsQuery.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).targetHostId(targetHostId)
            .replyStreamId(replyStreamId).replyChannel(replyChannel);
        return bytes(errorsQuery.encodedLength());
    }

    // Answers (lbd).

    public byte[] operatorAnswer(final long correlationId, final int hostId, final AnswerStatus status,
        final String detail) {
        operatorAnswer.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).hostId(hostId)
            .status(status).last(BooleanType.TRUE).detail(detail);
        return bytes(operatorAnswer.encodedLength());
    }

    public byte[] affinityPage(final long correlationId, final int hostId, final long viewEpoch,
        final List<StickyEntry> entries, final long nextSlot, final long tableSlots) {
        affinityPage.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).hostId(hostId)
            .status(AnswerStatus.OK).last(BooleanType.TRUE).nextSlot(nextSlot).tableSlots(tableSlots)
            .viewEpoch(viewEpoch);
        final AffinityPageEncoder.EntriesEncoder group = affinityPage.entriesCount(entries.size());
        for (final StickyEntry entry : entries) {
            group.next().ownerHostId(entry.ownerHostId()).foreign(bool(entry.foreign())).bucket(entry.bucket())
                .expiresInMs(entry.expiresInMs()).rule(entry.rule()).client(entry.client());
        }
        affinityPage.detail("");
        return bytes(affinityPage.encodedLength());
    }

    public byte[] flowExplanation(final long correlationId, final FlowReport report) {
        flowExplanation.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).hostId(report.hostId())
            .status(report.status()).last(BooleanType.TRUE).viewEpoch(report.viewEpoch()).isVip(bool(report.isVip()))
            .bucket(report.bucket()).bucketOwner(report.bucketOwner()).ownsBucket(bool(report.ownsBucket()))
            .bucketDirty(bool(report.bucketDirty())).connectionOwner(report.connectionOwner())
            .stickyOwner(report.stickyOwner()).stickyForeign(bool(report.stickyForeign()))
            .stickyExpiresInMs(report.stickyExpiresInMs())
            .rule(report.rule()).ruleState(report.ruleState()).filtering(report.filtering())
            .hostMode(report.hostMode()).connectionState(report.connectionState())
            .startVerdict(report.startVerdict()).startReason(report.startReason())
            .ongoingVerdict(report.ongoingVerdict()).ongoingReason(report.ongoingReason())
            .detail(report.detail());
        return bytes(flowExplanation.encodedLength());
    }

    public byte[] captureFrames(final long correlationId, final int hostId, final boolean last,
        final long framesMissed, final List<Frame> frames, final String detail) {
        captureFrames.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).hostId(hostId)
            .status(AnswerStatus.OK).last(bool(last)).framesMissed(framesMissed);
        final CaptureFramesEncoder.FramesEncoder group = captureFrames.framesCount(frames.size());
        for (final Frame frame : frames) {
            group.next().epochNs(frame.epochNs()).worker(frame.worker()).bucket(frame.bucket())
                .originalLength(frame.originalLength()).rule(frame.rule()).verdict(frame.verdict())
                .putBytes(frame.bytes(), 0, frame.bytes().length);
        }
        captureFrames.detail(detail);
        return bytes(captureFrames.encodedLength());
    }

    public byte[] errorList(final long correlationId, final int hostId, final boolean last,
        final List<ErrorEntry> errors) {
        errorList.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).hostId(hostId)
            .status(AnswerStatus.OK).last(bool(last));
        final ErrorListEncoder.ErrorsEncoder group = errorList.errorsCount(errors.size());
        for (final ErrorEntry error : errors) {
            group.next().occurrences(error.count()).firstMs(error.firstMs()).lastMs(error.lastMs())
                .source(error.source()).severity(error.severity()).message(error.message());
        }
        errorList.detail("");
        return bytes(errorList.encodedLength());
    }

    // Decoding (lbctl).

    /** The host and status of any operator answer, for one that is not of the expected kind (an error). */
    public static OperatorResult result(final MessageHeaderDecoder header, final DirectBuffer buffer,
        final int offset) {
        final int hostId = buffer.getShort(offset + HEADER + HOST_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final AnswerStatus status = AnswerStatus.get(buffer.getByte(offset + HEADER + STATUS_OFFSET));
        if (header.templateId() == OperatorAnswerDecoder.TEMPLATE_ID) {
            final OperatorAnswerDecoder decoder = new OperatorAnswerDecoder().wrapAndApplyHeader(buffer, offset,
                header);
            return new OperatorResult(hostId, status, decoder.detail());
        }
        return new OperatorResult(hostId, status, "");
    }

    public static AffinityPage affinityPage(final AffinityPageDecoder decoder) {
        final int hostId = decoder.hostId();
        final AnswerStatus status = decoder.status();
        final long nextSlot = decoder.nextSlot();
        final long tableSlots = decoder.tableSlots();
        final long viewEpoch = decoder.viewEpoch();
        final List<StickyEntry> entries = new ArrayList<>();
        for (final AffinityPageDecoder.EntriesDecoder entry : decoder.entries()) {
            final int owner = entry.ownerHostId();
            final boolean foreign = entry.foreign() == BooleanType.TRUE;
            final int bucket = entry.bucket();
            final long expires = entry.expiresInMs();
            final String rule = entry.rule();
            entries.add(new StickyEntry(rule, entry.client(), owner, foreign, bucket, expires));
        }
        return new AffinityPage(hostId, status, decoder.detail(), viewEpoch, entries, nextSlot,
            nextSlot >= tableSlots);
    }

    public static FlowReport flowReport(final FlowExplanationDecoder d) {
        final int hostId = d.hostId();
        final AnswerStatus status = d.status();
        final long viewEpoch = d.viewEpoch();
        final boolean isVip = d.isVip() == BooleanType.TRUE;
        final int bucket = d.bucket();
        final int bucketOwner = d.bucketOwner();
        final boolean owns = d.ownsBucket() == BooleanType.TRUE;
        final boolean dirty = d.bucketDirty() == BooleanType.TRUE;
        final int connectionOwner = d.connectionOwner();
        final int stickyOwner = d.stickyOwner();
        final boolean stickyForeign = d.stickyForeign() == BooleanType.TRUE;
        final long stickyExpires = d.stickyExpiresInMs();
        final String rule = d.rule();
        final String ruleState = d.ruleState();
        final String filtering = d.filtering();
        final String hostMode = d.hostMode();
        final String connectionState = d.connectionState();
        final String startVerdict = d.startVerdict();
        final String startReason = d.startReason();
        final String ongoingVerdict = d.ongoingVerdict();
        final String ongoingReason = d.ongoingReason();
        final String detail = d.detail();
        return new FlowReport(hostId, status, detail, viewEpoch, hostMode, isVip, rule, ruleState, filtering, bucket,
            bucketOwner, owns, dirty, connectionOwner, connectionState, stickyOwner, stickyForeign, stickyExpires,
            startVerdict, startReason, ongoingVerdict, ongoingReason);
    }

    public static FramesMessage framesMessage(final CaptureFramesDecoder d) {
        final int hostId = d.hostId();
        final AnswerStatus status = d.status();
        final boolean last = d.last() == BooleanType.TRUE;
        final long missed = d.framesMissed();
        final List<Frame> frames = new ArrayList<>();
        for (final CaptureFramesDecoder.FramesDecoder frame : d.frames()) {
            final long epochNs = frame.epochNs();
            final int worker = frame.worker();
            final int bucket = frame.bucket();
            final int originalLength = frame.originalLength();
            final String rule = frame.rule();
            final String verdict = frame.verdict();
            final byte[] bytes = new byte[frame.bytesLength()];
            frame.getBytes(bytes, 0, bytes.length);
            frames.add(new Frame(epochNs, worker, rule, verdict, bucket, originalLength, bytes));
        }
        return new FramesMessage(hostId, status, last, missed, frames, d.detail());
    }

    public static ErrorsMessage errorsMessage(final ErrorListDecoder d) {
        final int hostId = d.hostId();
        final AnswerStatus status = d.status();
        final boolean last = d.last() == BooleanType.TRUE;
        final List<ErrorEntry> errors = new ArrayList<>();
        for (final ErrorListDecoder.ErrorsDecoder error : d.errors()) {
            final long count = error.occurrences();
            final long first = error.firstMs();
            final long lastMs = error.lastMs();
            final String source = error.source();
            final String severity = error.severity();
            errors.add(new ErrorEntry(source, severity, error.message(), count, first, lastMs));
        }
        return new ErrorsMessage(hostId, status, last, errors, d.detail());
    }

    private static BooleanType bool(final boolean value) {
        return value ? BooleanType.TRUE : BooleanType.FALSE;
    }

    private byte[] bytes(final int bodyLength) {
        final byte[] message = new byte[HEADER + bodyLength];
        buffer.getBytes(0, message);
        return message;
    }
}
