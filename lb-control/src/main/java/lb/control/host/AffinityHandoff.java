package lb.control.host;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

import lb.control.convergence.LocalView;
import lb.control.convergence.RuleView;
import lb.control.convergence.ServingMode;
import lb.dataplane.buckets.BucketAssignment;
import lb.dataplane.buckets.BucketBitmap;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.PortRule;

/**
 * What extended affinity needs when a host's applied view changes: which of its sticky clients to hand to which new
 * owner, which claims to drop, and whose foreign entries to release.
 *
 * <p>A host that serves before and after keeps its clients and exports them to the owners of every bucket it does not
 * own (its clients may sit in buckets it lost several views ago, and re-sending what a receiver has is harmless). A
 * host that starts serving drops its claims outside its own buckets, because while it was away their owners took its
 * clients (availability wins); a host that stops serving drops all its claims, so that it takes no new connection
 * through them. Either drop is announced (a new claims generation in its heartbeats) so that others release the
 * foreign entries that still leave those clients to it.
 */
final class AffinityHandoff {
    private AffinityHandoff() {
    }

    /**
     * @return whether this host dropped claims, which others must hear of.
     */
    static boolean between(final int hostId, final LocalView before, final LocalView after, final List<Output> out) {
        if (before == null) {
            return false;
        }
        boolean dropped = false;
        final boolean servedBefore = before.mode() == ServingMode.SERVING;
        final boolean servesNow = after.mode() == ServingMode.SERVING;
        for (int slot = 0; slot < after.rules().size(); slot++) {
            final RuleView now = after.rules().get(slot);
            if (!hasExtendedAffinity(now.rule())) {
                continue;
            }
            final int[] owners = now.owners();
            if (servedBefore && servesNow) {
                exports(hostId, now, owner -> true, out);
            } else if (servesNow) {
                dropped |= drop(now, IntStream.range(0, owners.length).filter(b -> owners[b] != hostId).toArray(), out);
            } else if (servedBefore) {
                dropped |= drop(now, IntStream.range(0, owners.length).toArray(), out);
            }
        }
        return dropped;
    }

    /** Exports to one host the clients this host keeps in that host's buckets: it has just started hearing us. */
    static void to(final int hostId, final LocalView view, final int toHostId, final List<Output> out) {
        for (final RuleView rule : view.rules()) {
            if (hasExtendedAffinity(rule.rule())) {
                exports(hostId, rule, owner -> owner == toHostId, out);
            }
        }
    }

    private static boolean hasExtendedAffinity(final PortRule rule) {
        return rule.filtering() == FilteringMode.MULTIPLE && !rule.extendedAffinity().isZero();
    }

    private static void exports(
        final int hostId, final RuleView now, final IntPredicate toOwner, final List<Output> out) {
        final int[] owners = now.owners();
        final TreeMap<Integer, List<Integer>> byOwner = new TreeMap<>();
        for (int bucket = 0; bucket < owners.length; bucket++) {
            final int owner = owners[bucket];
            if (owner != hostId && owner != BucketAssignment.NO_OWNER && toOwner.test(owner)) {
                byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(bucket);
            }
        }
        byOwner.forEach((owner, buckets) -> out.add(new Output.ExportStickyClients(now.rule().key(),
            BucketBitmap.of(owners.length, buckets.stream().mapToInt(Integer::intValue).toArray()), owner)));
    }

    private static boolean drop(final RuleView now, final int[] buckets, final List<Output> out) {
        if (buckets.length > 0) {
            out.add(new Output.DropClaims(now.rule().key(), BucketBitmap.of(now.owners().length, buckets)));
        }
        return buckets.length > 0;
    }

    /** Whether any rule of the view keeps clients sticky across hosts. */
    static boolean anySticky(final List<PortRule> rules) {
        return rules.stream().anyMatch(AffinityHandoff::hasExtendedAffinity);
    }
}
