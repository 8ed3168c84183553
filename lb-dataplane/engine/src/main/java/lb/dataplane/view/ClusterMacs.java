package lb.dataplane.view;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.OperationMode;

/**
 * NLB's MAC addresses, from the cluster's primary VIP (its first IPv4 VIP, else the last four bytes of
 * its first VIP): the cluster MAC per operation mode, and the masked source MAC of unicast mode.
 *
 * <pre>
 *  unicast          cluster 02-BF-a-b-c-d      source 02-&lt;host priority&gt;-a-b-c-d
 *  multicast        cluster 03-BF-a-b-c-d      source the NIC's own MAC
 *  IGMP multicast   cluster 01-00-5E-7F-c-d    source the NIC's own MAC
 * </pre>
 */
public final class ClusterMacs {
    private ClusterMacs() {
    }

    /**
     * @param config a cluster config with at least one VIP.
     * @return the cluster MAC as the low 48 bits of a long.
     */
    public static long clusterMac(final ClusterConfig config) {
        final long vip = primaryVipBytes(config);
        return switch (config.parameters().mode()) {
            case UNICAST -> 0x02BF_0000_0000L | vip;
            case MULTICAST -> 0x03BF_0000_0000L | vip;
            case IGMP_MULTICAST -> 0x0100_5E7F_0000L | (vip & 0xFFFF);
        };
    }

    /**
     * @param config a cluster config.
     * @return in IGMP multicast mode the group whose MAC is the cluster MAC, 239.255.c.d for primary VIP
     * a.b.c.d, first octet in the top byte; 0 in the other modes.
     */
    public static int igmpGroup(final ClusterConfig config) {
        return config.parameters().mode() == OperationMode.IGMP_MULTICAST ?
            0xEFFF_0000 | (int)(primaryVipBytes(config) & 0xFFFF) : 0;
    }

    /**
     * @param config a cluster config.
     * @param hostId this host.
     * @param nicMac the NIC's own MAC.
     * @return the Ethernet source for frames this host sends about a VIP.
     */
    public static long sourceMac(final ClusterConfig config, final int hostId, final long nicMac) {
        if (config.parameters().mode() != OperationMode.UNICAST) {
            return nicMac;
        }
        final int priority = config.member(hostId).map(ClusterMember::hostPriority).orElseThrow(() ->
            new IllegalArgumentException("host " + hostId + " is not a member of cluster " +
                config.parameters().name()));
        return 0x0200_0000_0000L | ((long)(priority & 0xFF) << 32) | primaryVipBytes(config);
    }

    /**
     * @param mac a MAC as the low 48 bits of a long.
     * @return it as {@code 02-bf-c0-00-02-0a}.
     */
    public static String format(final long mac) {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            text.append(String.format("%02x", (mac >>> shift) & 0xFF)).append(shift > 0 ? "-" : "");
        }
        return text.toString();
    }

    private static long primaryVipBytes(final ClusterConfig config) {
        if (config.vips().isEmpty()) {
            throw new IllegalArgumentException("cluster " + config.parameters().name() + " has no VIP");
        }
        final IpAddress primary = config.vips().stream().filter(IpAddress::isIpv4).findFirst()
            .orElse(config.vips().getFirst());
        return primary.lo() & 0xFFFF_FFFFL;
    }
}
