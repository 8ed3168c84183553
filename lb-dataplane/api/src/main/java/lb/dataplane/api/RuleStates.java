package lb.dataplane.api;

import lb.dataplane.config.RuleState;

/**
 * The one mapping between the config model's {@link RuleState} and the wire's generated
 * {@link lb.dataplane.api.sbe.RuleState}: the model is the type; the wire enum exists only inside messages.
 */
public final class RuleStates {
    private RuleStates() {
    }

    /**
     * @return the wire form of a rule state.
     */
    public static lb.dataplane.api.sbe.RuleState toWire(final RuleState state) {
        return switch (state) {
            case ENABLED -> lb.dataplane.api.sbe.RuleState.ENABLED;
            case DISABLED -> lb.dataplane.api.sbe.RuleState.DISABLED;
            case DRAINING -> lb.dataplane.api.sbe.RuleState.DRAINING;
        };
    }

    /**
     * @return the model's rule state, or null for a value this version does not know (a newer peer's).
     */
    public static RuleState fromWire(final lb.dataplane.api.sbe.RuleState state) {
        return switch (state) {
            case ENABLED -> RuleState.ENABLED;
            case DISABLED -> RuleState.DISABLED;
            case DRAINING -> RuleState.DRAINING;
            default -> null;
        };
    }
}
