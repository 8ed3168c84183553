/**
 * The control plane: the daemon {@code lbd} (heartbeats, convergence, extended affinity across hosts,
 * the config store) and the CLI {@code lbctl}. It depends on the dataplane's {@code api} package only;
 * the dataplane never depends on it. Built by the [control] work.
 */
package lb.control;
