package lb.control.lbd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import lb.control.config.ConfigLogCodec;
import lb.control.config.ConfigOp;
import lb.control.config.ConfigOutput;
import lb.control.config.ConfigReplica;
import lb.control.config.ConfigStore;
import lb.control.config.ConfigSummary;
import lb.control.config.OpBatch;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigFingerprint;

/**
 * The host's replicated config as lbd runs it: the pure {@link ConfigReplica}, its {@link ConfigStore} (written on a
 * thread of its own, since an fsync may take milliseconds and the duty cycle heartbeats for the host) and the
 * {@link ConfigTransport} to the other hosts. An operator's change is answered only once the store has it on disk;
 * a change another host made is applied only once this host's store has it. One thread calls it (lbd's duty cycle).
 */
final class ConfigService implements ConfigTransport.Listener, AutoCloseable {
    /** What lbd does with a change that is durable here. */
    interface Events {
        void onConfigChanged(long nowMs, ClusterConfig config, ConfigFingerprint fingerprint, long version);
    }

    /**
     * The answer to an operator's change.
     *
     * @param done       whether it was made (durable on this host and on its way to the others).
     * @param invalid    not made because it does not fit the config (rather than not persisted).
     * @param detail     what was made (its op id and the config version), or why not.
     * @param superseded a concurrent change ordered before it made it void (it is durable but not applied), if any.
     */
    record Answer(boolean done, boolean invalid, String detail, Optional<String> superseded) {
    }

