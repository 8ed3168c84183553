package lb.bench.cref;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.OperationMode;
import lb.dataplane.config.file.ClusterFileLoader;
import lb.dataplane.net.IpProtocol;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.RuleSlots;
import lb.dataplane.view.ViewBuilder;

/**
 * Writes the view a static-cluster dataplane host builds (as {@code BalanceMode} does: every member live, the
 * assignment from {@link ClusterAssignment#compute}, every VIP answerable, epoch 1) as the flat text file the C
 * reference load balancer ({@code bench/cref}) reads, so that the C side never parses YAML and decides from exactly
 * the view the Java side decides from.
 *
 * <p>Everything is read through the view's public API, not re-derived from the config: the rule-match tables are
 * recovered from {@link DataplaneView#ruleSlot} (per VIP, the ports where the VIP's own answer differs from the
 * answer for every VIP; valid rules never overlap, so these are exactly the VIP's ranges), bucket bitmaps from
 * {@link DataplaneView#owns} and {@link DataplaneView#isDirty}. The format is documented in
 * {@code bench/cref/cref_view.h}; {@code hash-check} lines carry flow hashes computed by {@link DataplaneView#hasher}
 * that the C side verifies before it runs.
 *
 * <pre>
 * usage: ViewExport --cluster FILE.yaml --host-id N --out FILE
 * </pre>
 */
public final class ViewExport {
    /** First line of the file: the format and its version. */
    public static final String MAGIC = "lb-cref-view 1";

    private static final int MAX_PORT = 65535;
    private static final int TCP = IpProtocol.TCP;
    private static final int UDP = IpProtocol.UDP;
    /** The probe window of the fragment table (FragmentTable's private constant). */
    private static final int FRAGMENT_PROBE_LIMIT = 16;

    private ViewExport() {
    }

