package lb.control.config;

import java.util.Comparator;
import java.util.Objects;

/**
 * A change as the replicas hold it: its id, its Lamport clock, what its origin knew when it made it, and the change.
 *
 * @param id      the origin host and its sequence.
 * @param lamport greater than the Lamport clock of every op the origin knew when it made this one.
 * @param basis   the ops the origin knew (its version vector, persisted or not) when it validated this one: ops not
 *                covered were concurrent with it. A {@link ConfigOp.Replace} reports the concurrent ops it overwrote
 *                by it.
 * @param op      the change.
 */
public record LoggedOp(OpId id, long lamport, VersionVector basis, ConfigOp op) {
    /**
     * The one order every replica folds in: by Lamport clock, then origin host id, then origin sequence. Total (ids
     * are unique) and the same on every host, whatever order the ops arrived in; it extends causality (an op sorts
     * after every op its origin knew).
     */
    public static final Comparator<LoggedOp> ORDER = Comparator.comparingLong(LoggedOp::lamport)
        .thenComparingInt(o -> o.id().originHostId())
        .thenComparingLong(o -> o.id().originSeq());

    public LoggedOp {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(op, "op");
        if (lamport < 1) {
            throw new IllegalArgumentException("op " + id + ": Lamport clock " + lamport + " below 1");
        }
    }

    @Override
    public String toString() {
        return "op " + id + " @" + lamport + " " + op.describe();
    }
}
