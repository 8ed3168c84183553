package lb.dataplane.conductor;

import java.util.ArrayList;
import java.util.List;

import lb.dataplane.config.IpAddress;
import lb.dataplane.view.DataplaneView;

/**
 * Gratuitous announcements of VIPs this host has gained: a number of rounds, spaced in time, each round
 * a gratuitous ARP request and reply (IPv4) or an unsolicited neighbor advertisement (IPv6).
 *
 * <p>The stale-ARP rule: every round checks the current view at the moment it is sent, on the thread
 * that publishes views, so nothing can change between the check and the send. A VIP the view no
 * longer lets this host answer for is dropped from the schedule and never announced again.
 */
public final class VipAnnouncer {
    /** Sends one round of announcements for a VIP on the cluster network. */
    @FunctionalInterface
    public interface Sender {
        /**
         * @param view the current view (it allows the VIP).
         * @param vip  the VIP.
         * @return frames sent.
         */
        int announce(DataplaneView view, IpAddress vip);
    }

    private static final class Schedule {
        final IpAddress vip;
        int remaining;
        final long spacingMs;
        long dueMs;

        Schedule(final IpAddress vip, final int remaining, final long spacingMs, final long dueMs) {
            this.vip = vip;
            this.remaining = remaining;
            this.spacingMs = spacingMs;
            this.dueMs = dueMs;
        }
    }

    private final Sender sender;
    private final List<Schedule> schedules = new ArrayList<>();
    private long framesSent;
    private long roundsSuppressed;

    /**
     * @param sender sends a round.
     */
    public VipAnnouncer(final Sender sender) {
        this.sender = sender;
    }

    /**
     * Schedules {@code count} rounds, the first now, then every {@code spacingMs}; replaces any schedule
     * the VIP had (a re-announcement after a split brain starts over).
     *
     * @param vip       the VIP.
     * @param count     rounds.
     * @param spacingMs milliseconds between rounds.
     * @param nowMs     now.
     */
    public void announce(final IpAddress vip, final int count, final long spacingMs, final long nowMs) {
        withdraw(vip);
        if (count > 0) {
            schedules.add(new Schedule(vip, count, spacingMs, nowMs));
        }
    }

    /**
     * Forgets the VIP's remaining rounds.
     *
     * @param vip the VIP.
     */
    public void withdraw(final IpAddress vip) {
        schedules.removeIf(s -> s.vip.equals(vip));
    }

    /**
     * Sends the rounds that are due and the view still allows.
     *
     * @param nowMs now.
     * @param view  the current view.
     * @return rounds sent or dropped.
     */
    public int doWork(final long nowMs, final DataplaneView view) {
        int work = 0;
        for (int i = schedules.size() - 1; i >= 0; i--) {
            final Schedule schedule = schedules.get(i);
            if (nowMs - schedule.dueMs < 0) {
                continue;
            }
            work++;
            final int vip = view.vipIndex(schedule.vip.hi(), schedule.vip.lo());
            if (vip < 0 || !view.mayAnswerFor(vip)) {
                roundsSuppressed++;
                schedules.remove(i);
                continue;
            }
            framesSent += sender.announce(view, schedule.vip);
            if (--schedule.remaining == 0) {
                schedules.remove(i);
            } else {
                schedule.dueMs = nowMs + schedule.spacingMs;
            }
        }
        return work;
    }

    /**
     * @param vip a VIP.
     * @return rounds still to send for it.
     */
    public int roundsDue(final IpAddress vip) {
        for (final Schedule schedule : schedules) {
            if (schedule.vip.equals(vip)) {
                return schedule.remaining;
            }
        }
        return 0;
    }

    /**
     * @return announcement frames sent so far.
     */
    public long framesSent() {
        return framesSent;
    }

    /**
     * @return rounds dropped because the view no longer allowed their VIP.
     */
    public long roundsSuppressed() {
        return roundsSuppressed;
    }
}
