package lb.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end benchmark ({@code ./lb bench e2e}): every contender on the same DPDK virtual devices,
 * the same pre-generated frames, the same core and burst size, one after the other within one run, for
 * each flow count and distribution; then a sweep of burst sizes. Writes {@code results.json},
 * {@code REPORT.md} and plots to {@code --out}.
 */
@Command(name = "lb bench e2e", mixinStandardHelpOptions = true,
    description = "Java dataplane against C and testpmd, side by side on DPDK virtual devices.")
public final class E2eBench implements Callable<Integer> {
    @Option(names = "--flows", split = ",", defaultValue = "1000,100000,1000000,10000000",
        description = "Distinct flows per traffic set. Default: ${DEFAULT-VALUE}.")
    List<Integer> flows;

    @Option(names = "--distributions", split = ",", defaultValue = "uniform,skewed",
        description = "uniform and/or skewed (Zipf 1.0). Default: ${DEFAULT-VALUE}.")
    List<String> distributions;

    @Option(names = "--contenders", split = ",",
        defaultValue = "testpmd-io,testpmd-5tswap,c-ref,java-passthrough,java-full",
        description = "Which to run. Default: ${DEFAULT-VALUE}.")
    List<String> contenders;

    @Option(names = "--burst", defaultValue = "32", description = "Burst size of the flow-count runs. Default: ${DEFAULT-VALUE}.")
    int burst;

    @Option(names = "--burst-sweep", split = ",", defaultValue = "1,4,8,16,32,64,128,256",
        description = "Burst sizes of the sweep. Default: ${DEFAULT-VALUE}.")
    List<Integer> burstSweep;

    @Option(names = "--large-reps", defaultValue = "1",
        description = "Rounds of the set-ups with " + LARGE_FLOWS + " flows or more: each of their runs first loads 2N frames (about a minute per run at 10M). Default: ${DEFAULT-VALUE}.")
    int largeReps;

    /** Flow counts from which {@code --large-reps} applies. */
    static final int LARGE_FLOWS = 5_000_000;

    @Option(names = "--sweep-reps", defaultValue = "1", description = "Rounds of the burst sweep. Default: ${DEFAULT-VALUE}.")
    int sweepReps;

    @Option(names = "--no-burst-sweep", description = "Skip the burst-size sweep.")
    boolean noBurstSweep;

    @Option(names = "--sweep-flows", defaultValue = "1000", description = "Flows (uniform) of the burst sweep. Default: ${DEFAULT-VALUE}.")
    int sweepFlows;

    @Option(names = "--warmup", defaultValue = "3", description = "Seconds of traffic before measuring. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--measure", defaultValue = "5", description = "Seconds measured. Default: ${DEFAULT-VALUE}.")
    double measure;

    @Option(names = "--reps", defaultValue = "3", description = "Rounds over all contenders per set-up; the median counts. Default: ${DEFAULT-VALUE}.")
    int reps;

    @Option(names = "--cpu", defaultValue = "1", description = "The forwarding core. Default: ${DEFAULT-VALUE}.")
    int cpu;

