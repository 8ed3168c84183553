package lb.control.host;

import java.util.List;
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
 * What extended affinity needs when a host's applied view changes, and when another host comes to hold the same view.
 *
 * <p>A host that starts serving drops its claims outside its own buckets, because while it was away their owners took
 * its clients (availability wins); a host that stops serving drops all its claims, so that it takes no new connection
 * through them. Either drop is announced (a new claims generation in its heartbeats) so that others release the foreign
 * entries that still leave those clients to it. A serving host exports the clients it keeps in another host's buckets
 * to that host once that host holds the same view (so the receiver knows it owns them, and no two views cross).
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
            if (servesNow && !servedBefore) {
                dropped |= drop(now, IntStream.range(0, owners.length).filter(b -> owners[b] != hostId).toArray(), out);
            } else if (servedBefore && !servesNow) {
                dropped |= drop(now, IntStream.range(0, owners.length).toArray(), out);
            }
        }
        return dropped;
    }

    /** Exports to one host the clients this host keeps in that host's buckets. */
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

    private static void exports(final int hostId, final RuleView now, final IntPredicate toOwner,
        final List<Output> out) {
        final int[] owners = now.owners();
        final int[] buckets = IntStream.range(0, owners.length)
            .filter(b -> owners[b] != hostId && owners[b] != BucketAssignment.NO_OWNER && toOwner.test(owners[b]))
            .toArray();
        if (buckets.length > 0) {
            out.add(new Output.ExportStickyClients(now.rule().key(), BucketBitmap.of(owners.length, buckets),
                owners[buckets[0]]));
        }
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
