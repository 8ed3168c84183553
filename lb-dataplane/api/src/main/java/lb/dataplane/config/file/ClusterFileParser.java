package lb.dataplane.config.file;

import static lb.dataplane.config.ConfigFields.UDP_FLOW_TIMEOUT;
import static lb.dataplane.config.ConfigFields.AFFINITY;
import static lb.dataplane.config.ConfigFields.BUCKETS;
import static lb.dataplane.config.ConfigFields.CLUSTER;
import static lb.dataplane.config.ConfigFields.COUNT;
import static lb.dataplane.config.ConfigFields.EXTENDED_AFFINITY;
import static lb.dataplane.config.ConfigFields.FILTERING;
import static lb.dataplane.config.ConfigFields.GRATUITOUS_ARP;
import static lb.dataplane.config.ConfigFields.HANDLING_PRIORITIES;
import static lb.dataplane.config.ConfigFields.HEARTBEAT;
import static lb.dataplane.config.ConfigFields.GROUP;
import static lb.dataplane.config.ConfigFields.HOSTS;
import static lb.dataplane.config.ConfigFields.MANAGEMENT;
import static lb.dataplane.config.ConfigFields.TRANSPORT;
import static lb.dataplane.config.ConfigFields.ID;
import static lb.dataplane.config.ConfigFields.IPV6_NETWORK_PREFIX;
import static lb.dataplane.config.ConfigFields.LIMITS;
import static lb.dataplane.config.ConfigFields.LOSS_TOLERANCE;
import static lb.dataplane.config.ConfigFields.MODE;
import static lb.dataplane.config.ConfigFields.NAME;
import static lb.dataplane.config.ConfigFields.PERIOD;
import static lb.dataplane.config.ConfigFields.PORTS;
import static lb.dataplane.config.ConfigFields.PORT_RULES;
import static lb.dataplane.config.ConfigFields.PRIORITY;
import static lb.dataplane.config.ConfigFields.PROTOCOL;
import static lb.dataplane.config.ConfigFields.SECRET;
import static lb.dataplane.config.ConfigFields.SPACING;
import static lb.dataplane.config.ConfigFields.STATE;
import static lb.dataplane.config.ConfigFields.VIP;
import static lb.dataplane.config.ConfigFields.VIPS;
import static lb.dataplane.config.ConfigFields.WEIGHTS;
import static lb.dataplane.config.ConfigFields.element;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.ClusterParameters;
import lb.dataplane.config.ClusterSecret;
import lb.dataplane.config.ConfigError;
import lb.dataplane.config.ConfigException;
import lb.dataplane.config.ConfigValidator;
import lb.dataplane.config.Durations;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.GratuitousArp;
import lb.dataplane.config.Endpoint;
import lb.dataplane.config.Heartbeat;
import lb.dataplane.config.HeartbeatTransport;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.OperationMode;
import lb.dataplane.config.PortRange;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.Protocol;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

/**
 * Reads the YAML cluster file into a valid {@link ClusterConfig}, from text: no I/O here
 * ({@link ClusterFileLoader} reads files).
 *
 * <p>Errors come in two passes, each complete: first everything wrong with how the file is written (YAML syntax,
 * unknown or missing fields, values of the wrong form), then, once it reads, everything wrong with what it says
 * ({@link ConfigValidator}). The second pass would only add noise about values the first could not read.
 */
public final class ClusterFileParser {
    static final List<String> TOP_FIELDS = List.of(CLUSTER, VIPS, PORT_RULES, HOSTS);
    static final List<String> CLUSTER_FIELDS =
        List.of(NAME, SECRET, BUCKETS, MODE, HEARTBEAT, GRATUITOUS_ARP, IPV6_NETWORK_PREFIX, UDP_FLOW_TIMEOUT, LIMITS);
    static final List<String> HEARTBEAT_FIELDS = List.of(PERIOD, LOSS_TOLERANCE, TRANSPORT, GROUP);
    static final List<String> GRATUITOUS_ARP_FIELDS = List.of(COUNT, SPACING);
    static final List<String> LIMITS_FIELDS = List.of(HOSTS, PORT_RULES);
    static final List<String> RULE_FIELDS = List.of(VIP, PORTS, PROTOCOL, FILTERING, AFFINITY, STATE, EXTENDED_AFFINITY);
    static final List<String> HOST_FIELDS = List.of(ID, PRIORITY, NAME, WEIGHTS, HANDLING_PRIORITIES, MANAGEMENT);

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    private static final ClusterSecret NO_SECRET = new ClusterSecret(0, 0);
    private static final String HOST_IDS = ClusterMember.MIN_HOST_ID + ".." + ClusterMember.MAX_HOST_ID;

