package lb.control.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import lb.control.admin.ClusterReport;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.Durations;
import lb.dataplane.config.file.ClusterFileParser;
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
    subcommands = {ClusterCommand.Query.class, ClusterCommand.Display.class})
public final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a cluster command is required: query or display");
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
            "\"listening\", \"inView\", \"inStep\", \"viewEpoch\", \"rules\": [{\"rule\", \"ownedBuckets\"}], " +
            "\"unhealthyRules\": [{\"rule\", \"reason\"}], \"runningConfig\", \"latestConfig\"}], " +
            "\"configVersion\", " +
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
            out.printf("view epoch %d, led by host %d, %s (as host %d sees it); config version %d%n",
                report.viewEpoch(), report.leaderId(), report.converged() ? "converged" : "not converged",
                report.hostId(), report.configVersion());
            out.printf("%-5s %-5s %-10s %-10s %-6s %-8s %-17s %s%n", "HOST", "PRIO", "STATE", "MODE", "EPOCH",
                "IN-STEP", "CONFIG", "BUCKETS OWNED");
            for (final ClusterReport.HostReport host : report.hosts()) {
                final String buckets = host.rules().stream().map(r -> r.rule() + " " + r.ownedBuckets())
                    .collect(Collectors.joining(", "));
                final String config = host.runningConfig().isEmpty() ? "-" : Changes.shortly(host.runningConfig()) +
                    (host.latestConfig().equals(host.runningConfig()) ? "" : "+");
                out.printf("%-5d %-5d %-10s %-10s %-6d %-8s %-17s %s%n", host.hostId(), host.hostPriority(),
                    host.state(), host.mode() + (host.listening() ? "*" : ""), host.viewEpoch(),
                    host.inStep() ? "yes" : "no", config, host.inView() ? buckets : "-");
            }
            for (final ClusterReport.HostReport host : report.hosts()) {
                for (final ClusterReport.UnhealthyRule rule : host.unhealthyRules()) {
                    out.printf("host %d: rule %s unhealthy (takes none of its buckets)%s%n", host.hostId(), rule.rule(),
                        rule.reason().isEmpty() ? "" : ": " + rule.reason());
                }
            }
            for (final ClusterReport.RefusalReport refusal : report.refusals()) {
                out.printf("refused host %d (incarnation %d): %s%n", refusal.hostId(), refusal.incarnation(),
                    refusal.reason());
            }
            out.println("(* listening; CONFIG: the config a host runs, + when it holds a newer one it will switch to)");
        }
    }

    @Command(name = "display", mixinStandardHelpOptions = true,
        description = "The whole config this host holds durably and its runtime parameters (NLB's display).")
    static final class Display implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LbdOptions lbd;

        @Option(names = {"-j", "--json"}, description = "JSON: {\"hostId\", \"version\", \"fingerprint\", " +
            "\"runningFingerprint\", \"cluster\": {\"name\", \"buckets\", \"mode\", \"heartbeatPeriod\", " +
            "\"lossTolerance\", \"detection\"}, \"vips\", \"rules\" (as rule list), \"hosts\": [{\"hostId\", " +
            "\"priority\", \"name\", \"management\"}], \"text\"}.")
        boolean json;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            return lbd.run(spec.commandLine().getErr(), client -> {
                final var document = client.configGet();
                final ClusterConfig config = ClusterFileParser.parse(document.text(), "lbd's config");
                final var parameters = config.parameters();
                final var heartbeat = parameters.heartbeat();
                if (json) {
                    final Map<String, Object> all = new LinkedHashMap<>();
                    all.put("hostId", document.hostId());
                    all.put("version", document.version());
                    all.put("fingerprint", document.fingerprint());
                    all.put("runningFingerprint", document.runningFingerprint());
                    final Map<String, Object> cluster = new LinkedHashMap<>();
                    cluster.put("name", parameters.name());
                    cluster.put("buckets", parameters.bucketCount());
                    cluster.put("mode", parameters.mode().name().toLowerCase(Locale.ROOT));
                    cluster.put("heartbeatPeriod", Durations.format(heartbeat.period()));
                    cluster.put("lossTolerance", heartbeat.lossTolerance());
                    cluster.put("detection", Durations.format(heartbeat.period().multipliedBy(
                        heartbeat.lossTolerance())));
                    all.put("cluster", cluster);
                    all.put("vips", config.vips().stream().map(Object::toString).toList());
                    final List<Map<String, Object>> rules = new ArrayList<>();
                    config.portRules().forEach(rule -> rules.add(RuleCommand.describe(config, rule)));
                    all.put("rules", rules);
                    final List<Map<String, Object>> hosts = new ArrayList<>();
                    for (final ClusterMember member : config.members()) {
                        final Map<String, Object> host = new LinkedHashMap<>();
                        host.put("hostId", member.hostId());
                        host.put("priority", member.hostPriority());
                        host.put("name", member.name().orElse(""));
                        host.put("management", member.management().map(Object::toString).orElse(""));
                        hosts.add(host);
                    }
                    all.put("hosts", hosts);
                    all.put("text", document.text());
                    out.println(Json.INDENTED.writeValueAsString(all));
                } else {
                    out.printf("cluster %s as host %d holds it: config %s, version %d%s%n", parameters.name(),
                        document.hostId(), document.fingerprint(), document.version(),
                        document.fingerprint().equals(document.runningFingerprint()) ? " (running)" :
                            " (running " + Changes.shortly(document.runningFingerprint()) + " until the cluster " +
                                "switches)");
                    out.printf("heartbeat every %s, a host is gone after %d missed (%s)%n",
                        Durations.format(heartbeat.period()), heartbeat.lossTolerance(),
                        Durations.format(heartbeat.period().multipliedBy(heartbeat.lossTolerance())));
                    out.println();
                    out.print(document.text());
                }
                out.flush();
                return ExitCodes.OK;
            });
        }
    }
}
