package lb.control.config;

import java.util.Objects;

/**
 * An op in the set that the folded config does not carry, and why: nothing acknowledged disappears without one.
 *
 * @param op     the op.
 * @param kind   skipped (it did not fit at its place in the order) or overwritten (a later concurrent replace).
 * @param reason for the operator: the config model's message, or which replace overwrote it.
 */
public record Superseded(LoggedOp op, Kind kind, String reason) {
    /** How an op came to be superseded. */
    public enum Kind {
        /** It did not fit the config at its place in the order (a concurrent change ordered before it). */
        SKIPPED,
        /** It was applied, then a {@link ConfigOp.Replace} ordered after it that did not know it replaced it. */
        OVERWRITTEN
    }

    public Superseded {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return op + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
    }
}
