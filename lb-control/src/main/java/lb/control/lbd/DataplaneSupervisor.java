package lb.control.lbd;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps this host's dataplane process running: starts it, notices when it dies, and starts it again after a back-off
 * that doubles on every quick death (a dataplane that ran a while is restarted at once). It can adopt a dataplane
 * that an earlier lbd started (fail-static: lbd's death never stops forwarding), and let it go when lbd exits without
 * stopping the host. One thread (lbd's duty cycle); time comes in as an argument.
 */
public final class DataplaneSupervisor {
    /** A run at least this long resets the back-off: the dataplane did not die of its start-up. */
    static final long STABLE_RUN_MS = 10_000;

    /** Starts processes; tests give their own. */
    public interface Launcher {
        /**
         * @param command the command line.
         * @param log     where its stdout and stderr go (a file, never a pipe: a dataplane must outlive lbd).
         * @return the started process.
         * @throws IOException when it cannot be started.
         */
        ProcessHandle start(List<String> command, Path log) throws IOException;
    }

    /** What the supervisor tells lbd. */
    public interface Listener {
        /** A dataplane runs: started now, or adopted. */
        void onDataplaneUp(long pid, boolean adopted);

        /** The dataplane died (or was stopped): it decides nothing any more. */
        void onDataplaneDown(long pid, String why);
    }

    private final List<String> command;
    private final Path log;
    private final Launcher launcher;
    private final Listener listener;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private ProcessHandle process;
    private long startedMs;
    private long backoffMs;
    private long nextStartMs;
    private boolean supervising = true;
    private int starts;

    /**
     * @param command          the dataplane's command line.
     * @param log              where its output goes.
     * @param launcher         starts it.
     * @param listener         told when it comes up and goes down.
     * @param initialBackoffMs the first delay before a restart after a quick death.
     * @param maxBackoffMs     the longest delay.
     */
    public DataplaneSupervisor(final List<String> command, final Path log, final Launcher launcher,
        final Listener listener, final long initialBackoffMs, final long maxBackoffMs) {
        this.command = List.copyOf(command);
        this.log = log;
        this.launcher = launcher;
        this.listener = listener;
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
        this.backoffMs = 0;
    }

    /**
     * Takes over a dataplane that is already running (an earlier lbd's), instead of starting one.
     *
     * @param running the dataplane's process.
     * @param nowMs   now.
     */
    public void adopt(final ProcessHandle running, final long nowMs) {
        process = running;
        startedMs = nowMs;
        listener.onDataplaneUp(running.pid(), true);
    }

    /**
     * One duty cycle: notices a death, starts when due.
     *
     * @param nowMs now.
     * @return work done.
     */
    public int doWork(final long nowMs) {
        if (!supervising) {
            return 0;
        }
        if (process != null) {
            if (process.isAlive()) {
                return 0;
            }
            final long pid = process.pid();
            process = null;
            backoffMs = nowMs - startedMs >= STABLE_RUN_MS ? 0 : backoffMs == 0 ? initialBackoffMs :
                Math.min(maxBackoffMs, backoffMs * 2);
            nextStartMs = nowMs + backoffMs;
            listener.onDataplaneDown(pid, "exited" + (backoffMs > 0 ? "; restarting in " + backoffMs + " ms" :
                "; restarting"));
            return 1;
        }
        if (nowMs - nextStartMs < 0) {
            return 0;
        }
        try {
            process = launcher.start(command, log);
            startedMs = nowMs;
            starts++;
            listener.onDataplaneUp(process.pid(), false);
        } catch (final IOException ex) {
            backoffMs = backoffMs == 0 ? initialBackoffMs : Math.min(maxBackoffMs, backoffMs * 2);
            nextStartMs = nowMs + backoffMs;
            listener.onDataplaneDown(-1, "cannot start " + command.getFirst() + ": " + ex.getMessage() +
                "; retrying in " + backoffMs + " ms");
        }
        return 1;
    }

    /**
     * Stops supervising and leaves the dataplane running on its last view: lbd is exiting, the host is not stopping.
     */
    public void release() {
        supervising = false;
        process = null;
    }

    /**
     * Stops the dataplane (SIGTERM, then SIGKILL after the grace period) and stops supervising: the host stops.
     *
     * @param graceMs how long the dataplane has to drain and exit cleanly.
     * @return whether it exited within the grace period.
     */
    public boolean stop(final long graceMs) {
        supervising = false;
        final ProcessHandle running = process;
        process = null;
        if (running == null || !running.isAlive()) {
            return true;
        }
        running.destroy();
        try {
            running.onExit().get(graceMs, TimeUnit.MILLISECONDS);
            listener.onDataplaneDown(running.pid(), "stopped");
            return true;
        } catch (final TimeoutException ex) {
            running.destroyForcibly();
            listener.onDataplaneDown(running.pid(), "killed after " + graceMs + " ms");
            return false;
        } catch (final ExecutionException ex) {
            return !running.isAlive();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return !running.isAlive();
        }
    }

    /**
     * @return the running dataplane's pid, or -1.
     */
    public long pid() {
        final ProcessHandle running = process;
        return running != null && running.isAlive() ? running.pid() : -1;
    }

    /**
     * @return whether it holds a dataplane process (running, or dead and not yet noticed by {@link #doWork}).
     */
    public boolean holdsProcess() {
        return process != null;
    }

    /**
     * @return how many times it started a dataplane.
     */
    public int starts() {
        return starts;
    }

    /**
     * The launcher lbd uses: a process group of its own, so a signal to lbd's terminal or process group (Ctrl-C, a
     * shell's SIGHUP to its job) does not reach the dataplane, with its output appended to the log.
     *
     * <p>Not a new session ({@code setsid}): with the kernel's session autogroups
     * ({@code kernel.sched_autogroup_enabled}, on by default) a new session is a scheduling group of its own, and on an
     * oversubscribed machine the CFS group weights starved the mostly idle dataplane's conductor for more than the
     * 3 s status timeout while another host's busy worker and lbctl's JVMs ran (measured in OperatorIT: both dataplane
     * threads runnable, 5 s of run-queue wait per 2 s of wall time; the same run passes with autogroups off). The
     * process group is made by Perl's {@code setpgrp} before the {@code exec} (Perl is essential in Debian), so
     * there is no window in which the dataplane runs in lbd's group.
     */
    public static Launcher detached() {
        return (cmd, logFile) -> {
            final List<String> full = new ArrayList<>(List.of("perl", "-e",
                "setpgrp(0, 0) or die \"setpgrp: $!\\n\"; exec { $ARGV[0] } @ARGV or die \"exec $ARGV[0]: $!\\n\"",
                "--"));
            full.addAll(cmd);
            return new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start()
                .toHandle();
        };
    }
}
