package lb.control.lbd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real lbd processes, each supervising a real dataplane on DPDK's net_null devices (no packets: {@code no-rx=1}), in
 * a directory of the test: started as a user starts them, driven by signals, observed through their logs and the
 * {@code status.json} each writes. Everything started is killed on close.
 */
final class HostProcesses implements AutoCloseable {
    static final Path PROJECT = Path.of(System.getProperty("lb.project.dir", "..")).toAbsolutePath();
    static final long TIMEOUT_MS = 60_000;
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final java.util.Map<Integer, String> nics = new java.util.HashMap<>();

    HostProcesses(final Path dir) {
        this.dir = dir;
    }

    /** Skips the test, naming what is missing, unless root and the built engine and shim are there. */
    static void assumeCanRun(final String test) throws IOException {
        assumeTrue("0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes())
            .trim()), test + " needs root (DPDK on virtual devices)");
        assumeTrue(Files.isRegularFile(PROJECT.resolve("native/build/liblbshim.so")) &&
                Files.isRegularFile(PROJECT.resolve("lb-dataplane/engine/target/classpath.txt")),
            test + " needs the native shim and the engine built (mvn verify from the project root does both)");
    }

    /**
     * Gives a host's dataplane another NIC than net_null with no traffic (DPDK's {@code --vdev} argument, port 0),
     * e.g. a pcap file replayed forever: {@code net_pcap0,rx_pcap=in.pcap,infinite_rx=1,tx_pcap=out.pcap}.
     */
    void nic(final int hostId, final String vdev) {
        nics.put(hostId, vdev);
    }

    /** The run directory of a host: Aeron directories, the dataplane's log, status.json. */
    Path runDir(final int hostId) {
        return dir.resolve("run" + hostId);
    }

    /**
     * Starts lbd for a host, as {@code ./lb host} does, its output going to the log.
     */
    Process start(final Path cluster, final int hostId, final Path log) throws IOException {
        return start(cluster, hostId, log, runDir(hostId), List.of());
    }

    /**
     * Starts lbd for a host with more lbd options (before the dataplane's arguments), e.g. {@code --metrics}.
     */
    Process start(final Path cluster, final int hostId, final Path log, final List<String> lbdArgs)
        throws IOException {
        return start(cluster, hostId, log, runDir(hostId), lbdArgs);
    }

    /**
     * Starts lbd for a host with a run directory of its own (its state directory inside), as a second machine would.
     */
    Process start(final Path cluster, final int hostId, final Path log, final Path runDir) throws IOException {
        return start(cluster, hostId, log, runDir, List.of());
    }

    private Process start(final Path cluster, final int hostId, final Path log, final Path runDir,
        final List<String> lbdArgs) throws IOException {
        final Process process = new ProcessBuilder(command(cluster, hostId, runDir, lbdArgs)).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(process);
        return process;
    }

    /** Runs lbd for a host that is expected to exit at once (a refused start), and what it printed. */
    Run lbd(final Path cluster, final int hostId, final Path runDir) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command(cluster, hostId, runDir, List.of())).start();
        processes.add(process);
        return finish(process, "lbd");
    }

    private List<String> command(final Path cluster, final int hostId, final Path runDir, final List<String> lbdArgs)
        throws IOException {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final String flags = "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED";
        final String engine = PROJECT.resolve("lb-dataplane/engine/target/classes") + ":" +
            Files.readString(PROJECT.resolve("lb-dataplane/engine/target/classpath.txt")).trim();
        final String dataplane = java + " " + flags + " -XX:TieredStopAtLevel=1 -Xmx256m -Dlb.native.lib=" +
            PROJECT.resolve("native/build/liblbshim.so") + " -cp " + engine + " lb.dataplane.Dataplane";
        final List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        command.addAll(List.of(flags.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "lb.control.lbd.Lbd",
            "--cluster", cluster.toString(), "--host-id", Integer.toString(hostId),
            "--run-dir", runDir.toString(), "--state-dir", runDir.resolve("state").toString(),
            "--dataplane-command", dataplane));
        command.addAll(lbdArgs);
        command.addAll(List.of("--",
            "--no-huge", "-m", "256", "--no-pci", "--vdev=" + nics.getOrDefault(hostId, "net_null0,no-rx=1"),
            "--vdev=net_null1,no-rx=1", "-l", "0",
            "--file-prefix", "lbt-" + ProcessHandle.current().pid() + "-" + hostId, "--", "--nic", "0",
            "--kernel", "1", "--connections", "65536", "--sticky-clients", "4096", "--mbufs", "4096"));
        return command;
    }

    /** What a run of lbctl printed, and its exit code. */
    record Run(int exitCode, String out, String err) {
    }

    /** Runs the real lbctl, as an operator would, and waits for it. */
    static Run lbctl(final String... args) throws IOException, InterruptedException {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            "lb.control.cli.Lbctl"));
        command.addAll(List.of(args));
        return finish(new ProcessBuilder(command).start(), "lbctl " + String.join(" ", args));
    }

    /** Waits for a process that should end on its own, with what it printed. */
    private static Run finish(final Process process, final String what) throws IOException, InterruptedException {
        final var out = process.getInputStream().readAllBytes();
        final var err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(what + " did not end");
        }
        return new Run(process.exitValue(), new String(out), new String(err));
    }

    /** Parses JSON an lbctl printed. */
    static JsonNode json(final Run run) throws IOException {
        if (run.exitCode() != 0) {
            throw new AssertionError("lbctl exited " + run.exitCode() + ": " + run.err() + run.out());
        }
        return JSON.readTree(run.out());
    }

    /** Sends a signal (INT, TERM, KILL) as an operator would. */
    static void signal(final long pid, final String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
    }

    /** Waits for a process to exit. */
    static void awaitExit(final long pid) throws Exception {
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    static boolean alive(final long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The host's status.json, or null while it has none. */
    JsonNode status(final int hostId) {
        return status(runDir(hostId));
    }

    /** The status.json in a run directory, or null while there is none. */
    JsonNode status(final Path runDir) {
        try {
            final Path file = runDir.resolve("status.json");
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
        } catch (final IOException raced) {
            return null;
        }
    }

    /** Waits until the host's status satisfies the condition, and returns that status. */
    JsonNode awaitStatus(final int hostId, final String what, final Predicate<JsonNode> condition)
        throws InterruptedException {
        return awaitStatus(runDir(hostId), what, condition);
    }

    /** Waits until the status in a run directory satisfies the condition, and returns that status. */
    JsonNode awaitStatus(final Path runDir, final String what, final Predicate<JsonNode> condition)
        throws InterruptedException {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        JsonNode status = null;
        while (System.currentTimeMillis() < deadline) {
            status = status(runDir);
            if (status != null && condition.test(status)) {
                return status;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(runDir + " never " + what + "; its last status:\n" + status);
    }

    static Matcher await(final Path log, final Pattern pattern) throws Exception {
        return awaitMatch(log, pattern, m -> true);
    }

    static Matcher awaitMatch(final Path log, final Pattern pattern, final Predicate<Matcher> wanted)
        throws Exception {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            final Optional<Matcher> found = matches(log, pattern).stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matching " + pattern + " in " + log + ":\n" + read(log));
    }

    static void awaitLine(final Path log, final Predicate<String> wanted) throws Exception {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (read(log).lines().anyMatch(wanted)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the line did not come in " + log + ":\n" + read(log));
    }

    static String read(final Path log) {
        try {
            return Files.isRegularFile(log) ? Files.readString(log) : "";
        } catch (final IOException e) {
            return "";
        }
    }

    static long pid(final Matcher matcher) {
        return Long.parseLong(matcher.group(1));
    }

    private static List<Matcher> matches(final Path log, final Pattern pattern) {
        final List<Matcher> found = new ArrayList<>();
        read(log).lines().forEach(line -> {
            final Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                found.add(matcher);
            }
        });
        return found;
    }

    /** Keeps the logs of the hosts (lbd's and the dataplanes') in target/it-logs/NAME for a look after the run. */
    void keepLogs(final String name) {
        final Path kept = PROJECT.resolve("lb-control/target/it-logs").resolve(name);
        try (var files = Files.walk(dir)) {
            Files.createDirectories(kept);
            for (final Path log : files.filter(f -> f.toString().endsWith(".log") || f.endsWith("status.json")).toList()) {
                Files.copy(log, kept.resolve(dir.relativize(log).toString().replace('/', '-')),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (final IOException ex) {
            System.err.println("cannot keep the logs in " + kept + ": " + ex);
        }
    }

    @Override
    public void close() {
        for (final Process lbd : processes) {
            lbd.destroyForcibly();
        }
        ProcessHandle.allProcesses()
            .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir.toString())).orElse(false))
            .forEach(ProcessHandle::destroyForcibly);
    }
}
