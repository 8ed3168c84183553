package lb.dataplane.control;

import lb.dataplane.api.ClientEntries;
import lb.dataplane.api.Offers;

/**
 * Answers one ExportStickyClients as a series of StickyClients chunks, each as large as one message allows, the
 * final one flagged last. It works a step per duty cycle and keeps a chunk that met back pressure to send it again,
 * so a large export never blocks the conductor. Reusable: one instance serves one export at a time.
 */
public final class StickyClientsExport {
    /**
     * A resumable walk over the clients to export (those of the requested rule and buckets).
     */
    @FunctionalInterface
    public interface Scan {
        /**
         * Adds the next clients to a chunk, never beyond its capacity, as many as this step may visit.
         *
         * @param chunk where to add them.
         * @return true once the walk has covered everything.
         */
        boolean fill(ClientEntries chunk);
    }

    private final DataplaneEventsProxy events;
    private final ClientEntries chunk;
    private Scan scan;
    private long correlationId;
    private int ruleIndex;
    private int chunkIndex;
    private boolean scanEnded;
    private long lastResult;

    /**
     * @param events where chunks go; its publication fixes the chunk size.
     */
    public StickyClientsExport(final DataplaneEventsProxy events) {
        this.events = events;
        this.chunk = new ClientEntries(events.maxEntriesPerMessage());
    }

    /**
     * Begins an export; the previous one must have ended.
     *
     * @param correlationId the request's, echoed in every chunk.
     * @param ruleIndex     the rule exported.
     * @param scan          the clients to export.
     * @throws IllegalStateException while another export is active (the conductor acks REJECTED_BUSY instead).
     */
    public void start(final long correlationId, final int ruleIndex, final Scan scan) {
        if (isActive()) {
            throw new IllegalStateException("export " + this.correlationId + " is still active");
        }
        this.scan = scan;
        this.correlationId = correlationId;
        this.ruleIndex = ruleIndex;
        chunkIndex = 0;
        scanEnded = false;
        lastResult = 0;
        chunk.clear();
    }

    /**
     * Fills the current chunk and, once it is full or the scan has ended, offers it.
     *
     * @return work done: 1 when it scanned or sent, else 0.
     */
    public int doWork() {
        if (scan == null) {
            return 0;
        }
        if (!scanEnded && !chunk.isFull()) {
            scanEnded = scan.fill(chunk);
            if (!scanEnded && !chunk.isFull()) {
                return 1;
            }
        }
        lastResult = events.stickyClients(correlationId, ruleIndex, chunkIndex, scanEnded, chunk, 0, chunk.size());
        if (Offers.isSent(lastResult)) {
            chunk.clear();
            chunkIndex++;
            if (scanEnded) {
                scan = null;
            }
            return 1;
        }
        if (!Offers.isRetryable(lastResult)) {
            scan = null;
        }
        return 0;
    }

    /**
     * Drops the export, e.g. when a newer lbd incarnation appears; lbd sees no last chunk for it.
     */
    public void cancel() {
        scan = null;
    }

    /**
     * @return true from {@link #start} until the last chunk is sent, the export is cancelled or sending fails for
     *     good.
     */
    public boolean isActive() {
        return scan != null;
    }

    /**
     * @return the correlation id of the current or latest export.
     */
    public long correlationId() {
        return correlationId;
    }

    /**
     * @return the result of the latest offer, to tell why an export ended early ({@link Offers#describe}).
     */
    public long lastResult() {
        return lastResult;
    }
}
