package lb.dataplane.conductor;

import java.util.List;

import io.aeron.Counter;
import lb.dataplane.aeron.AeronHost;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.dpdk.EthPort;
import lb.dataplane.dpdk.PacketPool;
import org.agrona.CloseHelper;

/**
 * Copies device and pool statistics into counters, from the conductor thread only (their single writer).
 */
public final class StatsSampler implements AutoCloseable {
    private final List<EthPort> ports;
    private final PacketPool pool;
    private final Counter[][] portCounters;
    private final Counter poolInUse;

    /**
     * @param aeron where to allocate the counters.
     * @param ports ports to sample.
     * @param pool  pool to sample.
     */
    public StatsSampler(final AeronHost aeron, final List<EthPort> ports, final PacketPool pool) {
        this.ports = List.copyOf(ports);
        this.pool = pool;
        this.portCounters = new Counter[ports.size()][];
        for (int i = 0; i < ports.size(); i++) {
            final EthPort port = ports.get(i);
            final String prefix = "lb port " + port.id() + " (" + port.name() + ") ";
            portCounters[i] = new Counter[] {
                aeron.addCounter(CounterTypes.PORT_RX_PACKETS, port.id(), prefix + "rx packets"),
                aeron.addCounter(CounterTypes.PORT_TX_PACKETS, port.id(), prefix + "tx packets"),
                aeron.addCounter(CounterTypes.PORT_RX_MISSED, port.id(), prefix + "rx missed"),
                aeron.addCounter(CounterTypes.PORT_RX_ERRORS, port.id(), prefix + "rx errors"),
                aeron.addCounter(CounterTypes.PORT_TX_ERRORS, port.id(), prefix + "tx errors"),
                aeron.addCounter(CounterTypes.PORT_RX_NOMBUF, port.id(), prefix + "rx no mbuf"),
            };
        }
        this.poolInUse = aeron.addCounter(CounterTypes.POOL_MBUFS_IN_USE, 0, "lb pool " + pool.name() +
            " mbufs in use");
    }

    /**
     * Reads every port's stats and the pool's use into the counters.
     */
    public void sample() {
        for (int i = 0; i < ports.size(); i++) {
            final EthPort port = ports.get(i);
            port.refreshStats();
            final Counter[] c = portCounters[i];
            c[0].setRelease(port.rxPackets());
            c[1].setRelease(port.txPackets());
            c[2].setRelease(port.rxMissed());
            c[3].setRelease(port.rxErrors());
            c[4].setRelease(port.txErrors());
            c[5].setRelease(port.rxNoMbuf());
        }
        poolInUse.setRelease(pool.inUse());
    }

    @Override
    public void close() {
        for (final Counter[] counters : portCounters) {
            CloseHelper.closeAll(counters);
        }
        CloseHelper.close(poolInUse);
    }
}
