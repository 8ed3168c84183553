package lb.dataplane.view;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where the conductor publishes the current {@link DataplaneView} (one volatile write) and where each
 * worker reads it once per duty cycle and records the view version it is using.
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
    private static final java.lang.invoke.VarHandle CAPTURE;
    @SuppressWarnings("unused")
    private lb.dataplane.worker.CaptureTap capture;

    static {
        try {
            CAPTURE = java.lang.invoke.MethodHandles.lookup().findVarHandle(ViewHolder.class, "capture",
                lb.dataplane.worker.CaptureTap.class);
        } catch (final ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

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
     * @param view the new view; its version must be greater than the current one's.
     * @throws IllegalArgumentException when the version does not grow.
     */
    public void publish(final DataplaneView view) {
        if (view.version() <= current.version()) {
            throw new IllegalArgumentException("view version " + view.version() + " is not after the current " +
                current.version());
        }
        current = view;
    }

    /**
     * The running capture, read by each worker once per burst from the cluster network: an opaque read, a plain load
     * on x86 that the JIT may not hoist out of the duty-cycle loop.
     *
     * @return the capture, or null while none runs (nearly always).
     */
    public lb.dataplane.worker.CaptureTap capture() {
        return (lb.dataplane.worker.CaptureTap)CAPTURE.getOpaque(this);
    }

    /**
     * Starts (a tap) or ends (null) a capture. Conductor only. Workers see it within a burst or two; one may still
     * write a burst into a tap after it ended, which the tap's heap memory makes harmless.
     */
    public void capture(final lb.dataplane.worker.CaptureTap tap) {
        CAPTURE.setRelease(this, tap);
    }

    /**
     * Worker {@code worker} is deciding packets with the view of this version.
     *
     * @param worker  worker index.
     * @param version version of the view it read.
     */
    public void observe(final int worker, final long version) {
        final int index = (worker + 1) * STRIDE;
        if (observed.getPlain(index) != version) {
            observed.setRelease(index, version);
        }
    }

    /**
     * @param version a view version.
     * @return true when every worker has started a duty cycle with this view or a later one.
     */
    public boolean observedByAll(final long version) {
        for (int w = 0; w < workers; w++) {
            if (observed.getAcquire((w + 1) * STRIDE) < version) {
                return false;
            }
        }
        return true;
    }
}
