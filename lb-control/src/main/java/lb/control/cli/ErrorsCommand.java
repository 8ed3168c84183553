package lb.control.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import lb.control.admin.OperatorCodec;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.ErrorListDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lbctl errors}: a host's recent distinct errors and warnings, lbd's and the dataplane's (their logs since
 * lbd started, and both Aeron media drivers' error logs), each with how often and when it last happened.
 */
@Command(name = "errors", mixinStandardHelpOptions = true,
    description = "A host's recent distinct errors and warnings (lbd, the dataplane, their media drivers), with " +
        "counts and last time, the latest first.")
public final class ErrorsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LbdOptions lbd;

    @Option(names = "--host", paramLabel = "HOST", description = "The host to ask. Default: this host.")
    int host;

    @Option(names = {"-j", "--json"}, description = "Print JSON: {\"hostId\", \"errors\": [{\"source\", " +
        "\"severity\", \"message\", \"count\", \"firstMs\", \"lastMs\"}]}.")
    boolean json;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        return lbd.run(err, admin -> {
            final long correlationId = admin.nextCorrelationId();
            final List<OperatorCodec.ErrorEntry> errors = new ArrayList<>();
            final OperatorCodec.OperatorResult[] failed = {null};
            final int[] answeredBy = {host};
            admin.operator(correlationId, admin.operatorCodec().errorsQuery(correlationId, host, admin.replyChannel(),
                admin.replyStreamId()), (header, buffer, offset) -> {
                    if (header.templateId() != ErrorListDecoder.TEMPLATE_ID) {
                        failed[0] = OperatorCodec.result(header, buffer, offset);
                        return false;
                    }
                    final OperatorCodec.ErrorsMessage message = OperatorCodec.errorsMessage(
                        new ErrorListDecoder().wrapAndApplyHeader(buffer, offset, header));
                    answeredBy[0] = message.hostId();
                    errors.addAll(message.errors());
                    return true;
                });
            if (failed[0] != null && failed[0].status() != AnswerStatus.OK) {
                return Operator.report(err, "errors", failed[0]);
            }
            if (json) {
                final List<Map<String, Object>> list = new ArrayList<>();
                for (final OperatorCodec.ErrorEntry e : errors) {
                    final Map<String, Object> m = new LinkedHashMap<>();
                    m.put("source", e.source());
                    m.put("severity", e.severity());
                    m.put("message", e.message());
                    m.put("count", e.count());
                    m.put("firstMs", e.firstMs());
                    m.put("lastMs", e.lastMs());
                    list.add(m);
                }
                final Map<String, Object> document = new LinkedHashMap<>();
                document.put("hostId", answeredBy[0]);
                document.put("errors", list);
                out.println(Json.INDENTED.writeValueAsString(document));
            } else {
                out.printf("host %d: %d distinct errors and warnings%n", answeredBy[0], errors.size());
                if (!errors.isEmpty()) {
                    out.printf("%-24s %-7s %-16s %-8s %s%n", "LAST", "COUNT", "SOURCE", "SEVERITY", "MESSAGE");
                }
                for (final OperatorCodec.ErrorEntry e : errors) {
                    out.printf("%-24s %-7d %-16s %-8s %s%n", Instant.ofEpochMilli(e.lastMs()), e.count(), e.source(),
                        e.severity(), e.message());
                }
            }
            out.flush();
            return ExitCodes.OK;
        });
    }
}
