package lb.dataplane.config.file;

import java.util.Locale;

/**
 * How enum constants are written in the cluster file: lower case, '-' for '_' ({@code igmp-multicast}).
 */
final class YamlNames {
    private YamlNames() {
    }

    static String of(final Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
