package lb.control.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import lb.control.admin.OperatorCodec;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.FlowExplanationDecoder;
import lb.dataplane.config.IpAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lbctl explain tcp|udp CLIENT:PORT VIP:PORT}: which host accepts a flow and why, asked of every host's
 * dataplane (its live view and tables, read by the classifier's own steps): the rule, the bucket and its owner, a
 * tracked connection, a sticky or foreign entry, a dirty bucket, a drain.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Which host accepts a flow, and why: asked of every host's dataplane, from its live view and " +
        "tables.")
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LbdOptions lbd;

    @Parameters(index = "0", paramLabel = "tcp|udp", description = "The protocol.")
    String protocol;

    @Parameters(index = "1", paramLabel = "CLIENT:PORT", description = "The client, e.g. 10.1.0.7:50000 or " +
        "[2001:db8::7]:50000.")
    String client;

    @Parameters(index = "2", paramLabel = "VIP:PORT", description = "The VIP and port, e.g. 10.0.0.100:80.")
    String vip;

    @Option(names = "--host", paramLabel = "HOST", description = "Ask only this host. Default: every host.")
    Integer host;

    @Option(names = {"-j", "--json"}, description = "Print JSON: {\"protocol\", \"client\", \"clientPort\", \"vip\"," +
        " \"vipPort\", \"newConnection\": {\"acceptedBy\": [ids]}, \"ongoing\": {\"acceptedBy\": [ids]}, " +
        "\"hosts\": [{\"hostId\", \"status\", \"detail\", \"viewEpoch\", \"hostMode\", \"isVip\", \"rule\", " +
        "\"ruleState\", \"filtering\", \"bucket\", \"bucketOwner\", \"ownsBucket\", \"bucketDirty\", " +
        "\"connectionOwner\", \"connectionState\", \"stickyOwner\", \"stickyForeign\", \"stickyExpiresInMs\", " +
        "\"newConnection\": {\"verdict\", \"reason\"}, \"ongoing\": {\"verdict\", \"reason\"}}]}.")
    boolean json;

    /** An address and port: {@code a.b.c.d:port} or {@code [v6]:port}. */
    record Endpoint(IpAddress address, int port) {
        static Endpoint parse(final String what, final String text) throws LbdOptions.Problem {
            final int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new LbdOptions.Problem(ExitCodes.USAGE, what + " " + text + ": give ADDRESS:PORT (10.1.0.7:5000" +
                    " or [2001:db8::7]:5000)");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            final int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (final NumberFormatException ex) {
                throw new LbdOptions.Problem(ExitCodes.USAGE, what + " " + text + ": the port is not a number 0-65535");
            }
            if (port < 0 || port > 65535) {
                throw new LbdOptions.Problem(ExitCodes.USAGE, what + " " + text + ": the port is not 0-65535");
            }
            try {
                return new Endpoint(IpAddress.parse(host), port);
            } catch (final IllegalArgumentException ex) {
                throw new LbdOptions.Problem(ExitCodes.USAGE, what + " " + text + ": " + host +
                    " is not an IPv4 or IPv6 address");
            }
        }
    }

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        // The command line is checked before lbd is asked: a usage error is one with or without lbd.
        final int proto;
        final Endpoint from;
        final Endpoint to;
        try {
            proto = switch (protocol.toLowerCase()) {
                case "tcp" -> 6;
                case "udp" -> 17;
                default -> throw new LbdOptions.Problem(ExitCodes.USAGE, "protocol " + protocol + ": tcp or udp");
            };
            from = Endpoint.parse("client", client);
            to = Endpoint.parse("VIP", vip);
            if (from.address().isIpv4() != to.address().isIpv4()) {
                throw new LbdOptions.Problem(ExitCodes.USAGE, "client " + client + " and VIP " + vip +
                    " are of different IP versions");
            }
        } catch (final LbdOptions.Problem problem) {
            err.println("lbctl: " + problem.getMessage());
            err.flush();
            return problem.exitCode;
        }
        return lbd.run(err, admin -> {
            final List<Integer> hosts = host != null ? List.of(host) : Operator.members(admin);
            final List<OperatorCodec.FlowReport> reports = new ArrayList<>();
            int exit = ExitCodes.OK;
            for (final int target : hosts) {
                final long correlationId = admin.nextCorrelationId();
                final OperatorCodec.FlowReport[] report = {null};
                admin.operator(correlationId, admin.operatorCodec().explainFlow(correlationId, target,
                    admin.replyChannel(), admin.replyStreamId(), proto, from.address().toString(), from.port(),
                    to.address().toString(), to.port()), (header, buffer, offset) -> {
                        if (header.templateId() == FlowExplanationDecoder.TEMPLATE_ID) {
                            report[0] = OperatorCodec.flowReport(new FlowExplanationDecoder().wrapAndApplyHeader(
                                buffer, offset, header));
                        } else {
                            final OperatorCodec.OperatorResult result = OperatorCodec.result(header, buffer, offset);
                            report[0] = new OperatorCodec.FlowReport(target, result.status(), result.detail(), 0,
                                "", false, "", "", "", -1, 0, false, false, 0, "", 0, false, 0, "", "", "", "");
                        }
                        return false;
                    });
                reports.add(report[0]);
                if (report[0].status() == AnswerStatus.INVALID) {
                    exit = Operator.report(err, "explain", new OperatorCodec.OperatorResult(target,
                        report[0].status(), report[0].detail()));
                    out.flush();
                    return exit;
                }
            }
            final List<Integer> newBy = acceptedBy(reports, true);
            final List<Integer> ongoingBy = acceptedBy(reports, false);
            if (json) {
                final Map<String, Object> document = new LinkedHashMap<>();
                document.put("protocol", protocol.toLowerCase());
                document.put("client", from.address().toString());
                document.put("clientPort", from.port());
                document.put("vip", to.address().toString());
                document.put("vipPort", to.port());
                document.put("newConnection", Map.of("acceptedBy", newBy));
                document.put("ongoing", Map.of("acceptedBy", ongoingBy));
                document.put("hosts", reports.stream().map(ExplainCommand::json).toList());
                out.println(Json.INDENTED.writeValueAsString(document));
            } else {
                print(out, reports, newBy, ongoingBy);
            }
            out.flush();
            for (final OperatorCodec.FlowReport report : reports) {
                if (report.status() != AnswerStatus.OK) {
                    err.println("lbctl: explain: host " + report.hostId() + ": " +
                        report.status().name().toLowerCase() + ": " + report.detail());
                    exit = exit == ExitCodes.OK ? Operator.exitCode(report.status()) : exit;
                }
            }
            err.flush();
            return exit;
        });
    }

    private static List<Integer> acceptedBy(final List<OperatorCodec.FlowReport> reports, final boolean start) {
        final List<Integer> ids = new ArrayList<>();
        for (final OperatorCodec.FlowReport report : reports) {
            if (report.status() == AnswerStatus.OK && "accept".equals(start ? report.startVerdict() :
                report.ongoingVerdict())) {
                ids.add(report.hostId());
            }
        }
        return ids;
    }

    private void print(final PrintWriter out, final List<OperatorCodec.FlowReport> reports,
        final List<Integer> newBy, final List<Integer> ongoingBy) {
        out.printf("%s %s -> %s%n", protocol.toLowerCase(), client, vip);
        out.println("new connection: " + summary(newBy));
        out.println("later packets:  " + summary(ongoingBy));
        for (final OperatorCodec.FlowReport r : reports) {
            if (r.status() != AnswerStatus.OK) {
                out.printf("host %d: %s: %s%n", r.hostId(), r.status().name().toLowerCase(), r.detail());
                continue;
            }
            if (!r.isVip()) {
                out.printf("host %d (view epoch %d, %s): %s%n", r.hostId(), r.viewEpoch(), r.hostMode(),
                    r.startReason());
                continue;
            }
            out.printf("host %d (view epoch %d, %s): rule %s (%s, %s), bucket %d owned by %s%s%s%s%n", r.hostId(),
                r.viewEpoch(), r.hostMode(), r.rule(), r.filtering(), r.ruleState(), r.bucket(),
                r.bucketOwner() == 0 ? "nobody" : "host " + r.bucketOwner(), r.bucketDirty() ? " (dirty: moved " +
                    "this epoch)" : "", r.connectionOwner() != 0 ? ", tracked connection of host " +
                    r.connectionOwner() + " (" + r.connectionState() + ")" : "",
                r.stickyOwner() != 0 ? ", " + (r.stickyForeign() ? "foreign" : "own") + " sticky entry for host " +
                    r.stickyOwner() + " (expires in " + Operator.duration(r.stickyExpiresInMs()) + ")" : "");
            out.printf("  new connection: %s: %s%n", r.startVerdict(), r.startReason());
            out.printf("  later packets:  %s: %s%n", r.ongoingVerdict(), r.ongoingReason());
        }
    }

    private static String summary(final List<Integer> ids) {
        return ids.isEmpty() ? "no host accepts it" : ids.size() == 1 ? "accepted by host " + ids.getFirst() :
            "accepted by hosts " + ids + " (more than one: the hosts' views differ)";
    }

    private static Map<String, Object> verdict(final String verdict, final String reason) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("verdict", verdict);
        v.put("reason", reason);
        return v;
    }

    private static Map<String, Object> json(final OperatorCodec.FlowReport r) {
        final Map<String, Object> h = new LinkedHashMap<>();
        h.put("hostId", r.hostId());
        h.put("status", r.status().name().toLowerCase());
        h.put("detail", r.detail());
        h.put("viewEpoch", r.viewEpoch());
        h.put("hostMode", r.hostMode());
        h.put("isVip", r.isVip());
        h.put("rule", r.rule());
        h.put("ruleState", r.ruleState());
        h.put("filtering", r.filtering());
        h.put("bucket", r.bucket());
        h.put("bucketOwner", r.bucketOwner());
        h.put("ownsBucket", r.ownsBucket());
        h.put("bucketDirty", r.bucketDirty());
        h.put("connectionOwner", r.connectionOwner());
        h.put("connectionState", r.connectionState());
        h.put("stickyOwner", r.stickyOwner());
        h.put("stickyForeign", r.stickyForeign());
        h.put("stickyExpiresInMs", r.stickyExpiresInMs());
        h.put("newConnection", verdict(r.startVerdict(), r.startReason()));
        h.put("ongoing", verdict(r.ongoingVerdict(), r.ongoingReason()));
        return h;
    }
}