    /**
     * @param args {@code --cluster FILE --host-id N --out FILE}.
     */
    public static void main(final String[] args) throws IOException {
        Path cluster = null;
        Path out = null;
        int hostId = 0;
        for (int i = 0; i < args.length; i++) {
            final String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--cluster" -> cluster = Path.of(require(value, "--cluster"));
                case "--host-id" -> hostId = Integer.parseInt(require(value, "--host-id"));
                case "--out" -> out = Path.of(require(value, "--out"));
                default -> usage("unknown argument '" + args[i] + "'");
            }
            i++;
        }
        if (cluster == null || out == null || hostId <= 0) {
            usage("--cluster, --host-id (at least 1) and --out are required");
        }
        final ClusterConfig config = ClusterFileLoader.load(cluster);
        if (config.member(hostId).isEmpty()) {
            usage("--host-id " + hostId + " is not a host of " + cluster);
        }
        Files.writeString(out, export(config, hostId, cluster.toString()), StandardCharsets.US_ASCII);
        System.out.println("view-export: host " + hostId + " of " + cluster + " written to " + out);
    }

    /**
     * Builds the host's view as the static cluster mode does and renders it.
     *
     * @param config the cluster.
     * @param hostId this host, a member.
     * @param source where the config came from, for the header comment.
     * @return the file's text.
     */
    public static String export(final ClusterConfig config, final int hostId, final String source) {
        return export(config, hostId, source, 0);
    }

    /**
     * {@link #export(ClusterConfig, int, String)} for a dataplane started with {@code --closing-timeout-ms}.
     *
     * @param closingTimeoutMs the closing linger in milliseconds, 0 for the table's default.
     */
    public static String export(final ClusterConfig config, final int hostId, final String source,
        final long closingTimeoutMs) {
        final Set<Integer> live = new TreeSet<>();
        config.members().forEach(m -> live.add(m.hostId()));
        final ClusterAssignment assignment = ClusterAssignment.compute(config, live, ClusterAssignment.NONE);
        final List<RuleOwnership> ownership = RuleOwnership.of(config, assignment, ClusterAssignment.NONE);
        final Set<IpAddress> answerable = new HashSet<>(config.vips());
        // The NIC's MAC only enters the source MAC outside unicast mode, where the file says "nic" instead.
        final DataplaneView view = ViewBuilder.build(config, hostId, 1, 1, ownership, answerable, 0L);
        return render(config, view, source, closingTimeoutMs);
    }

    private static String render(final ClusterConfig config, final DataplaneView view, final String source,
        final long closingTimeoutMs) {
        final StringWriter text = new StringWriter();
        final PrintWriter w = new PrintWriter(text);
        w.println(MAGIC);
        w.println("# host " + view.hostId() + " of " + source + " (config " +
            config.fingerprint().sha256Hex().substring(0, 16) + "), written by lb.bench.cref.ViewExport");
        w.println("host-id " + view.hostId());
        w.println("epoch " + view.epoch());
        w.println("bucket-count " + view.bucketCount());
        w.println("secret " + hex(config.parameters().secret().k0()) + " " + hex(config.parameters().secret().k1()));
        w.println("ipv6-network-prefix " + config.parameters().ipv6NetworkPrefix());
        w.println("cluster-mac " + hex(view.clusterMac()));
        w.println("source-mac " + (config.parameters().mode() == OperationMode.UNICAST ? hex(view.sourceMac()) : "nic"));
        w.println("tracks-udp " + (view.tracksUdp() ? 1 : 0));

        // The connection table's timeouts exactly as BalanceMode configures it (milliseconds).
        final ConnectionTableContext connections = new ConnectionTableContext();
        if (!config.parameters().udpFlowTimeout().isZero()) {
            connections.udpTimeoutTicks(config.parameters().udpFlowTimeout().toMillis());
        }
        if (closingTimeoutMs > 0) {
            connections.closingTimeoutTicks(closingTimeoutMs);
        }
        connections.conclude();
        w.println("timeout-ms syn-seen " + connections.synSeenTimeoutTicks());
        w.println("timeout-ms established " + connections.establishedTimeoutTicks());
        w.println("timeout-ms closing " + connections.closingTimeoutTicks());
        w.println("timeout-ms udp " + connections.udpTimeoutTicks());
        w.println("timeout-ms gre " + connections.greTimeoutTicks());
        w.println("timeout-ms ipsec " + connections.ipsecTimeoutTicks());
        w.println("timeout-ms fragment " + FragmentTable.TIMEOUT_MS);
        w.println("probe-limit connections " + connections.probeLimit());
        w.println("probe-limit sticky-clients " + new AffinityTableContext().probeLimit());
        w.println("probe-limit fragments " + FRAGMENT_PROBE_LIMIT);

        final List<IpAddress> vips = config.vips();
        w.println("vips " + vips.size());
        for (int i = 0; i < vips.size(); i++) {
            final IpAddress vip = vips.get(i);
            if (view.vipIndex(vip.hi(), vip.lo()) != i) {
                throw new IllegalStateException("VIP " + vip + " is not at index " + i + " of the view");
            }
            w.println("vip " + i + " " + hex(vip.hi()) + " " + hex(vip.lo()) + " " + (view.mayAnswerFor(i) ? 1 : 0) +
                " # " + vip);
        }

        final int words = (view.bucketCount() + 63) >>> 6;
        // The C reference's "rules N" has the default rule at slot N; the Java view keeps it at RuleSlots.DEFAULT_SLOT
        // with the configured rules in stable slots below it, so N is that slot and unused slots are disabled.
        w.println("rules " + RuleSlots.DEFAULT_SLOT);
        for (int slot = 0; slot <= RuleSlots.DEFAULT_SLOT; slot++) {
            final byte filtering = view.filtering(slot);
            w.println("rule " + slot + " " + filteringName(filtering) + " " +
                view.affinity(slot).name().toLowerCase(Locale.ROOT) + " " + stateName(view.state(slot)) + " " +
                view.extendedAffinityMillis(slot) + " " + view.singleOwner(slot) + " " +
                (view.singleOwnerMoved(slot) ? 1 : 0) +
                (slot == RuleSlots.DEFAULT_SLOT ? " # default rule" : view.ruleIndex(slot) < 0 ? " # no rule" :
                    " # " + config.canonicalRules().get(view.ruleIndex(slot)).key()));
            if (filtering == DataplaneView.MULTIPLE) {
                w.println("owned " + slot + " " + bitmap(view, slot, words, false));
                w.println("dirty " + slot + " " + bitmap(view, slot, words, true));
            }
        }

        for (int vip = 0; vip <= vips.size(); vip++) {
            for (final int protocol : new int[] {TCP, UDP}) {
                ranges(w, view, vip, protocol);
            }
        }

        hashChecks(w, view);
        w.println("end");
        w.flush();
        return text.toString();
    }

    /**
     * Writes the sorted ranges of one (VIP or every VIP) x protocol table, as DataplaneView's binary search sees them.
     */
    private static void ranges(final PrintWriter w, final DataplaneView view, final int vip, final int protocol) {
        final int all = view.vipCount();
        final String vipName = vip == all ? "all" : Integer.toString(vip);
        final String protocolName = protocol == TCP ? "tcp" : "udp";
        int start = -1;
        int slot = -1;
        for (int port = 0; port <= MAX_PORT + 1; port++) {
            int here = -1;
            if (port <= MAX_PORT) {
                final int answer = view.ruleSlot(vip, protocol, port);
                final int everyVip = view.ruleSlot(all, protocol, port);
                // For the every-VIP table itself, a configured rule is its own; for a VIP's table, an answer that
                // differs from the every-VIP answer came from the VIP's own table.
                here = vip == all ? (answer == RuleSlots.DEFAULT_SLOT ? -1 : answer) :
                    (answer != everyVip ? answer : -1);
            }
            if (here != slot) {
                if (slot >= 0) {
                    w.println("range " + vipName + " " + protocolName + " " + start + " " + (port - 1) + " " + slot);
                }
                start = port;
                slot = here;
            }
        }
    }

    /** Flow hashes the C side must reproduce: IPv4 and IPv6 clients under every affinity. */
    private static void hashChecks(final PrintWriter w, final DataplaneView view) {
        final long[][] clients = {
            {0L, IpAddress.parse("198.51.100.7").lo(), 40000},
            {0L, IpAddress.parse("203.0.113.254").lo(), 1},
            {0L, IpAddress.parse("10.1.2.3").lo(), 65535},
            {IpAddress.parse("2001:db8:1:2::99").hi(), IpAddress.parse("2001:db8:1:2::99").lo(), 53000},
            {IpAddress.parse("2001:db8:ffff:ffff:1:2:3:4").hi(), IpAddress.parse("2001:db8:ffff:ffff:1:2:3:4").lo(), 7},
        };
        for (final long[] client : clients) {
            final boolean ipv4 = client[0] == 0 && (client[1] >>> 32) == 0xFFFFL;
            for (final Affinity affinity : Affinity.values()) {
                final long hash = ipv4 ? view.hasher().hashIpv4((int)client[1], (int)client[2], affinity) :
                    view.hasher().hashIpv6(client[0], client[1], (int)client[2], affinity);
                w.println("hash-check " + (ipv4 ? 4 : 6) + " " + hex(client[0]) + " " + hex(client[1]) + " " +
                    client[2] + " " + affinity.name().toLowerCase(Locale.ROOT) + " " + hex(hash));
            }
        }
    }

    private static String bitmap(final DataplaneView view, final int slot, final int words, final boolean dirty) {
        final StringBuilder text = new StringBuilder();
        for (int word = 0; word < words; word++) {
            long bits = 0;
            for (int bit = 0; bit < 64 && word * 64 + bit < view.bucketCount(); bit++) {
                final int bucket = word * 64 + bit;
                if (dirty ? view.isDirty(slot, bucket) : view.owns(slot, bucket)) {
                    bits |= 1L << bit;
                }
            }
            text.append(word == 0 ? "" : " ").append(hex(bits));
        }
        return text.toString();
    }

    private static String filteringName(final byte filtering) {
        return switch (filtering) {
            case DataplaneView.MULTIPLE -> "multiple";
            case DataplaneView.SINGLE -> "single";
            case DataplaneView.DISABLED -> "disabled";
            default -> throw new IllegalStateException("unknown filtering code " + filtering);
        };
    }

    private static String stateName(final byte state) {
        return switch (state) {
            case DataplaneView.ENABLED -> "enabled";
            case DataplaneView.RULE_DISABLED -> "disabled";
            case DataplaneView.DRAINING -> "draining";
            default -> throw new IllegalStateException("unknown rule state code " + state);
        };
    }

    private static String hex(final long value) {
        return String.format("%016x", value);
    }

    private static String require(final String value, final String option) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(final String problem) {
        System.err.println("view-export: " + problem);
        System.err.println("usage: ViewExport --cluster FILE.yaml --host-id N --out FILE");
        System.exit(2);
    }
}
