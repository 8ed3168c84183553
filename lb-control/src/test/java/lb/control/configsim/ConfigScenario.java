package lb.control.configsim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import lb.control.config.ConfigFold;
import lb.control.config.ConfigLogCodec;
import lb.control.config.ConfigOp;
import lb.control.config.ConfigOutput;
import lb.control.config.ConfigReplica;
import lb.control.config.ConfigSummary;
import lb.control.config.LoggedOp;
import lb.control.config.OpBatch;
import lb.control.config.OpId;
import lb.control.config.Superseded;
import lb.control.config.VersionVector;
import lb.control.sim.TestClusters;
import lb.dataplane.config.ClusterConfig;

/**
 * One seed's run: 1-32 replicas (mostly up to 10), sometimes with a host of another lineage, under seeded faults
 * (drops, duplicates, delays that reorder, splits, one-way cuts, isolation, crash-restarts, failing writes) while
 * operators change the config on random hosts, concurrently and in conflict; then the faults stop and every live
 * replica must hold the same ops and the same config within {@link #MAX_ROUNDS} heartbeat rounds, with every
 * acknowledged change applied or reported superseded. Invariants are checked after every input to every replica.
 */
final class ConfigScenario {
    /** Heartbeat period: every replica sends its summary to every other this often. */
    static final long PERIOD_MS = TestClusters.PERIOD_MS;
    /** Longest a store write takes. */
    static final long MAX_WRITE_MS = 20;
    /**
     * Rounds after the faults stop within which every seed must converge: a summary round to learn what a peer
     * lacks, the resend hold-off ({@link ConfigReplica#DEFAULT_RESEND_AFTER_MS}, two rounds) for ops sent just
     * before and lost, and a round for delays and writes (see docs/config-replication.md).
     */
    static final int MAX_ROUNDS = 4;

    /** What a seed measured. */
    record Result(int hosts, int rounds, int proposals, int acknowledged, int superseded, int crashes) {
    }

    private record Scheduled(long atMs, long order, String what, Runnable action) {
    }

    private final long seed;
    private final SplittableRandom random;
    private final int size;
    private final List<String> trace;
    private final List<ConfigSimHost> hosts = new ArrayList<>();
    private final Map<Integer, ConfigSimHost> byId = new HashMap<>();
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>((a, b) ->
        a.atMs != b.atMs ? Long.compare(a.atMs, b.atMs) : Long.compare(a.order, b.order));
    private final Map<OpId, LoggedOp> acknowledged = new HashMap<>();
    private final Map<OpId, LoggedOp> foreignAcknowledged = new HashMap<>();
    private final Set<Long> lost = new HashSet<>();
    private final Set<Long> answered = new HashSet<>();
    private ConfigSimNetwork network;
    private OpGenerator generator;
    private ClusterConfig genesis;
    private ConfigSimHost foreign;
    private long order;
    private long nowMs;
    private long nextRequestId;
    private double failRate;
    private boolean faultsOn = true;
    private long quietFromMs;
    private int proposals;
    private int crashes;

