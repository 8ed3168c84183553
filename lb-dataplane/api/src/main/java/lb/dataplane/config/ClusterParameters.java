package lb.dataplane.config;

import java.time.Duration;

import java.util.Objects;

/**
 * The cluster-wide parameters every host must agree on.
 *
 * @param name               the cluster's name, shown by tools.
 * @param bucketCount        buckets per port rule (NLB: 60), 1..65536.
 * @param secret             the flow-hash key.
 * @param mode               how the cluster MAC is presented.
 * @param heartbeat          heartbeat period and loss tolerance.
 * @param gratuitousArp      announcements on gaining a VIP.
 * @param ipv6NetworkPrefix  prefix length that network affinity keeps together for IPv6 (IPv4 is always /24).
 * @param maxHosts           most members; host priorities and handling priorities run 1..maxHosts.
 * @param maxPortRules       most port rules.
 * @param udpFlowTimeout     how long a UDP flow stays on its host after its last packet, across convergences;
 *                           {@link Duration#ZERO} (the default, as NLB) leaves UDP untracked: it follows its bucket.
 */
public record ClusterParameters(
    String name,
    int bucketCount,
    ClusterSecret secret,
    OperationMode mode,
    Heartbeat heartbeat,
    GratuitousArp gratuitousArp,
    int ipv6NetworkPrefix,
    int maxHosts,
    int maxPortRules,
    Duration udpFlowTimeout) {
    /** NLB's bucket count. */
    public static final int DEFAULT_BUCKET_COUNT = 60;
    /** Most buckets: owners fit a 16-bit index and the finest useful balance for 64 hosts. */
    public static final int MAX_BUCKET_COUNT = 65536;
    /** The usual IPv6 subnet size, one site's LAN. */
    public static final int DEFAULT_IPV6_NETWORK_PREFIX = 64;
    /** NLB's host limit. */
    public static final int DEFAULT_MAX_HOSTS = 32;
    /** Ceiling of {@link #maxHosts}: a set of host priorities fits one 64-bit word. */
    public static final int MAX_HOSTS_CEILING = 64;
    /** NLB's port-rule limit. */
    public static final int DEFAULT_MAX_PORT_RULES = 32;
    /**
     * Ceiling of {@link #maxPortRules}: the tables keep a rule in 8 bits and the default rule takes one value; rule
     * matching is a scan, kept short.
     */
    public static final int MAX_PORT_RULES_CEILING = 255;

    public ClusterParameters {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(gratuitousArp, "gratuitousArp");
        Objects.requireNonNull(udpFlowTimeout, "udpFlowTimeout");
    }

    /**
     * Parameters with every default but the two that have none: the name and the secret.
     */
    public static ClusterParameters defaults(final String name, final ClusterSecret secret) {
        return new ClusterParameters(name, DEFAULT_BUCKET_COUNT, secret, OperationMode.UNICAST, Heartbeat.DEFAULT,
            GratuitousArp.DEFAULT, DEFAULT_IPV6_NETWORK_PREFIX, DEFAULT_MAX_HOSTS, DEFAULT_MAX_PORT_RULES,
            Duration.ZERO);
    }

    /** Longest UDP flow timeout. */
    public static final Duration MAX_UDP_FLOW_TIMEOUT = Duration.ofDays(1);

    /** A copy with another UDP flow timeout. */
    public ClusterParameters withUdpFlowTimeout(final Duration timeout) {
        return new ClusterParameters(name, bucketCount, secret, mode, heartbeat, gratuitousArp, ipv6NetworkPrefix,
            maxHosts, maxPortRules, timeout);
    }

    /** A copy with another bucket count. */
    public ClusterParameters withBucketCount(final int newBucketCount) {
        return new ClusterParameters(name, newBucketCount, secret, mode, heartbeat, gratuitousArp, ipv6NetworkPrefix,
            maxHosts, maxPortRules,
            udpFlowTimeout);
    }

    /** A copy with another IPv6 network-affinity prefix. */
    public ClusterParameters withIpv6NetworkPrefix(final int prefix) {
        return new ClusterParameters(name, bucketCount, secret, mode, heartbeat, gratuitousArp, prefix,
            maxHosts, maxPortRules,
            udpFlowTimeout);
    }
}
