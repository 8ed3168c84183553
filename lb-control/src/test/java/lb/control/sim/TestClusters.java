package lb.control.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.ClusterParameters;
import lb.dataplane.config.ClusterSecret;
import lb.dataplane.config.ConfigValidator;
import lb.dataplane.config.GratuitousArp;
import lb.dataplane.config.Heartbeat;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.OperationMode;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

/**
 * Small valid cluster configs for the control tests: the lab's 100 ms heartbeats with NLB's tolerance of 5, one VIP,
 * a web rule with extended affinity and a DNS rule without.
 */
public final class TestClusters {
    /** Heartbeat period of every test config. */
    public static final long PERIOD_MS = 100;
    /** Missed heartbeats before a host is gone. */
    public static final int LOSS_TOLERANCE = 5;
    /** The only VIP. */
    public static final IpAddress VIP = IpAddress.parse("10.0.0.100");
    /** The multiple-host rule with extended affinity (the shopping-cart rule). */
    public static final PortRule WEB = PortRule.of(RuleKey.parse("all:80-80/tcp"))
        .withAffinity(Affinity.SINGLE).withExtendedAffinity(Duration.ofMinutes(20));
    /** A multiple-host rule without extended affinity. */
    public static final PortRule DNS = PortRule.of(RuleKey.parse("all:53-53/udp")).withAffinity(Affinity.NONE);

    /** A rule a config change may add (last, so that {@link #WEB} stays first). */
    public static final PortRule HTTPS = PortRule.of(RuleKey.parse("all:443-443/tcp")).withAffinity(Affinity.NONE);
    /** A VIP a config change may add. */
    public static final IpAddress SECOND_VIP = IpAddress.parse("10.0.0.101");

    private TestClusters() {
    }

    /**
     * The next config of the same cluster, one change from {@code base}: a rule added or removed, a load weight of
     * {@link #WEB} changed, the state of {@link #DNS} changed, or a VIP added or removed. {@link #WEB} stays first.
     */
    public static ClusterConfig changed(final ClusterConfig base, final SplittableRandom random) {
        final List<IpAddress> vips = new ArrayList<>(base.vips());
        final List<PortRule> rules = new ArrayList<>(base.portRules());
        final List<ClusterMember> hosts = new ArrayList<>(base.members());
        final int dns = indexOf(rules, DNS.key());
        switch (random.nextInt(5)) {
            case 0 -> {
                if (indexOf(rules, HTTPS.key()) < 0) {
                    rules.add(HTTPS);
                } else {
                    rules.remove(indexOf(rules, HTTPS.key()));
                }
            }
            case 1 -> {
                if (dns >= 0) {
                    rules.remove(dns);
                } else {
                    rules.add(1, DNS);
                }
            }
            case 2 -> {
                final int at = random.nextInt(hosts.size());
                hosts.set(at, hosts.get(at).withLoadWeight(WEB.key(), LoadWeight.of(random.nextInt(101))));
            }
            case 3 -> {
                if (dns >= 0) {
                    final RuleState[] states = RuleState.values();
                    RuleState next = states[random.nextInt(states.length)];
                    if (next == rules.get(dns).state()) {
                        next = states[(next.ordinal() + 1) % states.length];
                    }
                    rules.set(dns, rules.get(dns).withState(next));
                } else {
                    rules.add(1, DNS);
                }
            }
            default -> {
                if (vips.contains(SECOND_VIP)) {
                    vips.remove(random.nextBoolean() ? SECOND_VIP : VIP);
                } else {
                    vips.add(SECOND_VIP);
                }
            }
        }
        return ConfigValidator.requireValid(new ClusterConfig(base.parameters(), vips, rules, hosts), "changed config");
    }

    private static int indexOf(final List<PortRule> rules, final RuleKey key) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** Hosts 1..members (priority = id), named "test". */
    public static ClusterConfig config(final int members) {
        return config("test", members);
    }

    /** The same rules and hosts under another cluster name, hence another fingerprint. */
    public static ClusterConfig config(final String name, final int members) {
        final List<ClusterMember> hosts = new ArrayList<>();
        for (int id = 1; id <= members; id++) {
            hosts.add(ClusterMember.of(id, id));
        }
        final ClusterParameters parameters = new ClusterParameters(name, ClusterParameters.DEFAULT_BUCKET_COUNT,
            ClusterSecret.fromHex("000102030405060708090a0b0c0d0e0f"), OperationMode.UNICAST,
            new Heartbeat(Duration.ofMillis(PERIOD_MS), LOSS_TOLERANCE), GratuitousArp.DEFAULT,
            ClusterParameters.DEFAULT_IPV6_NETWORK_PREFIX,
            Math.max(ClusterParameters.DEFAULT_MAX_HOSTS, members), ClusterParameters.DEFAULT_MAX_PORT_RULES,
            Duration.ZERO);
        return ConfigValidator.requireValid(new ClusterConfig(parameters, List.of(VIP), List.of(WEB, DNS), hosts),
            "test config");
    }
}
