package lb.control.convergence;

/**
 * A host as leader election sees it, from its latest heartbeat (or from this host's own state).
 *
 * @param hostId        the host id.
 * @param priority      its host priority; the lowest eligible one leads.
 * @param participating started, dataplane up, not refused: it may own buckets.
 * @param listening     just started, resumed or fenced: it may be given buckets but may not lead yet.
 * @param leading       its heartbeat carries the view it leads.
 */
public record Candidate(int hostId, int priority, boolean participating, boolean listening, boolean leading) {
    /** Whether it may lead: participating and done listening. */
    public boolean eligible() {
        return participating && !listening;
    }
}
