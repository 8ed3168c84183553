package lb.dataplane.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration, phrased for the person who wrote it.
 *
 * @param where   the part of the config: {@code cluster}, {@code vips[1]}, {@code port-rules[2] (all:80-80/tcp)},
 *                {@code hosts[0] (host 1)}, or a file position for syntax errors.
 * @param field   the field as written in the cluster file, e.g. {@code extended-affinity}.
 * @param value   the bad value as written, with its unit when it has one.
 * @param problem what is wrong with it.
 * @param valid   what would be valid; empty when the problem says it.
 */
public record ConfigError(String where, String field, String value, String problem, String valid) {
    public ConfigError {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(valid, "valid");
    }

    /**
     * {@code where: field = value: problem; valid: ...}.
     */
    public String message() {
        return where + ": " + field + " = " + value + ": " + problem + (valid.isEmpty() ? "" : "; valid: " + valid);
    }

    @Override
    public String toString() {
        return message();
    }
}
