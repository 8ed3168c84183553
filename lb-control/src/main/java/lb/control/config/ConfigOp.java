package lb.control.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.ConfigError;
import lb.dataplane.config.ConfigException;
import lb.dataplane.config.ConfigFields;
import lb.dataplane.config.ConfigValidator;
import lb.dataplane.config.Durations;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

/**
 * One change an operator makes to the live cluster config. Pure: {@link #applyTo} computes the config after the
 * change, or throws the config model's {@link ConfigException}, whose errors name the part, the field, the value and
 * what is valid, when the change does not fit the config it is applied to (unknown rule or host, duplicate, or a
 * result the {@link ConfigValidator} rejects).
 *
 * <p>A rule is named by its {@link RuleKey}; a rule's key cannot be changed in place (other settings refer to rules by
 * key): remove the rule and add the new one.
 */
public sealed interface ConfigOp {
    /**
     * The config after this change.
     *
     * @throws ConfigException when the change does not fit {@code config}; the config itself is never changed.
     */
    ClusterConfig applyTo(ClusterConfig config);

    /** The change as an operator would name it, e.g. {@code set-weight host 2 all:80-80/tcp 30}. */
    String describe();

    /**
     * Adds a port rule, with explicit per-host settings: load weights for a multiple-host rule, handling priorities
     * for a single-host rule (hosts left out take the defaults).
     */
    record AddRule(PortRule rule, SortedMap<Integer, LoadWeight> weights, SortedMap<Integer, Integer> handlingPriorities)
        implements ConfigOp {
        public AddRule {
            Objects.requireNonNull(rule, "rule");
            weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
            handlingPriorities = Collections.unmodifiableSortedMap(new TreeMap<>(handlingPriorities));
        }

        /** A rule with default per-host settings. */
        public AddRule(final PortRule rule) {
            this(rule, new TreeMap<>(), new TreeMap<>());
        }

        @Override
        public ClusterConfig applyTo(final ClusterConfig config) {
            final Optional<PortRule> existing = config.rule(rule.key());
            if (existing.isPresent()) {
                throw new ConfigException(source(this), List.of(new ConfigError(ConfigFields.PORT_RULES, KEY_FIELD,
                    rule.key().toString(), "a port rule with this key exists: " + config.ruleLabel(existing.get()),
                    "a key no rule has (to change the rule, set it; to change its key, remove it and add the new one)")));
            }
            final List<ConfigError> unknown = new ArrayList<>();
            weights.keySet().forEach(host -> unknownHost(config, host, unknown));
            handlingPriorities.keySet().forEach(host -> unknownHost(config, host, unknown));
            if (!unknown.isEmpty()) {
                throw new ConfigException(source(this), unknown);
            }
            final List<PortRule> rules = new ArrayList<>(config.portRules());
            rules.add(rule);
            final List<ClusterMember> members = config.members().stream().map(member -> {
                ClusterMember changed = member;
                final LoadWeight weight = weights.get(member.hostId());
                if (weight != null) {
                    changed = changed.withLoadWeight(rule.key(), weight);
                }
                final Integer priority = handlingPriorities.get(member.hostId());
                if (priority != null) {
                    changed = changed.withHandlingPriority(rule.key(), priority);
                }
                return changed;
            }).toList();
            return valid(new ClusterConfig(config.parameters(), config.vips(), rules, members), this);
        }

        @Override
        public String describe() {
            return "add-rule " + rule + (weights.isEmpty() ? "" : " weights " + weights) +
                (handlingPriorities.isEmpty() ? "" : " handling-priorities " + handlingPriorities);
        }
    }

