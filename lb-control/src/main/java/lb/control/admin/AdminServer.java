package lb.control.admin;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.ClusterQueryDecoder;
import lb.control.admin.sbe.CommandAnswerDecoder;
import lb.control.admin.sbe.ConfigChangeDecoder;
import lb.control.admin.sbe.ConfigGetDecoder;
import lb.control.admin.sbe.HostCommandCode;
import lb.control.admin.sbe.HostCommandDecoder;
import lb.control.admin.sbe.MessageHeaderDecoder;
import lb.control.config.ConfigLogCodec;
import lb.control.config.ConfigOp;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.Endpoint;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

/**
 * lbd's side of the admin API: takes requests from the local lbctl ({@code aeron:ipc}) and from other hosts' lbd
 * ({@code aeron:udp} on the management endpoint), has the {@link Handler} carry out what is for this host, forwards a
 * command for another host to that host's lbd and relays its answer, and answers on the channel each request names.
 * Nothing here blocks: answers that cannot go yet are offered again each cycle until {@link
 * AdminProtocol#ANSWER_TIMEOUT_MS}. One thread (lbd's duty cycle).
 */
public final class AdminServer implements AutoCloseable {
    /** What lbd does with the requests for this host. */
    public interface Handler {
        /** Carries out a host command on this host. */
        Answer hostCommand(long nowMs, HostCommandCode command, long timeoutMs);

        /** Every member as this host sees the cluster. */
        ClusterReport query(long nowMs);

        /**
         * Makes a change to the cluster config on this host: validated, made durable, then answered (on a later duty
         * cycle, once the store has it).
         */
        void configChange(long nowMs, ConfigOp change, Consumer<ConfigResult> onResult);

        /** The config this host holds durably. */
        ConfigDocument configGet(long nowMs);

        // lbctl's reads and flushes: affinity, explain, capture, errors (template ids 20-29, answers 120-129).

        /**
         * An operator request for this host, decoded by the handler ({@link OperatorCodec}); answered through the
         * reply, now or on a later cycle, as many answers as it takes, the last one flagged.
         *
         * @param buffer the whole message, header first, valid only during the call.
         */
        void operatorRequest(long nowMs, int templateId, DirectBuffer buffer, int offset, int length, Reply reply);
    }

    /** Where the answers to one operator request go. */
    public interface Reply {
        /** The asker's correlation id, to encode into every answer. */
        long correlationId();

        /** Queues an answer for the asker (lbd's duty cycle offers it). */
        void send(byte[] answer);
    }

    /**
     * @param status what came of it.
     * @param detail what was done, or why not, for a person.
     */
    public record Answer(AnswerStatus status, String detail) {
    }

    private record Outgoing(String channel, int streamId, byte[] message, long deadlineMs) {
    }

    private record Forwarded(long correlationId, String replyChannel, int replyStreamId, int targetHostId,
        long deadlineMs, boolean operator) {
    }

    private final ClusterConfig config;
    private final int hostId;
    private final Aeron aeron;
    private final Handler handler;
    private final Consumer<String> log;
    private final AdminCodec codec = new AdminCodec();
    private final OperatorCodec operatorCodec = new OperatorCodec();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final HostCommandDecoder hostCommand = new HostCommandDecoder();
    private final ClusterQueryDecoder clusterQuery = new ClusterQueryDecoder();
    private final CommandAnswerDecoder commandAnswer = new CommandAnswerDecoder();
    private final ConfigChangeDecoder configChange = new ConfigChangeDecoder();
    private final ConfigGetDecoder configGet = new ConfigGetDecoder();
    private final List<Subscription> requests;
    private final Subscription forwardedAnswers;
    private final String answerChannel;
    private final Map<String, Publication> replies = new HashMap<>();
    private final Map<Integer, Publication> peers = new HashMap<>();
    private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();
    private final Map<Long, Forwarded> forwarded = new LinkedHashMap<>();
    private final FragmentHandler onRequest;
    private final FragmentHandler onForwardedAnswer;
    private long nowMs;
    private long nextForwardId = 1;
    private long refused;

