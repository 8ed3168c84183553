package lb.dataplane.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How often hosts heartbeat and how many missed heartbeats declare a host gone (NLB: 1000 ms, 5).
 */
public record Heartbeat(Duration period, int lossTolerance) {
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
    }

    @Override
    public String toString() {
        return "Heartbeat[period=" + Durations.format(period) + ", lossTolerance=" + lossTolerance + "]";
    }
}
