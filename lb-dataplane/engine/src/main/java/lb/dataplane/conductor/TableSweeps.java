package lb.dataplane.conductor;

import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.FragmentTable;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Expires idle entries of the connection, sticky-client and fragment tables, each at one whole pass per
 * {@link TableSweeper#PASS_MS}, and publishes the tables' occupancy counters.
 */
public final class TableSweeps implements ConductorDuty {
    /** Where the tables' occupancy goes, for tools reading the counters file. */
    public record Counters(AtomicCounter connectionsLive, AtomicCounter halfOpen, AtomicCounter connectionsExpired,
        AtomicCounter stickyLive, AtomicCounter stickyExpired) {
    }

    private final ConnectionTable connections;
    private final AffinityTable affinity;
    private final TableSweeper connectionSweeper;
    private final TableSweeper stickySweeper;
    private final TableSweeper fragmentSweeper;
    private final Counters counters;

    /**
     * @param connections the connection table.
     * @param affinity    the sticky-client table.
     * @param fragments   the fragment table.
     * @param counters    where occupancy goes.
     * @param nowMs       now.
     */
    public TableSweeps(final ConnectionTable connections, final AffinityTable affinity, final FragmentTable fragments,
        final Counters counters, final long nowMs) {
        this.connections = connections;
        this.affinity = affinity;
        this.connectionSweeper = new TableSweeper(connections::sweep, connections.capacity(), nowMs);
        this.stickySweeper = new TableSweeper(affinity::sweep, affinity.capacity(), nowMs);
        this.fragmentSweeper = new TableSweeper(fragments::sweep, fragments.capacity(), nowMs);
        this.counters = counters;
    }

    @Override
    public int doWork(final long nowMs) {
        final int work = connectionSweeper.doWork(nowMs) + stickySweeper.doWork(nowMs) + fragmentSweeper.doWork(nowMs);
        counters.connectionsLive().setRelease(connections.liveEntries());
        counters.halfOpen().setRelease(connections.halfOpen());
        counters.connectionsExpired().setRelease(connections.expirations());
        counters.stickyLive().setRelease(affinity.liveEntries());
        counters.stickyExpired().setRelease(affinity.expirations());
        return work;
    }

    @Override
    public String roleName() {
        return "table-sweeps";
    }
}
