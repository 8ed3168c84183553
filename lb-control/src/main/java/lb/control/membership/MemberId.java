package lb.control.membership;

/**
 * One run of one host: its host id and the incarnation of its lbd, which a restart makes higher.
 *
 * @param hostId      the host id of the cluster config, 1..65535.
 * @param incarnation the lbd's incarnation, greater than any earlier one on the host.
 */
public record MemberId(int hostId, long incarnation) implements Comparable<MemberId> {
    @Override
    public int compareTo(final MemberId other) {
        final int byHost = Integer.compare(hostId, other.hostId);
        return byHost != 0 ? byHost : Long.compare(incarnation, other.incarnation);
    }

    @Override
    public String toString() {
        return "host " + hostId + "#" + incarnation;
    }
}
