package lb.control.sim;

import java.util.ArrayList;
import java.util.List;

import lb.control.host.HostMachine;
import lb.control.host.HostStatus;
import lb.dataplane.config.ClusterConfig;

/**
 * One simulated host: its lbd (a {@link HostMachine}, replaced by a new incarnation on restart), its dataplane, and
 * what the simulation did to it.
 */
final class SimHost {
    final int slot;
    final int hostId;
    /** The config it was first given (its dataplane hashes clients by its secret, which every change keeps). */
    final ClusterConfig config;
    /** The configs made durable on this host, oldest first: a restarted lbd starts from the last. */
    final List<ClusterConfig> stored = new ArrayList<>();
    /** Configs the store would have handed lbd while it was crashed: handed to the next run. */
    final List<ClusterConfig> pending = new ArrayList<>();
    /** Whether a new run is still to get {@link #pending}: later configs queue behind them. */
    boolean catchingUp;
    final boolean mainConfig;
    final long stickyTimeoutMs;
    HostMachine machine;
    SimDataplane dataplane;
    /** The cluster views (epoch, digest) this host's dataplanes applied, and the one applied last. */
    final java.util.Set<List<Long>> appliedViews = new java.util.HashSet<>();
    List<Long> appliedView;
    /** The cluster view the host held when its dataplane last applied a view. */
    lb.control.convergence.ClusterView servingView;
    HostStatus status;
    long incarnation;
    boolean crashed;
    boolean dataplaneDown;
    long pausedUntilMs = Long.MIN_VALUE;
    long pausedLengthMs;
    long nextTickMs;
    long highestEpoch;

    SimHost(final int slot, final int hostId, final ClusterConfig config, final boolean mainConfig,
        final long firstIncarnation) {
        this.slot = slot;
        this.hostId = hostId;
        this.config = config;
        this.mainConfig = mainConfig;
        this.stickyTimeoutMs = TestClusters.WEB.extendedAffinity().toMillis();
        this.incarnation = firstIncarnation;
        stored.add(config);
        boot();
    }

    /** A fresh lbd of the next incarnation and a fresh dataplane; stopped until started. */
    void boot() {
        machine = new HostMachine(stored.getLast(), hostId, incarnation);
        dataplane = new SimDataplane(config, hostId, stickyTimeoutMs);
        status = null;
        highestEpoch = 0;
    }

    boolean paused(final long nowMs) {
        return nowMs < pausedUntilMs;
    }

    /** Whether its lbd runs now (not crashed, not paused). */
    boolean running(final long nowMs) {
        return !crashed && !paused(nowMs);
    }

    @Override
    public String toString() {
        return "slot " + slot + " (" + machine.self() + (mainConfig ? "" : ", other config") + ")";
    }
}