    private ClusterFileParser() {
    }

    /**
     * Parses and validates cluster-file text.
     *
     * @param source the file name, for messages.
     * @throws ConfigException with every error of the first pass that found any.
     */
    public static ClusterConfig parse(final String yaml, final String source) {
        final JsonNode root;
        try {
            root = MAPPER.readTree(yaml);
        } catch (final JacksonException e) {
            throw new ConfigException(source, List.of(syntaxError(e)));
        }
        final List<ConfigError> errors = new ArrayList<>();
        if (root == null || root.isMissingNode()) {
            errors.add(new ConfigError("(file)", "(document)", "(empty)", "the file is empty",
                "a mapping with " + String.join(", ", TOP_FIELDS)));
            throw new ConfigException(source, errors);
        }
        final Optional<YamlSection> top = YamlSection.of(root, "", "(document)", errors, TOP_FIELDS);
        if (top.isEmpty()) {
            throw new ConfigException(source, errors);
        }
        final ClusterConfig config = read(top.get());
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
        return ConfigValidator.requireValid(config, source);
    }

    private static ClusterConfig read(final YamlSection top) {
        top.require(CLUSTER, "a mapping with at least name and secret");
        top.require(VIPS, "a list of IPv4 or IPv6 addresses");
        top.require(HOSTS, "a list of members, each with id and priority");
        final ClusterParameters parameters = top.section(CLUSTER, CLUSTER_FIELDS)
            .map(ClusterFileParser::parameters)
            .orElse(ClusterParameters.defaults("", NO_SECRET));
        final List<IpAddress> vips = vips(top);
        final List<PortRule> rules = new ArrayList<>();
        final List<JsonNode> ruleNodes = top.list(PORT_RULES, "a list of port rules");
        for (int i = 0; i < ruleNodes.size(); i++) {
            YamlSection.of(ruleNodes.get(i), element(PORT_RULES, i), element(PORT_RULES, i), top.errors(), RULE_FIELDS)
                .map(ClusterFileParser::rule)
                .ifPresent(rules::add);
        }
        final List<ClusterMember> members = new ArrayList<>();
        final List<JsonNode> hostNodes = top.list(HOSTS, "a list of members, each with id and priority");
        for (int i = 0; i < hostNodes.size(); i++) {
            YamlSection.of(hostNodes.get(i), element(HOSTS, i), element(HOSTS, i), top.errors(), HOST_FIELDS)
                .map(ClusterFileParser::member)
                .ifPresent(members::add);
        }
        return new ClusterConfig(parameters, vips, rules, members);
    }

    private static List<IpAddress> vips(final YamlSection top) {
        final String valid = "an IPv4 (10.0.0.100) or IPv6 (2001:db8::100) address";
        final List<IpAddress> vips = new ArrayList<>();
        final List<JsonNode> nodes = top.list(VIPS, "a list of IPv4 or IPv6 addresses");
        for (int i = 0; i < nodes.size(); i++) {
            final JsonNode node = nodes.get(i);
            if (!node.isTextual()) {
                top.errors().add(new ConfigError(VIPS, element(VIPS, i), YamlSection.shown(node), "not an address",
                    valid));
                continue;
            }
            try {
                vips.add(IpAddress.parse(node.textValue()));
            } catch (final IllegalArgumentException e) {
                top.errors().add(new ConfigError(VIPS, element(VIPS, i), node.textValue(), e.getMessage(), valid));
            }
        }
        return vips;
    }

