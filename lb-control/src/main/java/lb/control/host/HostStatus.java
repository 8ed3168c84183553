package lb.control.host;

import java.util.List;
import java.util.SortedSet;

import lb.control.convergence.ServingMode;
import lb.control.membership.HostState;
import lb.control.membership.MemberId;
import lb.control.membership.Refusal;

/**
 * What a host reports about itself and its cluster, for {@code lbctl cluster query}.
 *
 * @param self       this run of the host.
 * @param state      the operator's state.
 * @param mode       how it serves now.
 * @param listening  whether it is still listening before it may own anything.
 * @param fenced     whether it withdrew because its lbd was paused longer than other hosts wait, until it serves again.
 * @param leaderId   the host it follows (its own id when it leads), 0 for none.
 * @param viewEpoch  the epoch of the view it holds.
 * @param viewDigest that view's digest.
 * @param converged  whether it serves and every member of its view holds the same view.
 * @param members    the members of its view.
 * @param refusals   the hosts it will not converge with, and why (itself included when it is the intruder).
 */
public record HostStatus(
    MemberId self,
    HostState state,
    ServingMode mode,
    boolean listening,
    boolean fenced,
    int leaderId,
    long viewEpoch,
    long viewDigest,
    boolean converged,
    SortedSet<MemberId> members,
    List<Refusal> refusals) {
    public HostStatus {
        refusals = List.copyOf(refusals);
    }
}
