package lb.control.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;

import lb.control.convergence.ClusterView;
import lb.control.convergence.LocalView;
import lb.control.convergence.ServingMode;
import lb.control.host.HostMachine;
import lb.control.host.Output;
import lb.control.membership.HostState;
import lb.control.membership.MemberId;
import lb.control.protocol.ClaimsRefusedMessage;
import lb.control.protocol.HeartbeatMessage;
import lb.control.protocol.StickyClientsMessage;
import lb.dataplane.buckets.BucketAssignment;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigFingerprint;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;

/**
 * Host state machines over a {@link SimNetwork} with a fake clock, one event at a time in a seeded order, checking
 * the invariants after every event that changed a view.
 */
final class SimCluster {
    /** How often each lbd's duty cycle runs. */
    static final long TICK_MS = 20;

    private record Scheduled(long atMs, long order, String what, Runnable action) {
    }

    final List<SimHost> hosts;
    final SimNetwork network;
    final SplittableRandom random;
    final List<IpAddress> clients = new ArrayList<>();
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>((a, b) ->
        a.atMs != b.atMs ? Long.compare(a.atMs, b.atMs) : Long.compare(a.order, b.order));
    private final Map<MemberId, SimHost> byMember = new HashMap<>();
    private final Map<ConfigFingerprint, ClusterConfig> configs = new HashMap<>();
    private final Map<ClusterConfig, ConfigFingerprint> fingerprints = new IdentityHashMap<>();
    /** The config every expected host must run once converged (the last change's). */
    private ClusterConfig finalConfig;
    private final List<String> trace;
    private long order;
    private long nowMs;
    private boolean changed;
    private boolean strictClients;
    private long nextClientMs;

    /**
     * @param trace where to write every event, or null for no trace (the fast path of the bulk run).
     */
    SimCluster(final SplittableRandom random, final List<SimHost> hosts, final List<String> trace) {
        this.random = random;
        this.hosts = hosts;
        this.network = new SimNetwork(random, hosts.size());
        this.trace = trace;
        for (final SimHost host : hosts) {
            host.nextTickMs = random.nextLong(TICK_MS);
            byMember.put(host.machine.self(), host);
            register(host.config);
            if (host.mainConfig) {
                finalConfig = host.config;
            }
        }
        for (int i = 1; i <= 24; i++) {
            clients.add(IpAddress.parse("192.0.2." + i));
        }
    }

    long now() {
        return nowMs;
    }

    /** A config some host may run; the last registered of the main config is the one all must run at the end. */
    void register(final ClusterConfig config) {
        final ConfigFingerprint fingerprint = config.fingerprint();
        configs.put(fingerprint, config);
        fingerprints.put(config, fingerprint);
    }

    /** From now on every expected host must end up running this config. */
    void expectFinally(final ClusterConfig config) {
        register(config);
        finalConfig = config;
    }

    ClusterConfig finalConfig() {
        return finalConfig;
    }

    /** The fingerprint of a registered config, without hashing it again. */
    ConfigFingerprint fingerprint(final ClusterConfig config) {
        final ConfigFingerprint fingerprint = fingerprints.get(config);
        return fingerprint != null ? fingerprint : config.fingerprint();
    }

    void log(final String text) {
        if (trace != null) {
            trace.add("t=" + nowMs + " " + text);
        }
    }

    /** Runs the action at the time (not before now). */
    void at(final long atMs, final String what, final Runnable action) {
        scheduled.add(new Scheduled(Math.max(atMs, nowMs), order++, what, action));
    }

