package lb.control.convergence;

import java.util.Collection;

/**
 * Which host a host follows: the rule every host applies alike to the heartbeats it hears, so that in a connected
 * cluster all follow one leader, the eligible host with the lowest host priority.
 *
 * <p>A host leads when it is eligible and no eligible host of lower priority that it hears claims to lead. Otherwise it
 * follows the lowest-priority host it hears that claims to lead (of lower priority than itself when it is eligible, so
 * that two eligible hosts never follow each other), or nobody. A host that has no view of its own yet does not lead
 * while a lower-priority participant it hears is still listening: that one will be eligible within one detection
 * window, and waiting for it keeps hosts started together from forming a cluster each.
 */
public final class LeaderElection {
    /** No leader. */
    public static final int NONE = 0;

    private LeaderElection() {
    }

    /**
     * The host id this host follows, its own when it leads, or {@link #NONE}.
     *
     * @param self       this host.
     * @param hasOwnView whether this host's view lists it.
     * @param peers      the accepted hosts it hears, itself excluded.
     */
    public static int leader(final Candidate self, final boolean hasOwnView, final Collection<Candidate> peers) {
        final boolean eligible = self.eligible();
        Candidate followed = null;
        boolean lowerListening = false;
        for (final Candidate peer : peers) {
            if (eligible && peer.priority() >= self.priority()) {
                continue;
            }
            if (peer.eligible() && peer.leading() && (followed == null || peer.priority() < followed.priority())) {
                followed = peer;
            }
            lowerListening |= peer.participating() && peer.listening();
        }
        if (followed != null) {
            return followed.hostId();
        }
        if (eligible && (hasOwnView || !lowerListening)) {
            return self.hostId();
        }
        return NONE;
    }
}
