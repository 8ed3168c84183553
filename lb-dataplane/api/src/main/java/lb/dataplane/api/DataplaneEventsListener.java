package lb.dataplane.api;

import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.DataplaneStatusDecoder;
import lb.dataplane.api.sbe.StickyClientsDecoder;

/**
 * What lbd does with each message from its dataplane, as decoded by {@link DataplaneEventsAdapter}. Decoders passed
 * in are views of the received message, valid only during the call.
 */
public interface DataplaneEventsListener {
    /**
     * @param correlationId the request's.
     * @param incarnation   the dataplane's incarnation.
     * @param status        the request's outcome ({@code SBE_UNKNOWN} from a newer dataplane).
     * @param detail        why, for people; empty (and not allocated) when OK.
     */
    void onAck(long correlationId, long incarnation, AckStatus status, String detail);

    /**
     * @param chunk one chunk of an export, positioned after its fixed fields: iterate {@code entries()} once.
     */
    void onStickyClients(StickyClientsDecoder chunk);

    /**
     * @param status the periodic status, positioned after its fixed fields; {@link StatusReport#decode} copies it.
     */
    void onDataplaneStatus(DataplaneStatusDecoder status);

    /**
     * A page of the affinity table (since version 3); ignored unless the listener asked for one.
     *
     * @param page positioned after its fixed fields: iterate {@code entries()} once.
     */
    default void onStickyClientPage(lb.dataplane.api.sbe.StickyClientPageDecoder page) {
    }

    /**
     * How the dataplane decides a flow (since version 3); ignored unless the listener asked.
     *
     * @param explanation positioned after its fixed fields: read its var data in schema order.
     */
    default void onExplanation(lb.dataplane.api.sbe.ExplanationDecoder explanation) {
    }

    /**
     * Frames of a running capture (since version 3); ignored unless the listener started one.
     *
     * @param frames positioned after its fixed fields: iterate {@code frames()} once, then read {@code endReason}.
     */
    default void onCapturedFrames(lb.dataplane.api.sbe.CapturedFramesDecoder frames) {
    }
}
