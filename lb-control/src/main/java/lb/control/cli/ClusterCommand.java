package lb.control.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import lb.control.admin.ClusterReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lbctl cluster query}: every host's state, its view, the buckets it owns per rule, and the refused hosts, as
 * the local host sees the cluster (NLB's {@code nlb query}).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "The cluster as this host sees it.",
    subcommands = {ClusterCommand.Query.class})
public final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a cluster command is required: query");
    }

    @Command(name = "query", mixinStandardHelpOptions = true,
        description = "Every host: state, mode, view epoch, in step or not, buckets owned per rule; refused hosts " +
            "and why.")
    static final class Query implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        LbdOptions lbd;

        @Option(names = {"-j", "--json"}, description = "Print JSON: {\"hostId\", \"viewEpoch\", \"leaderId\", " +
            "\"converged\", \"hosts\": [{\"hostId\", \"hostPriority\", \"incarnation\", \"state\", \"mode\", " +
            "\"listening\", \"inView\", \"inStep\", \"viewEpoch\", \"rules\": [{\"rule\", \"ownedBuckets\"}]}], " +
            "\"refusals\": [{\"hostId\", \"incarnation\", \"reason\"}]}.")
        boolean json;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            return lbd.run(err, client -> {
                final ClusterReport report = client.query();
                if (json) {
                    out.println(Json.INDENTED.writeValueAsString(report));
                } else {
                    print(out, report);
                }
                out.flush();
                return ExitCodes.OK;
            });
        }

        private static void print(final PrintWriter out, final ClusterReport report) {
            out.printf("view epoch %d, led by host %d, %s (as host %d sees it)%n", report.viewEpoch(),
                report.leaderId(), report.converged() ? "converged" : "not converged", report.hostId());
            out.printf("%-5s %-5s %-10s %-10s %-6s %-8s %s%n", "HOST", "PRIO", "STATE", "MODE", "EPOCH", "IN-STEP",
                "BUCKETS OWNED");
            for (final ClusterReport.HostReport host : report.hosts()) {
                final String buckets = host.rules().stream().map(r -> r.rule() + " " + r.ownedBuckets())
                    .collect(Collectors.joining(", "));
                out.printf("%-5d %-5d %-10s %-10s %-6d %-8s %s%n", host.hostId(), host.hostPriority(), host.state(),
                    host.mode() + (host.listening() ? "*" : ""), host.viewEpoch(),
                    host.inStep() ? "yes" : "no", host.inView() ? buckets : "-");
            }
            for (final ClusterReport.RefusalReport refusal : report.refusals()) {
                out.printf("refused host %d (incarnation %d): %s%n", refusal.hostId(), refusal.incarnation(),
                    refusal.reason());
            }
        }
    }
}
