package lb.control.admin;

import java.util.ArrayList;
import java.util.List;

import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.BooleanType;
import lb.control.admin.sbe.ClusterQueryEncoder;
import lb.control.admin.sbe.ClusterStatusDecoder;
import lb.control.admin.sbe.ClusterStatusEncoder;
import lb.control.admin.sbe.CommandAnswerEncoder;
import lb.control.admin.sbe.ConfigAnswerDecoder;
import lb.control.admin.sbe.ConfigAnswerEncoder;
import lb.control.admin.sbe.ConfigChangeEncoder;
import lb.control.admin.sbe.ConfigGetEncoder;
import lb.control.admin.sbe.ConfigTextDecoder;
import lb.control.admin.sbe.ConfigTextEncoder;
import lb.control.admin.sbe.HostCommandCode;
import lb.control.admin.sbe.HostCommandEncoder;
import lb.control.admin.sbe.HostStateCode;
import lb.control.admin.sbe.MessageHeaderDecoder;
import lb.control.admin.sbe.MessageHeaderEncoder;
import lb.control.admin.sbe.ServingModeCode;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Encodes the admin API's messages into byte arrays (the control plane's rate allows it, and answers may wait in a
 * queue) and decodes a ClusterStatus into a {@link ClusterReport}. Not thread safe.
 */
public final class AdminCodec {
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final HostCommandEncoder hostCommand = new HostCommandEncoder();
    private final ClusterQueryEncoder clusterQuery = new ClusterQueryEncoder();
    private final CommandAnswerEncoder commandAnswer = new CommandAnswerEncoder();
    private final ClusterStatusEncoder clusterStatus = new ClusterStatusEncoder();
    private final ConfigChangeEncoder configChange = new ConfigChangeEncoder();
    private final ConfigGetEncoder configGet = new ConfigGetEncoder();
    private final ConfigAnswerEncoder configAnswer = new ConfigAnswerEncoder();
    private final ConfigTextEncoder configText = new ConfigTextEncoder();

