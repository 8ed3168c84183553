package lb.control.admin;

import java.util.Objects;

/**
 * The config a host holds durably (docs/admin-api.md, ConfigText).
 *
 * @param hostId             the host that answered.
 * @param version            its config log's length.
 * @param fingerprint        the durable config's fingerprint (hex).
 * @param runningFingerprint the fingerprint of the config it runs (the durable one once the cluster switched to it).
 * @param text               the durable config as canonical cluster-file text.
 */
public record ConfigDocument(int hostId, long version, String fingerprint, String runningFingerprint, String text) {
    public ConfigDocument {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(runningFingerprint, "runningFingerprint");
        Objects.requireNonNull(text, "text");
    }
}
