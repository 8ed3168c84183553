package lb.control.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigFingerprint;

/**
 * The config a set of ops means: the genesis config, then every op in {@link LoggedOp#ORDER}, each applied if it fits
 * the config so far; one that does not is skipped and reported. Two replicas holding the same set therefore hold the
 * same config, whatever order they learnt the ops in.
 */
public final class ConfigFold {
    /**
     * What a fold gives.
     *
     * @param config      the folded config, valid.
     * @param fingerprint its fingerprint.
     * @param applied     the ops applied (in fold order) and not overwritten since.
     * @param superseded  the others, in fold order, each with its reason.
     */
    public record Result(ClusterConfig config, ConfigFingerprint fingerprint, List<LoggedOp> applied,
        List<Superseded> superseded) {
        public Result {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(fingerprint, "fingerprint");
            applied = List.copyOf(applied);
            superseded = List.copyOf(superseded);
        }

        /** The number of ops folded. */
        public int size() {
            return applied.size() + superseded.size();
        }
    }

    private ConfigFold() {
    }

    /** Folds the ops, in {@link LoggedOp#ORDER} whatever the collection's order, over the genesis config. */
    public static Result fold(final ClusterConfig genesis, final Collection<LoggedOp> ops) {
        return foldInOrder(genesis, ops.stream().sorted(LoggedOp.ORDER).toList());
    }

    /** Folds ops already in {@link LoggedOp#ORDER}. */
    static Result foldInOrder(final ClusterConfig genesis, final List<LoggedOp> ordered) {
        ClusterConfig config = genesis;
        final List<LoggedOp> applied = new ArrayList<>();
        final List<Superseded> superseded = new ArrayList<>();
        for (final LoggedOp op : ordered) {
            final ClusterConfig next;
            try {
                next = op.op().applyTo(config);
            } catch (final IllegalArgumentException e) {
                superseded.add(new Superseded(op, Superseded.Kind.SKIPPED, e.getMessage()));
                continue;
            }
            if (op.op() instanceof ConfigOp.Replace) {
                // A replace sets everything: the applied ops it did not know are overwritten by it, and said so.
                for (int i = applied.size() - 1; i >= 0; i--) {
                    final LoggedOp earlier = applied.get(i);
                    if (!op.basis().covers(earlier.id()) && earlier.id().originHostId() != op.id().originHostId()) {
                        applied.remove(i);
                        superseded.add(new Superseded(earlier, Superseded.Kind.OVERWRITTEN, "overwritten by " + op +
                            " of host " + op.id().originHostId() + ", made concurrently without knowing it"));
                    }
                }
            }
            applied.add(op);
            config = next;
        }
        superseded.sort((a, b) -> LoggedOp.ORDER.compare(a.op(), b.op()));
        return new Result(config, config.fingerprint(), applied, superseded);
    }
}
