package lb.control.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import lb.control.admin.AdminClient;
import lb.control.admin.ClusterReport;
import lb.control.admin.ConfigResult;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.config.ConfigOp;
import lb.dataplane.config.Durations;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every command that changes the cluster config does: sends the change to the local lbd, which answers once it
 * is durable there (docs/admin-api.md), prints the answer, and then waits until every host in the cluster's view
 * runs the new config, showing how many do on a terminal.
 */
abstract class Changes implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LbdOptions lbd;

    @Option(names = {"-j", "--json"}, description = "Print the answer as JSON: {\"hostId\", \"status\", \"version\", " +
        "\"fingerprint\", \"detail\", \"superseded\", \"running\": [host ids running it], \"waiting\": [those not " +
        "yet]}.")
    boolean json;

    @Option(names = "--no-wait", negatable = false,
        description = "Return once the change is durable on this host, without waiting for the cluster to run it.")
    boolean noWait;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "10s",
        description = "How long to wait for every host in the view to run the change. Default: ${DEFAULT-VALUE}.")
    String waitTimeout;

    /** The change; a usage error names the option. */
    abstract ConfigOp change(AdminClient client) throws LbdOptions.Problem, AdminClient.TimedOut;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        return lbd.run(err, client -> apply(client, change(client), out, err));
    }

    /** Sends the change and reports it; the exit code. */
    int apply(final AdminClient client, final ConfigOp change, final PrintWriter out, final PrintWriter err)
        throws LbdOptions.Problem, AdminClient.TimedOut, JsonProcessingException {
        final long waitMs;
        try {
            waitMs = Durations.parse(waitTimeout).toMillis();
        } catch (final IllegalArgumentException ex) {
            throw new LbdOptions.Problem(ExitCodes.USAGE, "--wait-timeout: " + ex.getMessage());
        }
        final ConfigResult result = client.configChange(change);
        if (result.status() != AnswerStatus.OK) {
            if (json) {
                out.println(Json.COMPACT.writeValueAsString(answer(result, List.of(), List.of())));
                out.flush();
            }
            err.println("lbctl: " + change.describe() + ": " + result.status().name().toLowerCase() + ": " +
                result.detail());
            err.flush();
            return result.status() == AnswerStatus.INVALID ? ExitCodes.REFUSED : result.status() ==
                AnswerStatus.UNREACHABLE ? ExitCodes.UNREACHABLE : ExitCodes.REFUSED;
        }
        if (!json) {
            out.println("host " + result.hostId() + ": " + result.detail() + ", config " + shortly(result.fingerprint()));
            if (!result.superseded().isEmpty()) {
                out.println("  but void: " + result.superseded());
            }
            out.flush();
        }
        int exit = ExitCodes.OK;
        final List<Integer> running = new ArrayList<>();
        final List<Integer> waiting = new ArrayList<>();
        if (!noWait) {
            final Progress progress = new Progress(err, !json && System.console() != null);
            final long deadline = System.currentTimeMillis() + waitMs;
            while (true) {
                running.clear();
                waiting.clear();
                final ClusterReport report = client.query();
                for (final ClusterReport.HostReport host : report.hosts()) {
                    if (!host.inView()) {
                        continue;
                    }
                    (host.runningConfig().equals(result.fingerprint()) ? running : waiting).add(host.hostId());
                }
                if (waiting.isEmpty()) {
                    progress.done();
                    break;
                }
                progress.show("hosts running config " + shortly(result.fingerprint()) + ": " + running.size() + " of " +
                    (running.size() + waiting.size()) + " (waiting for " + waiting + ")");
                if (System.currentTimeMillis() - deadline > 0) {
                    progress.done();
                    err.println("lbctl: the change is durable on host " + result.hostId() + " and reaches the " +
                        "others as they catch up, but hosts " + waiting + " do not run it after " +
                        Durations.format(java.time.Duration.ofMillis(waitMs)) + " (lbctl cluster query shows each " +
                        "host's config)");
                    err.flush();
                    exit = ExitCodes.TIMEOUT;
                    break;
                }
                try {
                    Thread.sleep(50);
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new AdminClient.TimedOut("interrupted");
                }
            }
            if (!json && exit == ExitCodes.OK) {
                out.println("every host in the view runs it: " + running);
            }
        }
        if (json) {
            out.println(Json.COMPACT.writeValueAsString(answer(result, running, waiting)));
        }
        out.flush();
        return exit;
    }

    private static Map<String, Object> answer(final ConfigResult result, final List<Integer> running,
        final List<Integer> waiting) {
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("hostId", result.hostId());
        answer.put("status", result.status().name().toLowerCase());
        answer.put("version", result.version());
        answer.put("fingerprint", result.fingerprint());
        answer.put("detail", result.detail());
        answer.put("superseded", result.superseded());
        answer.put("running", List.copyOf(running));
        answer.put("waiting", List.copyOf(waiting));
        return answer;
    }

    static String shortly(final String fingerprint) {
        return fingerprint.length() > 16 ? fingerprint.substring(0, 16) : fingerprint;
    }

    /** One line of progress, rewritten in place on a terminal; nothing otherwise. */
    static final class Progress {
        private final PrintWriter err;
        private final boolean terminal;
        private boolean shown;

        Progress(final PrintWriter err, final boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        void show(final String line) {
            if (terminal) {
                err.print("\r\033[K" + line);
                err.flush();
                shown = true;
            }
        }

        void done() {
            if (shown) {
                err.print("\r\033[K");
                err.flush();
                shown = false;
            }
        }
    }
}
