package lb.dataplane.buckets;

import java.util.ArrayList;
import java.util.List;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.DefaultRule;
import lb.dataplane.config.PortRule;

/**
 * Who owns each bucket of one rule in a view, and which buckets changed owner since the previous view.
 *
 * @param owners      owner host id per bucket, 0 for none.
 * @param dirtyWords  bitmap of the buckets that moved, bucket b at bit b % 64 of word b / 64.
 */
public record RuleOwnership(int[] owners, long[] dirtyWords) {
    /**
     * The ownership of every rule of {@code config} by rule index ({@link ClusterConfig#canonicalRules()}, then the
     * default rule), with the buckets that moved from {@code previous} marked dirty.
     *
     * @param config     the config both assignments were computed from.
     * @param assignment the new assignment.
     * @param previous   the assignment before, or {@link ClusterAssignment#NONE} (then nothing is dirty).
     * @return one entry per rule slot.
     */
    public static List<RuleOwnership> of(final ClusterConfig config, final ClusterAssignment assignment,
        final ClusterAssignment previous) {
        final List<RuleOwnership> slots = new ArrayList<>(config.portRules().size() + 1);
        for (final PortRule rule : config.canonicalRules()) {
            slots.add(of(assignment.of(rule), previous.byRule().get(rule.key())));
        }
        slots.add(of(assignment.of(DefaultRule.RULE),
            previous == ClusterAssignment.NONE ? null : previous.unmatched()));
        return slots;
    }

    private static RuleOwnership of(final BucketAssignment now, final BucketAssignment before) {
        final long[] dirty = before == null || before.bucketCount() != now.bucketCount() ?
            new long[(now.bucketCount() + 63) >>> 6] : now.changedSince(before).toLongArray();
        return new RuleOwnership(now.owners(), dirty);
    }
}
