package lb.control.configsim;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

import lb.control.config.ConfigOp;
import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRange;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.Protocol;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

/**
 * Seeded operator changes: mostly about what the host's config holds (so they mostly fit there), some about keys,
 * hosts and VIPs from small pools (so concurrent changes collide), some invalid outright.
 */
final class OpGenerator {
    private static final List<IpAddress> VIPS = List.of(
        IpAddress.parse("10.0.0.100"), IpAddress.parse("10.0.0.101"), IpAddress.parse("2001:db8::100"));
    private static final int[] PORTS = {80, 443, 53, 8080, 25};

    private final SplittableRandom random;
    private final int hosts;

    OpGenerator(final SplittableRandom random, final int hosts) {
        this.random = random;
        this.hosts = hosts;
    }

    /** Some change, given the config the proposing host holds. */
    ConfigOp next(final ClusterConfig config) {
        final int roll = random.nextInt(100);
        if (roll < 18) {
            return addRule(config);
        }
        if (roll < 28) {
            return setRule(config);
        }
        if (roll < 36) {
            return new ConfigOp.RemoveRule(key(config));
        }
        if (roll < 52) {
            return new ConfigOp.SetRuleState(key(config), RuleState.values()[random.nextInt(3)]);
        }
        if (roll < 68) {
            return new ConfigOp.SetHostWeight(host(), key(config), weight());
        }
        if (roll < 75) {
            return new ConfigOp.SetHandlingPriority(host(), key(config),
                1 + random.nextInt(config.parameters().maxHosts() + (random.nextInt(10) == 0 ? 5 : 0)));
        }
        if (roll < 84) {
            return new ConfigOp.AddVip(VIPS.get(random.nextInt(VIPS.size())));
        }
        if (roll < 90) {
            return new ConfigOp.RemoveVip(VIPS.get(random.nextInt(VIPS.size())));
        }
        return replace(config);
    }

    /** Two changes that collide when made concurrently on two hosts. */
    ConfigOp[] conflicting(final ClusterConfig config) {
        final RuleKey key = key(config);
        return switch (random.nextInt(4)) {
            case 0 -> new ConfigOp[] {addRule(config), addRule(config)};
            case 1 -> new ConfigOp[] {new ConfigOp.RemoveRule(key), new ConfigOp.SetRuleState(key, RuleState.DRAINING)};
            case 2 -> new ConfigOp[] {replace(config), new ConfigOp.SetHostWeight(host(), key, weight())};
            default -> new ConfigOp[] {new ConfigOp.SetHostWeight(host(), key, weight()),
                new ConfigOp.RemoveRule(key)};
        };
    }

    private ConfigOp addRule(final ClusterConfig config) {
        final Optional<IpAddress> vip = random.nextInt(4) == 0 ?
            Optional.of(VIPS.get(random.nextInt(VIPS.size()))) : Optional.empty();
        final int port = PORTS[random.nextInt(PORTS.length)];
        final RuleKey key = new RuleKey(vip, new PortRange(port, port + (random.nextInt(5) == 0 ? 10 : 0)),
            Protocol.values()[random.nextInt(3)]);
        PortRule rule = PortRule.of(key).withFiltering(FilteringMode.values()[random.nextInt(3)])
            .withAffinity(Affinity.values()[random.nextInt(3)]).withState(RuleState.values()[random.nextInt(3)]);
        if (rule.filtering() == FilteringMode.MULTIPLE && rule.affinity() != Affinity.NONE && random.nextBoolean()) {
            rule = rule.withExtendedAffinity(Duration.ofMinutes(10));
        }
        final TreeMap<Integer, LoadWeight> weights = new TreeMap<>();
        if (rule.filtering() == FilteringMode.MULTIPLE && random.nextBoolean()) {
            weights.put(host(), weight());
        }
        return new ConfigOp.AddRule(rule, weights, new TreeMap<>());
    }

    private ConfigOp setRule(final ClusterConfig config) {
        final Optional<FilteringMode> filtering = random.nextBoolean() ?
            Optional.of(FilteringMode.values()[random.nextInt(3)]) : Optional.empty();
        final Optional<Affinity> affinity = random.nextBoolean() || filtering.isEmpty() ?
            Optional.of(Affinity.values()[random.nextInt(3)]) : Optional.empty();
        final Optional<Duration> extended = random.nextBoolean() ?
            Optional.of(random.nextBoolean() ? Duration.ZERO : Duration.ofMinutes(5)) : Optional.empty();
        return new ConfigOp.SetRule(key(config), filtering, affinity, extended);
    }

    private ConfigOp replace(final ClusterConfig config) {
        // A whole config: the one held with a small change of its own, or that change's result rejected (genesis-like).
        for (int attempt = 0; attempt < 5; attempt++) {
            final ConfigOp change = next(config);
            if (change instanceof ConfigOp.Replace) {
                continue;
            }
            try {
                return new ConfigOp.Replace(change.applyTo(config));
            } catch (final IllegalArgumentException e) {
                // try another
            }
        }
        return new ConfigOp.Replace(config);
    }

    private RuleKey key(final ClusterConfig config) {
        if (!config.portRules().isEmpty() && random.nextInt(5) != 0) {
            return config.portRules().get(random.nextInt(config.portRules().size())).key();
        }
        final int port = PORTS[random.nextInt(PORTS.length)];
        return new RuleKey(Optional.empty(), new PortRange(port, port), Protocol.values()[random.nextInt(3)]);
    }

    private int host() {
        return 1 + random.nextInt(hosts + (random.nextInt(12) == 0 ? 1 : 0));
    }

    private LoadWeight weight() {
        final int roll = random.nextInt(20);
        return roll == 0 ? LoadWeight.of(150) : roll < 4 ? LoadWeight.EQUAL : LoadWeight.of(random.nextInt(101));
    }
}
