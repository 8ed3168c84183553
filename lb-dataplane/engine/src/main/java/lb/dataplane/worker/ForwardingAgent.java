package lb.dataplane.worker;

import java.lang.foreign.Arena;

import lb.dataplane.dpdk.Lcores;
import lb.dataplane.port.MbufBurst;
import lb.dataplane.port.PortIo;

/**
 * A worker lcore in bring-up mode: for each (RX port, TX port) pair, receives a burst from the RX
 * port's queue and transmits it on the TX port's, freeing what the TX queue does not take. One port
 * paired with itself reflects; two ports paired both ways make a bump in the wire. The packet
 * pipeline of the [dataplane] work replaces the middle of {@link #doWork()}; the loop, the lcore
 * registration and the counters stay.
 */
public final class ForwardingAgent implements LcoreAgent {
    private final int workerId;
    private final int[] rxPorts;
    private final int[] txPorts;
    private final int queue;
    private final int cpu;
    private final WorkerCounters counters;
    private final Arena arena = Arena.ofShared();
    private final MbufBurst burst;
    private final BurstLatency burstLatency;
    private long bursts;
    private volatile int lcoreId = -1;

    /**
     * @param workerId  worker index, for names and counters.
     * @param rxPorts   ports to receive from.
     * @param txPorts   port to transmit to, for each receive port.
     * @param queue     queue id on both ports.
     * @param burstSize mbufs per burst (32 is DPDK's usual).
     * @param cpu       CPU to pin the worker thread to, or -1 not to pin.
     * @param counters  this worker's counters.
     * @param burstLatency where to record each non-empty burst's handling time in ns, or null not to.
     * @param io        the ports and pool.
     */
    public ForwardingAgent(final int workerId, final int[] rxPorts, final int[] txPorts, final int queue,
        final int burstSize, final int cpu, final WorkerCounters counters, final BurstLatency burstLatency, final PortIo io) {
        this.workerId = workerId;
        if (rxPorts.length != txPorts.length || rxPorts.length == 0) {
            throw new IllegalArgumentException("need one TX port per RX port, got " + rxPorts.length + " RX and " +
                txPorts.length + " TX");
        }
        this.rxPorts = rxPorts.clone();
        this.txPorts = txPorts.clone();
        this.queue = queue;
        this.cpu = cpu;
        this.counters = counters;
        this.burst = new MbufBurst(burstSize, arena, io);
        this.burstLatency = burstLatency;
    }

    @Override
    public void onStart() {
        lcoreId = Lcores.registerCurrentThread(cpu);
    }

    @Override
    public int doWork() {
        int workCount = 0;
        for (int i = 0; i < rxPorts.length; i++) {
            workCount += forward(rxPorts[i], txPorts[i]);
        }
        return workCount;
    }

    private int forward(final int rxPort, final int txPort) {
        final MbufBurst burst = this.burst;
        final int received = burst.receive(rxPort, queue);
        if (received == 0) {
            return 0;
        }
        final long startNs =
            burstLatency != null && (++bursts & BurstLatency.SAMPLE_MASK) == 0 ? System.nanoTime() : 0;
        // Frames are not read: byte counts come from the ports' own statistics (StatsSampler), as in testpmd io.
        final int sent = burst.transmitOrFree(txPort, queue, received);
        final WorkerCounters counters = this.counters;
        counters.rxBursts.incrementRelease();
        counters.rxPackets.getAndAddRelease(received);
        counters.txPackets.getAndAddRelease(sent);
        if (sent < received) {
            counters.txDropped.getAndAddRelease(received - sent);
        }
        if (startNs != 0) {
            burstLatency.record(startNs);
        }
        return received;
    }

    @Override
    public void onClose() {
        if (lcoreId >= 0) {
            Lcores.unregisterCurrentThread();
        }
        arena.close();
    }

    @Override
    public BurstLatency burstLatency() {
        return burstLatency;
    }

    @Override
    public int lcoreId() {
        return lcoreId;
    }

    @Override
    public String roleName() {
        return "lb-worker-" + workerId;
    }
}
