package lb.control.affinity;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.hash.FlowHasher;

/**
 * The bucket of a sticky client in a rule, as the dataplane computes it: the keyed flow hash of its affinity key
 * (extended affinity needs single or network affinity, so the port never counts).
 */
public final class ClientBuckets {
    private final FlowHasher hasher;
    private final int bucketCount;

    public ClientBuckets(final ClusterConfig config) {
        this.hasher = new FlowHasher(config.parameters().secret(), config.parameters().ipv6NetworkPrefix());
        this.bucketCount = config.parameters().bucketCount();
    }

    /** The bucket of the client in the rule. */
    public int bucket(final PortRule rule, final IpAddress client) {
        final long hash = client.isIpv4() ? hasher.hashIpv4(client.ipv4(), 0, rule.affinity()) :
            hasher.hashIpv6(client.hi(), client.lo(), 0, rule.affinity());
        return FlowHasher.bucket(hash, bucketCount);
    }
}
