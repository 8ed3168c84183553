package lb.dataplane.conductor;

/**
 * One named duty of the {@link DataplaneConductor}'s cycle (control, table sweeps, IGMP reports…): given the time read
 * once for the cycle, it does what is due and says how much.
 */
public interface ConductorDuty {
    /**
     * @param nowMs the cycle's time, epoch milliseconds.
     * @return work done, 0 when nothing was due.
     */
    int doWork(long nowMs);

    /**
     * @return the duty's name, for errors and listings.
     */
    String roleName();
}
