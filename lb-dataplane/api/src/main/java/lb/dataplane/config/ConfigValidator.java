package lb.dataplane.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@link ClusterConfig} and reports every error, each naming the part, the field, the value and what is
 * valid.
 */
public final class ConfigValidator {
    private ConfigValidator() {
    }

    /**
     * Every error in the config, in file order; empty when it is valid.
     */
    public static List<ConfigError> validate(final ClusterConfig config) {
        final List<ConfigError> errors = new ArrayList<>();
        ParameterChecks.check(config.parameters(), errors);
        VipChecks.check(config.vips(), errors);
        RuleChecks.check(config, errors);
        MemberChecks.check(config, errors);
        return List.copyOf(errors);
    }

    /**
     * The config itself when it is valid.
     *
     * @param source what the config came from, for the message: a file name or "cluster config".
     * @throws ConfigException with every error otherwise.
     */
    public static ClusterConfig requireValid(final ClusterConfig config, final String source) {
        final List<ConfigError> errors = validate(config);
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
        return config;
    }

    static String range(final long min, final long max) {
        return min + ".." + max;
    }
}
