package lb.dataplane.config;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole cluster configuration every host must share: parameters, VIPs, port rules and members.
 *
 * <p>Immutable; any value is representable so that {@link ConfigValidator} can report every error at once. The order
 * of {@link #portRules()} is the file's, kept for messages ({@code port-rules[2]} names the file's third rule), and
 * carries no meaning: valid rules never overlap, and the {@linkplain ConfigFingerprint fingerprint} ignores it.
 * Wherever a rule has an index (wire messages, views, tools) it is its place in {@link #canonicalRules()}, the rules
 * sorted by {@link RuleKey}, with the {@link DefaultRule} last; two files listing the same rules in another order
 * therefore index them alike.
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
     * The port rules in canonical order (by {@link RuleKey}); a rule's index is its place here, and the
     * {@link DefaultRule}'s index is {@code canonicalRules().size()}.
     */
    public List<PortRule> canonicalRules() {
        return portRules.stream().sorted(Comparator.comparing(PortRule::key)).toList();
    }

    /**
     * The index of the rule with this key: its place in {@link #canonicalRules()}, or -1 when no rule has the key.
     */
    public int ruleIndex(final RuleKey key) {
        int before = 0;
        boolean found = false;
        for (final PortRule rule : portRules) {
            final int order = rule.key().compareTo(key);
            before += order < 0 ? 1 : 0;
            found |= order == 0;
        }
        return found ? before : -1;
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
