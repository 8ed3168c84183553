package lb.dataplane.config;

/**
 * Whether a port rule takes traffic: enabled, disabled (dropped), or draining (no new connections, existing ones
 * finish).
 */
public enum RuleState {
    ENABLED,
    DISABLED,
    DRAINING
}
