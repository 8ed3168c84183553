package lb.dataplane.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.ClusterParameters;
import lb.dataplane.config.ClusterSecret;
import lb.dataplane.config.ConfigValidator;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRange;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.Protocol;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

/**
 * Valid random cluster configs for model-against-pipeline tests: 1-3 VIPs of both families, port rules
 * of every mode, affinity and state on disjoint port ranges (some on every VIP), 1-32 members with random
 * weights and handling priorities.
 */
final class RandomClusters {
    static final IpAddress[] VIP_POOL = {
        IpAddress.parse("192.0.2.10"), IpAddress.parse("192.0.2.11"), IpAddress.parse("2001:db8::10"),
    };

    private RandomClusters() {
    }

    static ClusterConfig config(final Random random, final int members) {
        while (true) {
            final ClusterConfig config = candidate(random, members);
            if (ConfigValidator.validate(config).isEmpty()) {
                return config;
            }
        }
    }

    private static ClusterConfig candidate(final Random random, final int memberCount) {
        final ClusterParameters parameters = ClusterParameters.defaults("random",
                new ClusterSecret(random.nextLong() | 1, random.nextLong()))
            .withBucketCount(random.nextInt(4) == 0 ? 1 + random.nextInt(300) : 60)
            .withIpv6NetworkPrefix(random.nextInt(4) == 0 ? 48 : 64);
        final List<IpAddress> vips = new ArrayList<>();
        for (final IpAddress vip : VIP_POOL) {
            if (vips.isEmpty() || random.nextBoolean()) {
                vips.add(vip);
            }
        }
        final List<PortRule> rules = new ArrayList<>();
        // Disjoint port bands per rule, so rules never overlap whichever VIPs and protocols they get.
        final int ruleCount = 1 + random.nextInt(6);
        for (int i = 0; i < ruleCount; i++) {
            final int start = i * 10_000 + random.nextInt(100);
            final int end = start + random.nextInt(9_000);
            final Optional<IpAddress> vip = random.nextInt(3) == 0 ? Optional.empty() :
                Optional.of(vips.get(random.nextInt(vips.size())));
            final Protocol protocol = Protocol.values()[random.nextInt(3)];
            final FilteringMode filtering = random.nextInt(6) == 0 ? FilteringMode.DISABLED :
                random.nextInt(4) == 0 ? FilteringMode.SINGLE : FilteringMode.MULTIPLE;
            final Affinity affinity = Affinity.values()[random.nextInt(3)];
            final RuleState state = random.nextInt(8) == 0 ? RuleState.DISABLED :
                random.nextInt(8) == 0 ? RuleState.DRAINING : RuleState.ENABLED;
            final Duration sticky = affinity != Affinity.NONE && filtering == FilteringMode.MULTIPLE &&
                random.nextInt(3) == 0 ? Duration.ofMinutes(1 + random.nextInt(20)) : Duration.ZERO;
            rules.add(new PortRule(new RuleKey(vip, new PortRange(start, end), protocol), filtering, affinity, state,
                sticky));
        }
        final List<Integer> priorities = new ArrayList<>();
        for (int p = 1; p <= 32; p++) {
            priorities.add(p);
        }
        java.util.Collections.shuffle(priorities, random);
        final List<ClusterMember> members = new ArrayList<>();
        for (int m = 0; m < memberCount; m++) {
            ClusterMember member = ClusterMember.of(100 + m * 7, priorities.get(m));
            for (final PortRule rule : rules) {
                if (rule.filtering() == FilteringMode.MULTIPLE && random.nextInt(3) == 0) {
                    member = member.withLoadWeight(rule.key(), LoadWeight.of(random.nextInt(101)));
                }
            }
            members.add(member);
        }
        // Unique handling priorities per single-host rule: a permutation of 1..members.
        for (final PortRule rule : rules) {
            if (rule.filtering() == FilteringMode.SINGLE && random.nextBoolean()) {
                final List<Integer> order = new ArrayList<>(priorities.subList(0, memberCount));
                java.util.Collections.shuffle(order, random);
                for (int m = 0; m < memberCount; m++) {
                    members.set(m, members.get(m).withHandlingPriority(rule.key(), order.get(m)));
                }
            }
        }
        return new ClusterConfig(parameters, vips, rules, members);
    }
}
