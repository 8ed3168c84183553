package lb.dataplane.model;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import lb.dataplane.buckets.BucketAssignment;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.DefaultRule;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;
import lb.dataplane.hash.SipHashReference;

/**
 * The deliberately simple answer to "which host accepts this packet", against which the fast path is checked and on
 * which {@code lbctl explain} stands.
 *
 * <p>Plain Java over the config model: linear rule search, the byte-wise {@link SipHashReference}, the affinity key
 * built bit by bit. It shares no code with the packet path. Rule matching: a destination that is not a VIP is not the
 * cluster's (pass: a host's own traffic at its own MAC, dropped by every host at the cluster MAC); otherwise the rules for that VIP are searched first, then the rules for all VIPs (a specific VIP
 * beats all), each by port range and protocol; VIP traffic no rule covers, and VIP traffic that is neither TCP nor
 * UDP, goes to the {@link DefaultRule}. The model is stateless for now: the bucket's owner in the view decides, with
 * no dirty buckets, connection tracking or extended affinity.
 */
public final class ReferenceModel {
    private static final int SIPHASH_COMPRESSION_ROUNDS = 1;
    private static final int SIPHASH_FINALIZATION_ROUNDS = 3;

    private final ClusterConfig config;
    private final byte[] key;

    /**
     * A model of the cluster this (valid) config describes.
     */
    public ReferenceModel(final ClusterConfig config) {
        this.config = config;
        this.key = config.parameters().secret().toBytes();
    }

    /**
     * What the cluster does with the packet when the hosts hold this view.
     */
    public Decision decide(final Packet packet, final ClusterView view) {
        if (!config.isVip(packet.destination())) {
            return new Decision.Pass(packet, "destination " + packet.destination() + " is not a VIP: not the " +
                "cluster's; a host passes it to its kernel unfiltered when it is sent to the host's own MAC, and " +
                "every host drops it sent to the cluster MAC (cluster_mac_not_vip)");
        }
        final RuleMatch match = match(packet);
        final PortRule rule = match.rule();
        if (rule.state() == RuleState.DISABLED) {
            return new Decision.Drop(packet, match, match + " is disabled");
        }
        if (rule.state() == RuleState.DRAINING) {
            return new Decision.Drop(packet, match, match + " is draining: it accepts only connections a host " +
                "already tracks, and this stateless model tracks none");
        }
        if (rule.filtering() == FilteringMode.DISABLED) {
            return new Decision.Drop(packet, match, match + " has filtering mode disabled: it blocks its traffic");
        }
        if (view.liveHosts().isEmpty()) {
            return new Decision.Drop(packet, match, match + " matched but no host is live");
        }
        return rule.filtering() == FilteringMode.SINGLE ? singleHost(packet, match, view) :
            multipleHost(packet, match, view);
    }

    /**
     * The rule the packet matches, or the default rule; the packet's destination must be a VIP.
     */
    public RuleMatch match(final Packet packet) {
        final Optional<PortRule> specific = find(packet, true);
        final Optional<PortRule> rule = specific.isPresent() ? specific : find(packet, false);
        return rule.map(r -> new RuleMatch(r, config.ruleLabel(r)))
            .orElseGet(() -> new RuleMatch(DefaultRule.RULE, DefaultRule.NAME));
    }

    /**
     * The bucket of the packet's flow under a multiple-host rule.
     */
    public int bucket(final Packet packet, final PortRule rule) {
        final byte[] message = ModelFlowKey.message(
            packet.client(), packet.clientPort(), rule.affinity(), config.parameters().ipv6NetworkPrefix());
        final long hash =
            SipHashReference.hash(key, message, SIPHASH_COMPRESSION_ROUNDS, SIPHASH_FINALIZATION_ROUNDS);
        return (int)Long.remainderUnsigned(hash, config.parameters().bucketCount());
    }

    private Optional<PortRule> find(final Packet packet, final boolean specificVip) {
        for (final PortRule rule : config.portRules()) {
            final boolean vipMatches = specificVip ?
                rule.key().vip().filter(packet.destination()::equals).isPresent() : rule.key().vip().isEmpty();
            if (vipMatches && rule.key().ports().contains(packet.destinationPort()) &&
                rule.key().protocol().covers(packet.ipProtocol())) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private Decision singleHost(final Packet packet, final RuleMatch match, final ClusterView view) {
        final List<ClusterMember> live = view.liveHosts().stream()
            .map(id -> config.member(id).orElseThrow())
            .sorted(Comparator.comparingInt((ClusterMember m) -> m.handlingPriority(match.rule()))
                .thenComparingInt(ClusterMember::hostId))
            .toList();
        final ClusterMember winner = live.getFirst();
        final String candidates = live.stream()
            .map(m -> m.hostId() + "=" + m.handlingPriority(match.rule()))
            .collect(Collectors.joining(", "));
        final String why = DefaultRule.isDefault(match.rule()) ?
            "no port rule covers it, so the " + DefaultRule.NAME + " sends it to the default host, host " +
                winner.hostId() + ", the live host with the lowest host priority (live host=priority: " + candidates + ")" :
            match + " is single-host: host " + winner.hostId() + " has the lowest handling priority among the " +
                "live hosts (host=handling priority: " + candidates + ")";
        return new Decision.Accept(packet, match, Decision.NO_BUCKET, winner.hostId(), why);
    }

    private Decision multipleHost(final Packet packet, final RuleMatch match, final ClusterView view) {
        final PortRule rule = match.rule();
        final int bucket = bucket(packet, rule);
        final BucketAssignment owners = view.assignment().of(rule);
        final int owner = owners.owner(bucket);
        final String how = match + " is multiple-host, " + ModelFlowKey.describe(packet.client(),
            packet.clientPort(), rule.affinity(), config.parameters().ipv6NetworkPrefix()) + "; SipHash-1-3 of the key " +
            "mod " + owners.bucketCount() + " = bucket " + bucket;
        if (owner == BucketAssignment.NO_OWNER) {
            return new Decision.Drop(packet, match, how + ", which has no owner in this view");
        }
        return new Decision.Accept(packet, match, bucket, owner, how + ", owned by host " + owner + " (" +
            owners.countOwnedBy(owner) + " of " + owners.bucketCount() + " buckets; live hosts " + view.liveHosts() + ")");
    }
}
