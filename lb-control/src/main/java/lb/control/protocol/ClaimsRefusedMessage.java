package lb.control.protocol;

import java.util.List;
import java.util.Objects;

import lb.control.membership.MemberId;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.RuleKey;

/**
 * What a bucket owner tells a host whose claim on sticky clients lost to another host's: drop them.
 *
 * @param from    the bucket owner's run.
 * @param viewEpoch the view the claims were made and refused in; a refusal from another view is stale.
 * @param rule    the rule the clients are sticky in.
 * @param inAnswerTo the {@link StickyClientsMessage#sequence} of the receiver's claim that lost; a receiver that
 *                sent the bucket owner a later claim since waits for the answer to that one instead.
 * @param clients the clients the receiver must no longer keep.
 */
public record ClaimsRefusedMessage(
    MemberId from, long viewEpoch, RuleKey rule, long inAnswerTo, List<IpAddress> clients) {
    public ClaimsRefusedMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(rule, "rule");
        clients = List.copyOf(clients);
    }
}