    /**
     * @param aeron   lbd's client of its own media driver.
     * @param config  the cluster config: every member's management endpoint.
     * @param hostId  this host.
     * @param handler what carries out this host's requests.
     * @param log     lbd's log.
     */
    public AdminServer(final Aeron aeron, final ClusterConfig config, final int hostId, final Handler handler,
        final Consumer<String> log) {
        this.config = config;
        this.hostId = hostId;
        this.aeron = aeron;
        this.handler = handler;
        this.log = log;
        final Endpoint own = endpoint(hostId);
        this.answerChannel = AdminProtocol.udp(own.toString());
        this.requests = List.of(
            aeron.addSubscription(AdminProtocol.IPC, AdminProtocol.REQUEST_STREAM_ID),
            aeron.addSubscription(AdminProtocol.udp(own.toString()), AdminProtocol.REQUEST_STREAM_ID));
        this.forwardedAnswers = aeron.addSubscription(answerChannel, AdminProtocol.FORWARDED_ANSWER_STREAM_ID);
        this.onRequest = new FragmentAssembler(this::onRequest);
        this.onForwardedAnswer = new FragmentAssembler(this::onForwardedAnswer);
    }

    /**
     * One duty cycle.
     *
     * @return work done.
     */
    public int doWork(final long now) {
        nowMs = now;
        int work = 0;
        for (final Subscription subscription : requests) {
            work += subscription.poll(onRequest, 16);
        }
        work += forwardedAnswers.poll(onForwardedAnswer, 16);
        work += expireForwarded();
        work += sendOutgoing();
        return work;
    }

    /**
     * @return requests that could not be read (another schema, a newer version, unknown template).
     */
    public long refusedRequests() {
        return refused;
    }

    @Override
    public void close() {
        CloseHelper.closeAll(replies.values());
        CloseHelper.closeAll(peers.values());
        CloseHelper.closeAll(requests);
        CloseHelper.close(forwardedAnswers);
    }

    private void onRequest(final DirectBuffer buffer, final int offset, final int length,
        final io.aeron.logbuffer.Header frame) {
        if (!AdminCodec.readable(header, buffer, offset, length)) {
            refused++;
            return;
        }
        switch (header.templateId()) {
            case HostCommandDecoder.TEMPLATE_ID -> {
                hostCommand.wrapAndApplyHeader(buffer, offset, header);
                final long correlationId = hostCommand.correlationId();
                final int target = hostCommand.targetHostId();
                final HostCommandCode command = hostCommand.command();
                final long timeoutMs = hostCommand.timeoutMs();
                final int replyStream = hostCommand.replyStreamId();
                final String replyChannel = hostCommand.replyChannel();
                onHostCommand(correlationId, target == 0 ? hostId : target, command, timeoutMs, replyChannel,
                    replyStream);
            }
            case ClusterQueryDecoder.TEMPLATE_ID -> {
                clusterQuery.wrapAndApplyHeader(buffer, offset, header);
                final long correlationId = clusterQuery.correlationId();
                final int replyStream = clusterQuery.replyStreamId();
                final String replyChannel = clusterQuery.replyChannel();
                queue(replyChannel, replyStream, codec.clusterStatus(correlationId, handler.query(nowMs)));
            }
            case ConfigChangeDecoder.TEMPLATE_ID -> {
                configChange.wrapAndApplyHeader(buffer, offset, header);
                final long correlationId = configChange.correlationId();
                final int replyStream = configChange.replyStreamId();
                final byte[] bytes = new byte[configChange.changeLength()];
                configChange.getChange(bytes, 0, bytes.length);
                final String replyChannel = configChange.replyChannel();
                onConfigChange(correlationId, bytes, replyChannel, replyStream);
            }
            case ConfigGetDecoder.TEMPLATE_ID -> {
                configGet.wrapAndApplyHeader(buffer, offset, header);
                final long correlationId = configGet.correlationId();
                final int replyStream = configGet.replyStreamId();
                final String replyChannel = configGet.replyChannel();
                queue(replyChannel, replyStream, codec.configText(correlationId, handler.configGet(nowMs)));
            }
            default -> {
                if (OperatorCodec.isRequest(header.templateId())) {
                    onOperatorRequest(buffer, offset, length);
                } else {
                    refused++;
                }
            }
        }
    }

