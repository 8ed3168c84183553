package lb.dataplane.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;

/**
 * Feeds a host from the static cluster file when no lbd drives it: every member taken as live, bucket maps from the
 * same assignment function lbd uses, applied through the same {@link HostState} calls lbd's messages become (offer
 * the config, apply a view at epoch 1). Several dataplanes given one file and their own host ids split the traffic.
 */
public final class StaticClusterFeed {
    /** The epoch of the file's view: the first a host applies. */
    public static final long EPOCH = 1;

    private StaticClusterFeed() {
    }

    /**
     * Applies the file's view to the host.
     *
     * @param config the validated cluster file.
     * @param host   the host to feed.
     * @return the assignment applied, for the start-up listing.
     * @throws HostStateException when the host refuses it (this host not a member).
     */
    public static ClusterAssignment apply(final ClusterConfig config, final HostState host) {
        final Set<Integer> live = new TreeSet<>();
        config.members().forEach(m -> live.add(m.hostId()));
        final ClusterAssignment assignment = ClusterAssignment.compute(config, live, ClusterAssignment.NONE);
        final List<RuleState> states = new ArrayList<>();
        for (final PortRule rule : config.canonicalRules()) {
            states.add(rule.state());
        }
        final String fingerprint = config.fingerprint().sha256Hex();
        host.offerConfig(config, fingerprint);
        host.applyView(EPOCH, fingerprint, RuleOwnership.of(config, assignment, ClusterAssignment.NONE), states,
            Set.copyOf(config.vips()));
        return assignment;
    }
}
