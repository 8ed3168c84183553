package lb.control.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
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
 * <p>A host that serves before and after keeps its clients and exports them to the new owners of the buckets that
 * moved (to any other host: its clients may sit in buckets it lost several views ago). A host that starts serving
 * drops its claims outside its own buckets, because while it was away their owners took its clients (availability
 * wins); a host that stops serving drops all its claims, so that it takes no new connection through them. A host that
 * left the view gives its clients up to the owners of their buckets.
 */
final class AffinityHandoff {
    private AffinityHandoff() {
    }

    static void between(final int hostId, final LocalView before, final LocalView after,
        final Set<Integer> membersBefore, final Set<Integer> membersAfter, final List<Output> out) {
        if (before == null) {
            return;
        }
        boolean sticky = false;
        final boolean servedBefore = before.mode() == ServingMode.SERVING;
        final boolean servesNow = after.mode() == ServingMode.SERVING;
        for (int slot = 0; slot < after.rules().size(); slot++) {
            final RuleView now = after.rules().get(slot);
            if (!hasExtendedAffinity(now.rule())) {
                continue;
            }
            sticky = true;
            final int[] owners = now.owners();
            if (servedBefore && servesNow) {
                exports(hostId, now, before.rules().get(slot).owners(), out);
            } else if (servesNow) {
                drop(now, IntStream.range(0, owners.length).filter(b -> owners[b] != hostId).toArray(), out);
            } else if (servedBefore) {
                drop(now, IntStream.range(0, owners.length).toArray(), out);
            }
        }
        if (sticky) {
            membersBefore.stream()
                .filter(id -> id != hostId && !membersAfter.contains(id))
                .forEach(id -> out.add(new Output.ReleaseForeign(id)));
        }
    }

    private static boolean hasExtendedAffinity(final PortRule rule) {
        return rule.filtering() == FilteringMode.MULTIPLE && !rule.extendedAffinity().isZero();
    }

    private static void exports(final int hostId, final RuleView now, final int[] before, final List<Output> out) {
        final int[] owners = now.owners();
        final TreeMap<Integer, List<Integer>> byOwner = new TreeMap<>();
        for (int bucket = 0; bucket < owners.length; bucket++) {
            final int owner = owners[bucket];
            if (owner != hostId && owner != BucketAssignment.NO_OWNER && owner != before[bucket]) {
                byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(bucket);
            }
        }
        byOwner.forEach((owner, buckets) -> out.add(new Output.ExportStickyClients(now.rule().key(),
            BucketBitmap.of(owners.length, buckets.stream().mapToInt(Integer::intValue).toArray()), owner)));
    }

    private static void drop(final RuleView now, final int[] buckets, final List<Output> out) {
        if (buckets.length > 0) {
            out.add(new Output.DropClaims(now.rule().key(), BucketBitmap.of(now.owners().length, buckets)));
        }
    }
}
