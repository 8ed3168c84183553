package lb.dataplane.host;

/**
 * A config or view that {@link HostState} refuses, with why in words a person can act on; nothing changed.
 */
public final class HostStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal: the control interface answers each with its own status. */
    public enum Reason {
        /** The view's epoch is not after the applied one. */
        STALE_EPOCH,
        /** No config has been applied or offered yet. */
        NO_CONFIG,
        /** The fingerprint names no config this host holds, or does not match the text. */
        FINGERPRINT_MISMATCH,
        /** A field does not fit the config (named in the message). */
        INVALID
    }

    private final Reason reason;

    /**
     * @param reason  the kind of refusal.
     * @param message what does not fit and what would.
     */
    public HostStateException(final Reason reason, final String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /**
     * @return the kind of refusal.
     */
    public Reason reason() {
        return reason;
    }
}