    private static ClusterParameters parameters(final YamlSection cluster) {
        final ClusterParameters defaults = ClusterParameters.defaults("", NO_SECRET);
        cluster.require(NAME, "the cluster's name");
        cluster.require(SECRET, "32 random hex digits, e.g. from `openssl rand -hex 16`");
        final String name = cluster.text(NAME, "", "the cluster's name");
        final ClusterSecret secret = secret(cluster);
        final int buckets = cluster.integer(BUCKETS, defaults.bucketCount(), "1.." + ClusterParameters.MAX_BUCKET_COUNT);
        final OperationMode mode = cluster.choice(MODE, OperationMode.class, defaults.mode());
        final Heartbeat heartbeat = cluster.section(HEARTBEAT, HEARTBEAT_FIELDS)
            .map(section -> new Heartbeat(
                section.duration(PERIOD, Heartbeat.DEFAULT.period(), range(Heartbeat.MIN_PERIOD, Heartbeat.MAX_PERIOD)),
                section.integer(LOSS_TOLERANCE, Heartbeat.DEFAULT.lossTolerance(),
                    Heartbeat.MIN_LOSS_TOLERANCE + ".." + Heartbeat.MAX_LOSS_TOLERANCE),
                section.choice(TRANSPORT, HeartbeatTransport.class, HeartbeatTransport.PEERS),
                endpoint(section, GROUP, "a multicast group and port, e.g. 239.1.1.1:7401")))
            .orElse(Heartbeat.DEFAULT);
        final GratuitousArp garp = cluster.section(GRATUITOUS_ARP, GRATUITOUS_ARP_FIELDS)
            .map(section -> new GratuitousArp(
                section.integer(COUNT, GratuitousArp.DEFAULT.count(),
                    GratuitousArp.MIN_COUNT + ".." + GratuitousArp.MAX_COUNT),
                section.duration(SPACING, GratuitousArp.DEFAULT.spacing(),
                    range(GratuitousArp.MIN_SPACING, GratuitousArp.MAX_SPACING))))
            .orElse(GratuitousArp.DEFAULT);
        final int prefix = cluster.integer(IPV6_NETWORK_PREFIX, defaults.ipv6NetworkPrefix(), "1..128");
        final Optional<YamlSection> limits = cluster.section(LIMITS, LIMITS_FIELDS);
        final int maxHosts = limits.map(l -> l.integer(HOSTS, defaults.maxHosts(), "1.." + ClusterParameters.MAX_HOSTS_CEILING))
            .orElse(defaults.maxHosts());
        final int maxRules = limits.map(l -> l.integer(PORT_RULES, defaults.maxPortRules(), "1.." + ClusterParameters.MAX_PORT_RULES_CEILING))
            .orElse(defaults.maxPortRules());
        final Duration udp = cluster.duration(UDP_FLOW_TIMEOUT, Duration.ZERO,
            "0s (off), or " + range(Duration.ofSeconds(1), ClusterParameters.MAX_UDP_FLOW_TIMEOUT));
        return new ClusterParameters(name, buckets, secret, mode, heartbeat, garp, prefix, maxHosts, maxRules, udp);
    }

    private static PortRule rule(final YamlSection rule) {
        final String vipText = rule.text(VIP, RuleKey.ALL_VIPS, "all, or one of the VIPs");
        final Optional<IpAddress> vip = vipText.equalsIgnoreCase(RuleKey.ALL_VIPS) ? Optional.empty() :
            Optional.ofNullable(rule.parsed(VIP, vipText, IpAddress::parse, null, "all, or one of the VIPs"));
        final String portsValid = "a port (80) or a range start-end (8000-8099) within 0..65535";
        final String portsText = rule.scalar(PORTS, portsValid);
        final PortRange ports =
            portsText == null ? PortRange.ALL : rule.parsed(PORTS, portsText, PortRange::parse, PortRange.ALL, portsValid);
        final Protocol protocol = rule.choice(PROTOCOL, Protocol.class, Protocol.BOTH);
        final PortRule defaults = PortRule.of(new RuleKey(vip, ports, protocol));
        return new PortRule(
            defaults.key(),
            rule.choice(FILTERING, FilteringMode.class, defaults.filtering()),
            rule.choice(AFFINITY, Affinity.class, defaults.affinity()),
            rule.choice(STATE, RuleState.class, defaults.state()),
            rule.duration(EXTENDED_AFFINITY, defaults.extendedAffinity(),
                "0s (off) to " + Durations.format(PortRule.MAX_EXTENDED_AFFINITY) + ", in whole seconds"));
    }

