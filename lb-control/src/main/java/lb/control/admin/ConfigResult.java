package lb.control.admin;

import java.util.Objects;

import lb.control.admin.sbe.AnswerStatus;

/**
 * What came of a config change (docs/admin-api.md, ConfigAnswer).
 *
 * @param status      OK when the change is durable on the host that took it (and on its way to the others); INVALID
 *                    when it does not fit the config (the detail names the field and what is valid); REFUSED when it
 *                    could not be made durable there.
 * @param hostId      the host that took it.
 * @param version     that host's config log length with the change.
 * @param fingerprint the config that host holds durably now (hex).
 * @param detail      what was done, or why not.
 * @param superseded  not empty when the change, though durable, is void: a concurrent change ordered before it made
 *                    it invalid.
 */
public record ConfigResult(AnswerStatus status, int hostId, long version, String fingerprint, String detail,
    String superseded) {
    public ConfigResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(superseded, "superseded");
    }
}
