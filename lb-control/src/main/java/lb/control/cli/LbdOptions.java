package lb.control.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import lb.control.admin.AdminClient;
import lb.dataplane.config.Durations;
import picocli.CommandLine.Option;

/**
 * How lbctl finds the lbd it asks: the host's run directory (lbd's {@code --run-dir}), or the only host running on
 * this machine; and how long it waits for an answer.
 */
public final class LbdOptions {
    /** Where lbd puts its run directories by default. */
    static final Path DEFAULT_PARENT = Path.of("/dev/shm");

    @Option(names = "--run-dir", paramLabel = "DIR",
        description = "The host's run directory (lbd's --run-dir). Default: the only /dev/shm/lb-host-N here.")
    Path runDir;

    @Option(names = "--answer-timeout", paramLabel = "DURATION", defaultValue = "5s",
        description = "How long to wait for lbd and for its answer. Default: ${DEFAULT-VALUE}.")
    String answerTimeout;

    /** A usage error, or lbd not found, with the message for stderr and the exit code. */
    static final class Problem extends Exception {
        final int exitCode;

        Problem(final int exitCode, final String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    long timeoutMs() throws Problem {
        try {
            return Durations.parse(answerTimeout).toMillis();
        } catch (final IllegalArgumentException ex) {
            throw new Problem(ExitCodes.USAGE, "--answer-timeout: " + ex.getMessage());
        }
    }

    /** The run directory: the one named, or the only one on this machine. */
    Path runDir() throws Problem {
        if (runDir != null) {
            return runDir;
        }
        final List<Path> found;
        try (Stream<Path> entries = Files.isDirectory(DEFAULT_PARENT) ? Files.list(DEFAULT_PARENT) : Stream.empty()) {
            found = entries.filter(p -> p.getFileName().toString().startsWith("lb-host-"))
                .filter(p -> Files.isDirectory(p.resolve("lbd"))).sorted().toList();
        } catch (final IOException ex) {
            throw new Problem(ExitCodes.UNREACHABLE, "cannot list " + DEFAULT_PARENT + ": " + ex.getMessage());
        }
        if (found.isEmpty()) {
            throw new Problem(ExitCodes.UNREACHABLE, "no lbd runs here (no " + DEFAULT_PARENT +
                "/lb-host-N/lbd); name the host's run directory with --run-dir");
        }
        if (found.size() > 1) {
            throw new Problem(ExitCodes.USAGE, "several hosts run here (" + found + "); name one with --run-dir");
        }
        return found.getFirst();
    }

    /** What a command does with the lbd it joined: its exit code. */
    @FunctionalInterface
    interface Call {
        int with(AdminClient client) throws Problem, AdminClient.TimedOut,
            com.fasterxml.jackson.core.JsonProcessingException;
    }

    /**
     * Joins the host's lbd and runs the call; lbd not found, no answer in time and failures to print go to stderr
     * with their exit codes.
     */
    int run(final java.io.PrintWriter err, final Call call) {
        try (AdminClient client = connect()) {
            return call.with(client);
        } catch (final Problem problem) {
            err.println("lbctl: " + problem.getMessage());
            err.flush();
            return problem.exitCode;
        } catch (final AdminClient.TimedOut timedOut) {
            err.println("lbctl: " + timedOut.getMessage());
            err.flush();
            return ExitCodes.TIMEOUT;
        } catch (final com.fasterxml.jackson.core.JsonProcessingException ex) {
            err.println("lbctl: " + ex.getMessage());
            err.flush();
            return ExitCodes.FAILURE;
        }
    }

    /** Joins the host's lbd. */
    AdminClient connect() throws Problem {
        final long timeout = timeoutMs();
        try {
            return AdminClient.connect(runDir().resolve("lbd"), timeout);
        } catch (final AdminClient.Unreachable ex) {
            throw new Problem(ExitCodes.UNREACHABLE, ex.getMessage());
        }
    }
}
