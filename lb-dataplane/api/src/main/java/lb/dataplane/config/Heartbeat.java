package lb.dataplane.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How often hosts heartbeat, how many missed heartbeats declare a host gone (NLB: 1000 ms, 5), and how heartbeats
 * travel.
 *
 * @param period        between two heartbeats of one host.
 * @param lossTolerance missed heartbeats before a host is gone.
 * @param transport     to each member's management endpoint, or to one multicast group.
 * @param group         the multicast group and port, with {@link HeartbeatTransport#MULTICAST} only.
 */
public record Heartbeat(Duration period, int lossTolerance, HeartbeatTransport transport, Optional<Endpoint> group) {
    /** Shortest period. */
    public static final Duration MIN_PERIOD = Duration.ofMillis(100);
    /** Longest period. */
    public static final Duration MAX_PERIOD = Duration.ofSeconds(10);
    /** Fewest missed heartbeats before a host is gone. */
    public static final int MIN_LOSS_TOLERANCE = 5;
    /** Most missed heartbeats before a host is gone. */
    public static final int MAX_LOSS_TOLERANCE = 100;
    /** NLB's defaults. */
    public static final Heartbeat DEFAULT = new Heartbeat(Duration.ofSeconds(1), 5);

    public Heartbeat {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(group, "group");
    }

    /**
     * Heartbeats to each member's management endpoint.
     */
    public Heartbeat(final Duration period, final int lossTolerance) {
        this(period, lossTolerance, HeartbeatTransport.PEERS, Optional.empty());
    }

    /**
     * @return how long without a heartbeat declares a host gone: period × loss tolerance.
     */
    public Duration detection() {
        return period.multipliedBy(lossTolerance);
    }

    @Override
    public String toString() {
        return "Heartbeat[period=" + Durations.format(period) + ", lossTolerance=" + lossTolerance + ", transport=" +
            transport.name().toLowerCase(java.util.Locale.ROOT) + group.map(g -> ", group=" + g).orElse("") + "]";
    }
}
