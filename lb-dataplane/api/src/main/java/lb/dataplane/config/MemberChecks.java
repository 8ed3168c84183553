package lb.dataplane.config;

import static lb.dataplane.config.ConfigFields.HANDLING_PRIORITIES;
import static lb.dataplane.config.ConfigFields.HOSTS;
import static lb.dataplane.config.ConfigFields.ID;
import static lb.dataplane.config.ConfigFields.LIMITS;
import static lb.dataplane.config.ConfigFields.NAME;
import static lb.dataplane.config.ConfigFields.PRIORITY;
import static lb.dataplane.config.ConfigFields.WEIGHTS;
import static lb.dataplane.config.ConfigFields.entry;
import static lb.dataplane.config.ConfigFields.path;
import static lb.dataplane.config.ConfigValidator.range;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks the members: count, ids, host priorities, names, and their per-rule weights and handling priorities.
 */
final class MemberChecks {
    private MemberChecks() {
    }

    static void check(final ClusterConfig config, final List<ConfigError> errors) {
        final List<ClusterMember> members = config.members();
        final int maxHosts = config.parameters().maxHosts();
        if (members.isEmpty()) {
            errors.add(new ConfigError(HOSTS, HOSTS, "(none)", "a cluster needs at least one member",
                "a list of hosts with id and priority"));
        }
        if (members.size() > maxHosts) {
            errors.add(new ConfigError(HOSTS, HOSTS, members.size() + " hosts", "too many members",
                "at most " + maxHosts + " (" + path(ConfigFields.CLUSTER, path(LIMITS, HOSTS)) + ")"));
        }
        for (int i = 0; i < members.size(); i++) {
            checkMember(config, i, errors);
        }
        for (final PortRule rule : config.portRules()) {
            if (rule.filtering() == FilteringMode.SINGLE) {
                checkUniqueHandlingPriorities(members, rule, errors);
            }
        }
    }

    static String label(final int index, final ClusterMember member) {
        return ConfigFields.element(HOSTS, index) + " (host " + member.hostId() + ")";
    }

    private static void checkMember(final ClusterConfig config, final int index, final List<ConfigError> errors) {
        final List<ClusterMember> members = config.members();
        final ClusterMember member = members.get(index);
        final String where = label(index, member);
        final int maxHosts = config.parameters().maxHosts();
        if (member.hostId() < ClusterMember.MIN_HOST_ID || member.hostId() > ClusterMember.MAX_HOST_ID) {
            errors.add(new ConfigError(where, ID, Integer.toString(member.hostId()), "out of range",
                range(ClusterMember.MIN_HOST_ID, ClusterMember.MAX_HOST_ID)));
        }
        if (member.hostPriority() < 1 || member.hostPriority() > maxHosts) {
            errors.add(new ConfigError(where, PRIORITY, Integer.toString(member.hostPriority()), "out of range",
                range(1, maxHosts) + " (" + path(ConfigFields.CLUSTER, path(LIMITS, HOSTS)) + ")"));
        }
        member.name().filter(n -> !ParameterChecks.NAME_PATTERN.matcher(n).matches()).ifPresent(n -> errors.add(
            new ConfigError(where, NAME, "'" + n + "'", "not a valid name", ParameterChecks.NAME_RULE)));
        for (int other = 0; other < index; other++) {
            final ClusterMember earlier = members.get(other);
            if (earlier.hostId() == member.hostId()) {
                errors.add(new ConfigError(where, ID, Integer.toString(member.hostId()),
                    "same id as " + label(other, earlier), "a host id used by one member only"));
            }
            if (earlier.hostPriority() == member.hostPriority()) {
                errors.add(new ConfigError(where, PRIORITY, Integer.toString(member.hostPriority()),
                    "same host priority as " + label(other, earlier) + " (NLB does not converge with duplicates)",
                    "a priority " + range(1, maxHosts) + " used by one member only"));
            }
            if (earlier.management().isPresent() && earlier.management().equals(member.management())) {
                errors.add(new ConfigError(where, ConfigFields.MANAGEMENT, member.management().orElseThrow().toString(),
                    "same management endpoint as " + label(other, earlier), "an address:port used by one member only"));
            }
            if (earlier.name().isPresent() && earlier.name().equals(member.name())) {
                errors.add(new ConfigError(where, NAME, "'" + member.name().orElseThrow() + "'",
                    "same name as " + label(other, earlier), "a name used by one member only, or none"));
            }
        }
        member.management().filter(Endpoint::isMulticast).ifPresent(endpoint -> errors.add(new ConfigError(where,
            ConfigFields.MANAGEMENT, endpoint.toString(), "a multicast address", "this host's own unicast " +
            "address on the management network, with a port")));
        member.loadWeights().forEach((key, weight) -> checkWeight(config, where, key, weight, errors));
        member.handlingPriorities().forEach((key, priority) -> checkHandling(config, where, key, priority, errors));
    }

