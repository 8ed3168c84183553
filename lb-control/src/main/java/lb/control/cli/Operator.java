package lb.control.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import lb.control.admin.AdminClient;
import lb.control.admin.ClusterReport;
import lb.control.admin.OperatorCodec;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.MessageHeaderDecoder;
import lb.dataplane.config.Durations;
import org.agrona.DirectBuffer;

/**
 * What lbctl's operator commands (affinity, explain, capture, errors) share: asking one host through the local lbd,
 * the hosts of the cluster, and one mapping of answers to exit codes.
 */
final class Operator {
    private Operator() {
    }

    /** The exit code of an answer's status. */
    static int exitCode(final AnswerStatus status) {
        return switch (status) {
            case OK -> ExitCodes.OK;
            case REFUSED -> ExitCodes.REFUSED;
            case INVALID -> ExitCodes.USAGE;
            case UNREACHABLE -> ExitCodes.UNREACHABLE;
            default -> ExitCodes.FAILURE;
        };
    }

    /** An answer that is not the kind asked for: the operator answer of a refusal or an error, or null. */
    static OperatorCodec.OperatorResult failure(final MessageHeaderDecoder header, final DirectBuffer buffer,
        final int offset) {
        final OperatorCodec.OperatorResult result = OperatorCodec.result(header, buffer, offset);
        return result.status() == AnswerStatus.OK ? null : result;
    }

    /** Prints a failure to stderr and gives its exit code. */
    static int report(final PrintWriter err, final String what, final OperatorCodec.OperatorResult failure) {
        err.println("lbctl: " + what + ": host " + failure.hostId() + ": " + failure.status().name().toLowerCase() +
            ": " + failure.detail());
        err.flush();
        return exitCode(failure.status());
    }

    /** Every member of the cluster, as the local host knows them. */
    static List<Integer> members(final AdminClient client) throws AdminClient.TimedOut {
        final ClusterReport report = client.query();
        final List<Integer> ids = new ArrayList<>();
        for (final ClusterReport.HostReport host : report.hosts()) {
            ids.add(host.hostId());
        }
        return ids;
    }

    /** A duration for people: {@code 19m58s}, {@code 850ms}. */
    static String duration(final long ms) {
        if (ms < 1000) {
            return ms + "ms";
        }
        final Duration d = Duration.ofMillis(ms);
        final StringBuilder text = new StringBuilder();
        if (d.toDaysPart() > 0) {
            text.append(d.toDaysPart()).append('d');
        }
        if (d.toHoursPart() > 0) {
            text.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            text.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || text.isEmpty()) {
            text.append(d.toSecondsPart()).append('s');
        }
        return text.toString();
    }

    /** Parses a duration option, naming it when it is not one. */
    static long durationMs(final String option, final String text) throws LbdOptions.Problem {
        try {
            return Durations.parse(text).toMillis();
        } catch (final IllegalArgumentException ex) {
            throw new LbdOptions.Problem(ExitCodes.USAGE, option + ": " + ex.getMessage());
        }
    }
}