    private void onHostCommand(final long correlationId, final int target, final HostCommandCode command,
        final long timeoutMs, final String replyChannel, final int replyStream) {
        if (command == null || command == HostCommandCode.NULL_VAL || command == HostCommandCode.SBE_UNKNOWN) {
            queue(replyChannel, replyStream, codec.commandAnswer(correlationId, AnswerStatus.INVALID, target,
                "command: unknown; valid: start, stop, drainstop, suspend, resume"));
            return;
        }
        if (target == hostId) {
            final Answer answer = handler.hostCommand(nowMs, command, timeoutMs);
            log.accept("host command " + command.name().toLowerCase() + ": " + answer.status().name().toLowerCase() +
                (answer.detail().isEmpty() ? "" : ", " + answer.detail()));
            queue(replyChannel, replyStream, codec.commandAnswer(correlationId, answer.status(), hostId,
                answer.detail()));
            return;
        }
        if (config.member(target).isEmpty()) {
            queue(replyChannel, replyStream, codec.commandAnswer(correlationId, AnswerStatus.INVALID, target,
                "host " + target + " is not a member of cluster " + config.parameters().name() + "; members are " +
                    config.members().stream().map(ClusterMember::hostId).toList()));
            return;
        }
        final long forwardId = nextForwardId++;
        forwarded.put(forwardId, new Forwarded(correlationId, replyChannel, replyStream, target,
            nowMs + AdminProtocol.ANSWER_TIMEOUT_MS, false));
        final Publication peer = peers.computeIfAbsent(target, id ->
            aeron.addPublication(AdminProtocol.udp(endpoint(id).toString()), AdminProtocol.REQUEST_STREAM_ID));
        queue(peer, codec.hostCommand(forwardId, target, command, timeoutMs, answerChannel,
            AdminProtocol.FORWARDED_ANSWER_STREAM_ID));
    }

    private void onConfigChange(final long correlationId, final byte[] bytes, final String replyChannel,
        final int replyStream) {
        final ConfigOp change;
        try {
            change = ConfigLogCodec.decodeChange(bytes);
        } catch (final RuntimeException unreadable) {
            queue(replyChannel, replyStream, codec.configAnswer(correlationId, new ConfigResult(AnswerStatus.INVALID,
                hostId, 0, "", "change: " + unreadable.getMessage() + " (lbctl and lbd of different lb versions?)",
                "")));
            return;
        }
        handler.configChange(nowMs, change, result -> {
            log.accept("config change " + change.describe() + ": " + result.status().name().toLowerCase() + ", " +
                result.detail());
            queue(replyChannel, replyStream, codec.configAnswer(correlationId, result));
        });
    }

    private void onForwardedAnswer(final DirectBuffer buffer, final int offset, final int length,
        final io.aeron.logbuffer.Header frame) {
        if (AdminCodec.readable(header, buffer, offset, length) && OperatorCodec.isAnswer(header.templateId())) {
            onForwardedOperatorAnswer(buffer, offset, length);
            return;
        }
        if (!AdminCodec.readable(header, buffer, offset, length) ||
            header.templateId() != CommandAnswerDecoder.TEMPLATE_ID) {
            refused++;
            return;
        }
        commandAnswer.wrapAndApplyHeader(buffer, offset, header);
        final Forwarded waiting = forwarded.remove(commandAnswer.correlationId());
        if (waiting == null) {
            return;
        }
        final AnswerStatus status = commandAnswer.status();
        final int from = commandAnswer.hostId();
        final String detail = commandAnswer.detail();
        queue(waiting.replyChannel(), waiting.replyStreamId(), codec.commandAnswer(waiting.correlationId(), status,
            from, detail));
    }

    private int expireForwarded() {
        int work = 0;
        final Iterator<Forwarded> waiting = forwarded.values().iterator();
        while (waiting.hasNext()) {
            final Forwarded next = waiting.next();
            if (nowMs - next.deadlineMs() >= 0) {
                waiting.remove();
                final String why = "host " + next.targetHostId() + "'s lbd did not answer within " +
                    AdminProtocol.ANSWER_TIMEOUT_MS + " ms at " + endpoint(next.targetHostId());
                queue(next.replyChannel(), next.replyStreamId(), next.operator() ?
                    operatorCodec.operatorAnswer(next.correlationId(), next.targetHostId(), AnswerStatus.UNREACHABLE,
                        why) :
                    codec.commandAnswer(next.correlationId(), AnswerStatus.UNREACHABLE, next.targetHostId(), why));
                work++;
            }
        }
        return work;
    }

    private void queue(final String channel, final int streamId, final byte[] message) {
        outgoing.add(new Outgoing(channel, streamId, message, nowMs + AdminProtocol.ANSWER_TIMEOUT_MS));
    }