    /**
     * Changes how a rule spreads its traffic; fields left empty keep their value. A filtering change drops the
     * per-host settings that no longer apply (load weights off a multiple-host rule, handling priorities off a
     * single-host one); the hosts then take the defaults.
     */
    record SetRule(RuleKey key, Optional<FilteringMode> filtering, Optional<Affinity> affinity,
        Optional<Duration> extendedAffinity) implements ConfigOp {
        public SetRule {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(filtering, "filtering");
            Objects.requireNonNull(affinity, "affinity");
            Objects.requireNonNull(extendedAffinity, "extendedAffinity");
            if (filtering.isEmpty() && affinity.isEmpty() && extendedAffinity.isEmpty()) {
                throw new IllegalArgumentException("set-rule " + key + " changes nothing: give " +
                    ConfigFields.FILTERING + ", " + ConfigFields.AFFINITY + " or " + ConfigFields.EXTENDED_AFFINITY);
            }
        }

        @Override
        public ClusterConfig applyTo(final ClusterConfig config) {
            final PortRule old = requireRule(config, key, this);
            final PortRule rule = old.withFiltering(filtering.orElse(old.filtering()))
                .withAffinity(affinity.orElse(old.affinity()))
                .withExtendedAffinity(extendedAffinity.orElse(old.extendedAffinity()));
            final FilteringMode mode = rule.filtering();
            final List<ClusterMember> members = config.members().stream().map(member -> {
                final TreeMap<RuleKey, LoadWeight> weights = new TreeMap<>(member.loadWeights());
                final TreeMap<RuleKey, Integer> priorities = new TreeMap<>(member.handlingPriorities());
                if (mode != FilteringMode.MULTIPLE) {
                    weights.remove(key);
                }
                if (mode != FilteringMode.SINGLE) {
                    priorities.remove(key);
                }
                return new ClusterMember(member.hostId(), member.hostPriority(), member.name(), weights, priorities,
                    member.management());
            }).toList();
            return valid(withRule(config, old, rule, members), this);
        }

        @Override
        public String describe() {
            return "set-rule " + key + filtering.map(f -> " filtering=" + f.label()).orElse("") +
                affinity.map(a -> " affinity=" + a.name().toLowerCase(java.util.Locale.ROOT)).orElse("") +
                extendedAffinity.map(d -> " extended-affinity=" + Durations.format(d)).orElse("");
        }
    }

    /** Removes a rule and every host's settings for it. */
    record RemoveRule(RuleKey key) implements ConfigOp {
        public RemoveRule {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public ClusterConfig applyTo(final ClusterConfig config) {
            final PortRule old = requireRule(config, key, this);
            final List<PortRule> rules = new ArrayList<>(config.portRules());
            rules.remove(old);
            final List<ClusterMember> members = config.members().stream().map(member -> {
                final TreeMap<RuleKey, LoadWeight> weights = new TreeMap<>(member.loadWeights());
                final TreeMap<RuleKey, Integer> priorities = new TreeMap<>(member.handlingPriorities());
                weights.remove(key);
                priorities.remove(key);
                return new ClusterMember(member.hostId(), member.hostPriority(), member.name(), weights, priorities,
                    member.management());
            }).toList();
            return valid(new ClusterConfig(config.parameters(), config.vips(), rules, members), this);
        }

        @Override
        public String describe() {
            return "remove-rule " + key;
        }
    }

    /** Enables, disables or drains a rule on every host. */
    record SetRuleState(RuleKey key, RuleState state) implements ConfigOp {
        public SetRuleState {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(state, "state");
        }

        @Override
        public ClusterConfig applyTo(final ClusterConfig config) {
            final PortRule old = requireRule(config, key, this);
            return valid(withRule(config, old, old.withState(state), config.members()), this);
        }

        @Override
        public String describe() {
            return switch (state) {
                case ENABLED -> "enable ";
                case DISABLED -> "disable ";
                case DRAINING -> "drain ";
            } + key;
        }
    }

    /** Sets one host's load weight on a multiple-host rule. */
    record SetHostWeight(int hostId, RuleKey key, LoadWeight weight) implements ConfigOp {
        public SetHostWeight {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(weight, "weight");
        }

        @Override
        public ClusterConfig applyTo(final ClusterConfig config) {
            requireRule(config, key, this);
            return valid(withMember(config, hostId, this, m -> m.withLoadWeight(key, weight)), this);
        }

        @Override
        public String describe() {
            return "set-weight host " + hostId + " " + key + " " + weight;
        }
    }

    /** Sets one host's handling priority on a single-host rule. */
    record SetHandlingPriority(int hostId, RuleKey key, int priority) implements ConfigOp {
        public SetHandlingPriority {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public ClusterConfig applyTo(final ClusterConfig config) {
            requireRule(config, key, this);
            return valid(withMember(config, hostId, this, m -> m.withHandlingPriority(key, priority)), this);
        }

        @Override
        public String describe() {
            return "set-handling-priority host " + hostId + " " + key + " " + priority;
        }
    }

