package lb.dataplane.testkit;

import java.util.ArrayList;
import java.util.List;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.ClusterParameters;
import lb.dataplane.config.ClusterSecret;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;

/**
 * Small valid configs for tests.
 */
public final class TestConfigs {
    /** The key of the SipHash test vectors, 00 01 .. 0f. */
    public static final ClusterSecret SECRET = ClusterSecret.fromHex("000102030405060708090a0b0c0d0e0f");
    public static final IpAddress VIP4 = IpAddress.parse("10.0.0.100");
    public static final IpAddress VIP6 = IpAddress.parse("2001:db8::100");

    private TestConfigs() {
    }

    /** Parameters named "test" with the test secret and every default. */
    public static ClusterParameters parameters() {
        return ClusterParameters.defaults("test", SECRET);
    }

    /** A rule by its printed key with NLB's defaults. */
    public static PortRule rule(final String key) {
        return PortRule.of(RuleKey.parse(key));
    }

    /** Hosts 1..n with host priority equal to the id and default settings. */
    public static List<ClusterMember> hosts(final int n) {
        final List<ClusterMember> members = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            members.add(ClusterMember.of(id, id));
        }
        return members;
    }

    /** VIP4 and VIP6, the given rules, hosts 1..n. */
    public static ClusterConfig config(final int hosts, final PortRule... rules) {
        return new ClusterConfig(parameters(), List.of(VIP4, VIP6), List.of(rules), hosts(hosts));
    }
}
