package lb.dataplane.config;

/**
 * The field names of the cluster file, shared by the validator's messages, the parser and the writer so that an
 * error names the field exactly as the operator wrote it.
 */
public final class ConfigFields {
    public static final String CLUSTER = "cluster";
    public static final String NAME = "name";
    public static final String BUCKETS = "buckets";
    public static final String SECRET = "secret";
    public static final String MODE = "mode";
    public static final String HEARTBEAT = "heartbeat";
    public static final String PERIOD = "period";
    public static final String LOSS_TOLERANCE = "loss-tolerance";
    public static final String GRATUITOUS_ARP = "gratuitous-arp";
    public static final String COUNT = "count";
    public static final String SPACING = "spacing";
    public static final String IPV6_NETWORK_PREFIX = "ipv6-network-prefix";
    /** Cluster parameter: UDP flow tracking timeout. */
    public static final String UDP_FLOW_TIMEOUT = "udp-flow-timeout";
    public static final String LIMITS = "limits";
    public static final String HOSTS = "hosts";
    public static final String PORT_RULES = "port-rules";
    public static final String VIPS = "vips";
    public static final String VIP = "vip";
    public static final String PORTS = "ports";
    public static final String PROTOCOL = "protocol";
    public static final String FILTERING = "filtering";
    public static final String AFFINITY = "affinity";
    public static final String STATE = "state";
    public static final String EXTENDED_AFFINITY = "extended-affinity";
    public static final String ID = "id";
    public static final String PRIORITY = "priority";
    public static final String WEIGHTS = "weights";
    public static final String HANDLING_PRIORITIES = "handling-priorities";
    public static final String MANAGEMENT = "management";
    public static final String TRANSPORT = "transport";
    public static final String GROUP = "group";

    private ConfigFields() {
    }

    /**
     * {@code a.b}: a field inside a section.
     */
    public static String path(final String section, final String field) {
        return section + "." + field;
    }

    /**
     * {@code list[i]}: an element of a list.
     */
    public static String element(final String list, final int index) {
        return list + "[" + index + "]";
    }

    /**
     * {@code map[key]}: an entry of a map keyed by rule.
     */
    public static String entry(final String map, final Object key) {
        return map + "[" + key + "]";
    }
}
