package lb.control.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import lb.control.admin.AdminClient;
import lb.control.admin.OperatorCodec;
import lb.control.admin.sbe.AffinityPageDecoder;
import lb.control.admin.sbe.AnswerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lbctl affinity list|flush}: the extended-affinity (sticky) clients a host keeps, its own and those it
 * leaves to another host (foreign), with their owner and expiry; and forgetting them.
 */
@Command(name = "affinity", mixinStandardHelpOptions = true,
    description = "Sticky clients (extended affinity): list them, flush them.",
    subcommands = {AffinityCommand.ListClients.class, AffinityCommand.Flush.class})
public final class AffinityCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "an affinity command is required: list or flush");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "A host's sticky clients: its own, and the foreign ones it leaves to their owner until they " +
            "expire. Read a page at a time from the dataplane's table; no lock on the packet path.")
    static final class ListClients implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LbdOptions lbd;

        @Option(names = "--rule", paramLabel = "RULE", description = "Only this rule (its key as cluster query " +
            "prints it, e.g. 10.0.0.100:80/tcp).")
        String rule;

        @Option(names = "--client", paramLabel = "IP", description = "Only this client (masked by the rule's " +
            "affinity: with network affinity, its /24).")
        String client;

        @Option(names = "--host", paramLabel = "HOST", description = "The host whose table to read. Default: this " +
            "host.")
        int host;

        @Option(names = {"-j", "--json"}, description = "Print JSON: {\"hostId\", \"viewEpoch\", \"clients\": " +
            "[{\"rule\", \"client\", \"ownerHostId\", \"foreign\", \"bucket\", \"expiresInMs\"}]}.")
        boolean json;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            return lbd.run(err, client -> {
                final List<OperatorCodec.StickyEntry> entries = new ArrayList<>();
                final int[] answered = {host};
                final long[] epoch = {0};
                final OperatorCodec.OperatorResult[] failed = {null};
                long from = 0;
                boolean done = false;
                while (!done && failed[0] == null) {
                    final long correlationId = client.nextCorrelationId();
                    final long[] next = {0};
                    final boolean[] last = {false};
                    client.operator(correlationId, client.operatorCodec().affinityList(correlationId, host,
                        client.replyChannel(), client.replyStreamId(), from, rule == null ? "" : rule,
                        this.client == null ? "" : this.client), (header, buffer, offset) -> {
                            if (header.templateId() != AffinityPageDecoder.TEMPLATE_ID) {
                                failed[0] = OperatorCodec.result(header, buffer, offset);
                                return false;
                            }
                            final OperatorCodec.AffinityPage page = OperatorCodec.affinityPage(
                                new AffinityPageDecoder().wrapAndApplyHeader(buffer, offset, header));
                            entries.addAll(page.entries());
                            answered[0] = page.hostId();
                            epoch[0] = page.viewEpoch();
                            next[0] = page.nextSlot();
                            last[0] = page.done();
                            return false;
                        });
                    from = next[0];
                    done = last[0];
                }
                if (failed[0] != null && failed[0].status() != AnswerStatus.OK) {
                    return Operator.report(err, "affinity list", failed[0]);
                }
                if (json) {
                    final Map<String, Object> document = new LinkedHashMap<>();
                    document.put("hostId", answered[0]);
                    document.put("viewEpoch", epoch[0]);
                    final List<Map<String, Object>> clients = new ArrayList<>();
                    for (final OperatorCodec.StickyEntry entry : entries) {
                        final Map<String, Object> c = new LinkedHashMap<>();
                        c.put("rule", entry.rule());
                        c.put("client", entry.client());
                        c.put("ownerHostId", entry.ownerHostId());
                        c.put("foreign", entry.foreign());
                        c.put("bucket", entry.bucket());
                        c.put("expiresInMs", entry.expiresInMs());
                        clients.add(c);
                    }
                    document.put("clients", clients);
                    out.println(Json.INDENTED.writeValueAsString(document));
                } else {
                    out.printf("host %d, view epoch %d: %d sticky client%s%n", answered[0], epoch[0], entries.size(),
                        entries.size() == 1 ? "" : "s");
                    if (!entries.isEmpty()) {
                        out.printf("%-24s %-18s %-6s %-8s %-7s %s%n", "RULE", "CLIENT", "OWNER", "KIND", "BUCKET",
                            "EXPIRES IN");
                    }
                    for (final OperatorCodec.StickyEntry entry : entries) {
                        out.printf("%-24s %-18s %-6d %-8s %-7d %s%n", entry.rule(), entry.client(),
                            entry.ownerHostId(), entry.foreign() ? "foreign" : "own", entry.bucket(),
                            Operator.duration(entry.expiresInMs()));
                    }
                }
                out.flush();
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
        description = "Forget sticky clients, own and foreign, on every host of the cluster (or one, --host): " +
            "their next packets are decided by their buckets again.")
    static final class Flush implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LbdOptions lbd;

        @Option(names = "--rule", paramLabel = "RULE", description = "Only this rule's clients.")
        String rule;

        @Option(names = "--client", paramLabel = "IP", description = "Only this client.")
        String client;

        @Option(names = "--host", paramLabel = "HOST", description = "Only on this host. Default: every host (a " +
            "client flushed on its owner alone would stay foreign, and dropped, elsewhere).")
        Integer host;

        @Option(names = {"-j", "--json"}, description = "Print JSON: {\"hosts\": [{\"hostId\", \"status\", " +
            "\"detail\"}]}.")
        boolean json;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            return lbd.run(err, client -> {
                final List<Integer> hosts = host != null ? List.of(host) : Operator.members(client);
                final List<Map<String, Object>> results = new ArrayList<>();
                int exit = ExitCodes.OK;
                for (final int target : hosts) {
                    final long correlationId = client.nextCorrelationId();
                    final OperatorCodec.OperatorResult[] result = {null};
                    client.operator(correlationId, client.operatorCodec().affinityFlush(correlationId, target,
                        client.replyChannel(), client.replyStreamId(), rule == null ? "" : rule,
                        this.client == null ? "" : this.client), (header, buffer, offset) -> {
                            result[0] = OperatorCodec.result(header, buffer, offset);
                            return false;
                        });
                    final Map<String, Object> r = new LinkedHashMap<>();
                    r.put("hostId", target);
                    r.put("status", result[0].status().name().toLowerCase());
                    r.put("detail", result[0].detail());
                    results.add(r);
                    if (result[0].status() != AnswerStatus.OK) {
                        final int code = Operator.report(err, "affinity flush", result[0]);
                        exit = exit == ExitCodes.OK ? code : exit;
                    } else if (!json) {
                        out.println("host " + target + ": " + result[0].detail());
                    }
                }
                if (json) {
                    out.println(Json.INDENTED.writeValueAsString(Map.of("hosts", results)));
                }
                out.flush();
                return exit;
            });
        }
    }
}
