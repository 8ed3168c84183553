package lb.control.lbd;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import lb.control.admin.AdminServer;
import lb.control.admin.OperatorCodec;
import lb.control.admin.sbe.AffinityFlushDecoder;
import lb.control.admin.sbe.AffinityListDecoder;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.CaptureStartDecoder;
import lb.control.admin.sbe.CaptureVerdictCode;
import lb.control.admin.sbe.ExplainFlowDecoder;
import lb.control.admin.sbe.MessageHeaderDecoder;
import lb.control.convergence.LocalView;
import lb.control.convergence.RuleView;
import lb.dataplane.api.Addresses;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.BooleanType;
import lb.dataplane.api.sbe.CaptureVerdicts;
import lb.dataplane.api.sbe.CapturedFramesDecoder;
import lb.dataplane.api.sbe.ExplanationDecoder;
import lb.dataplane.api.sbe.StickyClientPageDecoder;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.DefaultRule;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.errors.ErrorLogReader;

/**
 * lbd's side of lbctl's reads and flushes for this host: sticky clients listed a page at a time and flushed, a flow
 * explained, a capture relayed, the recent errors. Each request is checked here (a rule key, an address: the error
 * names the field and what is valid), asked of the dataplane through the {@link DataplaneLink}, and its answers go
 * back through the admin API's {@link AdminServer.Reply}. One thread (lbd's duty cycle).
 */
final class OperatorDesk {
    /** How often the dataplane's log is read for new errors. */
    static final long LOG_POLL_MS = 1_000;
    /** Frames of one capture may not run longer than this. */
    static final long MAX_CAPTURE_MS = 3_600_000;

    private final ClusterConfig config;
    private final int hostId;
    private final DataplaneLink link;
    private final Supplier<LocalView> view;
    private final Supplier<String> mode;
    private final Path runDir;
    private final OperatorCodec codec = new OperatorCodec();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final AffinityListDecoder affinityList = new AffinityListDecoder();
    private final AffinityFlushDecoder affinityFlush = new AffinityFlushDecoder();
    private final ExplainFlowDecoder explainFlow = new ExplainFlowDecoder();
    private final CaptureStartDecoder captureStart = new CaptureStartDecoder();
    private final ErrorBook dataplaneErrors = new ErrorBook("dataplane");
    private ErrorBook lbdErrors = new ErrorBook("lbd");
    private long captureId;
    private boolean capturing;
    private long nextLogPollMs;
    private long logOffset = -1;

    /**
     * @param view   the last view given to the dataplane (bucket owners), or null before any.
     * @param mode   how this host serves, for people.
     * @param runDir the host's run directory: the dataplane's log and both Aeron directories.
     */
    OperatorDesk(final ClusterConfig config, final int hostId, final DataplaneLink link, final Supplier<LocalView> view,
        final Supplier<String> mode, final Path runDir) {
        this.config = config;
        this.hostId = hostId;
        this.link = link;
        this.view = view;
        this.mode = mode;
        this.runDir = runDir;
    }

    /** Where lbd's own errors and warnings are noted (lbd's log). */
    void lbdErrors(final ErrorBook book) {
        this.lbdErrors = book;
    }

