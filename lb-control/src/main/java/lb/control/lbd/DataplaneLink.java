package lb.control.lbd;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import lb.dataplane.api.Addresses;
import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.DataplaneControlProxy;
import lb.dataplane.api.DataplaneEventsAdapter;
import lb.dataplane.api.DataplaneEventsListener;
import lb.dataplane.api.MessageScreen;
import lb.dataplane.api.Offers;
import lb.dataplane.api.StatusReport;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.BooleanType;
import lb.dataplane.api.sbe.DataplaneStatusDecoder;
import lb.dataplane.api.sbe.StickyClientsDecoder;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.file.ClusterFileWriter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * lbd's side of its dataplane's control interface: an Aeron client of the dataplane's own media driver (so the
 * dataplane's control endpoint outlives any lbd: fail-static), the request proxy and the events adapter.
 *
 * <p>It learns what the dataplane runs from its periodic status and gives a dataplane that lacks lbd's config (a new
 * one, a restarted one, one another lbd configured) that config again; once the dataplane took it, the dataplane is
 * <em>ready</em> ({@link Events#onDataplaneReady}) and the requests queued with {@link #submit} go out in order, each
 * offered until the publication takes it. A dataplane that stops answering or goes away is <em>lost</em>
 * ({@link Events#onDataplaneLost}) and what was queued for it is dropped: the next one is given everything again.
 * Sticky-client exports run one at a time (the dataplane answers one at a time) and come back whole. One thread
 * (lbd's duty cycle).
 */
public final class DataplaneLink implements DataplaneEventsListener, AutoCloseable {
    /** A dataplane that sent no status for this long is not answering (it sends one a second). */
    public static final long STATUS_TIMEOUT_MS = 3_000;
    /** An export whose last chunk has not come in this long is given up. */
    static final long EXPORT_TIMEOUT_MS = 5_000;
    /**
     * An export the dataplane was too busy for (another export runs there) goes again after this long, not on the
     * next cycle: that would be a round trip of requests and refusals per cycle until the other export ends.
     */
    static final long EXPORT_RETRY_MS = 100;
    /** The driver stamps its liveness about once a second: a younger stamp means a driver runs there. */
    private static final long DRIVER_PROBE_MS = 1_500;
    private static final long CONNECT_INTERVAL_MS = 200;
    private static final int MAX_SENDS_PER_CYCLE = 64;

    /** What lbd hears of its dataplane through the link. */
    public interface Events {
        /**
         * The dataplane runs lbd's config: views and the rest may go to it now.
         *
         * @param appliedViewEpoch the view epoch it forwards by, 0 for none.
         * @param forwarding       whether it forwards by a view an earlier lbd gave it (fail-static adoption).
         */
        void onDataplaneReady(long nowMs, long appliedViewEpoch, boolean forwarding);

        /** The dataplane stopped answering or went away. */
        void onDataplaneLost(long nowMs);

        /** An export finished: every sticky client the dataplane keeps in the buckets asked for. */
        void onExported(long nowMs, Export export, List<ExportedClient> clients);
    }

    /** One request to the dataplane, sent by its duty cycle with the correlation id it is given. */
    @FunctionalInterface
    public interface Request {
        /**
         * @return what {@code Publication.offer} returned.
         */
        long send(DataplaneControlProxy proxy, long correlationId);
    }

    /**
     * An export to run: the rule's canonical index, its bucket bitmap, and what lbd needs back with the answer.
     *
     * @param ruleIndex canonical rule index.
     * @param bitmap    the buckets, in the control interface's bitmap layout.
     * @param tag       lbd's own note of what the export is for.
     */
    public record Export(int ruleIndex, byte[] bitmap, Object tag) {
    }

    /**
     * A sticky client the dataplane reported.
     *
     * @param client      the affinity-masked client address.
     * @param expiresInMs milliseconds until it expires without new traffic.
     */
    public record ExportedClient(IpAddress client, long expiresInMs) {
    }

    private record Pending(String what, Request request, LongConsumer onAcked, Asked asked) {
        Pending(final String what, final Request request, final LongConsumer onAcked) {
            this(what, request, onAcked, null);
        }
    }

    private final String aeronDir;
    private final long incarnation;
    private ClusterConfig config;
    private byte[] fingerprint;
    private UnsafeBuffer fingerprintView;
    private UnsafeBuffer configText;
    /**
     * The config of the view the dataplane applied before it took lbd's (a switch, or a restarted lbd with a newer
     * config than the dataplane it adopts): its status names that one until it applies a view of lbd's.
     */
    private UnsafeBuffer switchingFrom;
    private final Consumer<String> log;
    private final Events events;
    private final StatusReport status = new StatusReport();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Map<Long, Pending> awaiting = new LinkedHashMap<>();
    private final Map<Long, Asking> asked = new LinkedHashMap<>();
    private final ArrayDeque<Export> exports = new ArrayDeque<>();
    private final List<ExportedClient> exported = new ArrayList<>();
    private final ExecutorService connector = Executors.newSingleThreadExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "lbd-dataplane-connector");
        thread.setDaemon(true);
        return thread;
    });
    private Future<Joined> connecting;
    private Aeron aeron;
    private DataplaneControlProxy proxy;
    private DataplaneEventsAdapter adapter;
    private long nowMs;
    private long nextConnectMs;
    private long lastStatusMs = Long.MIN_VALUE;
    private long dataplaneIncarnation;
    private long dataplanePid = -1;
    private long configSentTo;
    private long configCorrelationId;
    private boolean configApplied;
    private boolean ready;
    private Export exporting;
    private long exportCorrelationId;
    private long exportStartedMs;
    private long exportRetryAtMs;
    private int nextChunk;
    private long requestsSent;
    private long requestsRefused;

    /**
     * @param aeronDir    the dataplane's Aeron directory.
     * @param incarnation this lbd's incarnation (greater than any earlier lbd's on the host).
     * @param config      the config the dataplane must run.
     * @param log         where lbd's log lines go.
     * @param events      what lbd does when the dataplane is ready, lost, or answers an export.
     */
    public DataplaneLink(final String aeronDir, final long incarnation, final ClusterConfig config,
        final Consumer<String> log, final Events events) {
        this.aeronDir = aeronDir;
        this.incarnation = incarnation;
        take(config);
        this.log = log;
        this.events = events;
    }

    private void take(final ClusterConfig next) {
        this.config = next;
        this.fingerprint = HexFormat.of().parseHex(next.fingerprint().sha256Hex());
        this.fingerprintView = new UnsafeBuffer(fingerprint);
        this.configText = new UnsafeBuffer(ClusterFileWriter.write(next).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * lbd runs another config from now on: a ready dataplane is given it ahead of anything queued after this call (the
     * views computed from it), one that is not ready gets it when it is. Until the dataplane applies a view of the
     * new config its status names the old one, which is not taken for a dataplane gone astray.
     */
    public void reconfigure(final ClusterConfig next) {
        if (next.fingerprint().equals(config.fingerprint())) {
            return;
        }
        final String from = config.fingerprint().sha256Hex().substring(0, 16);
        switchingFrom = fingerprintView;
        take(next);
        if (!ready) {
            configApplied = false;
            configSentTo = 0;
            return;
        }
        final byte[] sentFingerprint = fingerprint;
        final UnsafeBuffer sentText = configText;
        final String to = next.fingerprint().sha256Hex().substring(0, 16);
        submit("config " + to + " (from " + from + ")", (proxy, correlationId) ->
            proxy.applyConfig(correlationId, sentFingerprint, sentText, 0, sentText.capacity()),
            at -> log.accept("dataplane pid " + dataplanePid + " took config " + to));
    }

    /** The config the dataplane is given. */
    public ClusterConfig config() {
        return config;
    }

    /**
     * One duty cycle: connects to the dataplane's driver once it runs, polls its events, (re)sends the config, sends
     * what is queued, notices a dataplane that stopped answering.
     *
     * @param now now, epoch milliseconds.
     * @return work done.
     */
    public int doWork(final long now) {
        nowMs = now;
        if (aeron == null) {
            return connect() ? 1 : 0;
        }
        int work = adapter.poll(10);
        if (ready && !isAnswering()) {
            log.accept("dataplane pid " + dataplanePid + " sent no status for " + STATUS_TIMEOUT_MS + " ms");
            lose();
        }
        if (dataplaneIncarnation != 0 && !configApplied && configSentTo != dataplaneIncarnation) {
            final long correlationId = aeron.nextCorrelationId();
            final long result = proxy.applyConfig(correlationId, fingerprint, configText, 0, configText.capacity());
            if (Offers.isSent(result)) {
                configSentTo = dataplaneIncarnation;
                configCorrelationId = correlationId;
                work++;
            } else if (!Offers.isRetryable(result)) {
                log.accept("cannot send the config to the dataplane: " + Offers.describe(result));
                configSentTo = dataplaneIncarnation;
            }
        }
        if (ready) {
            work += sendQueued();
            work += exportNext();
        }
        work += expireAsked();
        return work;
    }

    /**
     * Queues a request for the dataplane; it goes out in order once the dataplane is ready, and is dropped if the
     * dataplane is lost first.
     *
     * @param what    what it is, for the log when the dataplane refuses it.
     * @param request how to send it.
     */
    public void submit(final String what, final Request request) {
        submit(what, request, null);
    }

    /**
     * Queues a request, as {@link #submit(String, Request)}, and is told when the dataplane acked it OK.
     *
     * @param onAcked given the time of the OK, or null.
     */
    public void submit(final String what, final Request request, final LongConsumer onAcked) {
        if (ready) {
            queue.add(new Pending(what, request, onAcked));
        }
    }

    /**
     * Queues an export; its answer comes to {@link Events#onExported}.
     */
    public void export(final Export export) {
        if (ready) {
            exports.add(export);
        }
    }

    /**
     * The dataplane process went away: its driver with it, so this client goes too, and a new one connects to the
     * next dataplane's driver.
     */
    public void disconnect() {
        abandonJoin();
        CloseHelper.quietClose(aeron);
        aeron = null;
        lose();
        dataplaneIncarnation = 0;
        dataplanePid = -1;
        lastStatusMs = Long.MIN_VALUE;
    }

    /**
     * @return whether this client has joined the dataplane's media driver.
     */
    public boolean connected() {
        return aeron != null;
    }

    /**
     * @return whether an attempt to join the dataplane's driver is under way (it ends within a few seconds).
     */
    public boolean joining() {
        return connecting != null;
    }

    /**
     * @return the pid the dataplane reported, or -1 before its first status.
     */
    public long dataplanePid() {
        return dataplanePid;
    }

    /**
     * @return the last status the dataplane sent.
     */
    public StatusReport status() {
        return status;
    }

    /**
     * @return when the last status came (this link's clock), or {@code Long.MIN_VALUE} before any.
     */
    public long lastStatusMs() {
        return lastStatusMs;
    }

    /**
     * @return whether a status came within {@link #STATUS_TIMEOUT_MS}.
     */
    public boolean isAnswering() {
        return lastStatusMs != Long.MIN_VALUE && nowMs - lastStatusMs < STATUS_TIMEOUT_MS;
    }

    /**
     * @return whether the dataplane runs lbd's config and takes requests.
     */
    public boolean isReady() {
        return ready;
    }

    /**
     * @return requests the dataplane took, and those it refused.
     */
    public long requestsSent() {
        return requestsSent;
    }

    /**
     * @return requests the dataplane acked with a rejection.
     */
    public long requestsRefused() {
        return requestsRefused;
    }

    @Override
    public void onAck(final long correlationId, final long fromIncarnation, final AckStatus ackStatus,
        final String detail) {
        if (fromIncarnation != dataplaneIncarnation) {
            return;
        }
        if (correlationId == configCorrelationId) {
            if (ackStatus == AckStatus.OK) {
                configApplied = true;
                // Until it applies a view of ours, it reports the config of the view it applied before, if any.
                final UnsafeBuffer before = new UnsafeBuffer(new byte[fingerprint.length]);
                before.putBytes(0, status.appliedConfigFingerprint(), 0, fingerprint.length);
                switchingFrom = before.equals(fingerprintView) ? null : before;
                log.accept("dataplane pid " + dataplanePid + " (incarnation " + fromIncarnation + ") took config " +
                    config.fingerprint().sha256Hex().substring(0, 16));
                becomeReady();
            } else {
                log.accept("dataplane pid " + dataplanePid + " refused config " +
                    config.fingerprint().sha256Hex().substring(0, 16) + ": " + ackStatus + " " + detail);
            }
            return;
        }
        if (correlationId == exportCorrelationId && exporting != null) {
            // An export is answered by chunks; an Ack means it was refused.
            if (ackStatus == AckStatus.REJECTED_BUSY) {
                exports.addFirst(exporting);
                exportRetryAtMs = nowMs + EXPORT_RETRY_MS;
            } else {
                log.accept("dataplane refused an export of rule " + exporting.ruleIndex() + ": " + ackStatus + " " +
                    detail);
            }
            exporting = null;
            return;
        }
        final Asking asking = asked.get(correlationId);
        if (asking != null) {
            if (ackStatus != AckStatus.OK || !asking.asked().onAck(ackStatus, detail)) {
                asked.remove(correlationId);
                if (ackStatus != AckStatus.OK) {
                    asking.asked().onAck(ackStatus, detail);
                }
            } else {
                asked.put(correlationId, new Asking(asking.asked(), nowMs));
            }
            return;
        }
        final Pending request = awaiting.remove(correlationId);
        if (request == null) {
            return;
        }
        if (ackStatus == AckStatus.OK) {
            if (request.onAcked() != null) {
                request.onAcked().accept(nowMs);
            }
            return;
        }
        requestsRefused++;
        log.accept("dataplane refused " + request.what() + ": " + ackStatus + " " + detail);
        if (ackStatus == AckStatus.REJECTED_NO_CONFIG || ackStatus == AckStatus.REJECTED_FINGERPRINT_MISMATCH) {
            // It lost or replaced our config: give it the config, and lbd everything again once it took it.
            lose();
        }
    }

    @Override
    public void onStickyClients(final StickyClientsDecoder chunk) {
        if (exporting == null || chunk.correlationId() != exportCorrelationId ||
            chunk.incarnation() != dataplaneIncarnation) {
            return;
        }
        if (chunk.chunkIndex() != nextChunk) {
            log.accept("export of rule " + exporting.ruleIndex() + ": chunk " + chunk.chunkIndex() + " came for " +
                nextChunk + "; given up");
            exporting = null;
            return;
        }
        nextChunk++;
        for (final StickyClientsDecoder.EntriesDecoder entry : chunk.entries()) {
            exported.add(new ExportedClient(new IpAddress(Addresses.high(entry.client()), Addresses.low(entry.client())),
                entry.expiresInMs()));
        }
        if (chunk.last() == BooleanType.TRUE) {
            final Export done = exporting;
            exporting = null;
            events.onExported(nowMs, done, List.copyOf(exported));
        }
    }

    @Override
    public void onDataplaneStatus(final DataplaneStatusDecoder decoder) {
        status.decode(decoder);
        lastStatusMs = nowMs;
        if (status.incarnation() != dataplaneIncarnation) {
            lose();
            dataplaneIncarnation = status.incarnation();
            dataplanePid = status.pid();
            log.accept("dataplane pid " + dataplanePid + " (incarnation " + dataplaneIncarnation + ") answers; " +
                "view epoch " + status.appliedViewEpoch() + ", following lbd incarnation " +
                status.controlIncarnation());
        } else if (configApplied && !ready) {
            becomeReady();
        } else if (configApplied && switchingFrom != null) {
            if (fingerprintView.equals(status.appliedConfigFingerprint())) {
                switchingFrom = null;
            } else if (!switchingFrom.equals(status.appliedConfigFingerprint())) {
                log.accept("dataplane pid " + dataplanePid + " runs neither lbd's config nor the one it ran " +
                    "before: giving it lbd's again");
                lose();
            }
        } else if (configApplied && !fingerprintView.equals(status.appliedConfigFingerprint())) {
            // Another lbd gave it another config since (statuses come after the Ack of ours, in order).
            log.accept("dataplane pid " + dataplanePid + " runs another config than lbd's: giving it lbd's again");
            lose();
        }
    }

    @Override
    public void close() {
        abandonJoin();
        connector.shutdown();
        try {
            connector.awaitTermination(DRIVER_PROBE_MS * 2, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        CloseHelper.quietClose(aeron);
        aeron = null;
    }

    private void becomeReady() {
        if (!ready && isAnswering()) {
            ready = true;
            final boolean forwarding = status.appliedViewEpoch() > 0 && status.controlIncarnation() != 0 &&
                status.controlIncarnation() != incarnation;
            events.onDataplaneReady(nowMs, status.appliedViewEpoch(), forwarding);
        }
    }

    private void lose() {
        final boolean wasReady = ready;
        switchingFrom = null;
        ready = false;
        configApplied = false;
        configSentTo = 0;
        queue.clear();
        awaiting.clear();
        if (!asked.isEmpty()) {
            final List<Asking> lost = new ArrayList<>(asked.values());
            asked.clear();
            lost.forEach(a -> a.asked().onLost("the dataplane was lost before it answered"));
        }
        exports.clear();
        exporting = null;
        if (wasReady) {
            events.onDataplaneLost(nowMs);
        }
    }

    private int sendQueued() {
        int sent = 0;
        while (!queue.isEmpty() && sent < MAX_SENDS_PER_CYCLE) {
            final Pending next = queue.peek();
            final long correlationId = aeron.nextCorrelationId();
            final long result = next.request().send(proxy, correlationId);
            if (Offers.isSent(result) && next.asked() != null) {
                queue.poll();
                asked.put(correlationId, new Asking(next.asked(), nowMs));
                next.asked().onSent(correlationId);
                requestsSent++;
                sent++;
            } else if (Offers.isSent(result)) {
                queue.poll();
                awaiting.put(correlationId, next);
                requestsSent++;
                sent++;
                trimAwaiting();
            } else if (Offers.isRetryable(result)) {
                break;
            } else {
                queue.poll();
                log.accept("cannot send " + next.what() + " to the dataplane: " + Offers.describe(result));
            }
        }
        return sent;
    }

    private int exportNext() {
        if (exporting != null && nowMs - exportStartedMs > EXPORT_TIMEOUT_MS) {
            log.accept("export of rule " + exporting.ruleIndex() + " had no last chunk in " + EXPORT_TIMEOUT_MS +
                " ms; given up");
            exporting = null;
        }
        // Exports keep their place after the requests queued before them (a DropClaims must land before an export
        // reads the claims).
        if (exporting != null || exports.isEmpty() || !queue.isEmpty() || nowMs - exportRetryAtMs < 0) {
            return 0;
        }
        final Export next = exports.peek();
        final long correlationId = aeron.nextCorrelationId();
        final UnsafeBuffer bitmap = new UnsafeBuffer(next.bitmap());
        final long result = proxy.exportStickyClients(correlationId, next.ruleIndex(), bitmap, 0, bitmap.capacity());
        if (Offers.isSent(result)) {
            exports.poll();
            exporting = next;
            exportCorrelationId = correlationId;
            exportStartedMs = nowMs;
            nextChunk = 0;
            exported.clear();
            return 1;
        }
        if (!Offers.isRetryable(result)) {
            exports.poll();
            log.accept("cannot send an export to the dataplane: " + Offers.describe(result));
        }
        return 0;
    }

    /** Acks answer in order; one that never comes (a dataplane that dropped it) must not grow the map forever. */
    private void trimAwaiting() {
        while (awaiting.size() > 4096) {
            awaiting.remove(awaiting.keySet().iterator().next());
        }
    }

    /**
     * Joining the dataplane's driver blocks (the probe waits for a CnC file being written, the client for the driver's
     * answer, each publication and subscription for its registration): it runs on a thread of its own, so that the
     * duty cycle, which heartbeats for the host, never waits for a dataplane that is starting.
     */
    private boolean connect() {
        if (connecting != null) {
            if (!connecting.isDone()) {
                return false;
            }
            final Joined joined = joinedOrNull(connecting);
            connecting = null;
            if (joined == null) {
                return false;
            }
            aeron = joined.aeron();
            proxy = new DataplaneControlProxy(joined.requests(), incarnation);
            adapter = new DataplaneEventsAdapter(joined.events(), this, new MessageScreen("lbd events adapter",
                joined.skipped(), error -> log.accept("events: " + error.getMessage())));
            log.accept("joined the dataplane's media driver in " + aeronDir);
            return true;
        }
        if (nowMs - nextConnectMs < 0) {
            return false;
        }
        nextConnectMs = nowMs + CONNECT_INTERVAL_MS;
        connecting = connector.submit(this::join);
        return false;
    }

    private record Joined(Aeron aeron, ExclusivePublication requests, Subscription events, AtomicCounter skipped) {
    }

    /** On the connector thread: the dataplane's driver joined, or null when none runs there yet. */
    private Joined join() {
        try {
            if (!CommonContext.isDriverActive(new File(aeronDir), DRIVER_PROBE_MS, message -> { })) {
                return null;
            }
        } catch (final RuntimeException starting) {
            // The driver is creating its CnC file: try again later.
            return null;
        }
        Aeron joined = null;
        try {
            joined = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir)
                .errorHandler(error -> log.accept("dataplane link: " + error)));
            final ExclusivePublication requests = joined.addExclusivePublication(ControlChannels.channel(),
                ControlChannels.controlStreamId());
            final Subscription events = joined.addSubscription(ControlChannels.channel(),
                ControlChannels.eventsStreamId());
            final AtomicCounter skipped = joined.addCounter(lb.dataplane.api.CounterTypes.EVENTS_MESSAGES_SKIPPED,
                "lbd events messages skipped");
            return new Joined(joined, requests, events, skipped);
        } catch (final RuntimeException ex) {
            log.accept("cannot join the dataplane's media driver in " + aeronDir + ": " + ex.getMessage());
            CloseHelper.quietClose(joined);
            return null;
        }
    }

    private static Joined joinedOrNull(final Future<Joined> done) {
        try {
            return done.get();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        } catch (final ExecutionException | java.util.concurrent.CancellationException ex) {
            return null;
        }
    }

    /** A join still under way when the link lets go: its client is closed when it completes. */
    private void abandonJoin() {
        final Future<Joined> abandoned = connecting;
        connecting = null;
        if (abandoned != null) {
            connector.execute(() -> {
                final Joined joined = joinedOrNull(abandoned);
                if (joined != null) {
                    CloseHelper.quietClose(joined.aeron());
                }
            });
        }
    }

    // The operator's requests (lbctl affinity, explain, capture): answered by more than an Ack.

    /** An answer the dataplane gives an operator request comes no later than this after the one before. */
    static final long ASK_TIMEOUT_MS = 3_000;

    /** What lbd does with the answers to an operator request. */
    public interface Asked {
        /** The request went out under this correlation id. */
        default void onSent(final long correlationId) {
        }

        /**
         * An Ack: a rejection (then nothing more comes), or OK.
         *
         * @return for an OK, whether more answers follow (a capture's frames); ignored for a rejection.
         */
        boolean onAck(AckStatus status, String detail);

        /** A page of the affinity table: the whole answer to ListStickyClients. */
        default void onPage(final lb.dataplane.api.sbe.StickyClientPageDecoder page) {
        }

        /** The whole answer to Explain. */
        default void onExplanation(final lb.dataplane.api.sbe.ExplanationDecoder explanation) {
        }

        /**
         * Frames of a capture.
         *
         * @return whether more follow (not the last).
         */
        default boolean onFrames(final lb.dataplane.api.sbe.CapturedFramesDecoder frames) {
            return false;
        }

        /** No (further) answer will come: the dataplane is not ready, was lost, or fell silent. */
        void onLost(String why);
    }

    private record Asking(Asked asked, long sinceMs) {
    }

    /**
     * Queues an operator request; its answers go to {@code asked}, which hears {@link Asked#onLost} when the
     * dataplane cannot answer.
     */
    public void ask(final String what, final Request request, final Asked asked) {
        if (!ready) {
            asked.onLost("the dataplane is not ready (" + (dataplanePid > 0 ? "pid " + dataplanePid +
                " has not taken lbd's config" : "not running or not answering") + ")");
            return;
        }
        queue.add(new Pending(what, request, null, asked));
    }

    @Override
    public void onStickyClientPage(final lb.dataplane.api.sbe.StickyClientPageDecoder page) {
        final Asking asking = page.incarnation() == dataplaneIncarnation ? asked.remove(page.correlationId()) : null;
        if (asking != null) {
            asking.asked().onPage(page);
        }
    }

    @Override
    public void onExplanation(final lb.dataplane.api.sbe.ExplanationDecoder explanation) {
        final Asking asking = explanation.incarnation() == dataplaneIncarnation ?
            asked.remove(explanation.correlationId()) : null;
        if (asking != null) {
            asking.asked().onExplanation(explanation);
        }
    }

    @Override
    public void onCapturedFrames(final lb.dataplane.api.sbe.CapturedFramesDecoder frames) {
        final long correlationId = frames.correlationId();
        final Asking asking = frames.incarnation() == dataplaneIncarnation ? asked.get(correlationId) : null;
        if (asking == null) {
            return;
        }
        if (asking.asked().onFrames(frames)) {
            asked.put(correlationId, new Asking(asking.asked(), nowMs));
        } else {
            asked.remove(correlationId);
        }
    }

    private int expireAsked() {
        if (asked.isEmpty()) {
            return 0;
        }
        int work = 0;
        final var entries = asked.values().iterator();
        final List<Asking> silent = new ArrayList<>();
        while (entries.hasNext()) {
            final Asking next = entries.next();
            if (nowMs - next.sinceMs() > ASK_TIMEOUT_MS) {
                entries.remove();
                silent.add(next);
                work++;
            }
        }
        silent.forEach(a -> a.asked().onLost("the dataplane did not answer within " + ASK_TIMEOUT_MS + " ms"));
        return work;
    }
}
