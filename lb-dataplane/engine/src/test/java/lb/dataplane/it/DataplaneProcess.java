package lb.dataplane.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

import lb.dataplane.api.CountersFile;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real dataplane as a separate process (EAL allows one initialisation per process), with its
 * counters read from its Aeron CnC file the way operators' tools read them.
 */
final class DataplaneProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path output;
    private final Path aeronDir;
    private final String filePrefix;
    private CountersFile counters;

    private DataplaneProcess(final Process process, final Path output, final Path aeronDir, final String filePrefix) {
        this.process = process;
        this.output = output;
        this.aeronDir = aeronDir;
        this.filePrefix = filePrefix;
    }

    /**
     * Starts {@code lb dataplane} with EAL set up for tests (no hugepages, no PCI, one lcore, a unique
     * file prefix) plus {@code ealArgs}, and {@code appArgs} after {@code --}.
     */
    static DataplaneProcess start(final Path workDir, final List<String> ealArgs, final List<String> appArgs)
        throws IOException {
        return start(workDir, List.of(), ealArgs, appArgs);
    }

    /**
     * As {@link #start(Path, List, List)}, inside a network namespace ({@code ip netns exec}, which runs
     * the JVM in its own place, so signals still reach the dataplane).
     */
    static DataplaneProcess startInNamespace(final Path workDir, final String namespace, final List<String> ealArgs,
        final List<String> appArgs) throws IOException {
        return start(workDir, Namespaces.inNamespace(namespace, List.of()), ealArgs, appArgs);
    }

    private static DataplaneProcess start(final Path workDir, final List<String> launcher, final List<String> ealArgs,
        final List<String> appArgs) throws IOException {
        final Path aeronDir = workDir.resolve("aeron");
        final Path output = workDir.resolve("dataplane.log");
        final List<String> command = new ArrayList<>(launcher);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dlb.native.lib=" + System.getProperty("lb.native.lib"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("lb.dataplane.Dataplane");
        final String prefix = "lbit" + ProcessHandle.current().pid() + "x" + ThreadLocalRandom.current().nextInt(1 << 20);
        command.addAll(List.of("--no-huge", "-m", "256", "--no-pci", "--no-telemetry", "-l", "0",
            "--file-prefix", prefix));
        command.addAll(ealArgs);
        command.add("--");
        command.addAll(List.of("--aeron-dir", aeronDir.toString()));
        command.addAll(appArgs);
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        return new DataplaneProcess(process, output, aeronDir, prefix);
    }

    /**
     * Waits until the counter with this type and key satisfies {@code condition}.
     *
     * @return its value then.
     */
    long awaitCounter(final int typeId, final int key, final LongPredicate condition, final Duration timeout)
        throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        OptionalLong value = OptionalLong.empty();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                fail("the dataplane exited with " + process.exitValue() + " while waiting for counter " + typeId +
                    "/" + key + ":\n" + output());
            }
            if (openCounters()) {
                value = counters.value(typeId, key);
                if (value.isPresent() && condition.test(value.getAsLong())) {
                    return value.getAsLong();
                }
            }
            Thread.sleep(20);
        }
        fail("counter " + typeId + "/" + key + " is " + value + " after " + timeout + ":\n" + output());
        return -1;
    }

    /**
     * Waits until the counters with this type and keys 0 to {@code keys - 1} (e.g. one per worker), read
     * together, satisfy {@code condition}.
     *
     * @return their values then, by key.
     */
    long[] awaitCounters(final int typeId, final int keys, final Predicate<long[]> condition, final Duration timeout)
        throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final long[] values = new long[keys];
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                fail("the dataplane exited with " + process.exitValue() + " while waiting for counters " + typeId +
                    "/0-" + (keys - 1) + ":\n" + output());
            }
            if (openCounters()) {
                boolean all = true;
                for (int key = 0; key < keys; key++) {
                    final OptionalLong value = counters.value(typeId, key);
                    all &= value.isPresent();
                    values[key] = value.orElse(-1);
                }
                if (all && condition.test(values.clone())) {
                    return values;
                }
            }
            Thread.sleep(20);
        }
        fail("counters " + typeId + "/0-" + (keys - 1) + " are " + Arrays.toString(values) + " after " + timeout +
            ":\n" + output());
        return values;
    }

    /**
     * Waits until the dataplane has printed {@code text} (e.g. "running;"), failing if it exits first.
     */
    void awaitOutput(final String text, final Duration timeout) throws IOException, InterruptedException {
        Namespaces.awaitLog(process, output, text, timeout);
    }

    /**
     * Sends {@code signal} (INT or TERM) and waits for the process to exit.
     *
     * @return the exit status.
     */
    int stop(final String signal) throws IOException, InterruptedException {
        closeCounters();
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            fail("kill -" + signal + " failed");
        }
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the dataplane did not stop within " + STOP_TIMEOUT + " of SIG" + signal + ":\n" + output());
        }
        return process.exitValue();
    }

    /**
     * Waits for the process to exit by itself.
     *
     * @return the exit status.
     */
    int awaitExit(final Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the dataplane did not exit within " + timeout + ":\n" + output());
        }
        closeCounters();
        return process.exitValue();
    }

    /** Opens the CnC file once the dataplane has made it. @return whether the counters can be read. */
    private boolean openCounters() {
        if (counters == null && Files.exists(aeronDir.resolve("cnc.dat"))) {
            try {
                counters = CountersFile.open(aeronDir);
            } catch (final IllegalStateException notReady) {
                counters = null;
            }
        }
        return counters != null;
    }

    String output() throws IOException {
        return Files.exists(output) ? Files.readString(output) : "";
    }

    private void closeCounters() {
        if (counters != null) {
            counters.close();
            counters = null;
        }
    }

    @Override
    public void close() {
        closeCounters();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        // EAL leaves its runtime directory (/var/run/dpdk/<prefix>, or under $XDG_RUNTIME_DIR) behind.
        for (final Path runtime : List.of(Path.of("/var/run/dpdk", filePrefix),
            Path.of(System.getenv().getOrDefault("XDG_RUNTIME_DIR", "/tmp"), "dpdk", filePrefix))) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(runtime)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (final IOException | java.io.UncheckedIOException absent) {
                // Not there (not root, or already gone): nothing to clean.
            }
        }
    }
}
