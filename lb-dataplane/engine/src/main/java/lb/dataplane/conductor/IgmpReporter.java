package lb.dataplane.conductor;

import java.util.function.ToIntFunction;

import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewHolder;

/**
 * IGMP multicast mode: reports membership of the cluster's group (239.255.c.d, whose MAC is the cluster
 * MAC) on start and then every {@link #INTERVAL_MS}, as long as the view lets this host answer for a
 * VIP, so that switches keep forwarding the cluster's traffic to this port. Silent in other modes.
 */
public final class IgmpReporter implements ConductorDuty {
    /** Below the usual querier's 125 s query interval plus 10 s response time, so membership never lapses. */
    public static final long INTERVAL_MS = 60_000;

    private final ToIntFunction<DataplaneView> sender;
    private final ViewHolder views;
    private long dueMs;
    private long reportsSent;

    /**
     * @param sender sends one report for the view's group and returns the frames sent.
     * @param views  the views the workers use.
     * @param nowMs  now: the first report is due at once.
     */
    public IgmpReporter(final ToIntFunction<DataplaneView> sender, final ViewHolder views, final long nowMs) {
        this.sender = sender;
        this.views = views;
        this.dueMs = nowMs;
    }

    @Override
    public int doWork(final long nowMs) {
        return doWork(nowMs, views.current());
    }

    @Override
    public String roleName() {
        return "igmp";
    }

    /**
     * @param nowMs now.
     * @param view  the current view.
     * @return reports sent.
     */
    public int doWork(final long nowMs, final DataplaneView view) {
        if (view.igmpGroup() == 0 || nowMs - dueMs < 0) {
            return 0;
        }
        dueMs = nowMs + INTERVAL_MS;
        for (int vip = 0; vip < view.vipCount(); vip++) {
            if (view.mayAnswerFor(vip)) {
                final int sent = sender.applyAsInt(view);
                reportsSent += sent;
                return sent;
            }
        }
        return 0;
    }

    /**
     * @return reports sent so far.
     */
    public long reportsSent() {
        return reportsSent;
    }
}
