package lb.dataplane.conductor;

import java.util.List;

import lb.dataplane.aeron.CounterAllocator;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.port.PortIo;
import lb.dataplane.port.PortStatistics;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Copies device and pool statistics into counters, from the conductor thread only (their single writer).
 */
public final class StatsSampler implements AutoCloseable {
    private final List<PortStatistics> ports;
    private final PortIo io;
    private final AtomicCounter[][] portCounters;
    private final AtomicCounter poolInUse;

    /**
     * @param aeron    where to allocate the counters.
     * @param ports    ports to sample.
     * @param poolName the pool's name, for the label.
     * @param io       where mbufs come from, to sample how many are in use.
     */
    public StatsSampler(final CounterAllocator aeron, final List<? extends PortStatistics> ports,
        final String poolName, final PortIo io) {
        this.ports = List.copyOf(ports);
        this.io = io;
        this.portCounters = new AtomicCounter[ports.size()][];
        for (int i = 0; i < ports.size(); i++) {
            final PortStatistics port = ports.get(i);
            final String prefix = "lb port " + port.id() + " (" + port.name() + ") ";
            portCounters[i] = new AtomicCounter[] {
                aeron.addCounter(CounterTypes.PORT_RX_PACKETS, port.id(), prefix + "rx packets"),
                aeron.addCounter(CounterTypes.PORT_TX_PACKETS, port.id(), prefix + "tx packets"),
                aeron.addCounter(CounterTypes.PORT_RX_MISSED, port.id(), prefix + "rx missed"),
                aeron.addCounter(CounterTypes.PORT_RX_ERRORS, port.id(), prefix + "rx errors"),
                aeron.addCounter(CounterTypes.PORT_TX_ERRORS, port.id(), prefix + "tx errors"),
                aeron.addCounter(CounterTypes.PORT_RX_NOMBUF, port.id(), prefix + "rx no mbuf"),
            };
        }
        this.poolInUse = aeron.addCounter(CounterTypes.POOL_MBUFS_IN_USE, 0, "lb pool " + poolName +
            " mbufs in use");
    }

    /**
     * Reads every port's stats and the pool's use into the counters.
     */
    public void sample() {
        for (int i = 0; i < ports.size(); i++) {
            final PortStatistics port = ports.get(i);
            port.refreshStats();
            final AtomicCounter[] c = portCounters[i];
            c[0].setRelease(port.rxPackets());
            c[1].setRelease(port.txPackets());
            c[2].setRelease(port.rxMissed());
            c[3].setRelease(port.rxErrors());
            c[4].setRelease(port.txErrors());
            c[5].setRelease(port.rxNoMbuf());
        }
        poolInUse.setRelease(io.mbufsInUse());
    }

    @Override
    public void close() {
        for (final AtomicCounter[] counters : portCounters) {
            CloseHelper.closeAll(counters);
        }
        CloseHelper.close(poolInUse);
    }
}
