package lb.dataplane.worker;

import lb.dataplane.aeron.CounterAllocator;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.packet.ParseResult;
import lb.dataplane.pipeline.Verdict;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One balancing worker's counters: frames in each direction, each verdict (ingress and egress), each
 * reason a frame failed to parse, and stateless fallbacks. The worker counts into plain arrays and
 * publishes them once per duty cycle ({@link #publish}), so the per-packet cost is an array increment.
 */
public final class BalancingCounters implements AutoCloseable {
    final long[] ingress = new long[Verdict.COUNT];
    final long[] egress = new long[Verdict.COUNT];
    final long[] parse = new long[ParseResult.COUNT];
    long statelessFallbacks;
    long halfOpenRefusals;
    long rxFromNic;
    long rxFromKernel;
    long txDropped;

    private final AtomicCounter[] ingressCounters;
    private final AtomicCounter[] egressCounters;
    private final AtomicCounter[] parseCounters;
    private final AtomicCounter fallbackCounter;
    private final AtomicCounter halfOpenCounter;
    private final AtomicCounter rxNicCounter;
    private final AtomicCounter rxKernelCounter;
    private final AtomicCounter txDroppedCounter;

    private BalancingCounters(final CounterAllocator aeron, final int workerId) {
        final String prefix = "lb worker " + workerId + " ";
        ingressCounters = new AtomicCounter[Verdict.COUNT];
        egressCounters = new AtomicCounter[Verdict.COUNT];
        for (int v = 0; v < Verdict.COUNT; v++) {
            ingressCounters[v] = aeron.addCounter(CounterTypes.VERDICT_INGRESS_BASE + v, workerId,
                prefix + "ingress " + Verdict.name(v));
            egressCounters[v] = aeron.addCounter(CounterTypes.VERDICT_EGRESS_BASE + v, workerId,
                prefix + "egress " + Verdict.name(v));
        }
        parseCounters = new AtomicCounter[ParseResult.COUNT];
        for (int r = 1; r < ParseResult.COUNT; r++) {
            parseCounters[r] = aeron.addCounter(CounterTypes.PARSE_DROP_BASE + r, workerId,
                prefix + "malformed " + ParseResult.name(r));
        }
        fallbackCounter = aeron.addCounter(CounterTypes.WORKER_STATELESS_FALLBACKS, workerId,
            prefix + "stateless fallbacks (connection table full)");
        halfOpenCounter = aeron.addCounter(CounterTypes.WORKER_HALF_OPEN_REFUSALS, workerId,
            prefix + "half-open limit reached (decided statelessly)");
        rxNicCounter = aeron.addCounter(CounterTypes.WORKER_RX_PACKETS, workerId, prefix + "rx packets from nic");
        rxKernelCounter = aeron.addCounter(CounterTypes.WORKER_RX_KERNEL_PACKETS, workerId,
            prefix + "rx packets from kernel");
        txDroppedCounter = aeron.addCounter(CounterTypes.WORKER_TX_DROPPED, workerId,
            prefix + "tx dropped (queue full)");
    }

    /**
     * @param aeron    where to allocate them.
     * @param workerId key of every counter.
     * @return the worker's counters, registered in the CnC file.
     */
    public static BalancingCounters allocate(final CounterAllocator aeron, final int workerId) {
        return new BalancingCounters(aeron, workerId);
    }

    /**
     * Copies the plain counts into the shared counters. Worker thread only.
     */
    void publish() {
        for (int v = 0; v < Verdict.COUNT; v++) {
            ingressCounters[v].setRelease(ingress[v]);
            egressCounters[v].setRelease(egress[v]);
        }
        for (int r = 1; r < ParseResult.COUNT; r++) {
            parseCounters[r].setRelease(parse[r]);
        }
        fallbackCounter.setRelease(statelessFallbacks);
        halfOpenCounter.setRelease(halfOpenRefusals);
        rxNicCounter.setRelease(rxFromNic);
        rxKernelCounter.setRelease(rxFromKernel);
        txDroppedCounter.setRelease(txDropped);
    }

    /**
     * @return frames received from the cluster network, as last published.
     */
    public long rxFromNic() {
        return rxNicCounter.get();
    }

    /**
     * @param verdict a verdict code.
     * @return frames from the cluster network with that verdict, as last published.
     */
    public long ingress(final int verdict) {
        return ingressCounters[verdict].get();
    }

    /**
     * @param verdict a verdict code.
     * @return frames from the kernel and the conductor with that verdict, as last published.
     */
    public long egress(final int verdict) {
        return egressCounters[verdict].get();
    }

    @Override
    public void close() {
        CloseHelper.closeAll(ingressCounters);
        CloseHelper.closeAll(egressCounters);
        for (int r = 1; r < ParseResult.COUNT; r++) {
            CloseHelper.close(parseCounters[r]);
        }
        CloseHelper.closeAll(fallbackCounter, halfOpenCounter, rxNicCounter, rxKernelCounter, txDroppedCounter);
    }
}
