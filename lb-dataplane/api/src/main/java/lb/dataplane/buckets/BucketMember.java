package lb.dataplane.buckets;

/**
 * A live host as the assignment of one multiple-host rule sees it: its id, its host priority (which breaks ties) and
 * its load weight on the rule.
 */
public record BucketMember(int hostId, int hostPriority, int weight) {
    public BucketMember {
        if (hostId <= BucketAssignment.NO_OWNER) {
            throw new IllegalArgumentException("host id must be positive, was " + hostId);
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight of host " + hostId + " must be >= 0, was " + weight);
        }
    }
}
