package lb.dataplane.api;

import io.aeron.Publication;

/**
 * What the {@code long} returned by a proxy's send means: a new stream position when positive, else one of Aeron's
 * {@link Publication} codes or {@link #MESSAGE_TOO_LARGE}. Proxies make one attempt and never spin, so the caller's
 * duty cycle decides when to try again.
 */
public final class Offers {
    /** The encoded message exceeds the publication's maximum message length; retrying cannot help. */
    public static final long MESSAGE_TOO_LARGE = -100;

    private Offers() {
    }

    /**
     * @param result what a send returned.
     * @return true when the message was published.
     */
    public static boolean isSent(final long result) {
        return result > 0;
    }

    /**
     * @param result what a send returned.
     * @return true when the same message may succeed later: no subscriber yet, back pressure or an admin action.
     */
    public static boolean isRetryable(final long result) {
        return result == Publication.NOT_CONNECTED || result == Publication.BACK_PRESSURED ||
            result == Publication.ADMIN_ACTION;
    }

    /**
     * @param result what a send returned.
     * @return a constant description for logs.
     */
    public static String describe(final long result) {
        if (result > 0) {
            return "SENT";
        }
        return result == MESSAGE_TOO_LARGE ? "MESSAGE_TOO_LARGE" : Publication.errorString(result);
    }
}
