package lb.control.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.api.CountersFile;
import lb.dataplane.api.LatencyBuckets;
import lb.dataplane.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lbctl stat}: the dataplane's counters, read from its counters file without asking it, once or refreshed in
 * place with rates.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Show the dataplane's counters (packets by verdict and drop reason, ports, tables, mbufs, view " +
        "epoch), read from its Aeron counters file.")
public final class StatCommand implements Callable<Integer> {
    private static final String CLEAR = "\033[H\033[2J";

    @Spec
    CommandSpec spec;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "The Aeron directory of the dataplane's counters. Default: ${DEFAULT-VALUE}.")
    Path aeronDir = Path.of(CountersFile.defaultAeronDir());

    @Option(names = {"-j", "--json"}, description = "Print JSON: {\"counters\": [{\"id\", \"type\", \"key\", " +
        "\"label\", \"value\"[, \"ratePerSecond\"]}]}.")
    boolean json;

    @Option(names = {"-w", "--watch"}, description = "Refresh in place, with rates per second, until interrupted.")
    boolean watch;

    @Option(names = "--delay", paramLabel = "DURATION", defaultValue = "1s",
        description = "Between refreshes in watch mode (e.g. 500ms, 2s). Default: ${DEFAULT-VALUE}.")
    String delay;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "In watch mode, stop after N refreshes (0: never).")
    int count;

    @Override
    public Integer call() throws InterruptedException {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Duration interval;
        try {
            interval = Durations.parse(delay);
        } catch (final IllegalArgumentException ex) {
            err.println("lbctl stat: --delay: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        if (interval.isZero() || interval.isNegative()) {
            err.println("lbctl stat: --delay must be more than 0, was " + delay);
            return ExitCodes.USAGE;
        }
        try (CountersFile file = CountersFile.open(aeronDir)) {
            CounterSnapshot previous = CounterSnapshot.read(file);
            if (!watch) {
                out.print(json ? json(previous, null) : table(previous, null));
                out.flush();
                return ExitCodes.OK;
            }
            for (int round = 1; count == 0 || round <= count; round++) {
                Thread.sleep(interval.toMillis());
                final CounterSnapshot now = CounterSnapshot.read(file);
                out.print(json ? json(now, previous) : CLEAR + "every " + Durations.format(interval) + ", " +
                    aeronDir + "\n" + table(now, previous));
                out.flush();
                previous = now;
            }
            return ExitCodes.OK;
        } catch (final IllegalStateException ex) {
            err.println("lbctl stat: " + ex.getMessage());
            return ExitCodes.UNREACHABLE;
        }
    }

    /** Counters grouped by what they count (each worker, each port, the pool and tables, the host), with rates. */
    static String table(final CounterSnapshot now, final CounterSnapshot earlier) {
        final StringBuilder text = new StringBuilder();
        final Map<String, List<CounterSnapshot.Entry>> groups = new LinkedHashMap<>();
        for (final CounterSnapshot.Entry entry : now.counters()) {
            groups.computeIfAbsent(group(entry), k -> new ArrayList<>()).add(entry);
        }
        groups.forEach((group, entries) -> {
            text.append(group).append('\n');
            for (final CounterSnapshot.Entry entry : entries) {
                text.append(String.format("  %-52s %16d", what(entry.label()), entry.value()));
                if (earlier != null) {
                    text.append(String.format(" %14.0f/s", now.ratePerSecond(earlier, entry)));
                }
                text.append('\n');
            }
        });
        if (now.counters().isEmpty()) {
            text.append("no lb counters in this file yet\n");
        }
        return text.toString();
    }

    /** The heading a counter goes under, by its type's family (lb.dataplane.api.CounterTypes). */
    static String group(final CounterSnapshot.Entry entry) {
        final int type = entry.typeId();
        if (type < CounterTypes.PORT_RX_PACKETS || type >= CounterTypes.VERDICT_INGRESS_BASE &&
            type < CounterTypes.TABLE_CONNECTIONS_LIVE || type >= CounterTypes.WORKER_BURST_LATENCY_SUM_NS &&
            type < CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE + LatencyBuckets.COUNT) {
            return "worker " + entry.key();
        }
        if (type < CounterTypes.POOL_MBUFS_IN_USE) {
            final String label = entry.label();
            final int open = label.indexOf('(');
            final int close = label.indexOf(')');
            return "port " + entry.key() + (open > 0 && close > open ? " " + label.substring(open, close + 1) : "");
        }
        if (type == CounterTypes.POOL_MBUFS_IN_USE) {
            return "pool";
        }
        if (type >= CounterTypes.TABLE_CONNECTIONS_LIVE && type < CounterTypes.VIEW_EPOCH) {
            return "tables";
        }
        return "host";
    }

    /** The label without its owner's prefix: "lb worker 0 ingress ACCEPT" is "ingress ACCEPT". */
    static String what(final String label) {
        String text = label.startsWith("lb ") ? label.substring(3) : label;
        if (text.startsWith("worker ") || text.startsWith("port ")) {
            // "worker 0 ", or "port 1 (net_tap0) ": the owner's kind, id and, for a port, its device name.
            final int afterId = text.indexOf(' ', text.indexOf(' ') + 1);
            text = afterId < 0 ? text : text.substring(afterId + 1);
            if (label.startsWith("lb port ") && text.startsWith("(") && text.indexOf(')') > 0) {
                text = text.substring(text.indexOf(')') + 1);
            }
        }
        return text.trim();
    }

    private static String json(final CounterSnapshot now, final CounterSnapshot earlier) {
        final ObjectNode root = Json.COMPACT.createObjectNode();
        final ArrayNode counters = root.putArray("counters");
        for (final CounterSnapshot.Entry entry : now.counters()) {
            final ObjectNode node = counters.addObject();
            node.put("id", entry.id());
            node.put("type", entry.typeId());
            node.put("key", entry.key());
            node.put("label", entry.label());
            node.put("value", entry.value());
            if (earlier != null) {
                node.put("ratePerSecond", now.ratePerSecond(earlier, entry));
            }
        }
        try {
            return Json.COMPACT.writeValueAsString(root) + "\n";
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers and strings always serialises", e);
        }
    }
}
