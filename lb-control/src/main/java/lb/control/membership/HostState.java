package lb.control.membership;

/**
 * What the operator asked of a host, as NLB names it: started, stopped, suspended (ignores every command but resume
 * and query), or draining (drainstop: no new connections, stopped when the last one ends or at the timeout).
 */
public enum HostState {
    STARTED,
    STOPPED,
    SUSPENDED,
    DRAINING
}
