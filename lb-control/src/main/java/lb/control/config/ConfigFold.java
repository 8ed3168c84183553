package lb.control.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

        /** The op folded last, if any: later ops can {@linkplain #extend extend} this fold. */
        public Optional<LoggedOp> last() {
            final Optional<LoggedOp> lastApplied = applied.isEmpty() ? Optional.empty() :
                Optional.of(applied.get(applied.size() - 1));
            final Optional<LoggedOp> lastSuperseded = superseded.isEmpty() ? Optional.empty() :
                Optional.of(superseded.get(superseded.size() - 1).op());
            if (lastApplied.isEmpty()) {
                return lastSuperseded;
            }
            if (lastSuperseded.isEmpty()) {
                return lastApplied;
            }
            return Optional.of(LoggedOp.ORDER.compare(lastApplied.get(), lastSuperseded.get()) > 0 ?
                lastApplied.get() : lastSuperseded.get());
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
        return foldFrom(genesis, new ArrayList<>(), new ArrayList<>(), ordered);
    }

    /**
     * The fold of a previous fold's ops and these, which must all sort after the previous fold's last op: the same
     * result as folding them all, without folding the previous ones again.
     *
     * @throws IllegalArgumentException when an op sorts before the previous fold's last.
     */
    public static Result extend(final Result previous, final List<LoggedOp> later) {
        final List<LoggedOp> ordered = later.stream().sorted(LoggedOp.ORDER).toList();
        final Optional<LoggedOp> last = previous.last();
        if (!ordered.isEmpty() && last.isPresent() && LoggedOp.ORDER.compare(ordered.get(0), last.get()) <= 0) {
            throw new IllegalArgumentException(ordered.get(0) + " does not sort after " + last.get());
        }
        return foldFrom(previous.config(), new ArrayList<>(previous.applied()),
            new ArrayList<>(previous.superseded()), ordered);
    }

    private static Result foldFrom(final ClusterConfig start, final List<LoggedOp> applied,
        final List<Superseded> superseded, final List<LoggedOp> ordered) {
        ClusterConfig config = start;
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
