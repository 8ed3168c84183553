package lb.dataplane.control;

import io.aeron.Publication;
import lb.dataplane.api.Addresses;
import lb.dataplane.api.ClientEntries;
import lb.dataplane.api.Offers;
import lb.dataplane.api.StatusReport;
import lb.dataplane.api.sbe.AckEncoder;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.BooleanType;
import lb.dataplane.api.sbe.DataplaneStatusEncoder;
import lb.dataplane.api.sbe.MessageHeaderEncoder;
import lb.dataplane.api.sbe.StickyClientsEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The dataplane's side of the events stream: encodes Ack, StickyClients and DataplaneStatus for lbd and offers each
 * once, stamped with the dataplane's incarnation.
 *
 * <p>Every send returns what {@link Publication#offer} returned, or {@link Offers#MESSAGE_TOO_LARGE}; the conductor
 * retries what {@link Offers#isRetryable} allows on a later duty cycle. Allocates nothing except the bytes of a
 * non-empty Ack detail. Only the conductor's thread may send.
 */
public final class DataplaneEventsProxy {
    private static final int INITIAL_CAPACITY = 4096;

    private final Publication publication;
    private final long incarnation;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(INITIAL_CAPACITY);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final AckEncoder ack = new AckEncoder();
    private final StickyClientsEncoder stickyClients = new StickyClientsEncoder();
    private final DataplaneStatusEncoder status = new DataplaneStatusEncoder();

    /**
     * @param publication the events stream (see {@link lb.dataplane.api.ControlChannels}); the caller owns it.
     * @param incarnation this dataplane's incarnation: differs each time it starts (e.g. its start time in epoch
     *                    milliseconds), so lbd can tell a restarted dataplane that needs its config and view again.
     */
    public DataplaneEventsProxy(final Publication publication, final long incarnation) {
        this.publication = publication;
        this.incarnation = incarnation;
    }

    /**
     * @param correlationId the request's.
     * @param status        its outcome.
     * @param detail        why, for people; empty when OK (then nothing is allocated).
     * @return the offer's result.
     */
    public long ack(final long correlationId, final AckStatus status, final String detail) {
        ack.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .status(status)
            .detail(detail);
        return offer(ack.encodedLength());
    }

    /**
     * Sends one chunk of an export.
     *
     * @param correlationId the ExportStickyClients request's.
     * @param ruleIndex     the rule exported.
     * @param chunkIndex    0 for the first chunk, then 1, 2...
     * @param last          true on the export's final chunk (which may be empty).
     * @param entries       the clients.
     * @param from          first entry to send.
     * @param count         entries to send, at most {@link #maxEntriesPerMessage()}.
     * @return the offer's result; {@link Offers#MESSAGE_TOO_LARGE} when count is too many for one message.
     */
    public long stickyClients(final long correlationId, final int ruleIndex, final int chunkIndex, final boolean last,
        final ClientEntries entries, final int from, final int count) {
        if (from < 0 || count < 0 || from + count > entries.size()) {
            throw new IndexOutOfBoundsException("entries " + from + ".." + (from + count) + " of " + entries.size());
        }
        if (count > maxEntriesPerMessage()) {
            return Offers.MESSAGE_TOO_LARGE;
        }
        stickyClients.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .chunkIndex(chunkIndex)
            .ruleIndex(ruleIndex)
            .last(last ? BooleanType.TRUE : BooleanType.FALSE);
        final StickyClientsEncoder.EntriesEncoder group = stickyClients.entriesCount(count);
        for (int i = from; i < from + count; i++) {
            group.next();
            Addresses.put(group.client(), entries.version(i), entries.high(i), entries.low(i));
            group.expiresInMs(entries.expiresInMs(i)).ownerHostId(entries.owner(i));
        }
        return offer(stickyClients.encodedLength());
    }

    /**
     * @param report the dataplane's current status.
     * @return the offer's result.
     */
    public long dataplaneStatus(final StatusReport report) {
        report.encode(status.wrapAndApplyHeader(buffer, 0, header).incarnation(incarnation));
        return offer(status.encodedLength());
    }

    /**
     * @return most entries one StickyClients chunk can carry on this publication.
     */
    public int maxEntriesPerMessage() {
        final int room = publication.maxMessageLength() - MessageHeaderEncoder.ENCODED_LENGTH -
            StickyClientsEncoder.BLOCK_LENGTH - StickyClientsEncoder.EntriesEncoder.sbeHeaderSize();
        return Math.min(room / StickyClientsEncoder.EntriesEncoder.sbeBlockLength(),
            StickyClientsEncoder.EntriesEncoder.countMaxValue());
    }

    /**
     * Offers an answer its sender encoded (the operator's answers: StickyClientPage, Explanation, CapturedFrames),
     * stamped with {@link #incarnation()} by that sender.
     *
     * @param message a whole message, header first.
     * @param length  its length.
     * @return the offer's result; {@link Offers#MESSAGE_TOO_LARGE} when it exceeds one message.
     */
    public long offer(final DirectBuffer message, final int length) {
        if (length > publication.maxMessageLength()) {
            return Offers.MESSAGE_TOO_LARGE;
        }
        return publication.offer(message, 0, length);
    }

    /**
     * @return the largest message the events stream carries.
     */
    public int maxMessageLength() {
        return publication.maxMessageLength();
    }

    /**
     * @return this dataplane's incarnation, stamped on every answer.
     */
    public long incarnation() {
        return incarnation;
    }

    private long offer(final int bodyLength) {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        if (length > publication.maxMessageLength()) {
            return Offers.MESSAGE_TOO_LARGE;
        }
        return publication.offer(buffer, 0, length);
    }
}
