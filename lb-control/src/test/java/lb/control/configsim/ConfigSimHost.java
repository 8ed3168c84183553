package lb.control.configsim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lb.control.config.ConfigReplica;
import lb.control.config.LoggedOp;
import lb.control.config.VersionVector;
import lb.dataplane.config.ClusterConfig;

/**
 * One simulated host: its replica (null while crashed), its disk (the last log written whole: the atomic
 * rename means a write lands whole or not at all) and the write in flight.
 */
final class ConfigSimHost {
    /** A write lbd's store is doing: lands at {@code atMs}, or not. */
    record Write(long token, List<LoggedOp> ops, long atMs, long incarnation) {
    }

    final int slot;
    final int hostId;
    final ClusterConfig genesis;
    final boolean main;
    ConfigReplica replica;
    /** The ops of the log on disk (encoded and decoded through the codec when the host restarts). */
    List<LoggedOp> diskOps = List.of();
    Write write;
    long incarnation;
    boolean crashed;
    long nextHeartbeatMs;
    /** Highest version vector this host ever showed: it may only grow, across restarts too. */
    VersionVector highest = VersionVector.EMPTY;
    /** Requests taken and not answered yet, by request id: lost if the host crashes. */
    final Map<Long, String> open = new HashMap<>();

    ConfigSimHost(final int slot, final int hostId, final ClusterConfig genesis, final boolean main) {
        this.slot = slot;
        this.hostId = hostId;
        this.genesis = genesis;
        this.main = main;
        this.replica = ConfigReplica.create(genesis, hostId);
    }

    @Override
    public String toString() {
        return "host " + hostId + (main ? "" : " (other lineage)");
    }
}
