package lb.dataplane.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.ClusterParameters;
import lb.dataplane.config.ClusterSecret;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.GratuitousArp;
import lb.dataplane.config.Endpoint;
import lb.dataplane.config.Heartbeat;
import lb.dataplane.config.HeartbeatTransport;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.OperationMode;
import lb.dataplane.config.PortRange;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.Protocol;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

/**
 * Valid random configs from a seeded generator: every field varied within its valid range, rules that never overlap,
 * unique host ids, priorities and handling priorities.
 */
public final class RandomConfigs {
    private static final int[] BUCKET_COUNTS = {60, 1, 7, 64, 1000};
    private static final String[] NAMES = {"web-1", "null", "yes", "007", "lb.a_b", "true", "1e3", "x"};

    private RandomConfigs() {
    }

    /**
     * A valid config with 1..maxMembers members and up to 8 rules over a few VIPs.
     */
    public static ClusterConfig config(final SplittableRandom random, final int maxMembers) {
        final List<IpAddress> vips = vips(random);
        final ClusterParameters parameters = parameters(random, maxMembers);
        final List<PortRule> rules = rules(random, vips, parameters.maxPortRules());
        return new ClusterConfig(parameters, vips, rules, members(random, rules, 1 + random.nextInt(maxMembers),
            parameters.maxHosts()));
    }

    /**
     * The same config with VIPs, rules and members in a shuffled order: what another host might have read.
     */
    public static ClusterConfig shuffled(final ClusterConfig config, final SplittableRandom random) {
        final Random shuffler = new Random(random.nextLong());
        final List<IpAddress> vips = new ArrayList<>(config.vips());
        final List<PortRule> rules = new ArrayList<>(config.portRules());
        final List<ClusterMember> members = new ArrayList<>(config.members());
        Collections.shuffle(vips, shuffler);
        Collections.shuffle(rules, shuffler);
        Collections.shuffle(members, shuffler);
        return new ClusterConfig(config.parameters(), vips, rules, members);
    }

