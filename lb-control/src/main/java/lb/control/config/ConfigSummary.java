package lb.control.config;

import java.util.Objects;

import lb.dataplane.config.ConfigFingerprint;

/**
 * What a replica tells the others with every heartbeat: enough for a peer to send what it lacks, and to see at a
 * glance that two replicas hold the same config.
 *
 * @param lineage  the fingerprint of the genesis config: replicas of another lineage are another cluster.
 * @param known    the version vector of the ops it has persisted.
 * @param opCount  how many ops it has persisted (equal vectors and counts mean equal sets).
 * @param folded   the fingerprint of the config those ops fold to.
 */
public record ConfigSummary(ConfigFingerprint lineage, VersionVector known, long opCount, ConfigFingerprint folded) {
    public ConfigSummary {
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(known, "known");
        Objects.requireNonNull(folded, "folded");
    }
}
