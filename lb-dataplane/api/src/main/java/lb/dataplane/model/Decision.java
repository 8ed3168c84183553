package lb.dataplane.model;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * The reference model's answer for one packet, explaining itself: pass it to the host's own kernel, drop it, or
 * accept it on one host.
 */
public sealed interface Decision {
    /** Marks "no bucket": single-host rules and the default rule do not hash. */
    int NO_BUCKET = -1;

    /** The packet the decision is about. */
    Packet packet();

    /** Why, in a sentence a person can check: rule, bucket, host and reason. */
    String reason();

    /** The host that accepts the packet, if any. */
    OptionalInt acceptingHost();

    /** {@code VERDICT packet: reason}; what {@code lbctl explain} prints. */
    default String explain() {
        return getClass().getSimpleName().toUpperCase(Locale.ROOT) + " " + packet() + ": " + reason();
    }

    /**
     * Not for a VIP, so not the cluster's: a host hands it to its kernel unfiltered when it is sent to the host's own
     * MAC (its own address), and every host drops it when it is sent to the cluster MAC.
     */
    record Pass(Packet packet, String reason) implements Decision {
        @Override
        public OptionalInt acceptingHost() {
            return OptionalInt.empty();
        }

        @Override
        public String toString() {
            return explain();
        }
    }

    /** For a VIP, but no host takes it. */
    record Drop(Packet packet, RuleMatch rule, String reason) implements Decision {
        @Override
        public OptionalInt acceptingHost() {
            return OptionalInt.empty();
        }

        @Override
        public String toString() {
            return explain();
        }
    }

    /**
     * For a VIP, and accepted by exactly one host.
     *
     * @param bucket the flow's bucket, or {@link #NO_BUCKET} for a single-host rule.
     */
    record Accept(Packet packet, RuleMatch rule, int bucket, int hostId, String reason) implements Decision {
        @Override
        public OptionalInt acceptingHost() {
            return OptionalInt.of(hostId);
        }

        @Override
        public String explain() {
            return "ACCEPT by host " + hostId + " " + packet + ": " + reason;
        }

        @Override
        public String toString() {
            return explain();
        }
    }
}
