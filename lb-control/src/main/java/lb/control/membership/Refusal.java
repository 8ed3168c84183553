package lb.control.membership;

/**
 * A host this host will not converge with, and why, in words an operator can act on.
 *
 * @param member the refused run of the host.
 * @param reason what differs and what would be needed.
 */
public record Refusal(MemberId member, String reason) {
}
