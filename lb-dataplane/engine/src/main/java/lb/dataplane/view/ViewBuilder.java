package lb.dataplane.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterSecret;
import lb.dataplane.config.DefaultRule;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.net.IpProtocol;

/**
 * Compiles a config and its bucket ownership into a {@link DataplaneView}: done by the conductor,
 * off the packet path, so it may allocate and check as much as it likes.
 */
public final class ViewBuilder {
    private ViewBuilder() {
    }

    /**
     * A view with the rules in fresh slots ({@link RuleSlots#inOrder}): for tools and tests that build one view.
     *
     * @see #build(ClusterConfig, int, long, long, List, Set, long, int[])
     */
    public static DataplaneView build(final ClusterConfig config, final int hostId, final long epoch,
        final long version, final List<RuleOwnership> ownership, final Set<IpAddress> answerable, final long nicMac) {
        return build(config, hostId, epoch, version, ownership, answerable, nicMac, RuleSlots.inOrder(config));
    }

    /**
     * The view of a host that has no config yet: no VIPs (so nothing to accept and nothing to answer for), every
     * frame from the NIC passed to the kernel or dropped as not for this host, epoch 0.
     *
     * @param hostId this host's id.
     * @param nicMac the MAC of this host's cluster-network port.
     * @return the view.
     */
    public static DataplaneView unconfigured(final int hostId, final long nicMac) {
        final byte[] filtering = new byte[RuleSlots.SLOTS];
        final Affinity[] affinity = new Affinity[RuleSlots.SLOTS];
        Arrays.fill(filtering, DataplaneView.DISABLED);
        Arrays.fill(affinity, Affinity.NONE);
        final int[][] none = {new int[0], new int[0]};
        final int[] slotOfIndex = {RuleSlots.DEFAULT_SLOT};
        return new DataplaneView(0, 0, hostId, 1, new FlowHasher(new ClusterSecret(0, 0), 64), new long[0],
            new long[0], new boolean[0], none, none, none, filtering, affinity, new byte[RuleSlots.SLOTS],
            new long[RuleSlots.SLOTS], new int[RuleSlots.SLOTS], new long[RuleSlots.SLOTS][],
            new long[RuleSlots.SLOTS][], new boolean[RuleSlots.SLOTS], slotOfIndex, 64, 0, nicMac, false, 0, 0);
    }

