package lb.control.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import lb.control.admin.AdminClient;
import lb.control.admin.ClusterReport;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.HostCommandCode;
import lb.dataplane.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lbctl host start|stop|drainstop|suspend|resume [HOST]}: NLB's host control, on this host or, through its
 * lbd, on another.
 */
@Command(name = "host", mixinStandardHelpOptions = true,
    description = "Control a host's part in the cluster (NLB's host commands).",
    subcommands = {HostCommand.Start.class, HostCommand.Stop.class, HostCommand.Drainstop.class,
        HostCommand.Suspend.class, HostCommand.Resume.class})
public final class HostCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "a host command is required: start, stop, drainstop, suspend or resume");
    }

    /** What every host command takes. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LbdOptions lbd;

        @Parameters(arity = "0..1", paramLabel = "HOST", description = "The host id. Default: this host.")
        Integer host;

        @Option(names = {"-j", "--json"}, description = "Print the answer as JSON: {\"hostId\", \"status\", " +
            "\"detail\"}.")
        boolean json;

        abstract HostCommandCode code();

        long drainTimeoutMs() throws LbdOptions.Problem {
            return 0;
        }

        /** What a command does once lbd took it: nothing, or wait for its end (drainstop --wait). */
        int afterOk(final AdminClient client, final AdminClient.CommandResult result, final Map<String, Object> answer,
            final PrintWriter out, final PrintWriter err) throws LbdOptions.Problem, AdminClient.TimedOut {
            return ExitCodes.OK;
        }

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            return lbd.run(err, client -> {
                final AdminClient.CommandResult result = client.hostCommand(host == null ? 0 : host, code(),
                    drainTimeoutMs());
                final Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("hostId", result.hostId());
                answer.put("status", result.status().name().toLowerCase());
                answer.put("detail", result.detail());
                if (!json && result.status() == AnswerStatus.OK) {
                    out.println("host " + result.hostId() + ": " + result.detail());
                    out.flush();
                }
                final int waited = result.status() == AnswerStatus.OK ? afterOk(client, result, answer, out, err) :
                    ExitCodes.OK;
                if (json) {
                    out.println(Json.COMPACT.writeValueAsString(answer));
                }
                out.flush();
                if (waited != ExitCodes.OK) {
                    return waited;
                }
                if (result.status() != AnswerStatus.OK) {
                    err.println("lbctl: host " + result.hostId() + " " + code().name().toLowerCase() + ": " +
                        result.status().name().toLowerCase() + ": " + result.detail());
                    err.flush();
                }
                return switch (result.status()) {
                    case OK -> ExitCodes.OK;
                    case REFUSED -> ExitCodes.REFUSED;
                    case INVALID -> ExitCodes.USAGE;
                    case UNREACHABLE -> ExitCodes.UNREACHABLE;
                    default -> ExitCodes.FAILURE;
                };
            });
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start the host: it listens for the detection time, then serves in the cluster's view.")
    static final class Start extends Base {
        @Override
        HostCommandCode code() {
            return HostCommandCode.START;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the host: it owns nothing and answers no VIP at once; the others take its buckets.")
    static final class Stop extends Base {
        @Override
        HostCommandCode code() {
            return HostCommandCode.STOP;
        }
    }

    @Command(name = "drainstop", mixinStandardHelpOptions = true,
        description = "Drain the host: no new connections (the others take them); it stops when its tracked " +
            "connections end, or at the timeout.")
    static final class Drainstop extends Base {
        @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Stop at the latest after this (e.g. 10m). Default: when the last connection ends.")
        String timeout;

        @Option(names = "--wait", description = "Wait until the host stopped; on a terminal, show the drain's " +
            "progress (the connections its dataplane still tracks, for this host).")
        boolean await;

        @Option(names = "--wait-timeout", paramLabel = "DURATION", description = "Give up waiting after this " +
            "(exit 5; the drain goes on). Default: the --timeout and 30 s more, or 1h.")
        String waitTimeout;

        @Override
        HostCommandCode code() {
            return HostCommandCode.DRAINSTOP;
        }

        @Override
        int afterOk(final AdminClient client, final AdminClient.CommandResult result, final Map<String, Object> answer,
            final PrintWriter out, final PrintWriter err) throws LbdOptions.Problem, AdminClient.TimedOut {
            if (!await) {
                return ExitCodes.OK;
            }
            final long limitMs;
            try {
                limitMs = waitTimeout != null ? Durations.parse(waitTimeout).toMillis() :
                    drainTimeoutMs() > 0 ? drainTimeoutMs() + 30_000 : 3_600_000;
            } catch (final IllegalArgumentException ex) {
                throw new LbdOptions.Problem(ExitCodes.USAGE, "--wait-timeout: " + ex.getMessage());
            }
            final Changes.Progress progress = new Changes.Progress(err, !json && System.console() != null);
            final long start = System.currentTimeMillis();
            while (true) {
                final ClusterReport report = client.query();
                final String state = report.hosts().stream().filter(h -> h.hostId() == result.hostId())
                    .map(ClusterReport.HostReport::state).findFirst().orElse("unknown");
                final long waitedMs = System.currentTimeMillis() - start;
                if ("stopped".equals(state)) {
                    progress.done();
                    answer.put("state", state);
                    answer.put("waitedMs", waitedMs);
                    if (!json) {
                        out.println("host " + result.hostId() + ": stopped after " + Durations.format(
                            java.time.Duration.ofMillis(waitedMs)) + " of drain");
                    }
                    return ExitCodes.OK;
                }
                if (waitedMs > limitMs) {
                    progress.done();
                    answer.put("state", state);
                    answer.put("waitedMs", waitedMs);
                    err.println("lbctl: host " + result.hostId() + " is still " + state + " after " +
                        Durations.format(java.time.Duration.ofMillis(waitedMs)) + "; the drain goes on");
                    err.flush();
                    return ExitCodes.TIMEOUT;
                }
                final long left = report.hostId() == result.hostId() ? trackedHere() : -1;
                progress.show("host " + result.hostId() + " " + state + " for " +
                    Durations.format(java.time.Duration.ofSeconds(waitedMs / 1000)) +
                    (left >= 0 ? ": " + left + " connections left" : ""));
                try {
                    Thread.sleep(200);
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new AdminClient.TimedOut("interrupted");
                }
            }
        }

        /** The connections this host's dataplane tracks, from its counters; -1 when they cannot be read. */
        private long trackedHere() {
            try (lb.dataplane.api.CountersFile file = lb.dataplane.api.CountersFile.open(
                lbd.runDir().resolve("dataplane"))) {
                long live = 0;
                for (final CounterSnapshot.Entry entry : CounterSnapshot.read(file).counters()) {
                    live += entry.typeId() == lb.dataplane.api.CounterTypes.TABLE_CONNECTIONS_LIVE ? entry.value() : 0;
                }
                return live;
            } catch (final Exception unreadable) {
                return -1;
            }
        }

        @Override
        long drainTimeoutMs() throws LbdOptions.Problem {
            if (timeout == null) {
                return 0;
            }
            try {
                return Durations.parse(timeout).toMillis();
            } catch (final IllegalArgumentException ex) {
                throw new LbdOptions.Problem(ExitCodes.USAGE, "--timeout: " + ex.getMessage());
            }
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true,
        description = "Suspend the host: like stop, and it takes no command but resume (and query).")
    static final class Suspend extends Base {
        @Override
        HostCommandCode code() {
            return HostCommandCode.SUSPEND;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Resume a suspended host: it becomes stopped (start it to rejoin).")
    static final class Resume extends Base {
        @Override
        HostCommandCode code() {
            return HostCommandCode.RESUME;
        }
    }
}
