package lb.dataplane.worker;

import lb.dataplane.aeron.CounterAllocator;
import lb.dataplane.api.CounterTypes;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One worker's counters; the worker is their single writer.
 */
public final class WorkerCounters implements AutoCloseable {
    final AtomicCounter rxPackets;
    final AtomicCounter txPackets;
    final AtomicCounter txDropped;
    final AtomicCounter rxBursts;

    WorkerCounters(final AtomicCounter rxPackets, final AtomicCounter txPackets,
        final AtomicCounter txDropped, final AtomicCounter rxBursts) {
        this.rxPackets = rxPackets;
        this.txPackets = txPackets;
        this.txDropped = txDropped;
        this.rxBursts = rxBursts;
    }

    /**
     * @param aeron    where to allocate them.
     * @param workerId key of every counter.
     * @return the worker's counters, registered in the CnC file.
     */
    public static WorkerCounters allocate(final CounterAllocator aeron, final int workerId) {
        final AtomicCounter rxPackets = aeron.addCounter(CounterTypes.WORKER_RX_PACKETS, workerId,
            "lb worker " + workerId + " rx packets");
        final AtomicCounter txPackets = aeron.addCounter(CounterTypes.WORKER_TX_PACKETS, workerId,
            "lb worker " + workerId + " tx packets");
        final AtomicCounter txDropped = aeron.addCounter(CounterTypes.WORKER_TX_DROPPED, workerId,
            "lb worker " + workerId + " tx dropped (queue full)");
        final AtomicCounter rxBursts = aeron.addCounter(CounterTypes.WORKER_RX_BURSTS, workerId,
            "lb worker " + workerId + " rx bursts");
        return new WorkerCounters(rxPackets, txPackets, txDropped, rxBursts);
    }

    /**
     * @return packets received so far.
     */
    public long rxPackets() {
        return rxPackets.get();
    }

    /**
     * @return packets transmitted so far.
     */
    public long txPackets() {
        return txPackets.get();
    }

    /**
     * @return packets dropped on a full TX queue so far.
     */
    public long txDropped() {
        return txDropped.get();
    }

    @Override
    public void close() {
        CloseHelper.closeAll(rxPackets, txPackets, txDropped, rxBursts);
    }
}
