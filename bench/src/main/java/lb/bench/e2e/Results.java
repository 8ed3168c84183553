package lb.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Everything one harness run measured: each run, the medians over repetitions, the ratios the issue
 * asks for; written as results.json, REPORT.md and two PNG plots.
 */
final class Results {
    private final Map<String, Object> machine;
    private final Map<String, Object> settings;
    private final String started;
    private final List<Map<String, Object>> runs = new ArrayList<>();
    private final List<Map<String, Object>> medians = new ArrayList<>();
    private final List<Map<String, Object>> ratios = new ArrayList<>();
    private final List<String> disagreements = new ArrayList<>();
    private int failures;

    Results(final Map<String, Object> machine, final Map<String, Object> settings, final String started) {
        this.machine = machine;
        this.settings = settings;
        this.started = started;
    }

    void add(final String series, final int flows, final Traffic.Distribution distribution, final int burst,
        final int rep, final Run.Result r) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("series", series);
        m.put("contender", r.contender().label());
        m.put("flows", flows);
        m.put("distribution", distribution.name().toLowerCase());
        m.put("burst", burst);
        m.put("rep", rep);
        m.put("mpps", round(r.pps() / 1e6, 3));
        m.put("nsPerPacket", r.pps() > 0 ? round(1e9 / r.pps(), 2) : null);
        m.put("intervalMpps", r.intervalPps().stream().map(v -> round(v / 1e6, 3)).toList());
        m.put("packets", r.packets());
        m.put("seconds", round(r.seconds(), 3));
        m.put("allocBytesPerPacket", Double.isNaN(r.allocBytesPerPacket()) ? null : r.allocBytesPerPacket());
        m.put("gcCollectionsInWindow", r.gcsInWindow() < 0 ? null : r.gcsInWindow());
        m.put("burstLatency", E2eBench.latency(r.latency()));
        if (!r.verdicts().isEmpty()) {
            final long total = r.verdicts().values().stream().mapToLong(Long::longValue).sum();
            m.put("verdicts", r.verdicts());
            m.put("acceptedFraction", total == 0 ? null : round(r.verdicts().getOrDefault("accept", 0L) /
                (double)total, 4));
        }
        m.put("gc", r.gc());
        m.put("jvm", r.jvm());
        m.put("exitCode", r.exitCode());
        m.put("errors", r.errors());
        if (!r.errors().isEmpty()) {
            failures++;
        }
        runs.add(m);
    }

    /**
     * Results as a run wrote them, to render the report again (after the report code changed).
     */
    @SuppressWarnings("unchecked")
    static Results read(final Path json) throws IOException {
        final Map<String, Object> all = new ObjectMapper().readValue(json.toFile(), Map.class);
        final Results r = new Results((Map<String, Object>)all.get("machine"), (Map<String, Object>)all.get("settings"),
            (String)all.get("started"));
        for (final Map<String, Object> run : (List<Map<String, Object>>)all.get("runs")) {
            r.runs.add(run);
            if (!((List<?>)run.get("errors")).isEmpty()) {
                r.failures++;
            }
        }
        return r;
    }

    int failures() {
        return failures;
    }

    void finish() {
        final Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (final Map<String, Object> run : runs) {
            groups.computeIfAbsent(key(run) + "|" + run.get("contender"), k -> new ArrayList<>()).add(run);
        }
        for (final List<Map<String, Object>> group : groups.values()) {
            final List<Map<String, Object>> sorted = new ArrayList<>(group);
            sorted.sort(Comparator.comparingDouble(r -> (Double)r.get("mpps")));
            final Map<String, Object> median = new LinkedHashMap<>(sorted.get(sorted.size() / 2));
            median.remove("rep");
            median.put("reps", group.size());
            median.put("mppsAll", group.stream().map(r -> r.get("mpps")).toList());
            final List<Double> seconds = new ArrayList<>();
            for (final Map<String, Object> r : group) {
                final Object list = r.get("intervalMpps");
                if (list instanceof List<?> l) {
                    l.forEach(v -> seconds.add(((Number)v).doubleValue()));
                }
            }
            median.put("intervals", seconds.size());
            median.put("mppsP90", seconds.isEmpty() ? null : round(percentile(seconds, 90), 3));
            median.remove("intervalMpps");
            medians.add(median);
        }
        // Same packets, same decisions: the C reference and the Java full mode must accept the same share.
        final Map<String, Map<String, Object>> balancing = new LinkedHashMap<>();
        for (final Map<String, Object> m : medians) {
            if (m.get("acceptedFraction") != null) {
                final Map<String, Object> other = balancing.putIfAbsent(key(m), m);
                if (other != null && Math.abs((Double)other.get("acceptedFraction") -
                    (Double)m.get("acceptedFraction")) > 0.01) {
                    disagreements.add(key(m) + ": " + other.get("contender") + " accepted " +
                        other.get("acceptedFraction") + ", " + m.get("contender") + " " + m.get("acceptedFraction"));
                    failures++;
                }
            }
        }
        final Map<String, Map<String, Double>> byKey = new LinkedHashMap<>();
        final Map<String, Map<String, Double>> p90ByKey = new LinkedHashMap<>();
        for (final Map<String, Object> m : medians) {
            byKey.computeIfAbsent(key(m), k -> new LinkedHashMap<>()).put((String)m.get("contender"),
                (Double)m.get("mpps"));
            p90ByKey.computeIfAbsent(key(m), k -> new LinkedHashMap<>()).put((String)m.get("contender"),
                (Double)m.get("mppsP90"));
        }
        for (final Map.Entry<String, Map<String, Double>> e : byKey.entrySet()) {
            final String[] k = e.getKey().split("\\|");
            if (k[0].equals("soak")) {
                continue;
            }
            final Map<String, Object> ratio = new LinkedHashMap<>();
            ratio.put("series", k[0]);
            ratio.put("flows", Integer.parseInt(k[1]));
            ratio.put("distribution", k[2]);
            ratio.put("burst", Integer.parseInt(k[3]));
            final Map<String, Double> mpps = e.getValue();
            ratio.put("javaFullOverCRef", ratio(mpps, "java-full", "c-ref"));
            ratio.put("javaPassthroughOverTestpmdIo", ratio(mpps, "java-passthrough", "testpmd-io"));
            ratio.put("javaFullOverTestpmdIo", ratio(mpps, "java-full", "testpmd-io"));
            ratio.put("cRefOverTestpmdIo", ratio(mpps, "c-ref", "testpmd-io"));
            final Map<String, Double> p90 = p90ByKey.get(e.getKey());
            ratio.put("javaFullOverCRefP90", ratio(p90, "java-full", "c-ref"));
            ratio.put("cRefOverCRefUntuned", ratio(mpps, "c-ref", "c-ref-untuned"));
            ratio.put("cRefOverCRefUntunedP90", ratio(p90, "c-ref", "c-ref-untuned"));
            ratio.put("javaPassthroughOverTestpmdIoP90", ratio(p90, "java-passthrough", "testpmd-io"));
            ratios.add(ratio);
        }
    }

    private static String key(final Map<String, Object> m) {
        return m.get("series") + "|" + m.get("flows") + "|" + m.get("distribution") + "|" + m.get("burst");
    }

    /** Nearest-rank percentile. */
    static double percentile(final List<Double> values, final double p) {
        final List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        final int rank = (int)Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static Double ratio(final Map<String, Double> mpps, final String a, final String b) {
        final Double x = mpps.get(a);
        final Double y = mpps.get(b);
        return x == null || y == null || y == 0 ? null : round(x / y, 3);
    }

    static double round(final double v, final int digits) {
        final double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    void write(final Path dir) throws IOException {
        final Map<String, Object> all = new LinkedHashMap<>();
        all.put("started", started);
        all.put("machine", machine);
        all.put("settings", settings);
        all.put("ratios", ratios);
        all.put("decisionDisagreements", disagreements);
        all.put("medians", medians);
        all.put("runs", runs);
        final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        atomically(dir.resolve("results.json"), json.writeValueAsBytes(all));
        final boolean flowsPlot = Plot.flows(medians, dir.resolve("mpps-vs-flows.png"));
        final boolean burstPlot = Plot.bursts(medians, dir.resolve("mpps-vs-burst.png"));
        final boolean lbPlot = Plot.balancers(medians, dir.resolve("mpps-vs-flows-balancers.png"));
        atomically(dir.resolve("REPORT.md"), (report(flowsPlot, burstPlot, lbPlot) + jmh(dir.resolve("jmh.json")))
            .getBytes());
    }

    private String report(final boolean flowsPlot, final boolean burstPlot, final boolean lbPlot) {
        final StringBuilder s = new StringBuilder();
        s.append("# End-to-end benchmark: Java dataplane against C and testpmd\n\n");
        s.append("Written by `./lb bench e2e` on ").append(started).append(". Machine: ").append(machine.get("cpu"))
            .append(", ").append(machine.get("cpus")).append(" CPUs, ").append(machine.get("memoryGiB"))
            .append(" GiB, kernel ").append(machine.get("kernel")).append(", DPDK ").append(machine.get("dpdk"))
            .append(", ").append(machine.get("java")).append(", ").append(machine.get("gcc")).append(", virtualised: ")
            .append(machine.get("virtualised")).append(".\n\n");
        s.append("Set-up: ").append(settings.get("traffic")).append("; ").append(Traffic.FRAME)
            .append("-byte frames; one forwarding core (cpu ").append(settings.get("cpu")).append("), ")
            .append(settings.get("warmupSeconds")).append(" s warm-up, ").append(settings.get("measureSeconds"))
            .append(" s measured, median of ").append(settings.get("reps")).append(" round(s)")
            .append(settings.get("largeReps") == null ? "" : " (" + settings.get("largeReps") + " for " +
                String.format(Locale.ROOT, "%,d", E2eBench.LARGE_FLOWS) + " flows or more)")
            .append("; contenders run one ")
            .append("after the other for each set-up, in reverse order in odd rounds. Full results: `results.json`. Reproduce with `")
            .append(settings.get("command")).append("`.\n\n");
        final TreeSet<String> contenders = new TreeSet<>(Comparator.comparingInt(c -> Contender.byLabel(c).ordinal()));
        medians.forEach(m -> contenders.add((String)m.get("contender")));

        s.append("## Mpps by flow count (burst ").append(settings.get("burst")).append(")\n\n");
        if (flowsPlot) {
            s.append("![Mpps against flows](mpps-vs-flows.png)\n\n");
        }
        if (lbPlot) {
            s.append("![The two load balancers](mpps-vs-flows-balancers.png)\n\n");
        }
        s.append("Cells: median Mpps of the rounds (ns per packet) [slowest-fastest round]; then p90: the 90th ")
            .append("percentile of the contender's one-second rates over all its rounds.\n\n");
        table(s, "flows", contenders, m -> String.format(Locale.ROOT, "%,d %s", (Integer)m.get("flows"),
            m.get("distribution")), "flows", m -> fmt((Double)m.get("mpps"), 2) + " (" + fmt((Double)m.get("nsPerPacket"),
            1) + " ns)" + range(m) + (m.get("mppsP90") == null ? "" : "; p90 " + fmt((Double)m.get("mppsP90"), 2)));
        s.append("\n## Ratios\n\n")
            .append("Two estimates. *median*: of the rounds' whole-window rates, what a run on this machine gets. ")
            .append("*p90*: of the 90th percentiles of one-second rates. Other tenants of a shared machine only ever ")
            .append("slow a contender down (this VM's one-second rates move between levels 30-50% apart within one ")
            .append("run of one binary), so the fast seconds are the better estimate of what the code itself costs; ")
            .append("the same reasoning as taking the minimum time in a timing benchmark.")
            .append(settings.containsKey("intervalFilter") ? " Intervals more than 10% longer or shorter than the " +
                "run's median interval are left out: the harness times each stats line as it reads it, and a line " +
                "read late would make the next interval look fast." : " (This run kept every interval; later runs " +
                "leave out intervals more than 10% off the median length, which a late-read stats line causes.)")
            .append("\n\n")
            .append("| set-up | java-full / c-ref (median) | java-full / c-ref (p90) | java-passthrough / testpmd-io (median) | java-passthrough / testpmd-io (p90) | java-full / testpmd-io | c-ref / testpmd-io |\n|---|---|---|---|---|---|---|\n");
        for (final Map<String, Object> r : ratios) {
            s.append("| ").append(r.get("series").equals("burst") ? "burst " + r.get("burst") + ", " :
                    r.get("series").equals("flows") ? "" : r.get("series") + ", ")
                .append(String.format(Locale.ROOT, "%,d", (Integer)r.get("flows"))).append(' ').append(r.get("distribution"))
                .append(" | ").append(fmt((Double)r.get("javaFullOverCRef"), 3)).append(" | ")
                .append(fmt((Double)r.get("javaFullOverCRefP90"), 3)).append(" | ")
                .append(fmt((Double)r.get("javaPassthroughOverTestpmdIo"), 3)).append(" | ")
                .append(fmt((Double)r.get("javaPassthroughOverTestpmdIoP90"), 3)).append(" | ")
                .append(fmt((Double)r.get("javaFullOverTestpmdIo"), 3)).append(" | ")
                .append(fmt((Double)r.get("cRefOverTestpmdIo"), 3)).append(" |\n");
        }
        final List<String> operatorSeries = medians.stream().map(m -> (String)m.get("series"))
            .filter(x -> x.startsWith("share-") || x.equals("connections")).distinct().toList();
        if (!operatorSeries.isEmpty()) {
            s.append("\n## What an operator sizes a cluster by\n\n")
                .append("*share-1/N*: the measured host is host 1 of N (it owns about 1/N of the buckets; every packet ")
                .append("is filtered, the rest dropped): a host sees the whole cluster's traffic, so this rate bounds ")
                .append("the cluster. *connections*: whole connections (SYN, ").append(settings.get("packetsPerFlow"))
                .append(" packets in all, FIN+ACK last) replayed, with a closing linger of ")
                .append(settings.get("closingTimeoutMs")).append(" ms so each comes back as a new connection; ")
                .append("connections per second = Mpps / packets per flow, with the half-open bound (an eighth of the ")
                .append("table) in force.\n\n");
            for (final String x : operatorSeries) {
                final double ppf = x.equals("connections") ? ((Number)settings.get("packetsPerFlow")).doubleValue() : 0;
                s.append("**").append(x).append("**\n\n");
                table(s, x, contenders, m -> String.format(Locale.ROOT, "%,d flows", (Integer)m.get("flows")), x,
                    m -> fmt((Double)m.get("mpps"), 2) + range(m) +
                        (m.get("mppsP90") == null ? "" : "; p90 " + fmt((Double)m.get("mppsP90"), 2)) +
                        (ppf > 0 ? "; " + fmt((Double)m.get("mpps") / ppf, 2) + " M conn/s" : ""));
                s.append('\n');
            }
        }
        if (medians.stream().anyMatch(m -> m.get("series").equals("burst"))) {
            s.append("\n## Mpps by burst size (").append(String.format(Locale.ROOT, "%,d", (Integer)settings.get("sweepFlows")))
                .append(" flows, uniform)\n\n");
            if (burstPlot) {
                s.append("![Mpps against burst size](mpps-vs-burst.png)\n\n");
            }
            table(s, "burst", contenders, m -> "burst " + m.get("burst"), "burst",
                m -> fmt((Double)m.get("mpps"), 2));
        }
        s.append("\n## Burst handling time (ns, from RX returning to the last TX; p50 / p99 / p99.9 / max)\n\nOne non-empty burst in 16, timed from the end of warm-up to the end of the run.\n\n");
        table(s, "flows", contenders, m -> String.format(Locale.ROOT, "%,d %s", (Integer)m.get("flows"),
            m.get("distribution")), "flows", m -> {
                @SuppressWarnings("unchecked") final Map<String, Object> l = (Map<String, Object>)m.get("burstLatency");
                return l == null || l.isEmpty() ? "-" : l.get("p50Ns") + " / " + l.get("p99Ns") + " / " + l.get("p999Ns") +
                    " / " + l.get("maxNs");
            });
        s.append("\n## Allocation and GC (Java)\n\n| contender | set-up | B allocated per packet (measured window) | GC collections in the window | burst p99 / p99.99 / max ns (after warm-up) | GC at exit (whole run, start-up included) |\n|---|---|---|---|---|---|\n");
        for (final Map<String, Object> m : medians) {
            if (((String)m.get("contender")).startsWith("java") && !m.get("series").equals("burst")) {
                s.append("| ").append(m.get("contender")).append(" | ")
                    .append(m.get("series").equals("soak") ? "soak " + m.get("seconds") + " s measured, " : "")
                    .append(String.format(Locale.ROOT, "%,d %s", (Integer)m.get("flows"), m.get("distribution")))
                    .append(" | ").append(m.get("allocBytesPerPacket") == null ? "-" :
                        String.format(Locale.ROOT, "%.6f", (Double)m.get("allocBytesPerPacket")))
                    .append(" | ").append(m.get("gcCollectionsInWindow")).append(" | ").append(tail(m))
                    .append(" | ").append(m.get("gc")).append(" |\n");
            }
        }
        s.append("\n## Decisions (same packets, same decisions)\n\n| set-up | contender | accepted fraction | verdicts |\n|---|---|---|---|\n");
        for (final Map<String, Object> m : medians) {
            if (m.containsKey("verdicts")) {
                s.append("| ").append(m.get("series").equals("burst") ? "burst " + m.get("burst") + ", " : "")
                    .append(String.format(Locale.ROOT, "%,d %s", (Integer)m.get("flows"), m.get("distribution")))
                    .append(" | ").append(m.get("contender")).append(" | ").append(m.get("acceptedFraction"))
                    .append(" | ").append(m.get("verdicts")).append(" |\n");
            }
        }
        final List<String> problems = new ArrayList<>();
        for (final Map<String, Object> r : runs) {
            if (!((List<?>)r.get("errors")).isEmpty()) {
                problems.add(r.get("contender") + " " + r.get("flows") + " " + r.get("distribution") + " burst " +
                    r.get("burst") + ": " + r.get("errors"));
            }
        }
        disagreements.forEach(d -> problems.add("decisions differ: " + d));
        if (!problems.isEmpty()) {
            s.append("\n## Problems\n\n");
            problems.forEach(p -> s.append("- ").append(p).append('\n'));
        }
        return s.toString();
    }

    /** The JMH table from {@code jmh.json} when `./lb bench` wrote it in the same run. */
    private static String jmh(final Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        final com.fasterxml.jackson.databind.JsonNode root = new ObjectMapper().readTree(file.toFile());
        final StringBuilder s = new StringBuilder("\n## Micro-benchmarks (JMH, `jmh.json`)\n\n")
            .append("| benchmark | params | score | error | unit | B/op (gc.alloc.rate.norm) |\n|---|---|---|---|---|---|\n");
        for (final com.fasterxml.jackson.databind.JsonNode b : root) {
            final String name = b.path("benchmark").asText().replaceFirst("^lb\\.bench\\.", "");
            final StringBuilder params = new StringBuilder();
            b.path("params").properties().forEach(e -> params.append(params.isEmpty() ? "" : ", ").append(e.getKey())
                .append('=').append(e.getValue().asText()));
            final com.fasterxml.jackson.databind.JsonNode primary = b.path("primaryMetric");
            final com.fasterxml.jackson.databind.JsonNode alloc = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
            s.append("| ").append(name).append(" | ").append(params).append(" | ")
                .append(fmt(primary.path("score").asDouble(), 2)).append(" | ")
                .append(fmt(primary.path("scoreError").asDouble(), 2)).append(" | ")
                .append(primary.path("scoreUnit").asText()).append(" | ")
                .append(alloc.isMissingNode() ? "-" : fmt(alloc.path("score").asDouble(), 4)).append(" |\n");
        }
        return s.toString();
    }

    private void table(final StringBuilder s, final String series, final TreeSet<String> contenders,
        final java.util.function.Function<Map<String, Object>, String> rowName, final String unused,
        final java.util.function.Function<Map<String, Object>, String> cell) {
        s.append("| set-up |");
        contenders.forEach(c -> s.append(' ').append(c).append(" |"));
        s.append("\n|---|");
        contenders.forEach(c -> s.append("---|"));
        s.append('\n');
        final Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (final Map<String, Object> m : medians) {
            if (m.get("series").equals(series)) {
                rows.computeIfAbsent(rowName.apply(m), k -> new LinkedHashMap<>()).put((String)m.get("contender"),
                    cell.apply(m));
            }
        }
        for (final Map.Entry<String, Map<String, String>> row : rows.entrySet()) {
            s.append("| ").append(row.getKey()).append(" |");
            contenders.forEach(c -> s.append(' ').append(row.getValue().getOrDefault(c, "-")).append(" |"));
            s.append('\n');
        }
    }

    @SuppressWarnings("unchecked")
    private static String tail(final Map<String, Object> m) {
        final Map<String, Object> l = (Map<String, Object>)m.get("burstLatency");
        return l == null || l.isEmpty() ? "-" : l.get("p99Ns") + " / " + l.get("p9999Ns") + " / " + l.get("maxNs");
    }

    /** " [min-max]" of the rounds when there were several. */
    @SuppressWarnings("unchecked")
    private static String range(final Map<String, Object> m) {
        final List<Double> all = (List<Double>)m.get("mppsAll");
        if (all == null || all.size() < 2) {
            return "";
        }
        return " [" + fmt(all.stream().mapToDouble(Double::doubleValue).min().orElse(0), 2) + "-" +
            fmt(all.stream().mapToDouble(Double::doubleValue).max().orElse(0), 2) + "]";
    }

    private static String fmt(final Double v, final int digits) {
        return v == null ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static void atomically(final Path file, final byte[] bytes) throws IOException {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
