package lb.control.lbd;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Consumer;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.DataplaneControlProxy;
import lb.dataplane.api.DataplaneEventsAdapter;
import lb.dataplane.api.DataplaneEventsListener;
import lb.dataplane.api.MessageScreen;
import lb.dataplane.api.Offers;
import lb.dataplane.api.StatusReport;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.DataplaneStatusDecoder;
import lb.dataplane.api.sbe.StickyClientsDecoder;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.file.ClusterFileWriter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * lbd's side of its dataplane's control interface: an Aeron client of the dataplane's own media driver (so the
 * dataplane's control endpoint outlives any lbd: fail-static), the request proxy and the events adapter. It learns
 * what the dataplane runs from its periodic status and gives a dataplane that lacks lbd's config (a new one, a
 * restarted one, one another lbd configured) that config again. One thread (lbd's duty cycle).
 */
public final class DataplaneLink implements DataplaneEventsListener, AutoCloseable {
    /** A dataplane that sent no status for this long is not answering (it sends one a second). */
    public static final long STATUS_TIMEOUT_MS = 3_000;
    /** The driver stamps its liveness about once a second: a younger stamp means a driver runs there. */
    private static final long DRIVER_PROBE_MS = 1_500;
    private static final long CONNECT_INTERVAL_MS = 200;

    private final String aeronDir;
    private final long incarnation;
    private final ClusterConfig config;
    private final byte[] fingerprint;
    private final UnsafeBuffer configText;
    private final Consumer<String> log;
    private final StatusReport status = new StatusReport();
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

    /**
     * @param aeronDir    the dataplane's Aeron directory.
     * @param incarnation this lbd's incarnation (greater than any earlier lbd's on the host).
     * @param config      the config the dataplane must run.
     * @param log         where lbd's log lines go.
     */
    public DataplaneLink(final String aeronDir, final long incarnation, final ClusterConfig config,
        final Consumer<String> log) {
        this.aeronDir = aeronDir;
        this.incarnation = incarnation;
        this.config = config;
        this.fingerprint = HexFormat.of().parseHex(config.fingerprint().sha256Hex());
        this.configText = new UnsafeBuffer(ClusterFileWriter.write(config).getBytes(StandardCharsets.UTF_8));
        this.log = log;
    }

    /**
     * One duty cycle: connects to the dataplane's driver once it runs, polls its events, (re)sends the config.
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
        return work;
    }

    /**
     * The dataplane process went away: its driver with it, so this client goes too, and a new one connects to the
     * next dataplane's driver.
     */
    public void disconnect() {
        CloseHelper.quietClose(aeron);
        aeron = null;
        dataplaneIncarnation = 0;
        dataplanePid = -1;
        configApplied = false;
        lastStatusMs = Long.MIN_VALUE;
    }

    /**
     * @return whether this client has joined the dataplane's media driver.
     */
    public boolean connected() {
        return aeron != null;
    }

    /**
     * @return the pid the dataplane reported, or -1 before its first status.
     */
    public long dataplanePid() {
        return dataplanePid;
    }

    /**
     * @return whether a status came within {@link #STATUS_TIMEOUT_MS}.
     */
    public boolean isAnswering() {
        return lastStatusMs != Long.MIN_VALUE && nowMs - lastStatusMs < STATUS_TIMEOUT_MS;
    }

    /**
     * @return whether the dataplane runs lbd's config.
     */
    public boolean configApplied() {
        return configApplied;
    }

    @Override
    public void onAck(final long correlationId, final long fromIncarnation, final AckStatus ackStatus,
        final String detail) {
        if (correlationId == configCorrelationId && fromIncarnation == dataplaneIncarnation) {
            if (ackStatus == AckStatus.OK) {
                configApplied = true;
                log.accept("dataplane pid " + dataplanePid + " (incarnation " + fromIncarnation + ") took config " +
                    config.fingerprint().sha256Hex().substring(0, 16));
            } else {
                log.accept("dataplane pid " + dataplanePid + " refused config " +
                    config.fingerprint().sha256Hex().substring(0, 16) + ": " + ackStatus + " " + detail);
            }
        }
    }

    @Override
    public void onStickyClients(final StickyClientsDecoder chunk) {
    }

    @Override
    public void onDataplaneStatus(final DataplaneStatusDecoder decoder) {
        status.decode(decoder);
        lastStatusMs = nowMs;
        if (status.incarnation() != dataplaneIncarnation) {
            dataplaneIncarnation = status.incarnation();
            dataplanePid = status.pid();
            configApplied = false;
            log.accept("dataplane pid " + dataplanePid + " (incarnation " + dataplaneIncarnation + ") answers; " +
                "view epoch " + status.appliedViewEpoch() + ", following lbd incarnation " +
                status.controlIncarnation());
        }
    }

    @Override
    public void close() {
        CloseHelper.quietClose(aeron);
        aeron = null;
    }

    private boolean connect() {
        if (nowMs - nextConnectMs < 0) {
            return false;
        }
        nextConnectMs = nowMs + CONNECT_INTERVAL_MS;
        try {
            if (!CommonContext.isDriverActive(new File(aeronDir), DRIVER_PROBE_MS, message -> { })) {
                return false;
            }
        } catch (final RuntimeException starting) {
            // The driver is creating its CnC file: try again on a later cycle.
            return false;
        }
        try {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir)
                .errorHandler(error -> log.accept("dataplane link: " + error)));
        } catch (final RuntimeException ex) {
            log.accept("cannot join the dataplane's media driver in " + aeronDir + ": " + ex.getMessage());
            return false;
        }
        final ExclusivePublication requests = aeron.addExclusivePublication(ControlChannels.channel(),
            ControlChannels.controlStreamId());
        final Subscription events = aeron.addSubscription(ControlChannels.channel(), ControlChannels.eventsStreamId());
        proxy = new DataplaneControlProxy(requests, incarnation);
        final AtomicCounter skipped = aeron.addCounter(lb.dataplane.api.CounterTypes.EVENTS_MESSAGES_SKIPPED,
            "lbd events messages skipped");
        adapter = new DataplaneEventsAdapter(events, this, new MessageScreen("lbd events adapter", skipped,
            error -> log.accept("events: " + error.getMessage())));
        log.accept("joined the dataplane's media driver in " + aeronDir);
        return true;
    }
}
