package lb.dataplane.control;

import java.util.ArrayList;
import java.util.List;

import lb.dataplane.api.DataplaneEventsListener;
import lb.dataplane.api.StatusReport;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.BooleanType;
import lb.dataplane.api.sbe.DataplaneStatusDecoder;
import lb.dataplane.api.sbe.StickyClientsDecoder;
import lb.dataplane.control.RecordingControlListener.Entry;

/**
 * Copies every answer it is told into plain records (statuses into {@link StatusReport}s), as lbd would keep them.
 */
final class RecordingEventsListener implements DataplaneEventsListener {
    record Ack(long correlationId, long incarnation, AckStatus status, String detail) {
    }

    record Chunk(long correlationId, long incarnation, int ruleIndex, long chunkIndex, boolean last,
        List<Entry> entries) {
    }

    final List<Object> received = new ArrayList<>();

    @Override
    public void onAck(final long correlationId, final long incarnation, final AckStatus status, final String detail) {
        received.add(new Ack(correlationId, incarnation, status, detail));
    }

    @Override
    public void onStickyClients(final StickyClientsDecoder chunk) {
        final long correlationId = chunk.correlationId();
        final long incarnation = chunk.incarnation();
        final List<Entry> entries = new ArrayList<>();
        for (final StickyClientsDecoder.EntriesDecoder entry : chunk.entries()) {
            entries.add(new Entry(RecordingControlListener.vip(entry.client()), entry.ownerHostId(),
                entry.expiresInMs()));
        }
        received.add(new Chunk(correlationId, incarnation, chunk.ruleIndex(), chunk.chunkIndex(),
            chunk.last() == BooleanType.TRUE, entries));
    }

    @Override
    public void onDataplaneStatus(final DataplaneStatusDecoder status) {
        received.add(new StatusReport().decode(status));
    }

    List<Chunk> chunks() {
        return received.stream().filter(Chunk.class::isInstance).map(Chunk.class::cast).toList();
    }
}
