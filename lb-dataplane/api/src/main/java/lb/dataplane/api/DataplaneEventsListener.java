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
}
