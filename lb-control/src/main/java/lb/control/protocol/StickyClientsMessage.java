package lb.control.protocol;

import java.util.List;
import java.util.Objects;

import lb.control.affinity.StickyClient;
import lb.control.membership.MemberId;
import lb.dataplane.config.RuleKey;

/**
 * What one host sends another after a view moved buckets between them: the sticky clients it holds in the buckets the
 * receiver now owns, for the receiver to leave to it.
 *
 * @param from      the run of the host that holds the clients.
 * @param viewEpoch the epoch of the view that moved the buckets.
 * @param rule      the rule the clients are sticky in.
 * @param sequence  grows with every such message of the run, so that an answer can name the message it answers.
 * @param claimsGeneration the sender's claims generation when it exported them (see {@link HeartbeatMessage}).
 * @param clients   the clients.
 */
public record StickyClientsMessage(
    MemberId from, long viewEpoch, RuleKey rule, long sequence, long claimsGeneration, List<StickyClient> clients) {
    public StickyClientsMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(rule, "rule");
        clients = List.copyOf(clients);
    }
}
