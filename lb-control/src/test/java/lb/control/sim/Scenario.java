package lb.control.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import lb.control.membership.HostState;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterParameters;

/**
 * One seed's run: a cluster of 1-32 hosts (mostly small, so that 10,000 seeds take about two minutes) (sometimes with a host of another config or an intruder claiming a taken
 * host id) under seeded faults for a while, then none; it must converge within a bounded number of heartbeat rounds,
 * and then every sticky client must have exactly one host.
 */
final class Scenario {
    /**
     * Rounds after the last fault within which every seed must converge: a restarted host may stay refused while its
     * old incarnation still counts as live (up to the loss tolerance), then joining takes up to two rounds, plus one
     * round of delays (see docs/membership.md).
     */
    static final int MAX_ROUNDS = TestClusters.LOSS_TOLERANCE + 3;

    /** What a seed measured. */
    record Result(int hosts, int rounds, int faults, int configChanges) {
    }

    private final long seed;
    private final SplittableRandom random;
    private final int size;
    private final List<String> trace;
    private SimCluster cluster;
    private long quietFromMs;
    private int faults;
    private int configChanges;

    Scenario(final long seed, final int size, final List<String> trace) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.size = size;
        this.trace = trace;
    }

    /** A cluster size by seed: mostly small, sometimes up to 32. */
    static int sizeFor(final long seed) {
        final SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        final int roll = random.nextInt(1000);
        if (roll < 640) {
            return 1 + random.nextInt(4);
        }
        if (roll < 955) {
            return 5 + random.nextInt(6);
        }
        if (roll < 995) {
            return 11 + random.nextInt(10);
        }
        return 21 + random.nextInt(12);
    }

    Result run() {
        final boolean odd = size < ClusterParameters.MAX_HOSTS_CEILING && random.nextInt(10) == 0;
        final boolean intruder = size >= 2 && random.nextInt(20) == 0;
        final ClusterConfig config = TestClusters.config(size + (odd ? 1 : 0));
        final List<SimHost> hosts = new ArrayList<>();
        for (int slot = 0; slot < size; slot++) {
            hosts.add(new SimHost(slot, slot + 1, config, true, 1000));
        }
        if (odd) {
            hosts.add(new SimHost(size, size + 1, TestClusters.config("other", size + 1), false, 1000));
        }
        if (intruder) {
            hosts.add(new SimHost(hosts.size(), 1 + random.nextInt(size), config, true, 5000));
        }
        cluster = new SimCluster(random, hosts, trace);
        for (final SimHost host : hosts) {
            final boolean late = host.incarnation == 5000;
            cluster.at(late ? 300 + random.nextLong(1200) : random.nextLong(300), "boot " + host, () -> boot(host));
        }
        final long faultEnd = 800 + random.nextLong(1600);
        quietFromMs = faultEnd;
        configChanges(hosts, config, faultEnd);
        networkFaults();
        final int events = random.nextInt(7);
        for (int i = 0; i < events; i++) {
            fault(200 + random.nextLong(faultEnd - 200), faultEnd);
        }
        cluster.runUntil(faultEnd);
        cluster.at(faultEnd, "faults stop", this::stopFaults);
        cluster.runUntil(faultEnd);
        // Pauses that began before the faults stopped end when they end: only then is it quiet.
        cluster.runUntil(quietFromMs);
        final long limit = quietFromMs + (MAX_ROUNDS + 20) * TestClusters.PERIOD_MS;
        while (!cluster.converged()) {
            if (cluster.now() > limit) {
                throw new AssertionError("no convergence " + (cluster.now() - quietFromMs) + " ms after the faults " +
                    "stopped; expected " + cluster.expectedHosts() + " views " + views());
            }
            cluster.runUntil(cluster.now() + 5);
        }
        final int rounds = (int)Math.ceilDiv(cluster.now() - quietFromMs, TestClusters.PERIOD_MS);
        cluster.runUntil(cluster.now() + 3 * TestClusters.PERIOD_MS);
        if (!cluster.converged()) {
            throw new AssertionError("converged, then not any more without a fault: " + views());
        }
        cluster.checkEveryClientHasOneHost();
        checkRefusalsShown(hosts);
        return new Result(size, rounds, faults, configChanges);
    }

    private String views() {
        final StringBuilder text = new StringBuilder();
        for (final SimHost host : cluster.hosts) {
            text.append("\n  ").append(host).append(host.crashed ? " crashed" : "").append(": ")
                .append(host.machine.view()).append(" ").append(host.status);
        }
        return text.toString();
    }

    private void boot(final SimHost host) {
        if (host.paused(cluster.now())) {
            final long incarnation = host.incarnation;
            cluster.at(host.pausedUntilMs, "boot " + host + " after its pause", () -> {
                if (host.incarnation == incarnation && !host.crashed) {
                    boot(host);
                }
            });
            return;
        }
        cluster.call(host, m -> m.dataplaneUp(cluster.now(), 0));
        cluster.call(host, m -> m.start(cluster.now()));
    }

    /**
     * In some seeds one config change, sometimes two in a row, stored on every host of the main config at its own
     * random time in the fault window (a crashed host gets it from the next run, a paused one when it runs again).
     */
    private void configChanges(final List<SimHost> hosts, final ClusterConfig base, final long faultEnd) {
        if (random.nextInt(10) >= 3) {
            return;
        }
        final int changes = random.nextInt(4) == 0 ? 2 : 1;
        configChanges = changes;
        final java.util.Map<SimHost, Long> lastAt = new java.util.HashMap<>();
        ClusterConfig current = base;
        long from = 100;
        for (int change = 0; change < changes; change++) {
            final ClusterConfig next = TestClusters.changed(current, random);
            cluster.expectFinally(next);
            final String name = "config " + next.fingerprint().sha256Hex().substring(0, 8);
            for (final SimHost host : hosts) {
                if (host.mainConfig) {
                    final long earliest = Math.max(from, lastAt.getOrDefault(host, 0L) + 1);
                    final long at = earliest + random.nextLong(Math.max(1, faultEnd - earliest));
                    lastAt.put(host, at);
                    cluster.at(at, name + " stored on " + host, () -> store(host, next));
                }
            }
            from += random.nextLong(Math.max(1, (faultEnd - from) / 2));
            current = next;
        }
    }

    /** The store hands a host its configs in order: after the ones it is still to get (crashed, paused, restarting). */
    private void store(final SimHost host, final ClusterConfig next) {
        host.pending.add(next);
        handOver(host);
    }

    private void handOver(final SimHost host) {
        if (host.crashed || host.catchingUp || host.pending.isEmpty()) {
            return;
        }
        if (host.paused(cluster.now())) {
            cluster.at(host.pausedUntilMs, "configs stored on " + host + " after its pause", () -> handOver(host));
            return;
        }
        final List<ClusterConfig> configs = List.copyOf(host.pending);
        host.pending.clear();
        for (final ClusterConfig next : configs) {
            host.stored.add(next);
            cluster.call(host, m -> m.configStored(cluster.now(), next));
        }
    }

    private void networkFaults() {
        final double drop = new double[] {0, 0, 0.05, 0.2, 0.4}[random.nextInt(5)];
        final double duplicate = random.nextInt(3) == 0 ? 0.1 : 0;
        final long delay = new long[] {2, 10, 40, 120}[random.nextInt(4)];
        cluster.network.faults(drop, duplicate, delay);
    }

    private void stopFaults() {
        // Heartbeats sent during the faults may still be on their way: it is quiet once they have landed.
        quietFromMs = Math.max(quietFromMs, cluster.now() + cluster.network.maxDelayMs());
        cluster.network.faults(0, 0, 3);
        cluster.network.heal();
        for (final SimHost host : cluster.hosts) {
            // A host back from a pause is quiet once its lbd ran again: it may find itself fenced.
            quietFromMs = Math.max(quietFromMs, host.pausedUntilMs + SimCluster.TICK_MS);
            if (host.crashed) {
                restart(host);
            }
            if (host.dataplaneDown) {
                cluster.at(Math.max(cluster.now(), host.pausedUntilMs), "dataplane of " + host + " restarts", () -> {
                    host.dataplaneDown = false;
                    host.dataplane = new SimDataplane(host.config, host.hostId, host.stickyTimeoutMs);
                    cluster.call(host, m -> m.dataplaneUp(cluster.now(), 0));
                });
            }
        }
    }

    private void restart(final SimHost host) {
        host.crashed = false;
        host.dataplaneDown = false;
        host.pausedUntilMs = Long.MIN_VALUE;
        cluster.network.forgetHeld(host.slot);
        host.incarnation++;
        host.boot();
        cluster.registered(host);
        boot(host);
        // The store hands the new run what it missed while lbd was down, shortly after it started.
        if (!host.pending.isEmpty()) {
            final long at = cluster.now() + random.nextLong(150);
            quietFromMs = Math.max(quietFromMs, at);
            host.catchingUp = true;
            final long incarnation = host.incarnation;
            cluster.at(at, "missed configs stored on " + host, () -> {
                if (host.incarnation == incarnation && !host.crashed) {
                    host.catchingUp = false;
                    handOver(host);
                }
            });
        }
    }

    private SimHost anyHost() {
        return cluster.hosts.get(random.nextInt(cluster.hosts.size()));
    }

    private void fault(final long atMs, final long faultEnd) {
        faults++;
        final SimHost host = anyHost();
        final long later = Math.min(atMs + 50 + random.nextLong(1000), faultEnd);
        final long detection = TestClusters.PERIOD_MS * TestClusters.LOSS_TOLERANCE;
        switch (random.nextInt(10)) {
            case 0 -> {
                final long length = random.nextBoolean() ? 20 + random.nextLong(detection - 150) :
                    detection + random.nextLong(2 * detection);
                cluster.at(atMs, "pause " + host + " for " + length + " ms", () -> {
                    if (!host.crashed && !host.paused(cluster.now())) {
                        host.pausedUntilMs = cluster.now() + length;
                        host.pausedLengthMs = length;
                    }
                });
            }
            case 1 -> {
                final boolean[] side = new boolean[cluster.hosts.size()];
                for (int i = 0; i < side.length; i++) {
                    side[i] = random.nextBoolean();
                }
                cluster.at(atMs, "split brain", () -> cut(side, true));
                cluster.at(later, "split heals", () -> cut(side, false));
            }
            case 2 -> {
                final int from = random.nextInt(cluster.hosts.size());
                final int to = random.nextInt(cluster.hosts.size());
                cluster.at(atMs, "cut " + from + " -> " + to, () -> cluster.network.cut(from, to, true));
                cluster.at(later, "restore " + from + " -> " + to, () -> cluster.network.cut(from, to, false));
            }
            case 3 -> {
                cluster.at(atMs, "crash " + host, () -> host.crashed = true);
                cluster.at(later, "restart " + host, () -> {
                    if (host.crashed) {
                        restart(host);
                    }
                });
            }
            case 4 -> {
                command(atMs, host, "stop", () -> host.machine.stop(cluster.now()));
                command(later, host, "start", () -> host.machine.start(cluster.now()));
            }
            case 5 -> {
                final long timeout = 100 + random.nextLong(800);
                command(atMs, host, "drainstop", () -> host.machine.drainstop(cluster.now(), timeout));
                if (random.nextBoolean()) {
                    command(atMs + random.nextLong(timeout), host, "drained",
                        () -> host.machine.connectionsDrained(cluster.now()));
                }
                command(Math.min(later + timeout, faultEnd), host, "start", () -> host.machine.start(cluster.now()));
            }
            case 6 -> {
                command(atMs, host, "suspend", () -> host.machine.suspend(cluster.now()));
                command(later, host, "start while suspended", () -> host.machine.start(cluster.now()));
                command(later, host, "resume", () -> host.machine.resume(cluster.now()));
                command(later, host, "start", () -> host.machine.start(cluster.now()));
            }
            case 7 -> {
                cluster.at(atMs, "dataplane of " + host + " dies", () -> {
                    if (host.running(cluster.now()) && !host.dataplaneDown) {
                        host.dataplaneDown = true;
                        cluster.call(host, m -> m.dataplaneDown(cluster.now()));
                    }
                });
                cluster.at(later, "dataplane of " + host + " restarts", () -> {
                    if (!host.crashed && host.dataplaneDown && host.running(cluster.now())) {
                        host.dataplaneDown = false;
                        host.dataplane = new SimDataplane(host.config, host.hostId, host.stickyTimeoutMs);
                        cluster.call(host, m -> m.dataplaneUp(cluster.now(), 0));
                    }
                });
            }
            default -> {
                final boolean[] side = new boolean[cluster.hosts.size()];
                side[host.slot] = true;
                cluster.at(atMs, "cut off " + host, () -> cut(side, true));
                cluster.at(later, "reconnect " + host, () -> cut(side, false));
            }
        }
    }

    private void command(final long atMs, final SimHost host, final String what, final Runnable command) {
        cluster.at(atMs, what + " " + host, () -> {
            if (host.running(cluster.now())) {
                cluster.call(host, m -> command.run());
            }
        });
    }

    private void cut(final boolean[] side, final boolean isCut) {
        for (int a = 0; a < side.length; a++) {
            for (int b = 0; b < side.length; b++) {
                if (side[a] != side[b]) {
                    cluster.network.cut(a, b, isCut);
                }
            }
        }
    }

    private void checkRefusalsShown(final List<SimHost> hosts) {
        for (final SimHost host : hosts) {
            if (host.mainConfig || host.crashed || host.status == null || host.status.state() != HostState.STARTED) {
                continue;
            }
            final boolean heardMain = hosts.stream().anyMatch(h -> h.mainConfig && !h.crashed);
            if (heardMain && host.status.refusals().isEmpty()) {
                throw new AssertionError(host + " runs another config but shows no refusal");
            }
        }
    }

    @Override
    public String toString() {
        return "seed " + seed + " (" + size + " hosts)";
    }
}
