package lb.dataplane.api;

import lb.dataplane.api.sbe.FlushEncoder;

/**
 * Values with a meaning on the control interface that the schema's types alone do not say.
 */
public final class ControlProtocol {
    /** Owner of a bucket that no host may take (every live host has load weight 0); real host ids start at 1. */
    public static final int NO_HOST = 0;
    /** Rule index of a Flush that applies to every rule (the null value of its optional field). */
    public static final int ALL_RULES = FlushEncoder.ruleIndexNullValue();
    /** Bytes in a config fingerprint (SHA-256); all zero means no config. */
    public static final int FINGERPRINT_LENGTH = 32;
    /** Bytes per bucket in ApplyView's owners: one little-endian uint16 host id. */
    public static final int OWNER_LENGTH = Short.BYTES;

    private ControlProtocol() {
    }
}
