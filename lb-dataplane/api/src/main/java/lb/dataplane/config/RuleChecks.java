package lb.dataplane.config;

import static lb.dataplane.config.ConfigFields.EXTENDED_AFFINITY;
import static lb.dataplane.config.ConfigFields.LIMITS;
import static lb.dataplane.config.ConfigFields.PORTS;
import static lb.dataplane.config.ConfigFields.PORT_RULES;
import static lb.dataplane.config.ConfigFields.VIP;
import static lb.dataplane.config.ConfigFields.path;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks the port rules: count, each rule's fields, and that no two rules overlap.
 */
final class RuleChecks {
    private static final String EXTENDED_AFFINITY_RANGE =
        "0s (off) to " + Durations.format(PortRule.MAX_EXTENDED_AFFINITY) + " in whole seconds";

    private RuleChecks() {
    }

    static void check(final ClusterConfig config, final List<ConfigError> errors) {
        final List<PortRule> rules = config.portRules();
        final int max = config.parameters().maxPortRules();
        if (rules.size() > max) {
            errors.add(new ConfigError(PORT_RULES, PORT_RULES, rules.size() + " rules", "too many port rules",
                "at most " + max + " (" + path(ConfigFields.CLUSTER, path(LIMITS, PORT_RULES)) + ")"));
        }
        for (int i = 0; i < rules.size(); i++) {
            checkRule(config, rules.get(i), label(i, rules.get(i)), errors);
        }
        for (int j = 1; j < rules.size(); j++) {
            for (int i = 0; i < j; i++) {
                checkOverlap(i, rules.get(i), j, rules.get(j), errors);
            }
        }
    }

    static String label(final int index, final PortRule rule) {
        return ConfigFields.element(PORT_RULES, index) + " (" + rule.key() + ")";
    }

    private static void checkRule(
        final ClusterConfig config, final PortRule rule, final String where, final List<ConfigError> errors) {
        final RuleKey key = rule.key();
        if (!key.ports().isValid()) {
            errors.add(new ConfigError(where, PORTS, key.ports().toString(), "not a port range",
                "start-end with 0 <= start <= end <= " + PortRange.MAX_PORT + ", or one port"));
        }
        key.vip().filter(vip -> !config.isVip(vip)).ifPresent(vip -> errors.add(new ConfigError(where, VIP,
            vip.toString(), "not one of the cluster's VIPs",
            "all, or one of: " + config.vips().stream().map(IpAddress::toString).collect(Collectors.joining(", ")))));
        checkExtendedAffinity(rule, where, errors);
    }

    private static void checkExtendedAffinity(final PortRule rule, final String where, final List<ConfigError> errors) {
        final Duration timeout = rule.extendedAffinity();
        final String value = Durations.format(timeout);
        if (timeout.isNegative() || timeout.compareTo(PortRule.MAX_EXTENDED_AFFINITY) > 0 || timeout.toNanosPart() != 0) {
            errors.add(new ConfigError(where, EXTENDED_AFFINITY, value, "out of range", EXTENDED_AFFINITY_RANGE));
            return;
        }
        if (timeout.isZero()) {
            return;
        }
        if (rule.filtering() != FilteringMode.MULTIPLE) {
            errors.add(new ConfigError(where, EXTENDED_AFFINITY, value,
                "extended affinity applies only to multiple-host rules; this rule is " + rule.filtering().label(),
                "0s (off)"));
        } else if (rule.affinity() == Affinity.NONE) {
            errors.add(new ConfigError(where, EXTENDED_AFFINITY, value,
                "extended affinity keeps a client on one host, which needs affinity single or network; this rule has " +
                    "affinity none", "0s (off) with affinity none, or set affinity to single or network"));
        }
    }

    private static void checkOverlap(
        final int i, final PortRule first, final int j, final PortRule second, final List<ConfigError> errors) {
        final RuleKey a = first.key();
        final RuleKey b = second.key();
        if (!a.overlaps(b)) {
            return;
        }
        final String vip = a.vip().or(b::vip).map(IpAddress::toString).orElse("any VIP");
        final int port = Math.max(a.ports().start(), b.ports().start());
        final String protocol = a.protocol() == Protocol.BOTH ? lower(b.protocol()) : lower(a.protocol());
        errors.add(new ConfigError(label(j, second), "vip:ports/protocol", b.toString(),
            "overlaps " + label(i, first) + ": a " + protocol.replace("both", "tcp or udp") + " packet to " + vip +
                " port " + port + " would match both",
            "rules that differ in VIP (all overlaps every VIP), in port range, or in protocol (both overlaps tcp " +
                "and udp)"));
    }

    private static String lower(final Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
