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
 * @param rule    the rule the clients are sticky in.
 * @param clients the clients the receiver must no longer keep.
 */
public record ClaimsRefusedMessage(MemberId from, RuleKey rule, List<IpAddress> clients) {
    public ClaimsRefusedMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(rule, "rule");
        clients = List.copyOf(clients);
    }
}