    private static ClusterParameters parameters(final SplittableRandom random, final int maxMembers) {
        final byte[] secret = new byte[16];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte)random.nextInt(256);
        }
        secret[0] |= 1;
        final OperationMode[] modes = OperationMode.values();
        return new ClusterParameters(
            "cluster-" + random.nextInt(1000),
            BUCKET_COUNTS[random.nextInt(BUCKET_COUNTS.length)],
            ClusterSecret.fromBytes(secret),
            modes[random.nextInt(modes.length)],
            random.nextBoolean() ? new Heartbeat(Duration.ofMillis(100 + random.nextInt(9901)), 5 + random.nextInt(96)) :
                new Heartbeat(Duration.ofMillis(100 + random.nextInt(9901)), 5 + random.nextInt(96),
                    HeartbeatTransport.MULTICAST, Optional.of(Endpoint.parse("239.1.1." + random.nextInt(256) + ":7401"))),
            new GratuitousArp(1 + random.nextInt(100), Duration.ofMillis(10 + random.nextInt(59_991))),
            1 + random.nextInt(128),
            Math.max(maxMembers, 32 + random.nextInt(33)),
            8 + random.nextInt(ClusterParameters.MAX_PORT_RULES_CEILING - 7),
            random.nextBoolean() ? Duration.ZERO : Duration.ofSeconds(1 + random.nextInt(3600)));
    }

    private static List<IpAddress> vips(final SplittableRandom random) {
        final List<IpAddress> vips = new ArrayList<>();
        final int v4 = 1 + random.nextInt(3);
        for (int i = 0; i < v4; i++) {
            vips.add(IpAddress.ofIpv4(0x0a00_0064 + i));
        }
        for (int i = 0; i < random.nextInt(3); i++) {
            vips.add(IpAddress.parse("2001:db8::" + Integer.toHexString(0x100 + i)));
        }
        return vips;
    }

    private static List<PortRule> rules(final SplittableRandom random, final List<IpAddress> vips, final int max) {
        final List<PortRule> rules = new ArrayList<>();
        final int wanted = random.nextInt(Math.min(max, 9));
        for (int attempt = 0; attempt < 50 && rules.size() < wanted; attempt++) {
            final Optional<IpAddress> vip = random.nextInt(3) == 0 ?
                Optional.empty() : Optional.of(vips.get(random.nextInt(vips.size())));
            final int start = random.nextInt(4) == 0 ? random.nextInt(65536) : random.nextInt(100);
            final int end = Math.min(65535, start + (random.nextBoolean() ? 0 : random.nextInt(50)));
            final Protocol protocol = Protocol.values()[random.nextInt(3)];
            final RuleKey key = new RuleKey(vip, new PortRange(start, end), protocol);
            if (rules.stream().anyMatch(r -> r.key().overlaps(key))) {
                continue;
            }
            rules.add(rule(random, key));
        }
        return rules;
    }

    private static PortRule rule(final SplittableRandom random, final RuleKey key) {
        final int filtering = random.nextInt(10);
        final FilteringMode mode = filtering < 7 ? FilteringMode.MULTIPLE :
            filtering < 9 ? FilteringMode.SINGLE : FilteringMode.DISABLED;
        final Affinity affinity = Affinity.values()[random.nextInt(3)];
        final int state = random.nextInt(10);
        final RuleState ruleState = state < 8 ? RuleState.ENABLED : state < 9 ? RuleState.DISABLED : RuleState.DRAINING;
        final boolean sticky = mode == FilteringMode.MULTIPLE && affinity != Affinity.NONE && random.nextBoolean();
        return new PortRule(key, mode, affinity, ruleState,
            sticky ? Duration.ofSeconds(1 + random.nextInt(86_400)) : Duration.ZERO);
    }

    private static List<ClusterMember> members(
        final SplittableRandom random, final List<PortRule> rules, final int count, final int maxHosts) {
        final List<Integer> priorities = permutation(random, maxHosts);
        final List<Integer> ids = new ArrayList<>();
        while (ids.size() < count) {
            final int id = 1 + random.nextInt(random.nextBoolean() ? 64 : 65535);
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        final List<ClusterMember> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ClusterMember member = ClusterMember.of(ids.get(i), priorities.get(i));
            if (random.nextBoolean()) {
                member = member.withName(NAMES[random.nextInt(NAMES.length)] + "-" + i);
            }
            if (random.nextBoolean()) {
                member = member.withManagement(random.nextBoolean() ?
                    new Endpoint(IpAddress.ofIpv4(0x0A63_0000 + i + 1), 7400) :
                    Endpoint.parse("[fd00::" + Integer.toHexString(i + 1) + "]:" + (7400 + i)));
            }
            members.add(member);
        }
        for (final PortRule rule : rules) {
            if (rule.filtering() == FilteringMode.MULTIPLE) {
                final int style = random.nextInt(4);
                for (int i = 0; i < count; i++) {
                    final LoadWeight weight = switch (style) {
                        case 0 -> null;
                        case 1 -> LoadWeight.EQUAL;
                        case 2 -> LoadWeight.of(random.nextInt(4) == 0 ? 0 : random.nextInt(101));
                        default -> random.nextBoolean() ? LoadWeight.EQUAL : LoadWeight.of(random.nextInt(101));
                    };
                    if (weight != null) {
                        members.set(i, members.get(i).withLoadWeight(rule.key(), weight));
                    }
                }
            } else if (rule.filtering() == FilteringMode.SINGLE && random.nextBoolean()) {
                final List<Integer> handling = permutation(random, maxHosts);
                for (int i = 0; i < count; i++) {
                    members.set(i, members.get(i).withHandlingPriority(rule.key(), handling.get(i)));
                }
            }
        }
        return members;
    }

    private static List<Integer> permutation(final SplittableRandom random, final int n) {
        final List<Integer> values = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            values.add(i);
        }
        Collections.shuffle(values, new Random(random.nextLong()));
        return values;
    }
}
