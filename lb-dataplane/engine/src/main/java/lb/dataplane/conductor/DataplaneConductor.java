package lb.dataplane.conductor;

import java.io.PrintStream;
import java.util.List;
import java.util.function.DoubleFunction;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

/**
 * The dataplane's conductor: everything that is not per packet, on one thread, as an Agrona agent.
 * It samples device and pool statistics into counters, runs the mode's named duties (control, table sweeps, IGMP
 * reports) with the time read once per cycle, and prints a stats line.
 */
public final class DataplaneConductor implements Agent {
    private static final long SAMPLE_INTERVAL_NS = 100_000_000L;

    private final StatsSampler stats;
    private final ConductorDuty[] duties;
    private final DoubleFunction<String> statsLine;
    private final NanoClock clock;
    private final EpochClock epochClock;
    private final PrintStream out;
    private final long printIntervalNs;
    private long nextSampleNs;
    private long nextPrintNs;
    private long lastPrintNs;

    /**
     * @param stats           samples ports and pool into counters.
     * @param duties          work done every duty cycle, in this order.
     * @param statsLine       the stats line for an interval of so many seconds.
     * @param clock           time source for sampling and printing, read once per duty cycle.
     * @param epochClock      the duties' time, read once per duty cycle.
     * @param out             where stats lines go.
     * @param printIntervalNs how often to print a stats line; 0 never.
     */
    public DataplaneConductor(final StatsSampler stats, final List<ConductorDuty> duties,
        final DoubleFunction<String> statsLine, final NanoClock clock, final EpochClock epochClock,
        final PrintStream out, final long printIntervalNs) {
        this.stats = stats;
        this.duties = duties.toArray(ConductorDuty[]::new);
        this.statsLine = statsLine;
        this.clock = clock;
        this.epochClock = epochClock;
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
        final long nowMs = epochClock.time();
        int workCount = 0;
        for (final ConductorDuty duty : duties) {
            workCount += duty.doWork(nowMs);
        }
        if (now - nextSampleNs >= 0) {
            stats.sample();
            nextSampleNs = now + SAMPLE_INTERVAL_NS;
            workCount++;
        }
        if (printIntervalNs > 0 && now - nextPrintNs >= 0) {
            out.println("lb-dataplane: stats: " + statsLine.apply((now - lastPrintNs) / 1e9));
            out.flush();
            lastPrintNs = now;
            nextPrintNs = now + printIntervalNs;
            workCount++;
        }
        return workCount;
    }

    @Override
    public void onClose() {
        stats.sample();
    }

    @Override
    public String roleName() {
        return "lb-conductor";
    }
}