    /** Reads the dataplane's log for new errors, about once a second. */
    int doWork(final long nowMs) {
        if (nowMs - nextLogPollMs < 0) {
            return 0;
        }
        nextLogPollMs = nowMs + LOG_POLL_MS;
        final Path log = runDir.resolve("dataplane.log");
        try {
            if (!Files.isRegularFile(log)) {
                return 0;
            }
            final long size = Files.size(log);
            if (logOffset < 0 || size < logOffset) {
                // Lines written before this lbd started have no time it can tell: it starts at the end.
                logOffset = logOffset < 0 ? size : 0;
                return 0;
            }
            if (size == logOffset) {
                return 0;
            }
            try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                final byte[] fresh = new byte[(int)Math.min(1 << 20, size - logOffset)];
                file.seek(logOffset);
                file.readFully(fresh);
                final int end = lastNewline(fresh);
                if (end < 0) {
                    return 0;
                }
                logOffset += end + 1;
                for (final String line : new String(fresh, 0, end, StandardCharsets.UTF_8).split("\n")) {
                    dataplaneErrors.offer(nowMs, line.strip());
                }
            }
            return 1;
        } catch (final IOException ex) {
            return 0;
        }
    }

    private static int lastNewline(final byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    void onRequest(final long nowMs, final int templateId, final DirectBuffer buffer, final int offset,
        final AdminServer.Reply reply) {
        header.wrap(buffer, offset);
        switch (templateId) {
            case AffinityListDecoder.TEMPLATE_ID -> list(buffer, offset, reply);
            case AffinityFlushDecoder.TEMPLATE_ID -> flush(buffer, offset, reply);
            case ExplainFlowDecoder.TEMPLATE_ID -> explain(buffer, offset, reply);
            case CaptureStartDecoder.TEMPLATE_ID -> capture(buffer, offset, reply);
            case lb.control.admin.sbe.CaptureStopDecoder.TEMPLATE_ID -> stopCapture(reply);
            case lb.control.admin.sbe.ErrorsQueryDecoder.TEMPLATE_ID -> errors(reply);
            default -> reply.send(codec.operatorAnswer(reply.correlationId(), hostId, AnswerStatus.INVALID,
                "admin template " + templateId + " is not a request this lbd knows; upgrade it"));
        }
    }

    private void list(final DirectBuffer buffer, final int offset, final AdminServer.Reply reply) {
        affinityList.wrapAndApplyHeader(buffer, offset, header);
        final long fromSlot = affinityList.fromSlot();
        affinityList.skipReplyChannel();
        final String ruleText = affinityList.rule();
        final String clientText = affinityList.client();
        final int ruleIndex;
        final IpAddress client;
        try {
            ruleIndex = ruleIndex(ruleText);
            client = clientText.isEmpty() ? null : address("--client", clientText);
        } catch (final IllegalArgumentException ex) {
            reply.send(codec.operatorAnswer(reply.correlationId(), hostId, AnswerStatus.INVALID, ex.getMessage()));
            return;
        }
        link.ask("ListStickyClients", (proxy, id) -> proxy.listStickyClients(id, ruleIndex, fromSlot,
            OperatorCodec.PAGE_ENTRIES, client), new Asking(reply) {
                @Override
                public void onPage(final StickyClientPageDecoder page) {
                    final long nextSlot = page.nextSlot();
                    final long tableSlots = page.tableSlots();
                    final long viewEpoch = page.viewEpoch();
                    final List<OperatorCodec.StickyEntry> entries = new ArrayList<>();
                    for (final StickyClientPageDecoder.EntriesDecoder entry : page.entries()) {
                        final int index = entry.ruleIndex();
                        final IpAddress address = new IpAddress(Addresses.high(entry.client()),
                            Addresses.low(entry.client()));
                        entries.add(new OperatorCodec.StickyEntry(ruleName(index), address.toString(),
                            entry.ownerHostId(), entry.foreign() == BooleanType.TRUE, entry.bucket(),
                            entry.expiresInMs()));
                    }
                    reply.send(codec.affinityPage(reply.correlationId(), hostId, viewEpoch, entries, nextSlot,
                        tableSlots));
                }
            });
    }

    private void flush(final DirectBuffer buffer, final int offset, final AdminServer.Reply reply) {
        affinityFlush.wrapAndApplyHeader(buffer, offset, header);
        affinityFlush.skipReplyChannel();
        final String ruleText = affinityFlush.rule();
        final String clientText = affinityFlush.client();
        final int ruleIndex;
        final IpAddress client;
        try {
            ruleIndex = ruleIndex(ruleText);
            client = clientText.isEmpty() ? null : address("--client", clientText);
        } catch (final IllegalArgumentException ex) {
            reply.send(codec.operatorAnswer(reply.correlationId(), hostId, AnswerStatus.INVALID, ex.getMessage()));
            return;
        }
        final String what = (client == null ? "every sticky client" : "sticky client " + client) +
            (ruleText.isEmpty() ? " of every rule" : " of rule " + ruleText);
        link.ask("Flush " + what, client == null ?
            (proxy, id) -> proxy.flush(id, false, true, ruleIndex) :
            (proxy, id) -> proxy.flushClient(id, ruleIndex, client), new Asking(reply) {
                @Override
                public boolean onAck(final AckStatus status, final String detail) {
                    if (status == AckStatus.OK) {
                        reply.send(codec.operatorAnswer(reply.correlationId(), hostId, AnswerStatus.OK,
                            "flushed " + what + " on host " + hostId + ", own and foreign"));
                        return false;
                    }
                    return super.onAck(status, detail);
                }
            });
    }

    private void explain(final DirectBuffer buffer, final int offset, final AdminServer.Reply reply) {
        explainFlow.wrapAndApplyHeader(buffer, offset, header);
        final short protocol = explainFlow.protocol();
        final int clientPort = explainFlow.clientPort();
        final int vipPort = explainFlow.vipPort();
        explainFlow.skipReplyChannel();
        final String clientText = explainFlow.client();
        final String vipText = explainFlow.vip();
        final IpAddress client;
        final IpAddress vip;
        try {
            client = address("client", clientText);
            vip = address("VIP", vipText);
        } catch (final IllegalArgumentException ex) {
            reply.send(codec.operatorAnswer(reply.correlationId(), hostId, AnswerStatus.INVALID, ex.getMessage()));
            return;
        }
        link.ask("Explain", (proxy, id) -> proxy.explain(id, protocol, client, clientPort, vip, vipPort),
            new Asking(reply) {
                @Override
                public void onExplanation(final ExplanationDecoder e) {
                    reply.send(codec.flowExplanation(reply.correlationId(), report(e)));
                }
            });
    }

    private OperatorCodec.FlowReport report(final ExplanationDecoder e) {
        final long viewEpoch = e.viewEpoch();
        final boolean isVip = e.isVip() == lb.dataplane.api.sbe.BooleanType.TRUE;
        final int ruleIndex = e.ruleIndex();
        final String ruleState = e.ruleState() == null ? "unknown" : e.ruleState().name().toLowerCase();
        final int bucket = e.bucket();
        final boolean owns = e.ownsBucket() == BooleanType.TRUE;
        final boolean dirty = e.bucketDirty() == BooleanType.TRUE;
        final int connectionOwner = e.connectionOwner();
        final int stickyOwner = e.stickyOwner();
        final boolean stickyForeign = e.stickyForeign() == BooleanType.TRUE;
        final long stickyExpires = e.stickyExpiresInMs();
        final String filtering = e.filtering();
        final String connectionState = e.connectionState();
        final String startVerdict = e.startVerdict();
        final String startReason = e.startReason();
        final String ongoingVerdict = e.ongoingVerdict();
        final String ongoingReason = e.ongoingReason();
        final int owner = isVip ? bucketOwner(ruleIndex, bucket) : 0;
        return new OperatorCodec.FlowReport(hostId, AnswerStatus.OK, "", viewEpoch, mode.get(), isVip,
            isVip ? ruleName(ruleIndex) : "", isVip ? ruleState : "", isVip ? filtering : "", bucket, owner, owns,
            dirty, connectionOwner, connectionState, stickyOwner, stickyForeign, stickyExpires, startVerdict,
            startReason, ongoingVerdict, ongoingReason);
    }

    /** The owner of a rule's bucket in the view given to the dataplane, 0 when none or not known. */
    private int bucketOwner(final int ruleIndex, final int bucket) {
        final LocalView applied = view.get();
        if (applied == null || bucket < 0) {
            return 0;
        }
        for (final RuleView rule : applied.rules()) {
            final int index = DefaultRule.isDefault(rule.rule()) ? config.portRules().size() :
                config.ruleIndex(rule.rule().key());
            if (index == ruleIndex && bucket < rule.owners().length) {
                if (rule.rule().filtering() != lb.dataplane.config.FilteringMode.MULTIPLE) {
                    // Single host (and the default rule): one winner, whatever the bucket.
                    for (final int id : rule.owners()) {
                        if (id != 0) {
                            return id;
                        }
                    }
                    return 0;
                }
                return rule.owners()[bucket];
            }
        }
        return 0;
    }

    private void capture(final DirectBuffer buffer, final int offset, final AdminServer.Reply reply) {
        captureStart.wrapAndApplyHeader(buffer, offset, header);
        final CaptureVerdictCode verdicts = captureStart.verdicts();
        final long maxFrames = captureStart.maxFrames();
        final int snapLength = captureStart.snapLength();
        final long durationMs = Math.min(MAX_CAPTURE_MS, captureStart.durationMs());
        captureStart.skipReplyChannel();
        final String ruleText = captureStart.rule();
        final int ruleIndex;
        try {
            ruleIndex = ruleIndex(ruleText);
        } catch (final IllegalArgumentException ex) {
            reply.send(codec.operatorAnswer(reply.correlationId(), hostId, AnswerStatus.INVALID, ex.getMessage()));
            return;
        }
        if (verdicts == null || verdicts == CaptureVerdictCode.NULL_VAL || snapLength < 64 ||
            snapLength > OperatorCodec.MAX_FRAME_BYTES_PER_MESSAGE - 256 || maxFrames < 1 || durationMs < 1) {
            reply.send(codec.operatorAnswer(reply.correlationId(), hostId, AnswerStatus.INVALID, "snap length " +
                snapLength + " (valid: 64-" + (OperatorCodec.MAX_FRAME_BYTES_PER_MESSAGE - 256) + "), count " +
                maxFrames + " (at least 1), duration " + durationMs + " ms (at least 1) or verdicts " + verdicts));
            return;
        }
        final CaptureVerdicts wire = switch (verdicts) {
            case ACCEPTED -> CaptureVerdicts.ACCEPTED;
            case DROPPED -> CaptureVerdicts.DROPPED;
            default -> CaptureVerdicts.ALL;
        };
        link.ask("StartCapture", (proxy, id) -> proxy.startCapture(id, ruleIndex, wire, maxFrames, snapLength,
            durationMs), new Asking(reply) {
                @Override
                public void onSent(final long correlationId) {
                    captureId = correlationId;
                    capturing = true;
                }

                @Override
                public boolean onAck(final AckStatus status, final String detail) {
                    if (status == AckStatus.OK) {
                        return true;
                    }
                    capturing = false;
                    return super.onAck(status, detail);
                }

                @Override
                public boolean onFrames(final CapturedFramesDecoder message) {
                    final boolean last = message.last() == BooleanType.TRUE;
                    final long missed = message.framesMissed();
                    final List<OperatorCodec.Frame> frames = new ArrayList<>();
                    int bytes = 0;
                    for (final CapturedFramesDecoder.FramesDecoder frame : message.frames()) {
                        final long epochNs = frame.epochNs();
                        final int worker = frame.worker();
                        final int index = frame.ruleIndex();
                        final int bucket = frame.bucket();
                        final int originalLength = frame.originalLength();
                        final String verdict = frame.verdict();
                        final byte[] data = new byte[frame.bytesLength()];
                        frame.getBytes(data, 0, data.length);
                        if (bytes + data.length + 128 > OperatorCodec.MAX_FRAME_BYTES_PER_MESSAGE && !frames.isEmpty()) {
                            reply.send(codec.captureFrames(reply.correlationId(), hostId, false, missed, frames, ""));
                            frames.clear();
                            bytes = 0;
                        }
                        frames.add(new OperatorCodec.Frame(epochNs, worker, index == 65535 ? "" : ruleName(index),
                            verdict, bucket, originalLength, data));
                        bytes += data.length + 128;
                    }
                    final String reason = message.endReason();
                    reply.send(codec.captureFrames(reply.correlationId(), hostId, last, missed, frames, reason));
                    if (last) {
                        capturing = false;
                    }
                    return !last;
                }

                @Override
                public void onLost(final String why) {
                    capturing = false;
                    super.onLost(why);
                }
            });
    }

    private void stopCapture(final AdminServer.Reply reply) {
        if (!capturing) {
            reply.send(codec.operatorAnswer(reply.correlationId(), hostId, AnswerStatus.OK, "no capture runs on " +
                "host " + hostId));
            return;
        }
        final long id = captureId;
        link.submit("StopCapture", (proxy, correlationId) -> proxy.stopCapture(correlationId, id));
        reply.send(codec.operatorAnswer(reply.correlationId(), hostId, AnswerStatus.OK, "capture on host " + hostId +
            " stops"));
    }

    private void errors(final AdminServer.Reply reply) {
        final List<OperatorCodec.ErrorEntry> all = new ArrayList<>(lbdErrors.entries());
        all.addAll(dataplaneErrors.entries());
        all.addAll(driverErrors("lbd-driver", runDir.resolve("lbd")));
        all.addAll(driverErrors("dataplane-driver", runDir.resolve("dataplane")));
        all.sort(java.util.Comparator.comparingLong(OperatorCodec.ErrorEntry::lastMs).reversed());
        final List<OperatorCodec.ErrorEntry> chunk = new ArrayList<>();
        int bytes = 0;
        for (final OperatorCodec.ErrorEntry entry : all) {
            final OperatorCodec.ErrorEntry shown = entry.message().length() > 1000 ? new OperatorCodec.ErrorEntry(
                entry.source(), entry.severity(), entry.message().substring(0, 1000) + "...", entry.count(),
                entry.firstMs(), entry.lastMs()) : entry;
            final int size = shown.message().length() * 3 + 64;
            if (bytes + size > OperatorCodec.MAX_FRAME_BYTES_PER_MESSAGE && !chunk.isEmpty()) {
                reply.send(codec.errorList(reply.correlationId(), hostId, false, chunk));
                chunk.clear();
                bytes = 0;
            }
            chunk.add(shown);
            bytes += size;
        }
        reply.send(codec.errorList(reply.correlationId(), hostId, true, chunk));
    }

    /** The distinct errors an Aeron media driver logged in its CnC file (AeronStat's error log). */
    static List<OperatorCodec.ErrorEntry> driverErrors(final String source, final Path aeronDir) {
        final File cnc = aeronDir.resolve(CncFileDescriptor.CNC_FILE).toFile();
        final List<OperatorCodec.ErrorEntry> entries = new ArrayList<>();
        if (!cnc.isFile()) {
            return entries;
        }
        MappedByteBuffer mapped = null;
        try {
            mapped = IoUtil.mapExistingFile(cnc, FileChannel.MapMode.READ_ONLY, "cnc");
            final AtomicBuffer log = CommonContext.errorLogBuffer(mapped);
            ErrorLogReader.read(log, (count, first, last, encoded) -> entries.add(new OperatorCodec.ErrorEntry(source,
                "error", encoded.lines().findFirst().orElse(encoded).strip(), count, first, last)));
        } catch (final RuntimeException ex) {
            // A driver starting or gone: its log says nothing yet.
        } finally {
            IoUtil.unmap(mapped);
        }
        return entries;
    }

    /** A rule key's canonical index; empty text is every rule. */
    private int ruleIndex(final String text) {
        if (text.isEmpty()) {
            return ControlProtocol.ALL_RULES;
        }
        if ("default".equals(text)) {
            return config.portRules().size();
        }
        final String valid = "valid: " + config.canonicalRules().stream().map(r -> r.key().toString()).toList() +
            " or default";
        final RuleKey key;
        try {
            key = RuleKey.parse(text);
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException("--rule " + text + ": " + ex.getMessage() + "; " + valid);
        }
        final int index = config.ruleIndex(key);
        if (index < 0) {
            throw new IllegalArgumentException("--rule " + text + ": no such rule in cluster " +
                config.parameters().name() + "; " + valid);
        }
        return index;
    }

    private String ruleName(final int index) {
        final List<PortRule> rules = config.canonicalRules();
        return index >= 0 && index < rules.size() ? rules.get(index).key().toString() :
            index == rules.size() ? "default" : "rule " + index;
    }

    private static IpAddress address(final String field, final String text) {
        try {
            return IpAddress.parse(text);
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException(field + " " + text + ": not an IPv4 or IPv6 address");
        }
    }

    /** Answers a rejection or a lost dataplane on the asker's behalf. */
    private class Asking implements DataplaneLink.Asked {
        final AdminServer.Reply reply;

        Asking(final AdminServer.Reply reply) {
            this.reply = reply;
        }

        @Override
        public boolean onAck(final AckStatus status, final String detail) {
            if (status != AckStatus.OK) {
                reply.send(codec.operatorAnswer(reply.correlationId(), hostId, status == AckStatus.REJECTED_INVALID ?
                    AnswerStatus.INVALID : AnswerStatus.REFUSED, "host " + hostId + "'s dataplane refused: " +
                    status + (detail.isEmpty() ? "" : " " + detail)));
            }
            return false;
        }

        @Override
        public void onLost(final String why) {
            reply.send(codec.operatorAnswer(reply.correlationId(), hostId, AnswerStatus.UNREACHABLE, "host " +
                hostId + ": " + why));
        }
    }
}