    /** Whether a message is one of this schema, of a version this side reads, and long enough for its header. */
    public static boolean readable(final MessageHeaderDecoder header, final DirectBuffer buffer, final int offset,
        final int length) {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH) {
            return false;
        }
        header.wrap(buffer, offset);
        return header.schemaId() == MessageHeaderDecoder.SCHEMA_ID &&
            header.version() <= MessageHeaderDecoder.SCHEMA_VERSION &&
            length >= MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
    }

    public byte[] hostCommand(final long correlationId, final int targetHostId, final HostCommandCode command,
        final long timeoutMs, final String replyChannel, final int replyStreamId) {
        hostCommand.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .targetHostId(targetHostId)
            .command(command)
            .timeoutMs(timeoutMs)
            .replyStreamId(replyStreamId)
            .replyChannel(replyChannel);
        return bytes(MessageHeaderEncoder.ENCODED_LENGTH + hostCommand.encodedLength());
    }

    public byte[] clusterQuery(final long correlationId, final String replyChannel, final int replyStreamId) {
        clusterQuery.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .replyStreamId(replyStreamId)
            .replyChannel(replyChannel);
        return bytes(MessageHeaderEncoder.ENCODED_LENGTH + clusterQuery.encodedLength());
    }

    public byte[] commandAnswer(final long correlationId, final AnswerStatus status, final int hostId,
        final String detail) {
        commandAnswer.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .status(status)
            .hostId(hostId)
            .detail(detail);
        return bytes(MessageHeaderEncoder.ENCODED_LENGTH + commandAnswer.encodedLength());
    }

    public byte[] clusterStatus(final long correlationId, final ClusterReport report) {
        clusterStatus.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .hostId(report.hostId())
            .viewEpoch(report.viewEpoch())
            .leaderId(report.leaderId())
            .converged(report.converged() ? BooleanType.TRUE : BooleanType.FALSE)
            .configVersion(report.configVersion());
        final ClusterStatusEncoder.HostsEncoder hosts = clusterStatus.hostsCount(report.hosts().size());
        for (final ClusterReport.HostReport host : report.hosts()) {
            hosts.next()
                .memberHostId(host.hostId())
                .hostPriority(host.hostPriority())
                .incarnation(host.incarnation())
                .state(HostStateCode.valueOf(host.state().toUpperCase()))
                .mode(ServingModeCode.valueOf(host.mode().toUpperCase()))
                .listening(bool(host.listening()))
                .inView(bool(host.inView()))
                .inStep(bool(host.inStep()))
                .memberViewEpoch(host.viewEpoch());
            final ClusterStatusEncoder.HostsEncoder.RulesEncoder rules = hosts.rulesCount(host.rules().size());
            for (final ClusterReport.RuleBuckets rule : host.rules()) {
                rules.next().ownedBuckets(rule.ownedBuckets()).rule(rule.rule());
            }
            final ClusterStatusEncoder.HostsEncoder.UnhealthyRulesEncoder unhealthy =
                hosts.unhealthyRulesCount(host.unhealthyRules().size());
            for (final ClusterReport.UnhealthyRule rule : host.unhealthyRules()) {
                unhealthy.next().unhealthyRule(rule.rule()).reason(rule.reason());
            }
            hosts.runningConfig(host.runningConfig()).latestConfig(host.latestConfig());
        }
        final ClusterStatusEncoder.RefusalsEncoder refusals = clusterStatus.refusalsCount(report.refusals().size());
        for (final ClusterReport.RefusalReport refusal : report.refusals()) {
            refusals.next().refusedHostId(refusal.hostId()).refusedIncarnation(refusal.incarnation())
                .reason(refusal.reason());
        }
        return bytes(MessageHeaderEncoder.ENCODED_LENGTH + clusterStatus.encodedLength());
    }

    /** The report a ClusterStatus carries. */
    public static ClusterReport report(final ClusterStatusDecoder decoder) {
        final int hostId = decoder.hostId();
        final long viewEpoch = decoder.viewEpoch();
        final int leaderId = decoder.leaderId();
        final boolean converged = decoder.converged() == BooleanType.TRUE;
        final long configVersion = decoder.configVersion() == ClusterStatusDecoder.configVersionNullValue() ? 0 :
            decoder.configVersion();
        final List<ClusterReport.HostReport> hosts = new ArrayList<>();
        for (final ClusterStatusDecoder.HostsDecoder host : decoder.hosts()) {
            final int id = host.memberHostId();
            final int priority = host.hostPriority();
            final long incarnation = host.incarnation();
            final String state = name(host.state());
            final String mode = name(host.mode());
            final boolean listening = host.listening() == BooleanType.TRUE;
            final boolean inView = host.inView() == BooleanType.TRUE;
            final boolean inStep = host.inStep() == BooleanType.TRUE;
            final long epoch = host.memberViewEpoch();
            final List<ClusterReport.RuleBuckets> rules = new ArrayList<>();
            for (final ClusterStatusDecoder.HostsDecoder.RulesDecoder rule : host.rules()) {
                final int owned = (int)rule.ownedBuckets();
                rules.add(new ClusterReport.RuleBuckets(rule.rule(), owned));
            }
            final List<ClusterReport.UnhealthyRule> unhealthy = new ArrayList<>();
            for (final ClusterStatusDecoder.HostsDecoder.UnhealthyRulesDecoder rule : host.unhealthyRules()) {
                final String key = rule.unhealthyRule();
                unhealthy.add(new ClusterReport.UnhealthyRule(key, rule.reason()));
            }
            final String running = host.runningConfig();
            final String latest = host.latestConfig();
            hosts.add(new ClusterReport.HostReport(id, priority, incarnation, state, mode, listening, inView, inStep,
                epoch, rules, unhealthy, running, latest));
        }
        final List<ClusterReport.RefusalReport> refusals = new ArrayList<>();
        for (final ClusterStatusDecoder.RefusalsDecoder refusal : decoder.refusals()) {
            final int id = refusal.refusedHostId();
            final long incarnation = refusal.refusedIncarnation();
            refusals.add(new ClusterReport.RefusalReport(id, incarnation, refusal.reason()));
        }
        return new ClusterReport(hostId, viewEpoch, leaderId, converged, configVersion, hosts, refusals);
    }

    public byte[] configChange(final long correlationId, final byte[] change, final String replyChannel,
        final int replyStreamId) {
        configChange.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .replyStreamId(replyStreamId)
            .putChange(change, 0, change.length)
            .replyChannel(replyChannel);
        return bytes(MessageHeaderEncoder.ENCODED_LENGTH + configChange.encodedLength());
    }

    public byte[] configGet(final long correlationId, final String replyChannel, final int replyStreamId) {
        configGet.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .replyStreamId(replyStreamId)
            .replyChannel(replyChannel);
        return bytes(MessageHeaderEncoder.ENCODED_LENGTH + configGet.encodedLength());
    }

    public byte[] configAnswer(final long correlationId, final ConfigResult result) {
        configAnswer.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .status(result.status())
            .hostId(result.hostId())
            .version(result.version())
            .fingerprint(result.fingerprint())
            .detail(result.detail())
            .superseded(result.superseded());
        return bytes(MessageHeaderEncoder.ENCODED_LENGTH + configAnswer.encodedLength());
    }

    /** The result a ConfigAnswer carries. */
    public static ConfigResult configResult(final ConfigAnswerDecoder decoder) {
        final AnswerStatus status = decoder.status();
        final int hostId = decoder.hostId();
        final long version = decoder.version();
        final String fingerprint = decoder.fingerprint();
        final String detail = decoder.detail();
        return new ConfigResult(status, hostId, version, fingerprint, detail, decoder.superseded());
    }

    public byte[] configText(final long correlationId, final ConfigDocument document) {
        configText.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .hostId(document.hostId())
            .version(document.version())
            .fingerprint(document.fingerprint())
            .runningFingerprint(document.runningFingerprint())
            .text(document.text());
        return bytes(MessageHeaderEncoder.ENCODED_LENGTH + configText.encodedLength());
    }

    /** The document a ConfigText carries. */
    public static ConfigDocument configDocument(final ConfigTextDecoder decoder) {
        final int hostId = decoder.hostId();
        final long version = decoder.version();
        final String fingerprint = decoder.fingerprint();
        final String running = decoder.runningFingerprint();
        return new ConfigDocument(hostId, version, fingerprint, running, decoder.text());
    }

    private static String name(final Enum<?> code) {
        return code == null ? "unknown" : code.name().toLowerCase();
    }

    private static BooleanType bool(final boolean value) {
        return value ? BooleanType.TRUE : BooleanType.FALSE;
    }

    private byte[] bytes(final int length) {
        final byte[] message = new byte[length];
        buffer.getBytes(0, message);
        return message;
    }
}
