package lb.dataplane.model;

import lb.dataplane.config.PortRule;

/**
 * The rule a packet matched and how to name it: {@code port-rules[2] (all:80-80/tcp)} or {@code default rule}.
 */
public record RuleMatch(PortRule rule, String label) {
    @Override
    public String toString() {
        return label;
    }
}