    private void queue(final Publication publication, final byte[] message) {
        outgoing.add(new Outgoing(publication.channel(), publication.streamId(), message,
            nowMs + AdminProtocol.ANSWER_TIMEOUT_MS));
    }

    private int sendOutgoing() {
        int work = 0;
        final int count = outgoing.size();
        for (int i = 0; i < count; i++) {
            final Outgoing next = outgoing.poll();
            final Publication publication = publication(next.channel(), next.streamId());
            final long result = publication == null ? Publication.CLOSED :
                publication.offer(new org.agrona.concurrent.UnsafeBuffer(next.message()));
            if (result > 0) {
                work++;
            } else if (result != Publication.CLOSED && result != Publication.MAX_POSITION_EXCEEDED &&
                nowMs - next.deadlineMs() < 0) {
                outgoing.add(next);
            } else {
                log.accept("admin answer to " + next.channel() + " stream " + next.streamId() + " not delivered");
            }
        }
        return work;
    }

    private Publication publication(final String channel, final int streamId) {
        for (final Publication peer : peers.values()) {
            if (peer.channel().equals(channel) && peer.streamId() == streamId) {
                return peer;
            }
        }
        try {
            return replies.computeIfAbsent(channel + "|" + streamId, key -> aeron.addPublication(channel, streamId));
        } catch (final RuntimeException invalid) {
            log.accept("admin: cannot answer on " + channel + " stream " + streamId + ": " + invalid.getMessage());
            return null;
        }
    }

    private Endpoint endpoint(final int id) {
        return config.member(id).flatMap(ClusterMember::management).orElseThrow(() ->
            new IllegalArgumentException("host " + id + " has no management endpoint"));
    }

    // lbctl's reads and flushes (affinity, explain, capture, errors): carried out here or forwarded unread.

    private void onOperatorRequest(final DirectBuffer buffer, final int offset, final int length) {
        final long correlationId = OperatorCodec.correlationId(buffer, offset);
        final int requested = OperatorCodec.targetHostId(buffer, offset);
        final int target = requested == 0 ? hostId : requested;
        final String replyChannel = OperatorCodec.replyChannel(buffer, offset);
        final int replyStream = OperatorCodec.replyStreamId(buffer, offset);
        if (target == hostId) {
            handler.operatorRequest(nowMs, header.templateId(), buffer, offset, length, new Reply() {
                @Override
                public long correlationId() {
                    return correlationId;
                }

                @Override
                public void send(final byte[] answer) {
                    queue(replyChannel, replyStream, answer);
                }
            });
            return;
        }
        if (config.member(target).isEmpty()) {
            queue(replyChannel, replyStream, operatorCodec.operatorAnswer(correlationId, target, AnswerStatus.INVALID,
                "host " + target + " is not a member of cluster " + config.parameters().name() + "; members are " +
                    config.members().stream().map(ClusterMember::hostId).toList()));
            return;
        }
        final long forwardId = nextForwardId++;
        forwarded.put(forwardId, new Forwarded(correlationId, replyChannel, replyStream, target,
            nowMs + AdminProtocol.ANSWER_TIMEOUT_MS, true));
        final Publication peer = peers.computeIfAbsent(target, id ->
            aeron.addPublication(AdminProtocol.udp(endpoint(id).toString()), AdminProtocol.REQUEST_STREAM_ID));
        queue(peer, OperatorCodec.forward(buffer, offset, length, forwardId, answerChannel,
            AdminProtocol.FORWARDED_ANSWER_STREAM_ID));
    }

    /** Relays a forwarded request's answer; the request waits for more until one is flagged last. */
    private void onForwardedOperatorAnswer(final DirectBuffer buffer, final int offset, final int length) {
        final long forwardId = OperatorCodec.correlationId(buffer, offset);
        final Forwarded waiting = forwarded.get(forwardId);
        if (waiting == null) {
            return;
        }
        if (OperatorCodec.isLast(buffer, offset)) {
            forwarded.remove(forwardId);
        } else {
            forwarded.put(forwardId, new Forwarded(waiting.correlationId(), waiting.replyChannel(),
                waiting.replyStreamId(), waiting.targetHostId(), nowMs + AdminProtocol.ANSWER_TIMEOUT_MS, true));
        }
        queue(waiting.replyChannel(), waiting.replyStreamId(), OperatorCodec.relay(buffer, offset, length,
            waiting.correlationId()));
    }
}