    /** Calls the host's lbd and routes what it outputs, unless it is crashed; a paused one is called later. */
    void call(final SimHost host, final Consumer<HostMachine> input) {
        if (host.crashed) {
            return;
        }
        if (host.paused(nowMs)) {
            throw new IllegalStateException(host + " is paused: the simulation may not call its lbd");
        }
        final boolean wasFenceable = host.pausedUntilMs != Long.MIN_VALUE;
        final LocalView before = host.dataplane.view();
        input.accept(host.machine);
        final List<Output> outputs = new ArrayList<>();
        host.machine.drainOutputs(outputs::add);
        if (wasFenceable && before != null && before.ownedCount(host.hostId) > 0) {
            checkFencedWithdrawsFirst(host, outputs);
        }
        if (wasFenceable) {
            host.pausedUntilMs = Long.MIN_VALUE;
        }
        route(host, outputs);
        final long epoch = host.machine.view().epoch();
        if (epoch < host.highestEpoch) {
            throw new AssertionError(host + ": view epoch went from " + host.highestEpoch + " to " + epoch);
        }
        host.highestEpoch = epoch;
    }

    private void checkFencedWithdrawsFirst(final SimHost host, final List<Output> outputs) {
        final long pause = host.pausedLengthMs;
        if (pause <= host.machine.detectionMs() - TestClusters.PERIOD_MS || host.dataplaneDown) {
            return;
        }
        LocalView first = null;
        for (final Output output : outputs) {
            if (output instanceof Output.ApplyView apply) {
                first = apply.view();
                break;
            }
        }
        final LocalView view = first != null ? first : host.dataplane.view();
        if (view != null && (view.ownedCount(host.hostId) != 0 || !view.vips().isEmpty()) &&
            host.machine.status().state() == HostState.STARTED) {
            throw new AssertionError(host + " was paused " + pause + " ms but did not withdraw first: " + view.mode());
        }
    }

    private void route(final SimHost host, final List<Output> outputs) {
        for (int i = 0; i < outputs.size(); i++) {
            final Output output = outputs.get(i);
            switch (output) {
                case Output.SendHeartbeat send -> {
                    for (final SimHost other : hosts) {
                        if (other != host) {
                            network.send(nowMs, host.slot, other.slot, send.heartbeat(), true);
                        }
                    }
                }
                case Output.SendStickyClients send -> {
                    for (final SimHost other : hosts) {
                        if (other != host && other.hostId == send.toHostId()) {
                            network.send(nowMs, host.slot, other.slot, send.message(), false);
                        }
                    }
                }
                case Output.SendClaimsRefused send -> {
                    log(host + " refuses " + send.message().clients() + " to host " + send.toHostId());
                    for (final SimHost other : hosts) {
                        if (other != host && other.hostId == send.toHostId()) {
                            network.send(nowMs, host.slot, other.slot, send.message(), false);
                        }
                    }
                }
                case Output.DropClients drop -> {
                    log(host + " drops " + drop.clients());
                    host.dataplane.dropClients(drop.clients());
                }
                case Output.ApplyConfig apply -> {
                    log(host + " runs config " + fingerprint(apply.config()).sha256Hex().substring(0, 8));
                    host.dataplane.configure(fingerprint(apply.config()));
                }
                case Output.ApplyView apply -> {
                    final LocalView before = host.dataplane.view();
                    host.dataplane.apply(apply.view());
                    host.appliedView = List.of(host.machine.view().epoch(), host.machine.view().digest());
                    host.appliedViews.add(host.appliedView);
                    host.servingView = host.machine.view();
                    changed = true;
                    log(host + " applies " + apply.view().mode() + " cluster epoch " + apply.view().clusterEpoch() +
                        " owning " + apply.view().ownedCount(host.hostId));
                    checkReleaseBeforeTake(host, before, apply.view());
                }
                case Output.ExportStickyClients export -> {
                    final var exported = host.dataplane.export(nowMs, export.rule(), export.buckets());
                    log(host + " exports " + exported.size() + " clients to host " + export.toHostId());
                    host.machine.onStickyClientsExported(nowMs, export.rule(), export.toHostId(), exported);
                    host.machine.drainOutputs(outputs::add);
                }
                case Output.InstallForeign install -> {
                    log(host + " installs " + install.clients().size() + " clients of host " + install.ownerHostId());
                    host.dataplane.installForeign(nowMs, install.ownerHostId(), install.clients());
                }
                case Output.DropClaims drop -> {
                    log(host + " drops claims in " + drop.buckets());
                    host.dataplane.dropClaims(drop.buckets());
                }
                case Output.ReleaseForeign release -> {
                    log(host + " releases clients of host " + release.ownerHostId());
                    host.dataplane.releaseForeign(release.ownerHostId());
                }
                case Output.StatusChanged status -> {
                    if (host.status == null || !host.status.refusals().equals(status.status().refusals())) {
                        log(host + " refuses " + status.status().refusals());
                    }
                    host.status = status.status();
                    changed = true;
                }
                case Output.WithdrawVip withdraw -> log(host + " withdraws " + withdraw.vip());
                case Output.AnnounceVip announce -> log(host + " announces " + announce.vip());
            }
        }
    }

