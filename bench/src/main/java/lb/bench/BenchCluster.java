package lb.bench;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.file.ClusterFileParser;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.view.ViewBuilder;

/**
 * The cluster the benchmarks decide packets for, seen from host 1 of three live hosts in a settled epoch (no bucket
 * moved): two VIPs and five port rules, so that rule lookup searches real ranges. Web traffic to {@link #VIP}:{@link
 * #HTTP_PORT} meets a multiple-host rule with affinity none (the hash keeps the client port).
 */
final class BenchCluster {
    /** The host whose view the benchmarks use. */
    static final int HOST_ID = 1;
    /** 10.0.0.100, the IPv4 VIP. */
    static final int VIP = 0x0A00_0064;
    /** The port of the multiple-host, affinity-none rule. */
    static final int HTTP_PORT = 80;
    /** MAC of the cluster-network port. */
    static final long NIC_MAC = 0x02_00_00_00_00_01L;
    /** MAC of the kernel port. */
    static final long KERNEL_MAC = 0x02_00_00_00_00_02L;
    /** Seed of the tables' key hash, fixed so that runs place entries alike. */
    static final long TABLE_SEED = 0x6c62_6265_6e63_6801L;

    private static final String CONFIG = """
        cluster: {name: bench, secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", buckets: 60}
        vips: [10.0.0.100, "2001:db8::100"]
        port-rules:
          - {vip: all, ports: 80, protocol: tcp, affinity: none}
          - {vip: all, ports: 443, protocol: tcp, affinity: single}
          - {vip: all, ports: 8000-8999, protocol: tcp, affinity: network}
          - {vip: 10.0.0.100, ports: 53, protocol: udp, affinity: none}
          - {vip: 10.0.0.100, ports: 22, protocol: tcp, filtering: single}
        hosts:
          - {id: 1, priority: 1}
          - {id: 2, priority: 2}
          - {id: 3, priority: 3}
        """;

    private BenchCluster() {
    }

    /**
     * @return the cluster's config.
     */
    static ClusterConfig config() {
        return ClusterFileParser.parse(CONFIG, "bench");
    }

    /**
     * @return the view of host {@link #HOST_ID} with hosts 1, 2 and 3 live.
     */
    static DataplaneView view() {
        final ClusterConfig config = config();
        final Set<Integer> live = new TreeSet<>(Set.of(1, 2, 3));
        final ClusterAssignment assignment = ClusterAssignment.compute(config, live, ClusterAssignment.NONE);
        return ViewBuilder.build(config, HOST_ID, 1, 1, RuleOwnership.of(config, assignment, ClusterAssignment.NONE),
            new HashSet<>(config.vips()), NIC_MAC);
    }
}
