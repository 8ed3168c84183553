package lb.control.admin;

import java.util.List;

import lb.control.admin.sbe.AffinityListDecoder;
import lb.control.admin.sbe.AffinityPageDecoder;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an lbd does with an operator request for another host and with that host's answers: forward and relay them
 * unread, by the common start every such message has.
 */
class OperatorCodecTest {
    private final OperatorCodec codec = new OperatorCodec();

    @Test
    void shouldForwardARequestWithTheForwardersCorrelationAndReplyChannelAndEveryOtherFieldIntact() {
        final byte[] request = codec.affinityList(77, 2, "aeron:ipc", 123_456, 4096, "10.0.0.100:80/tcp",
            "10.1.0.3");
        final UnsafeBuffer original = new UnsafeBuffer(request);
        assertEquals(77, OperatorCodec.correlationId(original, 0));
        assertEquals(2, OperatorCodec.targetHostId(original, 0));
        assertEquals(123_456, OperatorCodec.replyStreamId(original, 0));
        assertEquals("aeron:ipc", OperatorCodec.replyChannel(original, 0));

        final byte[] forwarded = OperatorCodec.forward(original, 0, request.length, 9, "aeron:udp?endpoint=" +
            "127.0.0.1:17521", 3002);
        final UnsafeBuffer buffer = new UnsafeBuffer(forwarded);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final AffinityListDecoder decoder = new AffinityListDecoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals(9, decoder.correlationId());
        assertEquals(2, decoder.targetHostId());
        assertEquals(3002, decoder.replyStreamId());
        assertEquals(4096, decoder.fromSlot());
        assertEquals("aeron:udp?endpoint=127.0.0.1:17521", decoder.replyChannel());
        assertEquals("10.0.0.100:80/tcp", decoder.rule());
        assertEquals("10.1.0.3", decoder.client());
    }

    @Test
    void shouldRelayAnAnswerUnderTheAskersCorrelationAndTellTheLastOne() {
        final byte[] page = codec.affinityPage(9, 2, 5, List.of(new OperatorCodec.StickyEntry("10.0.0.100:80/tcp",
            "10.1.0.3", 1, true, 17, 1_000)), 4096, 4096);
        final byte[] relayed = OperatorCodec.relay(new UnsafeBuffer(page), 0, page.length, 77);
        final UnsafeBuffer buffer = new UnsafeBuffer(relayed);
        assertTrue(OperatorCodec.isAnswer(new MessageHeaderDecoder().wrap(buffer, 0).templateId()));
        assertTrue(OperatorCodec.isLast(buffer, 0));
        final OperatorCodec.AffinityPage decoded = OperatorCodec.affinityPage(new AffinityPageDecoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder()));
        assertEquals(2, decoded.hostId());
        assertTrue(decoded.done());
        assertEquals(new OperatorCodec.StickyEntry("10.0.0.100:80/tcp", "10.1.0.3", 1, true, 17, 1_000),
            decoded.entries().getFirst());
        assertEquals(77, OperatorCodec.correlationId(buffer, 0));

        final byte[] more = codec.captureFrames(9, 2, false, 0, List.of(), "");
        assertFalse(OperatorCodec.isLast(new UnsafeBuffer(more), 0));
    }

    @Test
    void shouldReadTheStatusOfAnyAnswerThatIsNotTheKindAsked() {
        final byte[] refusal = codec.operatorAnswer(5, 3, AnswerStatus.INVALID, "--rule x: valid: [...]");
        final UnsafeBuffer buffer = new UnsafeBuffer(refusal);
        final OperatorCodec.OperatorResult result = OperatorCodec.result(new MessageHeaderDecoder().wrap(buffer, 0),
            buffer, 0);
        assertEquals(new OperatorCodec.OperatorResult(3, AnswerStatus.INVALID, "--rule x: valid: [...]"), result);
    }
}
