package lb.dataplane.conductor;

/**
 * Paces the expiry sweep of a table: a whole pass every {@link #PASS_MS}, spread evenly over the
 * conductor's duty cycles in proportion to the time that passed, instead of a fixed number of slots per
 * cycle (which swept a large table many times a second and kept the conductor's core busy). Entries
 * time out after seconds to hours, so expiring them within a second of their deadline is exact enough.
 */
public final class TableSweeper {
    /** Time for one whole pass over a table. */
    public static final long PASS_MS = 1000;

    /** The table's sweep: visits up to {@code limit} slots from where it stopped, returns entries expired. */
    @FunctionalInterface
    public interface Sweep {
        int sweep(long nowMs, int limit);
    }

    private final Sweep sweep;
    private final long capacity;
    private long lastMs;

    /**
     * @param sweep    the table's sweep.
     * @param capacity the table's slots.
     * @param nowMs    now.
     */
    public TableSweeper(final Sweep sweep, final int capacity, final long nowMs) {
        this.sweep = sweep;
        this.capacity = capacity;
        this.lastMs = nowMs;
    }

    /**
     * Sweeps the slots due since the last call.
     *
     * @param nowMs now.
     * @return entries expired.
     */
    public int doWork(final long nowMs) {
        final long elapsed = nowMs - lastMs;
        if (elapsed <= 0) {
            return 0;
        }
        lastMs = nowMs;
        return sweep.sweep(nowMs, (int)Math.min(capacity, capacity * elapsed / PASS_MS + 1));
    }
}
