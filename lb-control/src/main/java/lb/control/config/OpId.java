package lb.control.config;

/**
 * Names one config change for ever: the host that took it and its place among that host's changes (1, 2, 3...).
 *
 * @param originHostId the host whose lbd validated, persisted and acknowledged the change.
 * @param originSeq    1 for the origin's first change, then one more for each.
 */
public record OpId(int originHostId, long originSeq) implements Comparable<OpId> {
    public OpId {
        if (originSeq < 1) {
            throw new IllegalArgumentException("an op's sequence starts at 1, not " + originSeq);
        }
    }

    @Override
    public int compareTo(final OpId other) {
        return originHostId != other.originHostId ? Integer.compare(originHostId, other.originHostId) :
            Long.compare(originSeq, other.originSeq);
    }

    @Override
    public String toString() {
        return originHostId + ":" + originSeq;
    }
}
