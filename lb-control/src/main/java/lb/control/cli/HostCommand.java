package lb.control.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import lb.control.admin.AdminClient;
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

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            return lbd.run(err, client -> {
                final AdminClient.CommandResult result = client.hostCommand(host == null ? 0 : host, code(),
                    drainTimeoutMs());
                if (json) {
                    final Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("hostId", result.hostId());
                    answer.put("status", result.status().name().toLowerCase());
                    answer.put("detail", result.detail());
                    out.println(Json.COMPACT.writeValueAsString(answer));
                } else if (result.status() == AnswerStatus.OK) {
                    out.println("host " + result.hostId() + ": " + result.detail());
                }
                out.flush();
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

        @Override
        HostCommandCode code() {
            return HostCommandCode.DRAINSTOP;
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
