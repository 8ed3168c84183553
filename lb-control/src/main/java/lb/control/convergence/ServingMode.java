package lb.control.convergence;

/**
 * What a host lets its dataplane do, derived from its state and its view.
 */
public enum ServingMode {
    /** Owns its buckets of an agreed view, answers the VIPs. */
    SERVING,
    /** Drainstop: every rule draining (tracked connections only), owns no bucket, still answers the VIPs. */
    DRAINING,
    /** Started but not part of an agreed view (listening, fenced, out of step with its leader): owns no bucket and
     * answers no VIP, but lets the connections it tracks finish. */
    WITHDRAWN,
    /** Stopped, suspended, dataplane down or refused: every rule disabled, no VIP. */
    STOPPED
}