    private static void checkWeight(
        final ClusterConfig config, final String where, final RuleKey key, final LoadWeight weight,
        final List<ConfigError> errors) {
        final String field = entry(WEIGHTS, key);
        final Optional<PortRule> rule = config.rule(key);
        if (rule.isEmpty()) {
            errors.add(new ConfigError(where, field, weight.toString(), "no port rule is " + key,
                "a key of a multiple-host rule: " + keys(config, FilteringMode.MULTIPLE)));
        } else if (rule.get().filtering() != FilteringMode.MULTIPLE) {
            errors.add(new ConfigError(where, field, weight.toString(),
                "load weights apply to multiple-host rules; " + config.ruleLabel(rule.get()) + " is " +
                    rule.get().filtering().label(), "no weight on this rule"));
        } else if (!weight.isValid()) {
            errors.add(new ConfigError(where, field, weight.toString(), "out of range",
                "0.." + LoadWeight.MAX + " (0 = no new traffic) or equal"));
        }
    }

    private static void checkHandling(
        final ClusterConfig config, final String where, final RuleKey key, final int priority,
        final List<ConfigError> errors) {
        final String field = entry(HANDLING_PRIORITIES, key);
        final Optional<PortRule> rule = config.rule(key);
        final int maxHosts = config.parameters().maxHosts();
        if (rule.isEmpty()) {
            errors.add(new ConfigError(where, field, Integer.toString(priority), "no port rule is " + key,
                "a key of a single-host rule: " + keys(config, FilteringMode.SINGLE)));
        } else if (rule.get().filtering() != FilteringMode.SINGLE) {
            errors.add(new ConfigError(where, field, Integer.toString(priority),
                "handling priorities apply to single-host rules; " + config.ruleLabel(rule.get()) + " is " +
                    rule.get().filtering().label(), "no handling priority on this rule"));
        } else if (priority < 1 || priority > maxHosts) {
            errors.add(new ConfigError(where, field, Integer.toString(priority), "out of range",
                range(1, maxHosts) + ", unique per rule"));
        }
    }

    private static void checkUniqueHandlingPriorities(
        final List<ClusterMember> members, final PortRule rule, final List<ConfigError> errors) {
        final Map<Integer, Integer> firstByPriority = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            final ClusterMember member = members.get(i);
            final int priority = member.handlingPriority(rule);
            final Integer first = firstByPriority.putIfAbsent(priority, i);
            if (first != null && members.get(first).hostId() != member.hostId()) {
                final boolean implicit = !member.handlingPriorities().containsKey(rule.key());
                errors.add(new ConfigError(label(i, member), entry(HANDLING_PRIORITIES, rule.key()),
                    priority + (implicit ? " (its host priority, the default)" : ""),
                    "same handling priority as " + label(first, members.get(first)) + " on this rule",
                    "a handling priority unique among the rule's hosts"));
            }
        }
    }

    private static String keys(final ClusterConfig config, final FilteringMode mode) {
        final String keys = config.portRules().stream().filter(r -> r.filtering() == mode)
            .map(r -> r.key().toString()).collect(Collectors.joining(", "));
        return keys.isEmpty() ? "(there are none)" : keys;
    }
}
