package lb.dataplane.view;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where the conductor publishes the current {@link DataplaneView} (one volatile write) and where each
 * worker reads it once per burst and records the epoch it is using.
 *
 * <p>The recorded epochs let the conductor know when a view has taken effect everywhere: after it
 * publishes a view that withdraws a VIP, no worker can still answer for it once every worker has
 * observed that view (a worker reads the view at the start of a burst and uses that one read for the
 * whole burst). A worker that has not observed a later epoch may still be sending with the old view.
 */
public final class ViewHolder {
    /** Longs between two workers' slots: one per 128 bytes, so no two share a cache line (or its pair). */
    private static final int STRIDE = 16;

    private final AtomicLongArray observed;
    private final int workers;
    private volatile DataplaneView current;

    /**
     * @param initial the first view.
     * @param workers number of workers that will read it.
     */
    public ViewHolder(final DataplaneView initial, final int workers) {
        this.current = initial;
        this.workers = workers;
        this.observed = new AtomicLongArray((workers + 1) * STRIDE);
        for (int w = 0; w < workers; w++) {
            observed.set((w + 1) * STRIDE, Long.MIN_VALUE);
        }
    }

    /**
     * @return the current view (a volatile read: once per burst on the packet path).
     */
    public DataplaneView current() {
        return current;
    }

    /**
     * Replaces the view. Conductor only.
     *
     * @param view the new view; its epoch must be greater than the current one's.
     * @throws IllegalArgumentException when the epoch does not grow.
     */
    public void publish(final DataplaneView view) {
        if (view.epoch() <= current.epoch()) {
            throw new IllegalArgumentException("view epoch " + view.epoch() + " is not after the current " +
                current.epoch());
        }
        current = view;
    }

    /**
     * Worker {@code worker} is deciding packets with the view of {@code epoch}.
     *
     * @param worker worker index.
     * @param epoch  epoch of the view it read.
     */
    public void observe(final int worker, final long epoch) {
        final int index = (worker + 1) * STRIDE;
        if (observed.getPlain(index) != epoch) {
            observed.setRelease(index, epoch);
        }
    }

    /**
     * @param epoch an epoch.
     * @return true when every worker has started a burst with a view of this epoch or later.
     */
    public boolean observedByAll(final long epoch) {
        for (int w = 0; w < workers; w++) {
            if (observed.getAcquire((w + 1) * STRIDE) < epoch) {
                return false;
            }
        }
        return true;
    }
}