    /**
     * @param config      a valid cluster config, with each rule in the state the view gives it.
     * @param hostId      this host's id.
     * @param epoch       the cluster's view epoch.
     * @param version     this process's view number (grows with every publication).
     * @param ownership   per rule index ({@link ClusterConfig#canonicalRules()}, then the default rule): owners and
     *                    dirty buckets.
     * @param answerable  the VIPs this host may answer ARP/ND for and announce.
     * @param nicMac      the MAC of this host's cluster-network port.
     * @param slotOfIndex the table slot of each rule index ({@link RuleSlots}), the default rule's last.
     * @return the compiled view.
     * @throws IllegalArgumentException naming the rule whose ownership does not fit the config.
     */
    public static DataplaneView build(final ClusterConfig config, final int hostId, final long epoch,
        final long version, final List<RuleOwnership> ownership, final Set<IpAddress> answerable, final long nicMac,
        final int[] slotOfIndex) {
        final List<PortRule> rules = config.canonicalRules();
        final int bucketCount = config.parameters().bucketCount();
        final int indexes = rules.size() + 1;
        if (ownership.size() != indexes || slotOfIndex.length != indexes) {
            throw new IllegalArgumentException("ownership for " + ownership.size() + " rules and slots for " +
                slotOfIndex.length + ", the config has " + rules.size() + " plus the default rule");
        }
        if (slotOfIndex[rules.size()] != RuleSlots.DEFAULT_SLOT) {
            throw new IllegalArgumentException("the default rule's slot must be " + RuleSlots.DEFAULT_SLOT);
        }
        final int words = (bucketCount + 63) >>> 6;

        final List<IpAddress> vips = config.vips();
        final long[] vipHi = new long[vips.size()];
        final long[] vipLo = new long[vips.size()];
        final boolean[] vipAnswerable = new boolean[vips.size()];
        for (int i = 0; i < vips.size(); i++) {
            vipHi[i] = vips.get(i).hi();
            vipLo[i] = vips.get(i).lo();
            vipAnswerable[i] = answerable.contains(vips.get(i));
        }

        // Indexed by slot; slots no rule holds are never matched and read as disabled.
        final int slots = RuleSlots.SLOTS;
        final byte[] filtering = new byte[slots];
        final Affinity[] affinity = new Affinity[slots];
        Arrays.fill(filtering, DataplaneView.DISABLED);
        Arrays.fill(affinity, Affinity.NONE);
        final byte[] state = new byte[slots];
        final long[] extendedAffinityMillis = new long[slots];
        final int[] singleOwner = new int[slots];
        final long[][] owned = new long[slots][];
        final long[][] dirty = new long[slots][];
        final boolean[] singleOwnerMoved = new boolean[slots];
        final boolean[] seen = new boolean[slots];
        for (int index = 0; index < indexes; index++) {
            final PortRule rule = index < rules.size() ? rules.get(index) : DefaultRule.RULE;
            final String label = config.ruleLabel(rule);
            final int slot = slotOfIndex[index];
            if (slot < 0 || slot >= slots || seen[slot] || (slot == RuleSlots.DEFAULT_SLOT) != (index == rules.size())) {
                throw new IllegalArgumentException(label + ": slot " + slot + " is out of 0.." +
                    (RuleSlots.DEFAULT_SLOT - 1) + " or given twice");
            }
            seen[slot] = true;
            final RuleOwnership rs = ownership.get(index);
            if (rs.owners().length != bucketCount || rs.dirtyWords().length != words) {
                throw new IllegalArgumentException(label + ": ownership has " + rs.owners().length + " buckets and " +
                    rs.dirtyWords().length + " dirty words; the cluster has " + bucketCount + " buckets (" + words +
                    " words)");
            }
            filtering[slot] = switch (rule.filtering()) {
                case MULTIPLE -> DataplaneView.MULTIPLE;
                case SINGLE -> DataplaneView.SINGLE;
                case DISABLED -> DataplaneView.DISABLED;
            };
            affinity[slot] = rule.affinity();
            state[slot] = switch (rule.state()) {
                case ENABLED -> DataplaneView.ENABLED;
                case DISABLED -> DataplaneView.RULE_DISABLED;
                case DRAINING -> DataplaneView.DRAINING;
            };
            extendedAffinityMillis[slot] = rule.extendedAffinity().toMillis();
            if (rule.filtering() == FilteringMode.MULTIPLE) {
                owned[slot] = new long[words];
                for (int b = 0; b < bucketCount; b++) {
                    if (rs.owners()[b] == hostId) {
                        owned[slot][b >>> 6] |= 1L << b;
                    }
                }
                dirty[slot] = rs.dirtyWords().clone();
            } else if (rule.filtering() == FilteringMode.SINGLE) {
                singleOwner[slot] = rs.owners()[0];
                for (final long word : rs.dirtyWords()) {
                    singleOwnerMoved[slot] |= word != 0;
                }
                for (final int owner : rs.owners()) {
                    if (owner != singleOwner[slot]) {
                        throw new IllegalArgumentException(label + " is single-host but its buckets have " +
                            "several owners (" + singleOwner[slot] + ", " + owner + ")");
                    }
                }
            }
        }

        final int tables = (vips.size() + 1) * 2;
        final int[][] rangeStart = new int[tables][];
        final int[][] rangeEnd = new int[tables][];
        final int[][] rangeSlot = new int[tables][];
        for (int vip = 0; vip <= vips.size(); vip++) {
            for (int p = 0; p < 2; p++) {
                final int ipProtocol = p == 0 ? IpProtocol.TCP : IpProtocol.UDP;
                final List<int[]> ranges = new ArrayList<>();
                for (int index = 0; index < rules.size(); index++) {
                    final PortRule rule = rules.get(index);
                    final boolean vipMatches = vip == vips.size() ? rule.key().vip().isEmpty() :
                        rule.key().vip().filter(vips.get(vip)::equals).isPresent();
                    if (vipMatches && rule.key().protocol().covers(ipProtocol)) {
                        ranges.add(new int[] {rule.key().ports().start(), rule.key().ports().end(), index});
                    }
                }
                ranges.sort(Comparator.comparingInt(r -> r[0]));
                final int table = (vip << 1) | p;
                rangeStart[table] = ranges.stream().mapToInt(r -> r[0]).toArray();
                rangeEnd[table] = ranges.stream().mapToInt(r -> r[1]).toArray();
                rangeSlot[table] = ranges.stream().mapToInt(r -> slotOfIndex[r[2]]).toArray();
                for (int i = 1; i < ranges.size(); i++) {
                    if (ranges.get(i)[0] <= ranges.get(i - 1)[1]) {
                        throw new IllegalArgumentException(config.ruleLabel(rules.get(ranges.get(i)[2])) +
                            " overlaps " + config.ruleLabel(rules.get(ranges.get(i - 1)[2])));
                    }
                }
            }
        }

        final FlowHasher hasher = new FlowHasher(config.parameters().secret(), config.parameters().ipv6NetworkPrefix());
        return new DataplaneView(epoch, version, hostId, bucketCount, hasher, vipHi, vipLo, vipAnswerable, rangeStart,
            rangeEnd, rangeSlot, filtering, affinity, state, extendedAffinityMillis, singleOwner, owned, dirty,
            singleOwnerMoved, slotOfIndex.clone(), config.parameters().ipv6NetworkPrefix(), ClusterMacs.clusterMac(config),
            ClusterMacs.sourceMac(config, hostId, nicMac), !config.parameters().udpFlowTimeout().isZero(),
            ClusterMacs.igmpGroup(config), config.vips().stream().filter(IpAddress::isIpv4).findFirst()
                .map(IpAddress::ipv4).orElse(0));
    }
}
