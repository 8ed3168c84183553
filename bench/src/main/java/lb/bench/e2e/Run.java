package lb.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * One contender run: start it, wait until traffic flows, let it warm up, sample its cumulative RX count
 * (as it prints it, once a second) over the measured window, stop it with SIGTERM and read what it
 * printed at exit. The rate is (RX at the window's last sample - RX at its first) over the harness's
 * own clock between the two lines, the same arithmetic for every contender.
 */
final class Run {
    private static final Pattern JAVA_RX = Pattern.compile("stats: rx (\\d+)");
    private static final Pattern JAVA_ALLOC = Pattern.compile("worker-heap-alloc (\\d+)");
    private static final Pattern JAVA_GCS = Pattern.compile("gc-collections (\\d+)");
    private static final Pattern CREF_RX = Pattern.compile("lb-cref: stats: rx (\\d+)");
    private static final Pattern TESTPMD_PORT = Pattern.compile("NIC statistics for port (\\d+)");
    private static final Pattern TESTPMD_RX = Pattern.compile("RX-packets:\\s*(\\d+)");
    private static final Pattern JAVA_VERDICTS = Pattern.compile("stopped: worker \\d+ rx \\d+ from the nic:(.*)");
    private static final Pattern CREF_VERDICTS = Pattern.compile("lb-cref: verdicts:(.*)");
    private static final Pattern GC = Pattern.compile("(gc: .*)");
    private static final Pattern JVM = Pattern.compile("lb-dataplane: (jvm .*)");

    private Run() {
    }

    /** A sample: harness time and cumulative counts. */
    record Sample(long nanos, long rx, long alloc, long gcs) {
    }

    /** What one run measured. */
    record Result(Contender contender, double pps, List<Double> intervalPps, long packets, double seconds,
        double allocBytesPerPacket, long gcsInWindow, Histogram latency, Map<String, Long> verdicts, String gc, String jvm, int exitCode,
        List<String> errors) {
    }

    static Result measure(final Contender contender, final Contender.Setup setup, final double warmupSeconds,
        final double measureSeconds, final double startTimeoutSeconds, final Path log) throws IOException,
        InterruptedException {
        Files.deleteIfExists(setup.latencyFile());
        final ProcessBuilder pb = new ProcessBuilder(contender.command(setup)).redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        final List<Sample> samples = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        final Process process = pb.start();
        final Thread reader = Thread.ofPlatform().daemon().start(() -> read(contender, process, samples, lines));
        final List<String> errors = new ArrayList<>();
        final long start = System.nanoTime();
        long flowingAt = 0;
        // Wait for traffic.
        while (process.isAlive()) {
            synchronized (samples) {
                if (!samples.isEmpty() && samples.getLast().rx() > 0) {
                    flowingAt = samples.getLast().nanos();
                    break;
                }
            }
            if (System.nanoTime() - start > startTimeoutSeconds * 1e9) {
                errors.add("no traffic after " + startTimeoutSeconds + " s");
                break;
            }
            Thread.sleep(50);
        }
        if (flowingAt != 0) {
            // Run until a sample lands at or after warm-up + measure (contenders print about once a second,
            // testpmd less regularly), or a generous deadline.
            final long wantAt = flowingAt + (long)((warmupSeconds + measureSeconds) * 1e9);
            final long deadline = wantAt + 30_000_000_000L;
            while (process.isAlive() && System.nanoTime() < deadline) {
                synchronized (samples) {
                    if (samples.getLast().nanos() >= wantAt) {
                        break;
                    }
                }
                Thread.sleep(20);
            }
        }
        if (!process.isAlive()) {
            errors.add("exited early");
        }
        // SIGTERM through the handle: Process.destroy() would also close our end of its output, and the
        // contender's last lines (totals, verdicts) would be lost, or kill it with SIGPIPE.
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            errors.add("did not stop within 60 s of SIGTERM; killed");
            process.destroyForcibly().waitFor();
        }
        reader.join(10_000);
        final int exit = process.exitValue();
        // What the contender leaves behind: EAL's runtime directory and the dataplane's Aeron directory.
        deleteTree(Path.of("/var/run/dpdk", setup.prefix()));
        deleteTree(Path.of("/dev/shm/lb-bench-" + setup.prefix()));
        Files.write(log, lines, StandardCharsets.UTF_8);

        // The measured window: from the first sample at or after warm-up's end to the first at or after
        // warm-up + measure.
        Sample first = null;
        Sample last = null;
        synchronized (samples) {
            for (final Sample s : samples) {
                if (flowingAt == 0) {
                    break;
                }
                final double t = (s.nanos() - flowingAt) / 1e9;
                if (first == null && t >= warmupSeconds) {
                    first = s;
                } else if (first != null && last == null && t >= warmupSeconds + measureSeconds) {
                    last = s;
                }
            }
        }
        double pps = 0;
        final List<Double> intervals = new ArrayList<>();
        long packets = 0;
        double seconds = 0;
        double alloc = Double.NaN;
        long gcs = -1;
        if (first != null && last != null) {
            packets = last.rx() - first.rx();
            seconds = (last.nanos() - first.nanos()) / 1e9;
            pps = packets / seconds;
            // The Java worker's heap allocation and the JVM's collections across the window (their stats lines carry
            // both): what "0 B/packet, no GC" is read from.
            if (first.alloc() >= 0 && last.alloc() >= 0 && packets > 0) {
                alloc = (double)(last.alloc() - first.alloc()) / packets;
            }
            if (first.gcs() >= 0 && last.gcs() >= 0) {
                gcs = last.gcs() - first.gcs();
            }
            // The rate of every stats interval (about a second) in the window. The harness times the lines as it
            // reads them: a line read late makes one interval long and the next short (and falsely fast), so
            // intervals more than 10% off the median length are left out.
            final List<long[]> spans = new ArrayList<>();
            synchronized (samples) {
                Sample previous = null;
                for (final Sample s : samples) {
                    if (s.nanos() < first.nanos() || s.nanos() > last.nanos()) {
                        continue;
                    }
                    if (previous != null && s.nanos() - previous.nanos() >= 200_000_000L) {
                        spans.add(new long[] {s.nanos() - previous.nanos(), s.rx() - previous.rx()});
                        previous = s;
                    } else if (previous == null) {
                        previous = s;
                    }
                }
            }
            if (!spans.isEmpty()) {
                final long[] lengths = spans.stream().mapToLong(x -> x[0]).sorted().toArray();
                final long median = lengths[lengths.length / 2];
                for (final long[] span : spans) {
                    if (Math.abs(span[0] - median) <= median / 10) {
                        intervals.add(span[1] * 1e9 / span[0]);
                    }
                }
            }
        } else {
            errors.add("fewer than two samples in the measured window");
        }
        final Histogram latency = Files.exists(setup.latencyFile()) ? readLatency(setup.latencyFile()) : null;
        final Map<String, Long> verdicts = new LinkedHashMap<>();
        String gc = null;
        String jvm = null;
        for (final String line : lines) {
            Matcher m = (contender == Contender.JAVA_FULL ? JAVA_VERDICTS : CREF_VERDICTS).matcher(line);
            if (contender.balances() && m.find()) {
                parseVerdicts(m.group(1), verdicts);
            }
            m = GC.matcher(line);
            if (m.find()) {
                gc = m.group(1);
            }
            m = JVM.matcher(line);
            if (m.find()) {
                jvm = m.group(1);
            }
        }
        if (exit != 0 && exit != 130 && exit != 143) {
            errors.add("exit code " + exit);
        }
        return new Result(contender, pps, intervals, packets, seconds, alloc, gcs, latency, verdicts, gc, jvm, exit, errors);
    }

    private static void read(final Contender contender, final Process process, final List<Sample> samples,
        final List<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            int testpmdPort = -1;
            String line;
            while ((line = in.readLine()) != null) {
                final long now = System.nanoTime();
                lines.add(line);
                long rx = -1;
                long alloc = -1;
                long gcs = -1;
                switch (contender) {
                    case TESTPMD_IO, TESTPMD_5TSWAP -> {
                        final Matcher port = TESTPMD_PORT.matcher(line);
                        if (port.find()) {
                            testpmdPort = Integer.parseInt(port.group(1));
                        }
                        final Matcher m = TESTPMD_RX.matcher(line);
                        if (testpmdPort == 0 && m.find()) {
                            rx = Long.parseLong(m.group(1));
                            testpmdPort = -1;
                        }
                    }
                    case CREF, CREF_UNTUNED -> {
                        final Matcher m = CREF_RX.matcher(line);
                        if (m.find()) {
                            rx = Long.parseLong(m.group(1));
                        }
                    }
                    default -> {
                        final Matcher m = JAVA_RX.matcher(line);
                        if (m.find()) {
                            rx = Long.parseLong(m.group(1));
                            final Matcher a = JAVA_ALLOC.matcher(line);
                            alloc = a.find() ? Long.parseLong(a.group(1)) : -1;
                            final Matcher g = JAVA_GCS.matcher(line);
                            gcs = g.find() ? Long.parseLong(g.group(1)) : -1;
                        }
                    }
                }
                if (rx >= 0) {
                    synchronized (samples) {
                        samples.add(new Sample(now, rx, alloc, gcs));
                    }
                }
            }
        } catch (final IOException ex) {
            synchronized (samples) {
                lines.add("harness: reading the output failed: " + ex);
            }
        }
    }

    private static void parseVerdicts(final String text, final Map<String, Long> into) {
        // Java: " accept 123 not_owner 456"; C: " ACCEPT=123 DROP_NOT_OWNER=456".
        final String[] tokens = text.trim().replace('=', ' ').split("\\s+");
        for (int i = 0; i + 1 < tokens.length; i += 2) {
            try {
                into.merge(normalise(tokens[i]), Long.parseLong(tokens[i + 1]), Long::sum);
            } catch (final NumberFormatException ex) {
                return;
            }
        }
    }

    static String normalise(final String verdict) {
        final String v = verdict.toLowerCase();
        return v.startsWith("drop_") ? v.substring(5) : v;
    }

    private static void deleteTree(final Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException ex) {
            System.err.println("lb bench: could not remove " + dir + ": " + ex.getMessage());
        }
    }

    static Histogram readLatency(final Path file) throws IOException {
        final Histogram h = new Histogram(1, 1_000_000_000L, 3);
        for (final String line : Files.readAllLines(file)) {
            final String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                final long ns = Math.max(1, Math.min(Long.parseLong(parts[0]), 1_000_000_000L));
                h.recordValueWithCount(ns, Long.parseLong(parts[1]));
            }
        }
        return h;
    }
}