    /** Adds a VIP. */
    record AddVip(IpAddress vip) implements ConfigOp {
        public AddVip {
            Objects.requireNonNull(vip, "vip");
        }

        @Override
        public ClusterConfig applyTo(final ClusterConfig config) {
            final int index = config.vips().indexOf(vip);
            if (index >= 0) {
                throw new ConfigException(source(this), List.of(new ConfigError(ConfigFields.VIPS,
                    ConfigFields.element(ConfigFields.VIPS, index), vip.toString(), "already a VIP of the cluster",
                    "an address not in " + ConfigFields.VIPS + " " + config.vips())));
            }
            final List<IpAddress> vips = new ArrayList<>(config.vips());
            vips.add(vip);
            return valid(new ClusterConfig(config.parameters(), vips, config.portRules(), config.members()), this);
        }

        @Override
        public String describe() {
            return "add-vip " + vip;
        }
    }

    /** Removes a VIP; rules naming it must be removed first (the validator says which). */
    record RemoveVip(IpAddress vip) implements ConfigOp {
        public RemoveVip {
            Objects.requireNonNull(vip, "vip");
        }

        @Override
        public ClusterConfig applyTo(final ClusterConfig config) {
            if (!config.isVip(vip)) {
                throw new ConfigException(source(this), List.of(new ConfigError(ConfigFields.VIPS, ConfigFields.VIPS,
                    vip.toString(), "not one of the cluster's VIPs", "one of: " + list(config.vips()))));
            }
            final List<IpAddress> vips = new ArrayList<>(config.vips());
            vips.remove(vip);
            return valid(new ClusterConfig(config.parameters(), vips, config.portRules(), config.members()), this);
        }

        @Override
        public String describe() {
            return "remove-vip " + vip;
        }
    }

    /** Replaces the whole config (what {@code lbctl config apply FILE} would send). */
    record Replace(ClusterConfig config) implements ConfigOp {
        public Replace {
            Objects.requireNonNull(config, "config");
        }

        @Override
        public ClusterConfig applyTo(final ClusterConfig current) {
            return valid(config, this);
        }

        @Override
        public String describe() {
            return "replace with config " + config.fingerprint();
        }
    }

    /** The field naming a rule by its key in messages. */
    String KEY_FIELD = "vip:ports/protocol";

    private static String source(final ConfigOp op) {
        return "change '" + op.describe() + "'";
    }

    private static ClusterConfig valid(final ClusterConfig config, final ConfigOp op) {
        final List<ConfigError> errors = ConfigValidator.validate(config);
        if (!errors.isEmpty()) {
            throw new ConfigException(source(op), errors);
        }
        return config;
    }

    private static PortRule requireRule(final ClusterConfig config, final RuleKey key, final ConfigOp source) {
        return config.rule(key).orElseThrow(() -> new ConfigException(source(source), List.of(new ConfigError(
            ConfigFields.PORT_RULES, KEY_FIELD, key.toString(), "no port rule is " + key,
            config.portRules().isEmpty() ? "(there are no port rules)" :
                "one of: " + list(config.portRules().stream().map(PortRule::key).sorted().toList())))));
    }

    private static void unknownHost(final ClusterConfig config, final int hostId, final List<ConfigError> errors) {
        if (config.member(hostId).isEmpty()) {
            errors.add(new ConfigError(ConfigFields.HOSTS, ConfigFields.ID, Integer.toString(hostId),
                "no member has host id " + hostId,
                "one of: " + list(config.members().stream().map(ClusterMember::hostId).toList())));
        }
    }

    private static ClusterConfig withMember(final ClusterConfig config, final int hostId, final ConfigOp source,
        final UnaryOperator<ClusterMember> change) {
        final List<ConfigError> errors = new ArrayList<>();
        unknownHost(config, hostId, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(source(source), errors);
        }
        final List<ClusterMember> members =
            config.members().stream().map(m -> m.hostId() == hostId ? change.apply(m) : m).toList();
        return new ClusterConfig(config.parameters(), config.vips(), config.portRules(), members);
    }

    private static ClusterConfig withRule(final ClusterConfig config, final PortRule old, final PortRule rule,
        final List<ClusterMember> members) {
        final List<PortRule> rules = config.portRules().stream().map(r -> r.equals(old) ? rule : r).toList();
        return new ClusterConfig(config.parameters(), config.vips(), rules, members);
    }

    private static String list(final List<?> values) {
        return values.stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
