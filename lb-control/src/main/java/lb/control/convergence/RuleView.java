package lb.control.convergence;

import java.util.Arrays;
import java.util.Objects;

import lb.dataplane.buckets.BucketBitmap;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;

/**
 * One rule of the view a host applies to its dataplane: the state it runs in, the owner of each bucket, and the
 * buckets whose owner changed since the view applied before.
 *
 * @param rule   the configured rule, or the default rule.
 * @param state  the state the dataplane runs it in (the configured one, or draining/disabled by host state).
 * @param owners owner host id per bucket, 0 for none (never this host unless it is serving).
 * @param dirty  buckets whose owner differs from the previous applied view's.
 */
public record RuleView(PortRule rule, RuleState state, int[] owners, BucketBitmap dirty) {
    public RuleView {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(dirty, "dirty");
    }

    /** Whether this host owns the bucket in this rule and may take new connections in it. */
    public boolean owns(final int hostId, final int bucket) {
        return owners[bucket] == hostId && state == RuleState.ENABLED;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof RuleView that && rule.equals(that.rule) && state == that.state &&
            Arrays.equals(owners, that.owners) && dirty.equals(that.dirty);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, state, Arrays.hashCode(owners), dirty);
    }

    @Override
    public String toString() {
        return rule.key() + " " + state + " dirty=" + dirty;
    }
}