    /** Runs every event up to and including the time. */
    void runUntil(final long untilMs) {
        while (true) {
            final long tick = nextTick();
            final long message = network.nextAtMs();
            final long action = scheduled.isEmpty() ? Long.MAX_VALUE : scheduled.peek().atMs;
            final long next = Math.min(Math.min(tick, message), Math.min(action, nextClientMs));
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
            } else if (nextClientMs == next) {
                clientArrives(clients.get(random.nextInt(clients.size())));
                nextClientMs = nowMs + 10 + random.nextLong(40);
            } else {
                for (final SimHost host : hosts) {
                    if (host.nextTickMs == next) {
                        host.nextTickMs += TICK_MS;
                        if (host.running(nowMs)) {
                            call(host, m -> m.tick(nowMs));
                        }
                    }
                }
            }
            if (changed) {
                changed = false;
                checkInvariants();
            }
        }
    }

    private long nextTick() {
        long next = Long.MAX_VALUE;
        for (final SimHost host : hosts) {
            next = Math.min(next, host.nextTickMs);
        }
        return next;
    }

    private void deliver(final SimNetwork.Message message) {
        final SimHost to = hosts.get(message.to());
        if (to.crashed) {
            return;
        }
        if (to.paused(nowMs)) {
            network.hold(message, to.pausedUntilMs);
            return;
        }
        if (message.reliable() && network.isCut(message.from(), message.to())) {
            network.hold(message, nowMs + SimNetwork.RETRY_MS);
            return;
        }
        switch (message.payload()) {
            case HeartbeatMessage heartbeat -> call(to, m -> m.onHeartbeat(nowMs, heartbeat));
            case StickyClientsMessage sticky -> {
                log(to + " (view " + to.machine.view().epoch() + ") receives " + sticky.clients() + " of " +
                    sticky.from() + " exported in view " + sticky.viewEpoch() + ", generation " +
                    sticky.claimsGeneration());
                call(to, m -> m.onStickyClients(nowMs, sticky));
            }
            case ClaimsRefusedMessage refused -> call(to, m -> m.onClaimsRefused(nowMs, refused));
            default -> throw new IllegalStateException("unknown payload " + message.payload());
        }
    }

    /** A new connection of a client: every host's dataplane decides; from {@link #strictClients} on, exactly one. */
    private void clientArrives(final IpAddress client) {
        int accepted = 0;
        final StringBuilder who = new StringBuilder();
        for (final SimHost host : hosts) {
            if (host.mainConfig && !host.crashed && !host.dataplaneDown && host.dataplane.accept(nowMs, client)) {
                accepted++;
                who.append(' ').append(host);
            }
        }
        log("client " + client + " taken by" + who);
        if (strictClients && accepted != 1 && anyServing()) {
            throw new AssertionError("after convergence client " + client + " was accepted by " + accepted +
                " hosts:" + who);
        }
    }

    private boolean anyServing() {
        return hosts.stream().anyMatch(h -> h.mainConfig && !h.crashed && h.status != null &&
            h.status.mode() == ServingMode.SERVING);
    }

    /**
     * Every client connects once more, each must be taken by exactly one host, and afterwards each is held by exactly
     * one host: what must hold after convergence, split-brain heals included.
     */
    void checkEveryClientHasOneHost() {
        strictClients = true;
        for (final IpAddress client : clients) {
            clientArrives(client);
            int holders = 0;
            for (final SimHost host : hosts) {
                holders += host.mainConfig && !host.crashed && !host.dataplaneDown &&
                    host.dataplane.holds(nowMs, client) ? 1 : 0;
            }
            if (holders != 1 && anyServing()) {
                throw new AssertionError("after convergence client " + client + " is held by " + holders + " hosts");
            }
        }
    }

    /** Whether every expected host serves one view whose members are exactly the expected hosts. */
    boolean converged() {
        final SortedSet<MemberId> expected = new TreeSet<>();
        for (final SimHost host : expectedHosts()) {
            expected.add(host.machine.self());
        }
        for (final SimHost host : expectedHosts()) {
            final ClusterView view = host.machine.view();
            if (!view.members().equals(expected) || host.status == null || !host.status.converged() ||
                host.machine.config() != finalConfig && !fingerprint(host.machine.config()).equals(
                    fingerprint(finalConfig))) {
                return false;
            }
        }
        return true;
    }

    /** The hosts of the main config that should be members once faults stop: started, up, not intruding. */
    List<SimHost> expectedHosts() {
        final List<SimHost> expected = new ArrayList<>();
        for (final SimHost host : hosts) {
            if (host.mainConfig && !host.crashed && !host.dataplaneDown && !host.paused(nowMs) &&
                host.status != null && host.status.state() == HostState.STARTED && !intruder(host)) {
                expected.add(host);
            }
        }
        return expected;
    }

    private boolean intruder(final SimHost host) {
        return hosts.stream().anyMatch(other -> other != host && !other.crashed && other.hostId == host.hostId &&
            other.incarnation < host.incarnation);
    }

    /** The invariants of TESTING.md, at this instant. */
    void checkInvariants() {
        final Map<List<Long>, List<SimHost>> holders = new HashMap<>();
        for (final SimHost host : hosts) {
            if (host.crashed) {
                continue;
            }
            final ClusterView view = host.machine.view();
            for (final MemberId member : view.members()) {
                final SimHost of = byMember.get(member);
                if (of != null && of.mainConfig != host.mainConfig) {
                    throw new AssertionError(host + " holds a view with " + of + ", whose config differs: " + view);
                }
            }
            final LocalView applied = host.dataplane.view();
            if (applied != null && applied.mode() != ServingMode.SERVING && applied.ownedCount(host.hostId) != 0) {
                throw new AssertionError(host + " owns buckets while " + applied.mode());
            }
            if (view.epoch() > 0) {
                holders.computeIfAbsent(List.of(view.epoch(), view.digest()), v -> new ArrayList<>()).add(host);
            }
        }
        holders.values().forEach(holding -> checkIfAgreed(holding.getFirst().machine.view(), holding));
    }

    /**
     * Release before take, checked when a host's dataplane starts to take new connections in a bucket: no other host
     * takes them there under another view of one lineage of views (two kernels would answer the same SYN and the
     * loser reset it). Either the taker's view is the later one and the other host is one of its members (the taker
     * should have waited for it to give the bucket up), or the other host's view is the later one and the taker one of
     * its members (the taker took under a view already superseded). Views of the other side of a split brain, and a
     * host the later view left out (timed out: the detection time is the contract there), are not compared.
     */
    private void checkReleaseBeforeTake(final SimHost taker, final LocalView before, final LocalView taking) {
        if (taking.mode() != ServingMode.SERVING) {
            return;
        }
        final ClusterView takerView = taker.machine.view();
        for (int slot = 0; slot < taking.rules().size(); slot++) {
            final RuleKey key = taking.rules().get(slot).rule().key();
            final int was = before == null || before.mode() != ServingMode.SERVING ? -1 : slotOf(before, key);
            for (int bucket = 0; bucket < taking.rules().get(slot).owners().length; bucket++) {
                if (!taking.owns(taker.hostId, slot, bucket) || was >= 0 && before.owns(taker.hostId, was, bucket)) {
                    continue;
                }
                for (final SimHost holder : hosts) {
                    final LocalView holding = holder.dataplane.view();
                    if (holder == taker || holder.crashed || holder.dataplaneDown || holding == null ||
                        holding.mode() != ServingMode.SERVING || holder.servingView == null ||
                        !holding.config().equals(taking.config())) {
                        continue;
                    }
                    final int at = slotOf(holding, key);
                    if (at < 0 || !holding.owns(holder.hostId, at, bucket)) {
                        continue;
                    }
                    final ClusterView holderView = holder.servingView;
                    final boolean takerLater = takerView.epoch() > holderView.epoch() &&
                        takerView.includes(holder.machine.self()) &&
                        taker.appliedViews.contains(List.of(holderView.epoch(), holderView.digest()));
                    final boolean holderLater = holderView.epoch() > takerView.epoch() &&
                        holderView.includes(taker.machine.self()) &&
                        holder.appliedViews.contains(List.of(takerView.epoch(), takerView.digest()));
                    if (takerLater || holderLater || holderView.sameAs(takerView.epoch(), takerView.digest())) {
                        throw new AssertionError(taker + " takes bucket " + bucket + " of " + key + " under epoch " +
                            takerView.epoch() + " while " + holder + " still takes it under epoch " +
                            holderView.epoch());
                    }
                }
            }
        }
    }

    private void checkIfAgreed(final ClusterView view, final List<SimHost> holding) {
        if (holding.size() != view.members().size()) {
            return;
        }
        for (final SimHost host : holding) {
            if (!view.includes(host.machine.self())) {
                return;
            }
        }
        // Every member holds this view: it is agreed, so every member runs the config it was computed for, each bucket
        // has exactly one owner among the members, and no two of their dataplanes take new connections in one bucket.
        final ClusterConfig config = configs.get(view.config());
        if (config == null) {
            throw new AssertionError("agreed " + view + " is of a config no host was given");
        }
        for (final SimHost host : holding) {
            if (!fingerprint(host.machine.config()).equals(view.config())) {
                throw new AssertionError(host + " holds agreed " + view + " but runs config " +
                    fingerprint(host.machine.config()).sha256Hex().substring(0, 8));
            }
            final LocalView applied = host.dataplane.view();
            if (applied != null && !host.dataplaneDown && applied.clusterEpoch() == view.epoch() &&
                (!applied.config().equals(view.config()) || !view.config().equals(host.dataplane.config()))) {
                throw new AssertionError(host + " applied " + view + " for another config than its dataplane runs");
            }
        }
        final int buckets = config.parameters().bucketCount();
        final List<PortRule> rules = config.portRules();
        for (int slot = 0; slot < rules.size(); slot++) {
            final RuleKey key = rules.get(slot).key();
            final BucketAssignment assignment = view.assignment().of(rules.get(slot));
            for (int bucket = 0; bucket < buckets; bucket++) {
                final int owner = assignment.owner(bucket);
                if (owner == BucketAssignment.NO_OWNER || !containsHost(view, owner)) {
                    throw new AssertionError("agreed " + view + " leaves bucket " + bucket + " of " +
                        rules.get(slot).key() + " to " + owner);
                }
                int serving = 0;
                for (final SimHost host : holding) {
                    final LocalView applied = host.dataplane.view();
                    final int at = applied == null ? -1 : slotOf(applied, key);
                    serving += at >= 0 && !host.dataplaneDown && applied.owns(host.hostId, at, bucket) ? 1 : 0;
                }
                if (serving > 1) {
                    throw new AssertionError("agreed " + view + ": bucket " + bucket + " of " + rules.get(slot).key() +
                        " taken by " + serving + " dataplanes");
                }
            }
        }
    }

    private static int slotOf(final LocalView view, final RuleKey key) {
        for (int slot = 0; slot < view.rules().size(); slot++) {
            if (view.rules().get(slot).rule().key().equals(key)) {
                return slot;
            }
        }
        return -1;
    }

    private static boolean containsHost(final ClusterView view, final int hostId) {
        return view.members().stream().anyMatch(m -> m.hostId() == hostId);
    }

    /** Registers a new incarnation of a host after a restart. */
    void registered(final SimHost host) {
        byMember.put(host.machine.self(), host);
    }
}
