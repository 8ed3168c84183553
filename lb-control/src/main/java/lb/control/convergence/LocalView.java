package lb.control.convergence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

import lb.dataplane.buckets.BucketAssignment;
import lb.dataplane.buckets.BucketBitmap;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigFingerprint;
import lb.dataplane.config.DefaultRule;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

/**
 * The view one host applies to its own dataplane (the content of an ApplyView): its cluster view as its serving mode
 * allows.
 *
 * <p>{@code dataplaneEpoch} orders what this host told its dataplane and only grows; it is kept apart from the cluster
 * epoch because a host must be able to withdraw (stop, fence, fall out of step) without inventing a cluster epoch.
 *
 * @param dataplaneEpoch the ApplyView epoch, above every one applied before on this dataplane.
 * @param clusterEpoch   the epoch of the cluster view it derives from, 0 for none.
 * @param config         the fingerprint of the config it was computed for (the dataplane must run that config).
 * @param mode           how this host serves.
 * @param rules          every configured rule in config order, then the default rule.
 * @param vips           the VIPs this host may answer ARP/ND for.
 */
public record LocalView(long dataplaneEpoch, long clusterEpoch, ConfigFingerprint config, ServingMode mode,
    List<RuleView> rules, List<IpAddress> vips) {
    public LocalView {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(mode, "mode");
        rules = List.copyOf(rules);
        vips = List.copyOf(vips);
    }

    /**
     * The view of {@code hostId} in {@code mode} over {@code view}, with dirty buckets against {@code previous}
     * (null when nothing was applied before to this dataplane: then every bucket is dirty, since other hosts may have
     * served them and track connections in them that this host must not take mid-flow). Rules are matched with the
     * previous view's by key, since a new config may add, remove or reorder rules: a rule it did not have is all
     * dirty.
     *
     * @param config      the config this host runs, whose fingerprint is {@code fingerprint}.
     */
    public static LocalView of(final ClusterConfig config, final ConfigFingerprint fingerprint, final int hostId,
        final long dataplaneEpoch, final ClusterView view, final ServingMode mode, final LocalView previous) {
        final Map<RuleKey, int[]> before = new HashMap<>();
        if (previous != null) {
            for (final RuleView rule : previous.rules()) {
                before.put(rule.rule().key(), rule.owners());
            }
        }
        final List<PortRule> slots = new ArrayList<>(config.portRules());
        slots.add(DefaultRule.RULE);
        final int buckets = config.parameters().bucketCount();
        final List<RuleView> rules = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            final PortRule rule = slots.get(i);
            final int[] owners = owners(view.assignment(), rule, buckets);
            if (mode != ServingMode.SERVING) {
                for (int bucket = 0; bucket < owners.length; bucket++) {
                    owners[bucket] = owners[bucket] == hostId ? BucketAssignment.NO_OWNER : owners[bucket];
                }
            }
            final int[] owned = before.get(rule.key());
            final BucketBitmap dirty = owned == null ? BucketBitmap.of(buckets, IntStream.range(0, buckets).toArray()) :
                changed(owned, owners);
            rules.add(new RuleView(rule, state(rule, mode), owners, dirty));
        }
        final boolean answers = mode == ServingMode.SERVING || mode == ServingMode.DRAINING;
        return new LocalView(dataplaneEpoch, view.epoch(), fingerprint, mode, rules,
            answers ? config.vips() : List.of());
    }

    /**
     * This view with more buckets dirty: those of {@code alsoDirty} (one bitmap per rule, in this view's order) on top
     * of those that moved in this view.
     */
    public LocalView withDirty(final List<BucketBitmap> alsoDirty) {
        final List<RuleView> held = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            final RuleView rule = rules.get(i);
            final long[] words = rule.dirty().toLongArray();
            final long[] more = alsoDirty.get(i).toLongArray();
            for (int w = 0; w < words.length; w++) {
                words[w] |= more[w];
            }
            held.add(new RuleView(rule.rule(), rule.state(), rule.owners(),
                BucketBitmap.ofWords(rule.owners().length, words)));
        }
        return new LocalView(dataplaneEpoch, clusterEpoch, config, mode, held, vips);
    }

    /** Whether this host owns the bucket of the rule at this slot and may take new connections in it. */
    public boolean owns(final int hostId, final int slot, final int bucket) {
        return mode == ServingMode.SERVING && rules.get(slot).owns(hostId, bucket);
    }

    /** How many buckets of all rules this host may take new connections in. */
    public int ownedCount(final int hostId) {
        int count = 0;
        for (int slot = 0; slot < rules.size(); slot++) {
            for (int bucket = 0; bucket < rules.get(slot).owners().length; bucket++) {
                count += owns(hostId, slot, bucket) ? 1 : 0;
            }
        }
        return count;
    }

    /** Whether both tell the dataplane the same, epochs and dirty buckets aside (for one config). */
    public boolean sameContent(final LocalView other) {
        if (!config.equals(other.config) || mode != other.mode || !vips.equals(other.vips) ||
            rules.size() != other.rules.size()) {
            return false;
        }
        for (int i = 0; i < rules.size(); i++) {
            final RuleView mine = rules.get(i);
            final RuleView theirs = other.rules.get(i);
            if (!mine.rule().equals(theirs.rule()) || mine.state() != theirs.state() ||
                !Arrays.equals(mine.owners(), theirs.owners())) {
                return false;
            }
        }
        return true;
    }

    private static int[] owners(final ClusterAssignment assignment, final PortRule rule, final int buckets) {
        final BucketAssignment of = DefaultRule.isDefault(rule) ? assignment.unmatched() :
            assignment.byRule().get(rule.key());
        return of == null || of.bucketCount() != buckets ? new int[buckets] : of.owners();
    }

    private static RuleState state(final PortRule rule, final ServingMode mode) {
        return switch (mode) {
            case SERVING, WITHDRAWN -> rule.state();
            case DRAINING -> rule.state() == RuleState.DISABLED ? RuleState.DISABLED : RuleState.DRAINING;
            case STOPPED -> RuleState.DISABLED;
        };
    }

    private static BucketBitmap changed(final int[] before, final int[] now) {
        final int[] moved = IntStream.range(0, now.length)
            .filter(b -> before.length != now.length || before[b] != now[b]).toArray();
        return BucketBitmap.of(now.length, moved);
    }
}
