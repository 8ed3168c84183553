package lb.dataplane.api;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import lb.dataplane.api.sbe.AckDecoder;
import lb.dataplane.api.sbe.DataplaneStatusDecoder;
import lb.dataplane.api.sbe.MessageHeaderDecoder;
import lb.dataplane.api.sbe.StickyClientsDecoder;
import org.agrona.DirectBuffer;

/**
 * lbd's side of the events stream: polls the dataplane's answers, reassembles those that span several fragments
 * (large StickyClients chunks), decodes them and calls a {@link DataplaneEventsListener}. Messages this build cannot
 * read are counted and skipped by a {@link MessageScreen}. Only one thread may poll.
 */
public final class DataplaneEventsAdapter implements FragmentHandler {
    private final Subscription subscription;
    private final DataplaneEventsListener listener;
    private final MessageScreen screen;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final AckDecoder ack = new AckDecoder();
    private final StickyClientsDecoder stickyClients = new StickyClientsDecoder();
    private final DataplaneStatusDecoder status = new DataplaneStatusDecoder();
    private final lb.dataplane.api.sbe.StickyClientPageDecoder stickyClientPage =
        new lb.dataplane.api.sbe.StickyClientPageDecoder();
    private final lb.dataplane.api.sbe.ExplanationDecoder explanation = new lb.dataplane.api.sbe.ExplanationDecoder();
    private final lb.dataplane.api.sbe.CapturedFramesDecoder capturedFrames =
        new lb.dataplane.api.sbe.CapturedFramesDecoder();

    /**
     * @param subscription the events stream (see {@link ControlChannels}); the caller owns it.
     * @param listener     told each message.
     * @param screen       counts and reports what cannot be read.
     */
    public DataplaneEventsAdapter(final Subscription subscription, final DataplaneEventsListener listener,
        final MessageScreen screen) {
        this.subscription = subscription;
        this.listener = listener;
        this.screen = screen;
    }

    /**
     * @param fragmentLimit most fragments to read.
     * @return fragments read, the work count for the duty cycle.
     */
    public int poll(final int fragmentLimit) {
        return subscription.poll(assembler, fragmentLimit);
    }

    /**
     * Decodes one whole message; the assembler calls it, and tests may.
     */
    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader) {
        if (!screen.accept(header, buffer, offset, length)) {
            return;
        }
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId()) {
            case AckDecoder.TEMPLATE_ID -> {
                ack.wrap(buffer, bodyOffset, blockLength, version);
                listener.onAck(ack.correlationId(), ack.incarnation(), ack.status(), ack.detail());
            }
            case StickyClientsDecoder.TEMPLATE_ID -> listener.onStickyClients(
                stickyClients.wrap(buffer, bodyOffset, blockLength, version));
            case DataplaneStatusDecoder.TEMPLATE_ID -> listener.onDataplaneStatus(
                status.wrap(buffer, bodyOffset, blockLength, version));
            case lb.dataplane.api.sbe.StickyClientPageDecoder.TEMPLATE_ID -> listener.onStickyClientPage(
                stickyClientPage.wrap(buffer, bodyOffset, blockLength, version));
            case lb.dataplane.api.sbe.ExplanationDecoder.TEMPLATE_ID -> listener.onExplanation(
                explanation.wrap(buffer, bodyOffset, blockLength, version));
            case lb.dataplane.api.sbe.CapturedFramesDecoder.TEMPLATE_ID -> listener.onCapturedFrames(
                capturedFrames.wrap(buffer, bodyOffset, blockLength, version));
            default -> screen.unknownTemplate(header.templateId());
        }
    }
}
