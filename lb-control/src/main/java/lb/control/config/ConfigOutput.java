package lb.control.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigFingerprint;

/**
 * Something the {@link ConfigReplica} wants done, drained from its outbox in order.
 */
public sealed interface ConfigOutput {
    /**
     * Write this log durably ({@link ConfigStore#write}: temp file, fsync, rename, fsync of the directory), then call
     * {@link ConfigReplica#persisted} with the token, or {@link ConfigReplica#persistFailed} with the reason. At most
     * one write is asked for at a time; the log is the whole log (genesis and every op to keep), so the newest write
     * replaces the file.
     *
     * @param token  names this write in the answer.
     * @param genesis the lineage's genesis config.
     * @param ops    every op of the log, in {@link LoggedOp#ORDER}.
     * @param folded the config they fold to, for the human-readable copy ({@code config.yaml}).
     */
    record Persist(long token, ClusterConfig genesis, List<LoggedOp> ops, ClusterConfig folded) implements ConfigOutput {
        public Persist {
            Objects.requireNonNull(genesis, "genesis");
            ops = List.copyOf(ops);
            Objects.requireNonNull(folded, "folded");
        }
    }

    /**
     * The operator's change is durable on this host: answer the request. It is sent to the other hosts from now on.
     *
     * @param requestId the caller's id of the request.
     * @param op        the change as logged: its id and Lamport clock.
     * @param version   this replica's version (ops persisted) with the change.
     * @param superseded present when the change, though durable, is not part of the config: a concurrent change
     *                   that arrived while it was being persisted sorts before it and made it invalid.
     */
    record Acknowledge(long requestId, LoggedOp op, long version, Optional<Superseded> superseded)
        implements ConfigOutput {
        public Acknowledge {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(superseded, "superseded");
        }
    }

    /**
     * The operator's change is not made: it does not fit the config (the reason names the field and what is valid),
     * or it could not be persisted. Nothing of it was applied or sent.
     *
     * @param invalid true when it does not fit the config; false when it could not be persisted.
     */
    record Refuse(long requestId, String reason, boolean invalid) implements ConfigOutput {
        public Refuse {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Send these ops to one host: it lacks them (its summary says so). */
    record SendOps(int toHostId, OpBatch batch) implements ConfigOutput {
        public SendOps {
            Objects.requireNonNull(batch, "batch");
        }
    }

    /**
     * The persisted ops fold to another config: apply it (to the host's machine and dataplane). Only ever persisted
     * ops are folded into it.
     *
     * @param config      the new config.
     * @param fingerprint its fingerprint.
     * @param version     ops persisted.
     */
    record ConfigChanged(ClusterConfig config, ConfigFingerprint fingerprint, long version) implements ConfigOutput {
        public ConfigChanged {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(fingerprint, "fingerprint");
        }
    }

    /**
     * A persisted op is, from now on, not part of the config (a concurrent change ordered before it made it invalid,
     * or a concurrent replace overwrote it): tell the operator. Also listed by {@link ConfigReplica#superseded()}.
     */
    record OpSuperseded(Superseded superseded) implements ConfigOutput {
        public OpSuperseded {
            Objects.requireNonNull(superseded, "superseded");
        }
    }

    /**
     * A peer with the same ops persisted folds them to another config: a bug, or hosts running different lb versions
     * that fold differently. Reported, not repaired.
     */
    record Diverged(int fromHostId, ConfigFingerprint theirs, ConfigFingerprint ours) implements ConfigOutput {
    }
}
