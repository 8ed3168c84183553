package lb.control.lbd;

import java.util.List;

import lb.control.convergence.LocalView;
import lb.control.convergence.RuleView;
import lb.dataplane.api.RuleStates;
import lb.dataplane.api.ViewSource;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.RuleState;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.DefaultRule;
import lb.dataplane.config.IpAddress;

/**
 * A {@link ViewSource} over the {@link LocalView} a host's machine decided, for ApplyView: each rule goes out under
 * its canonical index ({@link ClusterConfig#ruleIndex}), whatever order the file lists it in.
 */
final class LocalViewSource implements ViewSource {
    private final ClusterConfig config;
    private final LocalView view;
    private final int[] indexes;

    LocalViewSource(final ClusterConfig config, final LocalView view) {
        this.config = config;
        this.view = view;
        final List<RuleView> rules = view.rules();
        this.indexes = new int[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            indexes[i] = ruleIndex(config, rules.get(i));
        }
    }

    /** The canonical index of a rule of the config: the default rule comes after every port rule. */
    static int ruleIndex(final ClusterConfig config, final RuleView rule) {
        return DefaultRule.isDefault(rule.rule()) ? config.portRules().size() : config.ruleIndex(rule.rule().key());
    }

    @Override
    public int ruleCount() {
        return indexes.length;
    }

    @Override
    public int ruleIndex(final int rule) {
        return indexes[rule];
    }

    @Override
    public RuleState ruleState(final int rule) {
        return RuleStates.toWire(view.rules().get(rule).state());
    }

    @Override
    public int owner(final int rule, final int bucket) {
        return view.rules().get(rule).owners()[bucket];
    }

    @Override
    public boolean isDirty(final int rule, final int bucket) {
        return view.rules().get(rule).dirty().contains(bucket);
    }

    @Override
    public int vipCount() {
        return view.vips().size();
    }

    @Override
    public IpVersion vipVersion(final int vip) {
        return view.vips().get(vip).isIpv4() ? IpVersion.V4 : IpVersion.V6;
    }

    @Override
    public long vipHigh(final int vip) {
        return vip(vip).hi();
    }

    @Override
    public long vipLow(final int vip) {
        return vip(vip).lo();
    }

    /** The config the view was computed from. */
    ClusterConfig config() {
        return config;
    }

    private IpAddress vip(final int vip) {
        return view.vips().get(vip);
    }
}
