package lb.dataplane.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every error found in it.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    /**
     * @param source what was checked: a file name, or "cluster config".
     * @param errors every error found, at least one.
     */
    public ConfigException(final String source, final List<ConfigError> errors) {
        super(describe(source, errors));
        this.errors = List.copyOf(errors);
    }

    /**
     * Every error, in the order found.
     */
    public List<ConfigError> errors() {
        return errors;
    }

    private static String describe(final String source, final List<ConfigError> errors) {
        final StringBuilder text = new StringBuilder()
            .append(source).append(": ").append(errors.size()).append(errors.size() == 1 ? " error" : " errors");
        for (final ConfigError error : errors) {
            text.append('\n').append("  - ").append(error.message());
        }
        return text.toString();
    }
}
