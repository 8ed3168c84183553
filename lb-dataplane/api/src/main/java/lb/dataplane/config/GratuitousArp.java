package lb.dataplane.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The announcements a host sends on gaining a VIP: {@code count} gratuitous ARPs (each as request and reply) or
 * unsolicited neighbour advertisements, {@code spacing} apart.
 */
public record GratuitousArp(int count, Duration spacing) {
    /** Fewest announcements. */
    public static final int MIN_COUNT = 1;
    /** Most announcements. */
    public static final int MAX_COUNT = 100;
    /** Closest spacing. */
    public static final Duration MIN_SPACING = Duration.ofMillis(10);
    /** Widest spacing. */
    public static final Duration MAX_SPACING = Duration.ofMinutes(1);
    /** Five, a second apart: keepalived's count, at a pace switches and clients notice quickly. */
    public static final GratuitousArp DEFAULT = new GratuitousArp(5, Duration.ofSeconds(1));

    public GratuitousArp {
        Objects.requireNonNull(spacing, "spacing");
    }

    @Override
    public String toString() {
        return "GratuitousArp[count=" + count + ", spacing=" + Durations.format(spacing) + "]";
    }
}
