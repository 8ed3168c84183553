package lb.dataplane.config;

import static lb.dataplane.config.ConfigFields.UDP_FLOW_TIMEOUT;
import static lb.dataplane.config.ConfigFields.BUCKETS;
import static lb.dataplane.config.ConfigFields.CLUSTER;
import static lb.dataplane.config.ConfigFields.COUNT;
import static lb.dataplane.config.ConfigFields.GRATUITOUS_ARP;
import static lb.dataplane.config.ConfigFields.HEARTBEAT;
import static lb.dataplane.config.ConfigFields.HOSTS;
import static lb.dataplane.config.ConfigFields.IPV6_NETWORK_PREFIX;
import static lb.dataplane.config.ConfigFields.LIMITS;
import static lb.dataplane.config.ConfigFields.LOSS_TOLERANCE;
import static lb.dataplane.config.ConfigFields.NAME;
import static lb.dataplane.config.ConfigFields.PERIOD;
import static lb.dataplane.config.ConfigFields.PORT_RULES;
import static lb.dataplane.config.ConfigFields.SECRET;
import static lb.dataplane.config.ConfigFields.SPACING;
import static lb.dataplane.config.ConfigFields.path;
import static lb.dataplane.config.ConfigValidator.range;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks the cluster parameters.
 */
final class ParameterChecks {
    /** Names that are safe in file names, metrics labels and shell arguments. */
    static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    static final String NAME_RULE = "1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private ParameterChecks() {
    }

    static void check(final ClusterParameters p, final List<ConfigError> errors) {
        if (!NAME_PATTERN.matcher(p.name()).matches()) {
            errors.add(error(NAME, "'" + p.name() + "'", "not a valid name", NAME_RULE));
        }
        checkRange(BUCKETS, p.bucketCount(), 1, ClusterParameters.MAX_BUCKET_COUNT, errors);
        if (p.secret().isZero()) {
            errors.add(error(SECRET, "all zeros", "the flow-hash key must be secret to be any use",
                "32 random hex digits, e.g. from `openssl rand -hex 16`"));
        }
        checkDuration(path(HEARTBEAT, PERIOD), p.heartbeat().period(), Heartbeat.MIN_PERIOD, Heartbeat.MAX_PERIOD, errors);
        checkRange(path(HEARTBEAT, LOSS_TOLERANCE), p.heartbeat().lossTolerance(),
            Heartbeat.MIN_LOSS_TOLERANCE, Heartbeat.MAX_LOSS_TOLERANCE, errors);
        final Heartbeat heartbeat = p.heartbeat();
        if (heartbeat.transport() == HeartbeatTransport.MULTICAST && heartbeat.group().isEmpty()) {
            errors.add(error(path(HEARTBEAT, ConfigFields.GROUP), "(none)", "transport multicast needs a group",
                "a multicast group and port, e.g. 239.1.1.1:7401"));
        }
        if (heartbeat.transport() == HeartbeatTransport.PEERS && heartbeat.group().isPresent()) {
            errors.add(error(path(HEARTBEAT, ConfigFields.GROUP), heartbeat.group().orElseThrow().toString(),
                "a group is only for transport multicast", "no group, or transport: multicast"));
        }
        heartbeat.group().filter(group -> !group.isMulticast()).ifPresent(group -> errors.add(error(
            path(HEARTBEAT, ConfigFields.GROUP), group.toString(), "not a multicast address",
            "a group in 224.0.0.0/4 or ff00::/8, with a port")));
        checkRange(path(GRATUITOUS_ARP, COUNT), p.gratuitousArp().count(),
            GratuitousArp.MIN_COUNT, GratuitousArp.MAX_COUNT, errors);
        checkDuration(path(GRATUITOUS_ARP, SPACING), p.gratuitousArp().spacing(),
            GratuitousArp.MIN_SPACING, GratuitousArp.MAX_SPACING, errors);
        checkRange(IPV6_NETWORK_PREFIX, p.ipv6NetworkPrefix(), 1, 128, errors);
        if (!p.udpFlowTimeout().isZero()) {
            checkDuration(UDP_FLOW_TIMEOUT, p.udpFlowTimeout(), Duration.ofSeconds(1),
                ClusterParameters.MAX_UDP_FLOW_TIMEOUT, errors);
        }
        checkRange(path(LIMITS, HOSTS), p.maxHosts(), 1, ClusterParameters.MAX_HOSTS_CEILING, errors);
        checkRange(path(LIMITS, PORT_RULES), p.maxPortRules(), 1, ClusterParameters.MAX_PORT_RULES_CEILING, errors);
    }

    private static void checkRange(
        final String field, final int value, final int min, final int max, final List<ConfigError> errors) {
        if (value < min || value > max) {
            errors.add(error(field, Integer.toString(value), "out of range", range(min, max)));
        }
    }

    private static void checkDuration(
        final String field, final Duration value, final Duration min, final Duration max,
        final List<ConfigError> errors) {
        final String valid = Durations.format(min) + ".." + Durations.format(max) + " in whole milliseconds";
        if (value.toNanosPart() % 1_000_000 != 0) {
            errors.add(error(field, Durations.format(value), "not a whole number of milliseconds", valid));
        } else if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            errors.add(error(field, Durations.format(value), "out of range", valid));
        }
    }

    private static ConfigError error(final String field, final String value, final String problem, final String valid) {
        return new ConfigError(CLUSTER, field, value, problem, valid);
    }
}
