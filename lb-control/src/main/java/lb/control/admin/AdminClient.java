package lb.control.admin;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import lb.control.admin.sbe.AnswerStatus;
import lb.control.admin.sbe.ClusterStatusDecoder;
import lb.control.admin.sbe.ConfigAnswerDecoder;
import lb.control.admin.sbe.ConfigTextDecoder;
import lb.control.config.ConfigLogCodec;
import lb.control.config.ConfigOp;
import lb.control.admin.sbe.CommandAnswerDecoder;
import lb.control.admin.sbe.HostCommandCode;
import lb.control.admin.sbe.MessageHeaderDecoder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * lbctl's side of the admin API: joins the local lbd's media driver, asks over {@code aeron:ipc} and waits for the
 * answer on a stream of its own. Every wait is bounded: lbd not there is {@link Unreachable}, no answer in time is
 * {@link TimedOut}.
 */
public final class AdminClient implements AutoCloseable {
    /** No lbd to ask. */
    public static final class Unreachable extends Exception {
        public Unreachable(final String message) {
            super(message);
        }
    }

    /** lbd took the request but no answer came in time. */
    public static final class TimedOut extends Exception {
        public TimedOut(final String message) {
            super(message);
        }
    }

    /**
     * @param status what came of it.
     * @param hostId the host the command was for.
     * @param detail what was done, or why not.
     */
    public record CommandResult(AnswerStatus status, int hostId, String detail) {
    }

    private final Aeron aeron;
    private final Publication requests;
    private final Subscription answers;
    private final long timeoutMs;
    private final AdminCodec codec = new AdminCodec();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final CommandAnswerDecoder commandAnswer = new CommandAnswerDecoder();
    private final ClusterStatusDecoder clusterStatus = new ClusterStatusDecoder();
    private final ConfigAnswerDecoder configAnswer = new ConfigAnswerDecoder();
    private final ConfigTextDecoder configText = new ConfigTextDecoder();
    private long awaited;
    private Object answer;

    private AdminClient(final Aeron aeron, final Publication requests, final Subscription answers,
        final long timeoutMs) {
        this.aeron = aeron;
        this.requests = requests;
        this.answers = answers;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Joins the lbd whose media driver is in {@code lbdDir} (a host's run directory's {@code lbd}).
     *
     * @param timeoutMs how long to wait for lbd, and later for each answer.
     */
    public static AdminClient connect(final Path lbdDir, final long timeoutMs) throws Unreachable {
        final File dir = lbdDir.toFile();
        try {
            if (!CommonContext.isDriverActive(dir, Math.min(timeoutMs, 1_500), message -> { })) {
                throw new Unreachable("lbd is not running: no live media driver in " + lbdDir);
            }
        } catch (final RuntimeException ex) {
            throw new Unreachable("lbd is not running: no live media driver in " + lbdDir + " (" + ex.getMessage() +
                ")");
        }
        Aeron aeron = null;
        try {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(lbdDir.toString())
                .driverTimeoutMs(Math.max(1_000, timeoutMs)));
            final int stream = ThreadLocalRandom.current().nextInt(100_000, Integer.MAX_VALUE);
            final Subscription answers = aeron.addSubscription(AdminProtocol.IPC, stream);
            final Publication requests = aeron.addPublication(AdminProtocol.IPC, AdminProtocol.REQUEST_STREAM_ID);
            final long deadline = System.currentTimeMillis() + timeoutMs;
            while (!requests.isConnected()) {
                if (System.currentTimeMillis() - deadline > 0) {
                    throw new Unreachable("lbd's media driver runs in " + lbdDir + " but lbd does not take " +
                        "requests (stream " + AdminProtocol.REQUEST_STREAM_ID + ")");
                }
                Thread.sleep(1);
            }
            return new AdminClient(aeron, requests, answers, timeoutMs);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            CloseHelper.quietClose(aeron);
            throw new Unreachable("interrupted");
        } catch (final RuntimeException ex) {
            CloseHelper.quietClose(aeron);
            throw new Unreachable("cannot join lbd's media driver in " + lbdDir + ": " + ex.getMessage());
        } catch (final Unreachable ex) {
            CloseHelper.quietClose(aeron);
            throw ex;
        }
    }

    /**
     * A host command, to this host ({@code targetHostId} 0) or another (lbd forwards it).
     */
    public CommandResult hostCommand(final int targetHostId, final HostCommandCode command, final long drainTimeoutMs)
        throws TimedOut {
        final long correlationId = aeron.nextCorrelationId();
        send(codec.hostCommand(correlationId, targetHostId, command, drainTimeoutMs, AdminProtocol.IPC,
            answers.streamId()));
        return (CommandResult)await(correlationId);
    }

    /** Every member as the local host sees the cluster. */
    public ClusterReport query() throws TimedOut {
        final long correlationId = aeron.nextCorrelationId();
        send(codec.clusterQuery(correlationId, AdminProtocol.IPC, answers.streamId()));
        return (ClusterReport)await(correlationId);
    }

