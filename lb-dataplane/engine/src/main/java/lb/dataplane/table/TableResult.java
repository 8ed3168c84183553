package lb.dataplane.table;

/**
 * What a table operation returns: a handle (never negative) naming one entry, or one of these negative codes.
 * <p>
 * A worker turns the codes into its own counters (one writer per counter, as Aeron's are) rather than the table
 * counting them in shared words that every worker would contend on:
 * <pre>{@code
 * final long handle = connections.insert(...);
 * if (handle >= 0) { if (TableResult.isCreated(handle)) counters.inserts++; }
 * else if (handle == TableResult.PROBE_LIMIT) counters.insertProbeLimit++;   // then hash statelessly
 * }</pre>
 */
public final class TableResult {
    /** No entry for the key, or the handle's entry is gone. */
    public static final long NOT_FOUND = -1;
    /** Insert failed: every slot of the key's probe window is taken. The caller falls back to stateless hashing. */
    public static final long PROBE_LIMIT = -2;
    /** Insert failed: the half-open (SYN_SEEN) limit is reached. The caller falls back to stateless hashing. */
    public static final long HALF_OPEN_LIMIT = -3;
    /**
     * Insert gave up after a bounded number of rounds lost to concurrent inserters of keys in the same window;
     * practically never seen, and handled like {@link #PROBE_LIMIT}.
     */
    public static final long CONTENDED = -4;

    private TableResult() {
    }

    /**
     * @param handle a handle returned by an insert.
     * @return whether that insert created the entry (rather than finding one).
     */
    public static boolean isCreated(final long handle) {
        return handle >= 0 && (handle & TableDescriptor.CREATED_BIT) != 0;
    }
}
