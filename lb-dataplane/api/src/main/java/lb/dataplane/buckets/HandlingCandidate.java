package lb.dataplane.buckets;

/**
 * A live host as a single-host rule sees it: its id and its handling priority on the rule (lowest wins).
 */
public record HandlingCandidate(int hostId, int handlingPriority) {
    public HandlingCandidate {
        if (hostId <= BucketAssignment.NO_OWNER) {
            throw new IllegalArgumentException("host id must be positive, was " + hostId);
        }
    }
}
