package lb.dataplane.api;

import java.util.List;

import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.RuleState;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;

/**
 * A {@link ViewSource} over a config and its ownership by rule index: what lbd hands {@link DataplaneControlProxy}
 * after a convergence. Rules go out in index order ({@link ClusterConfig#canonicalRules()}, then the default rule),
 * each in the state the config gives it, so two hosts holding the same config in files of another order send the
 * same bytes.
 */
public final class OwnershipViewSource implements ViewSource {
    private final List<PortRule> rules;
    private final List<RuleOwnership> byIndex;
    private final List<IpAddress> answerable;

    /**
     * @param config     the config, each rule in the state this view gives it.
     * @param byIndex    owners and dirty buckets per rule index, the default rule's last.
     * @param answerable the VIPs this host may answer for.
     * @throws IllegalArgumentException when the ownership does not cover every rule.
     */
    public OwnershipViewSource(final ClusterConfig config, final List<RuleOwnership> byIndex,
        final List<IpAddress> answerable) {
        this.rules = config.canonicalRules();
        if (byIndex.size() != rules.size() + 1) {
            throw new IllegalArgumentException("ownership for " + byIndex.size() + " rules, the config has " +
                rules.size() + " plus the default rule");
        }
        this.byIndex = List.copyOf(byIndex);
        this.answerable = List.copyOf(answerable);
    }

    @Override
    public int ruleCount() {
        return byIndex.size();
    }

    @Override
    public int ruleIndex(final int rule) {
        return rule;
    }

    @Override
    public RuleState ruleState(final int rule) {
        if (rule == rules.size()) {
            return RuleState.ENABLED;
        }
        return RuleStates.toWire(rules.get(rule).state());
    }

    @Override
    public int owner(final int rule, final int bucket) {
        return byIndex.get(rule).owners()[bucket];
    }

    @Override
    public boolean isDirty(final int rule, final int bucket) {
        return (byIndex.get(rule).dirtyWords()[bucket >>> 6] & (1L << bucket)) != 0;
    }

    @Override
    public int vipCount() {
        return answerable.size();
    }

    @Override
    public IpVersion vipVersion(final int vip) {
        return answerable.get(vip).isIpv4() ? IpVersion.V4 : IpVersion.V6;
    }

    @Override
    public long vipHigh(final int vip) {
        return answerable.get(vip).hi();
    }

    @Override
    public long vipLow(final int vip) {
        return answerable.get(vip).lo();
    }
}
