package lb.dataplane.worker;


import org.agrona.concurrent.Agent;

/**
 * A worker agent that makes its thread a DPDK lcore when it starts.
 */
public interface LcoreAgent extends Agent {
    /**
     * @return the lcore id DPDK gave the agent's thread, or -1 before it registered.
     */
    int lcoreId();

    /**
     * @return the histogram of burst handling times (ns) this agent records, or null when it records none.
     * Read it only after the agent has stopped.
     */
    BurstLatency burstLatency();
}
