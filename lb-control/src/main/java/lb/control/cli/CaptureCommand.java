package lb.control.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import lb.control.admin.OperatorCodec;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.CaptureFramesDecoder;
import lb.control.admin.sbe.CaptureVerdictCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lbctl capture}: the frames a host's dataplane takes from the cluster network, each with its verdict, into a
 * classic pcap file (tcpdump and Wireshark open it) and, beside it, a listing of the verdicts ({@code FILE.verdicts}:
 * frame number, time, verdict, rule, bucket, worker). The workers copy frames only while a capture runs.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = "Capture a host's frames from the cluster network with their verdicts: a pcap file and a " +
        "listing of the verdicts beside it (FILE.verdicts).")
public final class CaptureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LbdOptions lbd;

    @Option(names = "--rule", paramLabel = "RULE", description = "Only frames the classifier matched to this rule.")
    String rule;

    @Option(names = "--verdict", paramLabel = "accepted|dropped|all", defaultValue = "all",
        description = "Which frames: accepted by the host, dropped, or all. Default: ${DEFAULT-VALUE}.")
    String verdict;

    @Option(names = "--host", paramLabel = "HOST", description = "The host to capture on. Default: this host.")
    int host;

    @Option(names = "-c", paramLabel = "N", required = true, description = "Stop after N frames.")
    long count;

    @Option(names = "-w", paramLabel = "FILE.pcap", required = true, description = "Write the frames here.")
    Path file;

    @Option(names = "--snaplen", paramLabel = "BYTES", defaultValue = "2048",
        description = "Bytes kept of each frame (64-5744). Default: ${DEFAULT-VALUE}.")
    int snapLength;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "1m",
        description = "Stop after this long at the latest. Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = {"-j", "--json"}, description = "Print JSON: {\"hostId\", \"file\", \"verdictsFile\", " +
        "\"frames\", \"framesMissed\", \"endReason\", \"verdicts\": [{\"frame\", \"epochNs\", \"verdict\", " +
        "\"rule\", \"bucket\", \"worker\", \"originalLength\", \"capturedLength\"}]}.")
    boolean json;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        // The command line is checked before lbd is asked: a usage error is one with or without lbd.
        final CaptureVerdictCode verdicts;
        final long durationMs;
        try {
            verdicts = switch (verdict.toLowerCase()) {
                case "accepted" -> CaptureVerdictCode.ACCEPTED;
                case "dropped" -> CaptureVerdictCode.DROPPED;
                case "all" -> CaptureVerdictCode.ALL;
                default -> throw new LbdOptions.Problem(ExitCodes.USAGE, "--verdict " + verdict +
                    ": accepted, dropped or all");
            };
            if (count < 1 || count > 0xFFFF_FFFFL) {
                throw new LbdOptions.Problem(ExitCodes.USAGE, "-c " + count + ": at least 1");
            }
            durationMs = Operator.durationMs("--duration", duration);
        } catch (final LbdOptions.Problem problem) {
            err.println("lbctl: " + problem.getMessage());
            err.flush();
            return problem.exitCode;
        }
        return lbd.run(err, admin -> {
            final Path verdictsFile = file.resolveSibling(file.getFileName() + ".verdicts");
            final long correlationId = admin.nextCorrelationId();
            final List<Map<String, Object>> listing = new ArrayList<>();
            final OperatorCodec.OperatorResult[] failed = {null};
            final long[] missed = {0};
            final String[] endReason = {""};
            final int[] answeredBy = {host};
            final boolean[] ended = {false};
            final Thread stopOnInterrupt = new Thread(() -> {
                if (!ended[0]) {
                    try {
                        admin.sendOnly(new OperatorCodec().captureStop(admin.nextCorrelationId(), host,
                            admin.replyChannel(), admin.replyStreamId()));
                    } catch (final Exception ignored) {
                        // lbd ends the capture at its duration anyway.
                    }
                }
            }, "lbctl-capture-stop");
            Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
            try (PcapWriter pcap = new PcapWriter(file, snapLength);
                 PrintWriter lines = new PrintWriter(Files.newBufferedWriter(verdictsFile))) {
                lines.println("# frame time verdict rule bucket worker length (" + file.getFileName() + ")");
                admin.operator(correlationId, admin.operatorCodec().captureStart(correlationId, host,
                    admin.replyChannel(), admin.replyStreamId(), verdicts, count, snapLength, durationMs,
                    rule == null ? "" : rule), (header, buffer, offset) -> {
                        if (header.templateId() != CaptureFramesDecoder.TEMPLATE_ID) {
                            failed[0] = OperatorCodec.result(header, buffer, offset);
                            return false;
                        }
                        final OperatorCodec.FramesMessage message = OperatorCodec.framesMessage(
                            new CaptureFramesDecoder().wrapAndApplyHeader(buffer, offset, header));
                        answeredBy[0] = message.hostId();
                        missed[0] = message.framesMissed();
                        try {
                            for (final OperatorCodec.Frame frame : message.frames()) {
                                pcap.write(frame.epochNs(), frame.bytes(), frame.originalLength());
                                final Map<String, Object> v = new LinkedHashMap<>();
                                v.put("frame", listing.size() + 1);
                                v.put("epochNs", frame.epochNs());
                                v.put("verdict", frame.verdict());
                                v.put("rule", frame.rule());
                                v.put("bucket", frame.bucket());
                                v.put("worker", frame.worker());
                                v.put("originalLength", frame.originalLength());
                                v.put("capturedLength", frame.bytes().length);
                                listing.add(v);
                                lines.printf("%d %s %s %s %d %d %d%n", listing.size(), Instant.ofEpochSecond(0,
                                    frame.epochNs()), frame.verdict(), frame.rule().isEmpty() ? "-" : frame.rule(),
                                    frame.bucket(), frame.worker(), frame.originalLength());
                            }
                            pcap.flush();
                            lines.flush();
                        } catch (final IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                        if (message.last()) {
                            endReason[0] = message.detail();
                        }
                        return true;
                    });
                ended[0] = true;
            } catch (final IOException | UncheckedIOException ex) {
                err.println("lbctl: capture: cannot write " + file + ": " + ex.getMessage());
                err.flush();
                return ExitCodes.FAILURE;
            } finally {
                ended[0] = true;
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnInterrupt);
                } catch (final IllegalStateException shuttingDown) {
                    // The hook runs: lbctl was interrupted.
                }
            }
            if (failed[0] != null && failed[0].status() != AnswerStatus.OK) {
                return Operator.report(err, "capture", failed[0]);
            }
            if (json) {
                final Map<String, Object> document = new LinkedHashMap<>();
                document.put("hostId", answeredBy[0]);
                document.put("file", file.toString());
                document.put("verdictsFile", verdictsFile.toString());
                document.put("frames", listing.size());
                document.put("framesMissed", missed[0]);
                document.put("endReason", endReason[0]);
                document.put("verdicts", listing);
                out.println(Json.INDENTED.writeValueAsString(document));
            } else {
                out.printf("host %d: %d frames to %s (verdicts in %s); %s%s%n", answeredBy[0], listing.size(), file,
                    verdictsFile, endReason[0], missed[0] > 0 ? "; " + missed[0] + " frames missed (the workers' " +
                        "rings were full)" : "");
            }
            out.flush();
            return ExitCodes.OK;
        });
    }
}
