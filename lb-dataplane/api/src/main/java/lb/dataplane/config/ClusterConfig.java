package lb.dataplane.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole cluster configuration every host must share: parameters, VIPs, port rules and members.
 *
 * <p>Immutable; any value is representable so that {@link ConfigValidator} can report every error at once. List order
 * is kept for messages (rules are named by index) but carries no meaning: valid rules never overlap, and the
 * {@linkplain ConfigFingerprint fingerprint} ignores it.
 */
public record ClusterConfig(
    ClusterParameters parameters, List<IpAddress> vips, List<PortRule> portRules, List<ClusterMember> members) {
    public ClusterConfig {
        Objects.requireNonNull(parameters, "parameters");
        vips = List.copyOf(vips);
        portRules = List.copyOf(portRules);
        members = List.copyOf(members);
    }

    /**
     * The member with this host id, if any.
     */
    public Optional<ClusterMember> member(final int hostId) {
        return members.stream().filter(m -> m.hostId() == hostId).findFirst();
    }

    /**
     * Whether the address is one of the cluster's VIPs.
     */
    public boolean isVip(final IpAddress address) {
        return vips.contains(address);
    }

    /**
     * The configured rule with this key, if any.
     */
    public Optional<PortRule> rule(final RuleKey key) {
        return portRules.stream().filter(r -> r.key().equals(key)).findFirst();
    }

    /**
     * How messages name a rule: {@code port-rules[2] (10.0.0.100:443-443/tcp)}, or the default rule's name.
     */
    public String ruleLabel(final PortRule rule) {
        if (DefaultRule.isDefault(rule)) {
            return DefaultRule.NAME;
        }
        return "port-rules[" + portRules.indexOf(rule) + "] (" + rule.key() + ")";
    }

    /**
     * The SHA-256 fingerprint hosts compare before converging together.
     */
    public ConfigFingerprint fingerprint() {
        return ConfigFingerprint.of(this);
    }
}
