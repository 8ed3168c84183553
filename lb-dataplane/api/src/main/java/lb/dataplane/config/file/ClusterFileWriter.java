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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.ClusterParameters;
import lb.dataplane.config.Durations;
import lb.dataplane.config.PortRange;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;

/**
 * Writes a {@link ClusterConfig} as cluster-file text that {@link ClusterFileParser} reads back to an equal config;
 * no I/O here (the control plane persists the text atomically).
 *
 * <p>Every parameter and rule field is written out, defaults included, so the file says exactly what the cluster
 * runs; per-host settings are written only where they were set, as their defaults follow the host priority.
 * Durations carry their unit. Comments in a file that was read are not kept.
 */
public final class ClusterFileWriter {
    private static final String HEADER =
        "# lb cluster file, written by lb. Durations: a number of seconds or a number with a unit (ms, s, m, h, d).\n";
    private static final YAMLMapper MAPPER = new YAMLMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
        .build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ClusterFileWriter() {
    }

    /**
     * The config as cluster-file text.
     */
    public static String write(final ClusterConfig config) {
        final ObjectNode root = NODES.objectNode();
        root.set(CLUSTER, parameters(config.parameters()));
        final ArrayNode vips = root.putArray(VIPS);
        config.vips().forEach(vip -> vips.add(vip.toString()));
        final ArrayNode rules = root.putArray(PORT_RULES);
        config.portRules().forEach(rule -> rules.add(rule(rule)));
        final ArrayNode hosts = root.putArray(HOSTS);
        config.members().forEach(member -> hosts.add(member(member)));
        try {
            return HEADER + MAPPER.writeValueAsString(root);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    private static ObjectNode parameters(final ClusterParameters p) {
        final ObjectNode cluster = NODES.objectNode();
        cluster.put(NAME, p.name());
        cluster.put(SECRET, p.secret().toHex());
        cluster.put(BUCKETS, p.bucketCount());
        cluster.put(MODE, YamlNames.of(p.mode()));
        final ObjectNode heartbeat = cluster.putObject(HEARTBEAT);
        heartbeat.put(PERIOD, Durations.format(p.heartbeat().period()));
        heartbeat.put(LOSS_TOLERANCE, p.heartbeat().lossTolerance());
        heartbeat.put(TRANSPORT, YamlNames.of(p.heartbeat().transport()));
        p.heartbeat().group().ifPresent(group -> heartbeat.put(GROUP, group.toString()));
        final ObjectNode garp = cluster.putObject(GRATUITOUS_ARP);
        garp.put(COUNT, p.gratuitousArp().count());
        garp.put(SPACING, Durations.format(p.gratuitousArp().spacing()));
        cluster.put(IPV6_NETWORK_PREFIX, p.ipv6NetworkPrefix());
        cluster.put(UDP_FLOW_TIMEOUT, Durations.format(p.udpFlowTimeout()));
        final ObjectNode limits = cluster.putObject(LIMITS);
        limits.put(HOSTS, p.maxHosts());
        limits.put(PORT_RULES, p.maxPortRules());
        return cluster;
    }

    private static ObjectNode rule(final PortRule rule) {
        final ObjectNode node = NODES.objectNode();
        final RuleKey key = rule.key();
        node.put(VIP, key.vip().map(Object::toString).orElse(RuleKey.ALL_VIPS));
        final PortRange ports = key.ports();
        if (ports.start() == ports.end()) {
            node.put(PORTS, ports.start());
        } else {
            node.put(PORTS, ports.toString());
        }
        node.put(PROTOCOL, YamlNames.of(key.protocol()));
        node.put(FILTERING, YamlNames.of(rule.filtering()));
        node.put(AFFINITY, YamlNames.of(rule.affinity()));
        node.put(STATE, YamlNames.of(rule.state()));
        node.put(EXTENDED_AFFINITY, Durations.format(rule.extendedAffinity()));
        return node;
    }

    private static ObjectNode member(final ClusterMember member) {
        final ObjectNode node = NODES.objectNode();
        node.put(ID, member.hostId());
        node.put(PRIORITY, member.hostPriority());
        member.name().ifPresent(name -> node.put(NAME, name));
        member.management().ifPresent(endpoint -> node.put(MANAGEMENT, endpoint.toString()));
        if (!member.loadWeights().isEmpty()) {
            final ObjectNode weights = node.putObject(WEIGHTS);
            member.loadWeights().forEach((key, weight) -> {
                if (weight.equal()) {
                    weights.put(key.toString(), weight.toString());
                } else {
                    weights.put(key.toString(), weight.percent());
                }
            });
        }
        if (!member.handlingPriorities().isEmpty()) {
            final ObjectNode priorities = node.putObject(HANDLING_PRIORITIES);
            member.handlingPriorities().forEach((key, priority) -> priorities.put(key.toString(), priority));
        }
        return node;
    }
}