    @Option(names = "--seed", defaultValue = "42", description = "Traffic seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "bench/results", description = "Where results go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--work", defaultValue = "bench/target/e2e", description = "Traffic and logs. Default: ${DEFAULT-VALUE}.")
    Path work;

    @Option(names = "--root", defaultValue = ".", description = "Repository root. Default: the current directory.")
    Path root;

    @Option(names = "--soak-flows", defaultValue = "1000000",
        description = "Flows (uniform) of the soak. Default: ${DEFAULT-VALUE}.")
    int soakFlows;

    @Option(names = "--soak", defaultValue = "0", paramLabel = "SECONDS",
        description = "Also run java-full alone this long (uniform, --sweep-flows flows) and report GC collections, allocation and the worst burst in that window; 600 for the issue's 10 minutes. Default: none.")
    double soak;

    @Option(names = "--report-from", paramLabel = "results.json",
        description = "Run nothing: render REPORT.md and the plots again from a results file into --out.")
    Path reportFrom;

    @Option(names = "--shares", split = ",", defaultValue = "2,8,32", paramLabel = "HOSTS",
        description = "Owned-share rows: the measured host is host 1 of a cluster of this many hosts, so it owns about 1/HOSTS of the buckets and drops the rest; a host filters the whole cluster's traffic, so this rate bounds the cluster. Default: ${DEFAULT-VALUE}.")
    List<Integer> shares;

    @Option(names = "--share-flows", split = ",", defaultValue = "1000", description = "Flows (uniform) of the owned-share rows. Default: ${DEFAULT-VALUE}.")
    List<Integer> shareFlows;

    @Option(names = "--no-shares", description = "Skip the owned-share rows.")
    boolean noShares;

    @Option(names = "--connection-flows", defaultValue = "2000000",
        description = "Flows of the new-connection row: whole connections (SYN, ACKs, FIN+ACK) replayed; enough that each comes back only after its entry expired. Default: ${DEFAULT-VALUE}.")
    int connectionFlows;

    @Option(names = "--packets-per-flow", defaultValue = "3",
        description = "Packets of each connection in the new-connection row (SYN, N-2 ACKs, FIN+ACK). Default: ${DEFAULT-VALUE}.")
    int packetsPerFlow;

    @Option(names = "--connection-hosts", defaultValue = "1",
        description = "Hosts of the new-connection row's cluster (1: the host owns every bucket, every flow is tracked). Default: ${DEFAULT-VALUE}.")
    int connectionHosts;

    @Option(names = "--closing-timeout-ms", defaultValue = "100",
        description = "Closing linger of both balancers in the new-connection row, so that a replayed flow's entry is gone when it comes back (the sweep passes once a second). Default: ${DEFAULT-VALUE}.")
    long closingTimeoutMs;

    @Option(names = "--no-connections", description = "Skip the new-connection row.")
    boolean noConnections;

    @Option(names = "--quick", description = "A smoke run: 1000 flows uniform, burst 32, no sweep; 1 s warm-up and 2 s measured unless given.")
    boolean quick;

    public static void main(final String[] args) {
        System.exit(new CommandLine(new E2eBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (noBurstSweep) {
            burstSweep = List.of();
        }
        if (quick) {
            noShares = true;
            noConnections = true;
            flows = List.of(1000);
            distributions = List.of("uniform");
            burstSweep = List.of();
            warmup = warmup == 3 ? 1 : warmup;
            measure = measure == 5 ? 2 : measure;
            reps = 1;
        }
        root = root.toAbsolutePath().normalize();
        out = root.resolve(out);
        if (reportFrom != null) {
            final Results again = Results.read(root.resolve(reportFrom));
            again.finish();
            Files.createDirectories(out);
            again.write(out);
            System.out.println("lb bench: report rendered again in " + out.resolve("REPORT.md"));
            return 0;
        }
        work = root.resolve(work);
        Files.createDirectories(out);
        Files.createDirectories(work.resolve("logs"));
        final List<Contender> which = new ArrayList<>();
        for (final String c : contenders) {
            which.add(Contender.byLabel(c));
        }
        final boolean crefs = which.contains(Contender.CREF) || which.contains(Contender.CREF_UNTUNED);
        final Path view = crefs ? CrefSupport.prepare(root, work) : null;

        final Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("flows", flows);
        settings.put("distributions", distributions);
        settings.put("burst", burst);
        settings.put("burstSweep", burstSweep);
        settings.put("sweepFlows", sweepFlows);
        settings.put("warmupSeconds", warmup);
        settings.put("measureSeconds", measure);
        settings.put("reps", reps);
        settings.put("largeReps", largeReps);
        settings.put("intervalFilter", "intervals more than 10% off the run's median interval left out");
        settings.put("cpu", cpu);
        settings.put("seed", seed);
        settings.put("soakSeconds", soak);
        settings.put("soakFlows", soakFlows);
        settings.put("contenders", contenders);
        settings.put("shares", noShares ? List.of() : shares);
        settings.put("shareFlows", shareFlows);
        settings.put("connectionFlows", noConnections ? 0 : connectionFlows);
        settings.put("packetsPerFlow", packetsPerFlow);
        settings.put("connectionHosts", connectionHosts);
        settings.put("closingTimeoutMs", closingTimeoutMs);
        settings.put("command", "./lb bench e2e --flows " + join(flows) + " --distributions " +
            String.join(",", distributions) + " --contenders " + String.join(",", contenders) + " --burst " + burst +
            (burstSweep.isEmpty() ? " --no-burst-sweep" : " --burst-sweep " + join(burstSweep) + " --sweep-flows " +
                sweepFlows + " --sweep-reps " + sweepReps) + " --warmup " + warmup + " --measure " + measure + " --reps " + reps + " --large-reps " + largeReps + " --cpu " + cpu +
            " --seed " + seed + (soak > 0 ? " --soak " + soak + " --soak-flows " + soakFlows : "") +
            (noShares ? " --no-shares" : " --shares " + join(shares) + " --share-flows " + join(shareFlows)) +
            (noConnections ? " --no-connections" : " --connection-flows " + connectionFlows + " --packets-per-flow " +
                packetsPerFlow + " --connection-hosts " + connectionHosts + " --closing-timeout-ms " + closingTimeoutMs));
        settings.put("frameBytes", Traffic.FRAME);
        settings.put("traffic", "2N frames per N flows (one SYN + one ACK per flow; skewed: ACK flows Zipf " +
            Traffic.ZIPF_EXPONENT + "), IPv4 TCP to 10.0.0.100:80, replayed by net_pcap infinite_rx; sink net_null");
        final Results results = new Results(Machine.describe(), settings, Instant.now().toString());

        for (final int n : flows) {
            for (final String d : distributions) {
                runSet(results, which, n, Traffic.Distribution.valueOf(d.toUpperCase()), burst, "flows", view);
            }
        }
        if (!noShares) {
            for (final int hosts : shares) {
                final Path cluster = cluster(hosts);
                final Path hostView = crefs ? CrefSupport.view(cluster, work, 0) : null;
                for (final int n : shareFlows) {
                    runSet(results, which, n, Traffic.Distribution.UNIFORM, burst, "share-1/" + hosts, hostView, cluster,
                        Traffic.pcap(work.resolve("traffic"), n, Traffic.Distribution.UNIFORM, seed), Traffic.frames(n), 0);
                }
            }
        }
        if (!noConnections) {
            final Path cluster = cluster(connectionHosts);
            final Path hostView = crefs ? CrefSupport.view(cluster, work, closingTimeoutMs) : null;
            say("traffic: " + connectionFlows + " whole connections of " + packetsPerFlow + " packets (generating unless cached)");
            final List<Contender> balancers = which.stream().filter(Contender::balances).toList();
            runSet(results, balancers, connectionFlows, Traffic.Distribution.UNIFORM, burst, "connections", hostView,
                cluster, Traffic.connections(work.resolve("traffic"), connectionFlows, packetsPerFlow, seed),
                Traffic.frames(connectionFlows, packetsPerFlow), closingTimeoutMs);
        }
        final int setReps = reps;
        reps = sweepReps;
        for (final int b : burstSweep) {
            runSet(results, which, sweepFlows, Traffic.Distribution.UNIFORM, b, "burst", view);
        }
        reps = 1;
        if (soak > 0) {
            final double savedMeasure = measure;
            measure = soak;
            runSet(results, List.of(Contender.JAVA_FULL), soakFlows, Traffic.Distribution.UNIFORM, burst, "soak", view);
            measure = savedMeasure;
        }
        reps = setReps;
        results.finish();
        results.write(out);
        System.out.println("lb bench: results in " + out.resolve("results.json") + ", report " +
            out.resolve("REPORT.md"));
        return results.failures() == 0 ? 0 : 1;
    }

    private void runSet(final Results results, final List<Contender> which, final int n,
        final Traffic.Distribution distribution, final int burstSize, final String series, final Path view)
        throws IOException, InterruptedException {
        say("traffic: " + n + " flows, " + distribution.name().toLowerCase() + " (generating unless cached)");
        runSet(results, which, n, distribution, burstSize, series, view, root.resolve("bench/config/bench-cluster.yaml"),
            Traffic.pcap(work.resolve("traffic"), n, distribution, seed), Traffic.frames(n), 0);
    }

    /**
     * The measured host's cluster file: bench/config/bench-cluster.yaml as it is for two hosts, else the same with
     * {@code hosts} members (written into the work directory).
     */
    private Path cluster(final int hosts) throws IOException {
        final Path base = root.resolve("bench/config/bench-cluster.yaml");
        if (hosts == 2) {
            return base;
        }
        final String text = Files.readString(base);
        final StringBuilder b = new StringBuilder(text.substring(0, text.indexOf("\nhosts:") + 1)).append("hosts:\n");
        for (int h = 1; h <= hosts; h++) {
            b.append("  - id: ").append(h).append("\n    priority: ").append(h).append('\n');
        }
        final Path file = work.resolve("bench-cluster-" + hosts + "-hosts.yaml");
        Files.writeString(file, b.toString());
        return file;
    }

    private void runSet(final Results results, final List<Contender> which, final int n,
        final Traffic.Distribution distribution, final int burstSize, final String series, final Path view,
        final Path cluster, final Path pcap, final long frames, final long closingMs)
        throws IOException, InterruptedException {
        final int connections = Integer.highestOneBit(Math.max(1 << 20, n) - 1) << 1;
        final int rounds = series.equals("flows") && n >= LARGE_FLOWS ? largeReps : reps;
        for (int rep = 0; rep < rounds; rep++) {
            // Odd rounds run the contenders in reverse, so that a drift of the machine does not favour one place.
            final List<Contender> order = rep % 2 == 0 ? which : which.reversed();
            for (final Contender c : order) {
                final String id = c.label() + "-" + series.replace('/', '_') + "-" + n + "-" +
                    distribution.name().toLowerCase() + "-b" + burstSize + "-r" + rep;
                final Contender.Setup setup = new Contender.Setup(root, pcap, frames, burstSize, cpu,
                    connections, "lbbench-" + ProcessHandle.current().pid() + "-" + c.ordinal(),
                    work.resolve("logs").resolve(id + ".latency"), view, warmup, cluster, closingMs);
                say("run " + id);
                final Run.Result r = Run.measure(c, setup, warmup, measure, 120 + n / 100_000.0,
                    work.resolve("logs").resolve(id + ".log"));
                say(String.format("  %s: %.2f Mpps (%.1f ns/packet) over %.1f s%s%s", c.label(), r.pps() / 1e6,
                    r.pps() > 0 ? 1e9 / r.pps() : 0, r.seconds(),
                    Double.isNaN(r.allocBytesPerPacket()) ? "" : String.format(", %.4f B allocated per packet",
                        r.allocBytesPerPacket()),
                    r.errors().isEmpty() ? "" : "; PROBLEMS: " + r.errors()));
                results.add(series, n, distribution, burstSize, rep, r);
            }
        }
    }

    private static String join(final List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    static void say(final String line) {
        System.out.println("lb bench: " + line);
    }

    static Map<String, Object> latency(final Histogram h) {
        final Map<String, Object> m = new LinkedHashMap<>();
        if (h == null || h.getTotalCount() == 0) {
            return m;
        }
        m.put("bursts", h.getTotalCount());
        m.put("meanNs", Math.round(h.getMean()));
        m.put("p50Ns", h.getValueAtPercentile(50));
        m.put("p90Ns", h.getValueAtPercentile(90));
        m.put("p99Ns", h.getValueAtPercentile(99));
        m.put("p999Ns", h.getValueAtPercentile(99.9));
        m.put("p9999Ns", h.getValueAtPercentile(99.99));
        m.put("maxNs", h.getMaxValue());
        return m;
    }
}