    ConfigScenario(final long seed, final int size, final List<String> trace) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.size = size;
        this.trace = trace;
    }

    /** A cluster size by seed: mostly small, sometimes up to 32. */
    static int sizeFor(final long seed) {
        final SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        final int roll = random.nextInt(1000);
        if (roll < 600) {
            return 1 + random.nextInt(4);
        }
        if (roll < 950) {
            return 5 + random.nextInt(6);
        }
        if (roll < 995) {
            return 11 + random.nextInt(6);
        }
        return 17 + random.nextInt(16);
    }

    Result run() {
        genesis = TestClusters.config(size);
        for (int slot = 0; slot < size; slot++) {
            hosts.add(new ConfigSimHost(slot, slot + 1, genesis, true));
        }
        if (random.nextInt(8) == 0) {
            foreign = new ConfigSimHost(size, size + 1, TestClusters.config("other", size + 1), false);
            hosts.add(foreign);
        }
        hosts.forEach(host -> byId.put(host.hostId, host));
        network = new ConfigSimNetwork(random, hosts.size());
        generator = new OpGenerator(random, size);
        for (final ConfigSimHost host : hosts) {
            host.nextHeartbeatMs = random.nextLong(PERIOD_MS);
        }
        final long faultEnd = 600 + random.nextLong(1800);
        network.faults(new double[] {0, 0, 0.05, 0.2, 0.4}[random.nextInt(5)], random.nextInt(3) == 0 ? 0.1 : 0,
            new long[] {2, 10, 40, 120}[random.nextInt(4)]);
        failRate = new double[] {0, 0, 0.05, 0.2}[random.nextInt(4)];
        final int changes = 1 + random.nextInt(16);
        for (int i = 0; i < changes; i++) {
            scheduleChange(random.nextLong(faultEnd));
        }
        final int faults = random.nextInt(7);
        for (int i = 0; i < faults; i++) {
            fault(100 + random.nextLong(faultEnd - 100), faultEnd);
        }
        at(faultEnd, "faults stop", this::stopFaults);
        runUntil(faultEnd);
        runUntil(quietFromMs);
        final long limit = quietFromMs + (MAX_ROUNDS + 20) * PERIOD_MS;
        while (!converged()) {
            if (nowMs > limit) {
                throw new AssertionError("no convergence " + (nowMs - quietFromMs) + " ms after the faults stopped:" +
                    states());
            }
            runUntil(nowMs + 5);
        }
        final int rounds = (int)Math.ceilDiv(nowMs - quietFromMs, PERIOD_MS);
        final ConfigSummary converged = hosts.get(0).replica.summary();
        runUntil(nowMs + 3 * PERIOD_MS);
        if (!converged() || !hosts.get(0).replica.summary().equals(converged)) {
            throw new AssertionError("converged, then not any more without a fault:" + states());
        }
        checkFinal();
        return new Result(size, rounds, proposals, acknowledged.size(),
            hosts.get(0).replica.superseded().size(), crashes);
    }

    // ------------------------------------------------------------------------------------------------ the world

    private void at(final long atMs, final String what, final Runnable action) {
        scheduled.add(new Scheduled(Math.max(atMs, nowMs), order++, what, action));
    }

    private void log(final String text) {
        if (trace != null) {
            trace.add("t=" + nowMs + " " + text);
        }
    }

    private void runUntil(final long untilMs) {
        while (true) {
            final long message = network.nextAtMs();
            final long action = scheduled.isEmpty() ? Long.MAX_VALUE : scheduled.peek().atMs;
            long heartbeat = Long.MAX_VALUE;
            for (final ConfigSimHost host : hosts) {
                heartbeat = Math.min(heartbeat, host.nextHeartbeatMs);
            }
            final long next = Math.min(message, Math.min(action, heartbeat));
            if (next > untilMs) {
                nowMs = untilMs;
                return;
            }
            nowMs = next;
            if (action == next) {
                final Scheduled event = scheduled.poll();
                log(event.what);
                event.action.run();
            } else if (message == next) {
                deliver(network.poll());
            } else {
                for (final ConfigSimHost host : hosts) {
                    if (host.nextHeartbeatMs == next) {
                        host.nextHeartbeatMs += PERIOD_MS;
                        heartbeat(host);
                    }
                }
            }
        }
    }

    private void heartbeat(final ConfigSimHost host) {
        if (host.crashed) {
            return;
        }
        final ConfigSummary summary = host.replica.summary();
        for (final ConfigSimHost other : hosts) {
            if (other != host) {
                network.send(nowMs, host.slot, other.slot, summary);
            }
        }
        // A host of another lineage pushes its ops at the cluster, and the cluster's ops sometimes reach it: neither
        // side may take them.
        if (foreign != null && random.nextInt(4) == 0) {
            final ConfigSimHost to = host == foreign ? hosts.get(random.nextInt(size)) : foreign;
            network.send(nowMs, host.slot, to.slot,
                onTheWire(new OpBatch(host.replica.lineage(), host.replica.persistedOps())));
        }
    }

    private void deliver(final ConfigSimNetwork.Message message) {
        final ConfigSimHost host = hosts.get(message.to());
        final int from = hosts.get(message.from()).hostId;
        if (host.crashed) {
            return;
        }
        switch (message.payload()) {
            case ConfigSummary summary -> call(host, r -> r.onPeerSummary(nowMs, from, summary));
            case byte[] bytes -> received(host, from, ConfigLogCodec.decodeBatch(bytes));
            case OpBatch batch -> received(host, from, batch);
            default -> throw new IllegalStateException("unknown payload " + message.payload());
        }
    }

    /** A batch as sent: one in eight through the codec's bytes (round trips are unit-tested; this keeps seeds fast). */
    private Object onTheWire(final OpBatch batch) {
        return random.nextInt(8) == 0 ? ConfigLogCodec.encodeBatch(batch) : batch;
    }

    private void received(final ConfigSimHost host, final int from, final OpBatch batch) {
        final boolean sameLineage = batch.lineage().equals(host.replica.lineage());
        call(host, r -> {
            if (r.onOps(nowMs, from, batch) != sameLineage) {
                throw new AssertionError(host + " took a batch of another lineage, or refused its own");
            }
            return true;
        });
    }

    /** Calls the host's replica, routes what it outputs and checks the invariants. */
    private void call(final ConfigSimHost host, final Predicate<ConfigReplica> input) {
        if (host.crashed) {
            return;
        }
        input.test(host.replica);
        final List<ConfigOutput> outputs = new ArrayList<>();
        host.replica.drainOutputs(outputs::add);
        for (final ConfigOutput output : outputs) {
            route(host, output);
        }
        checkHost(host);
    }

    private void route(final ConfigSimHost host, final ConfigOutput output) {
        final ConfigReplica replica = host.replica;
        switch (output) {
            case ConfigOutput.Persist persist -> {
                if (host.write != null) {
                    throw new AssertionError(host + " asked for a write while one is in flight");
                }
                final ConfigSimHost.Write write = new ConfigSimHost.Write(persist.token(), persist.ops(),
                    nowMs + 1 + random.nextLong(MAX_WRITE_MS), host.incarnation);
                host.write = write;
                at(write.atMs(), "write " + write.token() + " of " + host + " ends", () -> writeEnds(host, write));
            }
            case ConfigOutput.Acknowledge ack -> {
                answer(host, ack.requestId(), "acknowledged as " + ack.op() + ack.superseded().map(s ->
                    " (superseded: " + s.reason() + ")").orElse(""));
                if (!replica.hasPersisted(ack.op().id()) || !host.diskOps.contains(ack.op())) {
                    throw new AssertionError(host + " acknowledged " + ack.op() + " before it was persisted");
                }
                final LoggedOp earlier = (host.main ? acknowledged : foreignAcknowledged).putIfAbsent(ack.op().id(),
                    ack.op());
                if (earlier != null) {
                    throw new AssertionError("two acknowledged ops with one id: " + earlier + " and " + ack.op());
                }
            }
            case ConfigOutput.Refuse refuse -> answer(host, refuse.requestId(), "refused: " + refuse.reason());
            case ConfigOutput.SendOps send -> {
                for (final LoggedOp op : send.batch().ops()) {
                    if (!replica.hasPersisted(op.id())) {
                        throw new AssertionError(host + " sends " + op + ", which it has not persisted");
                    }
                }
                final ConfigSimHost to = byId.get(send.toHostId());
                log(host + " sends " + send.batch().ops().size() + " ops to " + to);
                network.send(nowMs, host.slot, to.slot, onTheWire(send.batch()));
            }
            case ConfigOutput.ConfigChanged changed -> {
                // Durable before visible: the config applied is the fold of the disk (refolded one time in eight).
                if (!changed.fingerprint().equals(replica.fingerprint()) || (random.nextInt(8) == 0 &&
                    !changed.fingerprint().equals(ConfigFold.fold(host.genesis, host.diskOps).fingerprint()))) {
                    throw new AssertionError(host + " applies a config that is not the fold of its disk");
                }
                log(host + " applies " + changed.fingerprint() + " version " + changed.version());
            }
            case ConfigOutput.OpSuperseded superseded -> log(host + " reports " + superseded.superseded());
            case ConfigOutput.Diverged diverged -> throw new AssertionError(host + " diverged from host " +
                diverged.fromHostId() + ": same ops, configs " + diverged.ours() + " and " + diverged.theirs());
        }
    }

    private void answer(final ConfigSimHost host, final long requestId, final String answer) {
        if (host.open.remove(requestId) == null || !answered.add(requestId)) {
            throw new AssertionError(host + " answered request " + requestId + " it does not hold open: " + answer);
        }
        log(host + " request " + requestId + " " + answer);
    }

    private void writeEnds(final ConfigSimHost host, final ConfigSimHost.Write write) {
        if (host.crashed || host.incarnation != write.incarnation()) {
            return;
        }
        host.write = null;
        if (faultsOn && random.nextDouble() < failRate) {
            log(host + " write " + write.token() + " fails");
            call(host, r -> r.persistFailed(nowMs, write.token(), "No space left on device (simulated)"));
            return;
        }
        host.diskOps = write.ops();
        call(host, r -> r.persisted(nowMs, write.token()));
    }

    private void checkHost(final ConfigSimHost host) {
        final ConfigReplica replica = host.replica;
        final VersionVector vector = replica.versionVector();
        if (!vector.dominates(host.highest)) {
            throw new AssertionError(host + ": version vector went from " + host.highest + " to " + vector);
        }
        host.highest = vector;
        // Durable before visible: what the replica counts as persisted is exactly what its disk holds.
        if (replica.version() != host.diskOps.size() || !replica.persistedOps().equals(host.diskOps)) {
            throw new AssertionError(host + " counts as persisted " + replica.version() + " ops; its disk holds " +
                host.diskOps.size());
        }
    }

    // ------------------------------------------------------------------------------------------------ operators

    private void scheduleChange(final long atMs) {
        final boolean pair = size >= 2 && random.nextInt(4) == 0;
        at(atMs, pair ? "two conflicting changes" : "a change", () -> {
            final List<ConfigSimHost> live = hosts.stream().filter(h -> !h.crashed).toList();
            if (live.isEmpty()) {
                return;
            }
            final ConfigSimHost first = live.get(random.nextInt(live.size()));
            if (!pair) {
                propose(first, generator.next(first.replica.config()));
                return;
            }
            final ConfigSimHost second = live.get(random.nextInt(live.size()));
            final ConfigOp[] ops = generator.conflicting(first.replica.config());
            propose(first, ops[0]);
            propose(second, ops[1]);
        });
    }

    private void propose(final ConfigSimHost host, final ConfigOp op) {
        if (host.crashed) {
            return;
        }
        final long requestId = ++nextRequestId;
        proposals++;
        host.open.put(requestId, op.describe());
        log(host + " request " + requestId + ": " + op.describe());
        call(host, r -> r.propose(nowMs, requestId, op));
    }

    // ------------------------------------------------------------------------------------------------ faults

    private void fault(final long atMs, final long faultEnd) {
        final ConfigSimHost host = hosts.get(random.nextInt(hosts.size()));
        final long later = Math.min(atMs + 50 + random.nextLong(1000), faultEnd);
        switch (random.nextInt(4)) {
            case 0 -> {
                final boolean[] side = new boolean[hosts.size()];
                for (int i = 0; i < side.length; i++) {
                    side[i] = random.nextBoolean();
                }
                at(atMs, "split brain", () -> cut(side, true));
                at(later, "split heals", () -> cut(side, false));
            }
            case 1 -> {
                final int from = random.nextInt(hosts.size());
                final int to = random.nextInt(hosts.size());
                at(atMs, "cut " + from + " -> " + to, () -> network.cut(from, to, true));
                at(later, "restore " + from + " -> " + to, () -> network.cut(from, to, false));
            }
            case 2 -> {
                at(atMs, "crash " + host, () -> crash(host));
                at(later, "restart " + host, () -> restart(host));
            }
            default -> {
                final boolean[] side = new boolean[hosts.size()];
                side[host.slot] = true;
                at(atMs, "cut off " + host, () -> cut(side, true));
                at(later, "reconnect " + host, () -> cut(side, false));
            }
        }
    }

    private void cut(final boolean[] side, final boolean isCut) {
        for (int a = 0; a < side.length; a++) {
            for (int b = 0; b < side.length; b++) {
                if (side[a] != side[b]) {
                    network.cut(a, b, isCut);
                }
            }
        }
    }

    private void crash(final ConfigSimHost host) {
        if (host.crashed) {
            return;
        }
        crashes++;
        // The write in flight landed whole (renamed, not yet answered) or not at all.
        if (host.write != null && random.nextBoolean()) {
            host.diskOps = host.write.ops();
            log(host + " crashes after its write " + host.write.token() + " landed");
        }
        host.write = null;
        lost.addAll(host.open.keySet());
        host.open.clear();
        host.replica = null;
        host.crashed = true;
        host.incarnation++;
    }

    private void restart(final ConfigSimHost host) {
        if (!host.crashed) {
            return;
        }
        final ConfigLogCodec.Log log = ConfigLogCodec.decodeLog(ConfigLogCodec.encodeLog(host.genesis, host.diskOps));
        if (!log.genesis().equals(host.genesis)) {
            throw new AssertionError(host + ": its store holds another genesis");
        }
        host.replica = ConfigReplica.restore(log.genesis(), host.hostId, log.ops());
        host.crashed = false;
        host.nextHeartbeatMs = nowMs + random.nextLong(PERIOD_MS);
        if (!host.replica.persistedOps().equals(host.diskOps)) {
            throw new AssertionError(host + " restored other ops than its disk holds");
        }
        checkHost(host);
    }

    private void stopFaults() {
        faultsOn = false;
        quietFromMs = nowMs + network.maxDelayMs() + MAX_WRITE_MS;
        network.faults(0, 0, 3);
        network.heal();
        hosts.forEach(this::restart);
    }

    // ------------------------------------------------------------------------------------------------ checks

    private List<ConfigSimHost> mainHosts() {
        return hosts.stream().filter(h -> h.main).toList();
    }

    private boolean converged() {
        final ConfigSummary first = hosts.get(0).replica.summary();
        for (final ConfigSimHost host : mainHosts()) {
            if (host.crashed || host.write != null || host.replica.pendingCount() != 0 ||
                !host.replica.summary().equals(first)) {
                return false;
            }
        }
        return true;
    }

    private void checkFinal() {
        final ConfigSimHost reference = hosts.get(0);
        final ConfigFold.Result folded = reference.replica.folded();
        final List<LoggedOp> shuffled = new ArrayList<>(reference.replica.persistedOps());
        Collections.shuffle(shuffled, new Random(seed));
        final ConfigFold.Result refolded = ConfigFold.fold(genesis, shuffled);
        if (!refolded.equals(folded)) {
            throw new AssertionError("the fold depends on the order of the ops given");
        }
        for (final ConfigSimHost host : mainHosts()) {
            final ConfigReplica replica = host.replica;
            if (!replica.persistedOps().equals(reference.replica.persistedOps()) ||
                !replica.config().equals(folded.config()) || !replica.superseded().equals(folded.superseded())) {
                throw new AssertionError(host + " and " + reference + " hold other ops or configs");
            }
            for (final LoggedOp op : replica.persistedOps()) {
                if (foreign != null && op.id().originHostId() == foreign.hostId) {
                    throw new AssertionError(host + " holds " + op + " of another lineage");
                }
            }
        }
        final Set<OpId> applied = new HashSet<>();
        folded.applied().forEach(op -> applied.add(op.id()));
        final Map<OpId, Superseded> superseded = new HashMap<>();
        folded.superseded().forEach(s -> superseded.put(s.op().id(), s));
        if (applied.size() + superseded.size() != reference.replica.version()) {
            throw new AssertionError("an op is both applied and superseded, or neither");
        }
        for (final LoggedOp op : acknowledged.values()) {
            final boolean present = reference.replica.persistedOps().contains(op);
            final Superseded why = superseded.get(op.id());
            if (!present || (!applied.contains(op.id()) && (why == null || why.reason().isBlank()))) {
                throw new AssertionError("acknowledged " + op + " is silently lost");
            }
        }
        for (long request = 1; request <= nextRequestId; request++) {
            if (!answered.contains(request) && !lost.contains(request)) {
                throw new AssertionError("request " + request + " was never answered, and its host did not crash");
            }
        }
        if (foreign != null) {
            for (final LoggedOp op : foreign.replica.persistedOps()) {
                if (op.id().originHostId() != foreign.hostId) {
                    throw new AssertionError(foreign + " holds " + op + " of the cluster's lineage");
                }
            }
            for (final LoggedOp op : foreignAcknowledged.values()) {
                if (!foreign.replica.persistedOps().contains(op)) {
                    throw new AssertionError(foreign + " lost its acknowledged " + op);
                }
            }
        }
    }

    private String states() {
        final StringBuilder text = new StringBuilder();
        for (final ConfigSimHost host : hosts) {
            text.append("\n  ").append(host).append(host.crashed ? " crashed" : ": " + host.replica.summary() +
                " pending " + host.replica.pendingCount() + (host.write != null ? " writing" : ""));
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "seed " + seed + " (" + size + " hosts)";
    }
}
