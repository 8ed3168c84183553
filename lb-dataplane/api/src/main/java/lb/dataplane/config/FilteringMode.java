package lb.dataplane.config;

import java.util.Locale;

/**
 * How a port rule spreads its traffic: over all hosts by bucket, to one host, or not at all (NLB's "Disabled" blocks).
 */
public enum FilteringMode {
    /** Buckets are shared out over the live hosts by load weight. */
    MULTIPLE,
    /** The live host with the lowest handling priority takes all the rule's traffic. */
    SINGLE,
    /** The rule's traffic is dropped by every host. */
    DISABLED;

    /**
     * How messages name the mode: {@code multiple-host}, {@code single-host}, {@code disabled}.
     */
    public String label() {
        return this == DISABLED ? "disabled" : name().toLowerCase(Locale.ROOT) + "-host";
    }
}