    /**
     * A change to the cluster config: answered once it is durable on the local host (or refused), before the other
     * hosts have it.
     */
    public ConfigResult configChange(final ConfigOp change) throws TimedOut {
        final long correlationId = aeron.nextCorrelationId();
        send(codec.configChange(correlationId, ConfigLogCodec.encodeChange(change), AdminProtocol.IPC,
            answers.streamId()));
        return (ConfigResult)await(correlationId);
    }

    /** The config the local host holds durably. */
    public ConfigDocument configGet() throws TimedOut {
        final long correlationId = aeron.nextCorrelationId();
        send(codec.configGet(correlationId, AdminProtocol.IPC, answers.streamId()));
        return (ConfigDocument)await(correlationId);
    }

    @Override
    public void close() {
        CloseHelper.closeAll(requests, answers, aeron);
    }

    private void send(final byte[] message) throws TimedOut {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (requests.offer(buffer) < 0) {
            if (System.currentTimeMillis() - deadline > 0) {
                throw new TimedOut("lbd did not take the request within " + timeoutMs + " ms");
            }
            Thread.onSpinWait();
        }
    }

    private Object await(final long correlationId) throws TimedOut {
        awaited = correlationId;
        answer = null;
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, frame) -> {
            if (!AdminCodec.readable(header, buffer, offset, length)) {
                return;
            }
            if (header.templateId() == CommandAnswerDecoder.TEMPLATE_ID) {
                commandAnswer.wrapAndApplyHeader(buffer, offset, header);
                if (commandAnswer.correlationId() == awaited) {
                    final AnswerStatus status = commandAnswer.status();
                    final int hostId = commandAnswer.hostId();
                    answer = new CommandResult(status, hostId, commandAnswer.detail());
                }
            } else if (header.templateId() == ConfigAnswerDecoder.TEMPLATE_ID) {
                configAnswer.wrapAndApplyHeader(buffer, offset, header);
                if (configAnswer.correlationId() == awaited) {
                    answer = AdminCodec.configResult(configAnswer);
                }
            } else if (header.templateId() == ConfigTextDecoder.TEMPLATE_ID) {
                configText.wrapAndApplyHeader(buffer, offset, header);
                if (configText.correlationId() == awaited) {
                    answer = AdminCodec.configDocument(configText);
                }
            } else if (header.templateId() == ClusterStatusDecoder.TEMPLATE_ID) {
                clusterStatus.wrapAndApplyHeader(buffer, offset, header);
                if (clusterStatus.correlationId() == awaited) {
                    answer = AdminCodec.report(clusterStatus);
                }
            }
        });
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (answer == null) {
            if (answers.poll(assembler, 10) == 0) {
                if (System.currentTimeMillis() - deadline > 0) {
                    throw new TimedOut("no answer from lbd within " + timeoutMs + " ms");
                }
                Thread.yield();
            }
        }
        return answer;
    }

    // lbctl's reads and flushes (affinity, explain, capture, errors).

    /** What lbctl does with each answer to an operator request. */
    @FunctionalInterface
    public interface OperatorAnswers {
        /**
         * @param header   the answer's header, applied.
         * @param buffer   the answer, valid only during the call.
         * @param offset   where it starts (its header).
         * @return false to stop waiting for more before the last.
         */
        boolean onAnswer(MessageHeaderDecoder header, org.agrona.DirectBuffer buffer, int offset);
    }

    private final OperatorCodec operatorCodec = new OperatorCodec();

    /** The encoders of operator requests, with this client's reply channel and stream. */
    public OperatorCodec operatorCodec() {
        return operatorCodec;
    }

    /** The channel this client is answered on. */
    public String replyChannel() {
        return AdminProtocol.IPC;
    }

    /** The stream this client is answered on. */
    public int replyStreamId() {
        return answers.streamId();
    }

    /** A correlation id for a request of this client. */
    public long nextCorrelationId() {
        return aeron.nextCorrelationId();
    }

    /**
     * Sends an operator request and hands each of its answers to {@code handler} until one is flagged last (or the
     * handler says stop); every answer must come within the timeout of the one before.
     */
    public void operator(final long correlationId, final byte[] request, final OperatorAnswers handler)
        throws TimedOut {
        send(request);
        final boolean[] done = {false};
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, frame) -> {
            if (done[0] || !AdminCodec.readable(header, buffer, offset, length) ||
                !OperatorCodec.isAnswer(header.templateId()) ||
                OperatorCodec.correlationId(buffer, offset) != correlationId) {
                return;
            }
            final boolean last = OperatorCodec.isLast(buffer, offset);
            final boolean more = handler.onAnswer(header, buffer, offset);
            done[0] = last || !more;
            lastAnswerMs = System.currentTimeMillis();
        });
        lastAnswerMs = System.currentTimeMillis();
        while (!done[0]) {
            if (answers.poll(assembler, 10) == 0) {
                if (System.currentTimeMillis() - lastAnswerMs > timeoutMs) {
                    throw new TimedOut("no answer from lbd within " + timeoutMs + " ms");
                }
                Thread.yield();
            }
        }
    }

    /** Sends a request and expects no answer (a capture's stop when lbctl is interrupted). */
    public void sendOnly(final byte[] request) throws TimedOut {
        send(request);
    }

    private long lastAnswerMs;
}
