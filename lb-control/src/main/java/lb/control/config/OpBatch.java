package lb.control.config;

import java.util.List;
import java.util.Objects;

import lb.dataplane.config.ConfigFingerprint;

/**
 * Ops sent from one replica to another, labelled with the lineage they belong to.
 *
 * @param lineage the sender's genesis fingerprint; a receiver of another lineage refuses the batch.
 * @param ops     persisted ops of the sender, by origin and sequence.
 */
public record OpBatch(ConfigFingerprint lineage, List<LoggedOp> ops) {
    public OpBatch {
        Objects.requireNonNull(lineage, "lineage");
        ops = List.copyOf(ops);
    }
}