    private static ClusterMember member(final YamlSection host) {
        host.require(ID, "a host id " + HOST_IDS);
        host.require(PRIORITY, "a host priority 1..32, unique; the lowest live host is the default host");
        final int id = host.integer(ID, 0, HOST_IDS);
        final int priority = host.integer(PRIORITY, 0, "1..cluster.limits.hosts (32 by default)");
        final Optional<String> name = Optional.ofNullable(host.text(NAME, null, "a name for people"));
        final TreeMap<RuleKey, LoadWeight> weights = new TreeMap<>();
        for (final Map.Entry<String, JsonNode> entry : host.entries(WEIGHTS)) {
            final String field = WEIGHTS + "[" + entry.getKey() + "]";
            final RuleKey key = host.parsed(field, entry.getKey(), RuleKey::parse, null, "a rule key like all:80/tcp");
            final LoadWeight weight = weight(host, field, entry.getValue());
            if (key != null && weight != null && weights.put(key, weight) != null) {
                host.errors().add(sameRuleTwice(host, field, key));
            }
        }
        final TreeMap<RuleKey, Integer> handling = new TreeMap<>();
        for (final Map.Entry<String, JsonNode> entry : host.entries(HANDLING_PRIORITIES)) {
            final String field = HANDLING_PRIORITIES + "[" + entry.getKey() + "]";
            final RuleKey key = host.parsed(field, entry.getKey(), RuleKey::parse, null, "a rule key like all:80/tcp");
            final int value = YamlSection.integer(host.where(), field, entry.getValue(), 0,
                "1..cluster.limits.hosts (32 by default)", host.errors());
            if (key != null && handling.put(key, value) != null) {
                host.errors().add(sameRuleTwice(host, field, key));
            }
        }
        return new ClusterMember(id, priority, name, weights, handling, endpoint(host, MANAGEMENT,
            "where this host's lbd listens: " + Endpoint.FORM));
    }

    private static Optional<Endpoint> endpoint(final YamlSection section, final String field, final String valid) {
        final String text = section.scalar(field, valid);
        return text == null ? Optional.empty() : Optional.ofNullable(section.parsed(field, text, Endpoint::parse, null,
            valid));
    }

    /** Read apart from the other fields because its text must never reach a message or a log. */
    private static ClusterSecret secret(final YamlSection cluster) {
        if (!cluster.has(SECRET)) {
            return NO_SECRET;
        }
        final JsonNode node = cluster.node(SECRET);
        try {
            if (!node.isTextual()) {
                throw new IllegalArgumentException("is not a string (quote it)");
            }
            return ClusterSecret.fromHex(node.textValue());
        } catch (final IllegalArgumentException e) {
            cluster.errors().add(new ConfigError(cluster.where(), SECRET, "(hidden)", e.getMessage(),
                "32 hex digits in quotes, e.g. from `openssl rand -hex 16`"));
            return NO_SECRET;
        }
    }

    private static ConfigError sameRuleTwice(final YamlSection host, final String field, final RuleKey key) {
        return new ConfigError(host.where(), field, key.toString(), "names the same rule as an earlier entry",
            "one entry per rule");
    }

    private static LoadWeight weight(final YamlSection host, final String field, final JsonNode value) {
        if (value.isTextual() && value.textValue().equalsIgnoreCase("equal")) {
            return LoadWeight.EQUAL;
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return LoadWeight.of(value.intValue());
        }
        host.errors().add(new ConfigError(host.where(), field, YamlSection.shown(value), "not a load weight",
            "0..100 (0 = no new traffic) or equal"));
        return null;
    }

    private static String range(final Duration min, final Duration max) {
        return Durations.format(min) + ".." + Durations.format(max);
    }

    private static ConfigError syntaxError(final JacksonException e) {
        final JsonLocation location = e.getLocation();
        final String where = location == null ? "(file)" :
            "line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new ConfigError(where, "(yaml)", "(unreadable)", e.getOriginalMessage(), "well-formed YAML");
    }
}
