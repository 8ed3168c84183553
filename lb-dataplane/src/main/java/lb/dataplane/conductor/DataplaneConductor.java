package lb.dataplane.conductor;

import java.io.PrintStream;

import lb.dataplane.worker.WorkerCounters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * The dataplane's conductor: everything that is not per packet, on one thread, as an Agrona agent.
 * Today it samples device and pool statistics into counters and prints a stats line; control messages,
 * table sweeps and VIP announcements join its duty cycle as they land.
 */
public final class DataplaneConductor implements Agent {
    private static final long SAMPLE_INTERVAL_NS = 100_000_000L;

    private final StatsSampler stats;
    private final WorkerCounters[] workers;
    private final NanoClock clock;
    private final PrintStream out;
    private final long printIntervalNs;
    private long nextSampleNs;
    private long nextPrintNs;
    private long lastPrintNs;
    private long lastRxPackets;

    /**
     * @param stats           samples ports and pool into counters.
     * @param workers         the workers' counters, read for the stats line.
     * @param clock           time source, read once per duty cycle.
     * @param out             where stats lines go.
     * @param printIntervalNs how often to print a stats line; 0 never.
     */
    public DataplaneConductor(final StatsSampler stats, final WorkerCounters[] workers, final NanoClock clock,
        final PrintStream out, final long printIntervalNs) {
        this.stats = stats;
        this.workers = workers.clone();
        this.clock = clock;
        this.out = out;
        this.printIntervalNs = printIntervalNs;
        final long now = clock.nanoTime();
        this.nextSampleNs = now;
        this.nextPrintNs = now + printIntervalNs;
        this.lastPrintNs = now;
    }

    @Override
    public int doWork() {
        final long now = clock.nanoTime();
        int workCount = 0;
        if (now - nextSampleNs >= 0) {
            stats.sample();
            nextSampleNs = now + SAMPLE_INTERVAL_NS;
            workCount++;
        }
        if (printIntervalNs > 0 && now - nextPrintNs >= 0) {
            printStats(now);
            nextPrintNs = now + printIntervalNs;
            workCount++;
        }
        return workCount;
    }

    @Override
    public void onClose() {
        stats.sample();
    }

    private void printStats(final long now) {
        long rx = 0;
        long tx = 0;
        long dropped = 0;
        for (final WorkerCounters worker : workers) {
            rx += worker.rxPackets();
            tx += worker.txPackets();
            dropped += worker.txDropped();
        }
        final double seconds = (now - lastPrintNs) / 1e9;
        out.printf("lb-dataplane: stats: rx %d tx %d dropped %d (%.0f pps)%n", rx, tx, dropped,
            (rx - lastRxPackets) / seconds);
        out.flush();
        lastRxPackets = rx;
        lastPrintNs = now;
    }

    @Override
    public String roleName() {
        return "lb-conductor";
    }
}
