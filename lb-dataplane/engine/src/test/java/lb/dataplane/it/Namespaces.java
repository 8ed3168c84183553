package lb.dataplane.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Network namespaces for a process test, and the processes started in them: named uniquely per run so
 * that tests and demos never collide, and all removed by {@link #close()} whatever the test's outcome.
 */
final class Namespaces implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String prefix = "lbit" + ProcessHandle.current().pid() + "x" +
        Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    private final List<String> names = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /**
     * Creates a namespace with its loopback up.
     *
     * @return its name.
     */
    String add(final String role) throws IOException, InterruptedException {
        final String name = prefix + "-" + role;
        run("ip", "netns", "add", name);
        names.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * Runs a command to completion in this (the test's) namespace.
     *
     * @return its output (stdout and stderr).
     */
    static String run(final String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT + ":\n" + output);
        }
        if (process.exitValue() != 0) {
            fail(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    /**
     * Runs a command to completion inside a namespace.
     *
     * @return its output (stdout and stderr).
     */
    static String exec(final String namespace, final String... command) throws IOException, InterruptedException {
        return run(inNamespace(namespace, List.of(command)).toArray(String[]::new));
    }

    /**
     * Starts a command inside a namespace, its stdout and stderr going to {@code log}; it is stopped by
     * {@link #close()} if still running then.
     */
    Process start(final String namespace, final Path log, final List<String> command) throws IOException {
        final Process process = new ProcessBuilder(inNamespace(namespace, command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        processes.add(process);
        return process;
    }

    /** {@code ip netns exec} runs the command in place of itself, so the process id is the command's. */
    static List<String> inNamespace(final String namespace, final List<String> command) {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    /**
     * Waits until {@code log} contains {@code text}, failing when the process exits first or the time is up.
     */
    static void awaitLog(final Process process, final Path log, final String text, final Duration timeout)
        throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!read(log).contains(text)) {
            if (!process.isAlive()) {
                fail("the process exited with " + process.exitValue() + " before printing '" + text + "':\n" +
                    read(log));
            }
            if (System.nanoTime() - deadline > 0) {
                fail("no '" + text + "' after " + timeout + ":\n" + read(log));
            }
            Thread.sleep(20);
        }
    }

    static String read(final Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /**
     * Stops a process with SIGTERM, then SIGKILL if it outlives {@link #STOP_TIMEOUT}.
     *
     * @return whether it stopped on SIGTERM.
     */
    static boolean stop(final Process process) throws InterruptedException {
        process.destroy();
        if (process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            return true;
        }
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return false;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (final Process process : processes) {
            stop(process);
        }
        final List<String> failures = new ArrayList<>();
        for (final String name : names) {
            final Process del = new ProcessBuilder("ip", "netns", "del", name).redirectErrorStream(true).start();
            final String output = new String(del.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (del.waitFor() != 0) {
                failures.add(name + ": " + output.strip());
            }
        }
        if (!failures.isEmpty()) {
            fail("could not delete namespaces " + failures);
        }
    }
}
