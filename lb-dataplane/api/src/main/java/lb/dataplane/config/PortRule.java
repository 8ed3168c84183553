package lb.dataplane.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One NLB port rule: what it matches ({@link RuleKey}), how it spreads the traffic, whether it takes traffic, and its
 * extended-affinity timeout ({@link Duration#ZERO} = off).
 *
 * <p>Per-host settings (load weight, handling priority) live on {@link ClusterMember}, as they do on NLB hosts.
 */
public record PortRule(
    RuleKey key, FilteringMode filtering, Affinity affinity, RuleState state, Duration extendedAffinity) {
    /** Longest extended-affinity timeout: a day, comfortably above NLB's 240 minutes. */
    public static final Duration MAX_EXTENDED_AFFINITY = Duration.ofDays(1);

    public PortRule {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(filtering, "filtering");
        Objects.requireNonNull(affinity, "affinity");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(extendedAffinity, "extendedAffinity");
    }

    /**
     * A rule with NLB's defaults for everything but what it matches: multiple host, single affinity, enabled, no
     * extended affinity.
     */
    public static PortRule of(final RuleKey key) {
        return new PortRule(key, FilteringMode.MULTIPLE, Affinity.SINGLE, RuleState.ENABLED, Duration.ZERO);
    }

    /** A copy with another filtering mode. */
    public PortRule withFiltering(final FilteringMode newFiltering) {
        return new PortRule(key, newFiltering, affinity, state, extendedAffinity);
    }

    /** A copy with another affinity. */
    public PortRule withAffinity(final Affinity newAffinity) {
        return new PortRule(key, filtering, newAffinity, state, extendedAffinity);
    }

    /** A copy with another state. */
    public PortRule withState(final RuleState newState) {
        return new PortRule(key, filtering, affinity, newState, extendedAffinity);
    }

    /** A copy with another extended-affinity timeout. */
    public PortRule withExtendedAffinity(final Duration timeout) {
        return new PortRule(key, filtering, affinity, state, timeout);
    }

    @Override
    public String toString() {
        return key + " " + filtering.label() +
            (filtering == FilteringMode.MULTIPLE ? " affinity=" + affinity.name().toLowerCase(Locale.ROOT) : "") +
            " " + state.name().toLowerCase(Locale.ROOT) +
            (extendedAffinity.isZero() ? "" : " extended-affinity=" + Durations.format(extendedAffinity));
    }
}