    private final ConfigReplica replica;
    private final ConfigStore store;
    private final ConfigTransport transport;
    private final long periodMs;
    private final Consumer<String> log;
    private final Events events;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "lbd-config-store");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Long, Consumer<Answer>> waiting = new HashMap<>();
    private Future<String> write;
    private long writeToken;
    private long nextRequestId = 1;
    private long nextSummaryMs;
    private long nowMs;

    /**
     * @param replica   the replica, opened by {@link #open}.
     * @param store     its store.
     * @param transport to the other hosts.
     * @param periodMs  how often the summary goes to every peer (the heartbeat period).
     * @param log       lbd's log.
     * @param events    what lbd does with a change that is durable here.
     */
    ConfigService(final ConfigReplica replica, final ConfigStore store, final ConfigTransport transport,
        final long periodMs, final Consumer<String> log, final Events events) {
        this.replica = replica;
        this.store = store;
        this.transport = transport;
        this.periodMs = periodMs;
        this.log = log;
        this.events = events;
    }

    /**
     * The replica of a host: from its store if it has a log; else started from the cluster file, whose config is then
     * written to the store at once (the lineage every host of the cluster shares).
     *
     * @throws ConfigStore.StoreException when the store cannot be read or written.
     * @throws IllegalArgumentException   when the store holds another cluster than the file (named, with what to do).
     */
    static ConfigReplica open(final ConfigStore store, final ClusterConfig fileConfig, final int hostId,
        final Consumer<String> log) throws ConfigStore.StoreException {
        final Optional<ConfigLogCodec.Log> stored = store.read();
        if (stored.isEmpty()) {
            store.write(fileConfig, List.of(), fileConfig);
            log.accept("config store " + store.directory() + " started from the cluster file (lineage " +
                fileConfig.fingerprint().sha256Hex().substring(0, 16) + ")");
            return ConfigReplica.create(fileConfig, hostId);
        }
        final ConfigReplica replica = ConfigReplica.restore(stored.get().genesis(), hostId, stored.get().ops());
        final ConfigFingerprint file = fileConfig.fingerprint();
        if (!file.equals(replica.lineage()) && !file.equals(replica.fingerprint())) {
            throw new IllegalArgumentException("the config store " + store.directory() + " holds cluster " +
                replica.config().parameters().name() + " (lineage " + replica.lineage().sha256Hex().substring(0, 16) +
                ", version " + replica.version() + ", config " + replica.fingerprint().sha256Hex().substring(0, 16) +
                "), not the cluster file's config " + file.sha256Hex().substring(0, 16) + ": change a running " +
                "cluster with lbctl (config restore FILE), or remove " + store.directory() + " to start this " +
                "host over from the file");
        }
        log.accept("config store " + store.directory() + ": version " + replica.version() + ", config " +
            replica.fingerprint().sha256Hex().substring(0, 16));
        return replica;
    }

    /** The config this host holds durably (what it runs once the cluster switched to it). */
    ClusterConfig config() {
        return replica.config();
    }

    /** The number of ops in the durable log. */
    long version() {
        return replica.version();
    }

    /**
     * An operator's change: validated against the config now, answered once durable here (or refused).
     */
    void propose(final long now, final ConfigOp op, final Consumer<Answer> onAnswer) {
        nowMs = now;
        final long requestId = nextRequestId++;
        waiting.put(requestId, onAnswer);
        replica.propose(now, requestId, op);
        execute();
    }

    /**
     * One duty cycle.
     *
     * @return work done.
     */
    int doWork(final long now) {
        nowMs = now;
        int work = transport.poll(this, 16);
        if (write != null && write.isDone()) {
            final String failure = outcome(write);
            write = null;
            if (failure == null) {
                replica.persisted(now, writeToken);
            } else {
                log.accept("config store: " + failure);
                replica.persistFailed(now, writeToken, failure);
            }
            work++;
        }
        if (now - nextSummaryMs >= 0) {
            transport.broadcast(replica.summary());
            nextSummaryMs = now + periodMs;
            work++;
        }
        return work + execute();
    }

    @Override
    public void onSummary(final int fromHostId, final ConfigSummary summary) {
        replica.onPeerSummary(nowMs, fromHostId, summary);
    }

    @Override
    public void onOps(final int fromHostId, final OpBatch batch) {
        replica.onOps(nowMs, fromHostId, batch);
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            // A write under way finishes (or not) whole: the store renames atomically.
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        transport.close();
    }

    private int execute() {
        return replica.drainOutputs(this::carryOut);
    }

    private void carryOut(final ConfigOutput output) {
        switch (output) {
            case ConfigOutput.Persist persist -> {
                writeToken = persist.token();
                write = writer.submit(() -> {
                    try {
                        final ConfigStore.Written written = store.write(persist);
                        written.humanCopyError().ifPresent(error -> log.accept("config store: " + error));
                        return null;
                    } catch (final ConfigStore.StoreException ex) {
                        return ex.getMessage();
                    }
                });
            }
            case ConfigOutput.Acknowledge ack -> answer(ack.requestId(), new Answer(true, false, "change " +
                ack.op().id() + " stored; config version " + ack.version(),
                ack.superseded().map(Object::toString)));
            case ConfigOutput.Refuse refuse -> answer(refuse.requestId(), new Answer(false, refuse.invalid(),
                refuse.reason(),
                Optional.empty()));
            case ConfigOutput.SendOps send -> transport.send(send.toHostId(), send.batch());
            case ConfigOutput.ConfigChanged changed -> {
                log.accept("config version " + changed.version() + " stored: " +
                    changed.fingerprint().sha256Hex().substring(0, 16));
                events.onConfigChanged(nowMs, changed.config(), changed.fingerprint(), changed.version());
            }
            case ConfigOutput.OpSuperseded superseded -> log.accept("config change superseded: " +
                superseded.superseded());
            case ConfigOutput.Diverged diverged -> log.accept("config diverged from host " + diverged.fromHostId() +
                ": same ops, config " + diverged.theirs() + " there and " + diverged.ours() + " here (mixed lb " +
                "versions?)");
        }
    }

    private void answer(final long requestId, final Answer answer) {
        final Consumer<Answer> to = waiting.remove(requestId);
        if (to != null) {
            to.accept(answer);
        }
    }

    private static String outcome(final Future<String> done) {
        try {
            return done.get();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (final ExecutionException ex) {
            return String.valueOf(ex.getCause());
        }
    }
}
