package lb.control.admin;

/**
 * Where lbd's admin API listens: requests on {@link #REQUEST_STREAM_ID}, over {@code aeron:ipc} on lbd's media driver
 * (the local lbctl) and over {@code aeron:udp} on the host's management endpoint (another host's lbd forwarding a
 * command); each request names the channel and stream its answer goes to.
 */
public final class AdminProtocol {
    /** Admin requests, on both channels. */
    public static final int REQUEST_STREAM_ID = 3001;
    /** Answers to the commands an lbd forwarded to another host, on its management endpoint. */
    public static final int FORWARDED_ANSWER_STREAM_ID = 3002;
    /** The local channel. */
    public static final String IPC = "aeron:ipc";
    /** How long an answer is offered before it is given up (the asker waits about as long). */
    public static final long ANSWER_TIMEOUT_MS = 2_000;

    private AdminProtocol() {
    }

    /** The UDP channel of a management endpoint. */
    public static String udp(final String endpoint) {
        return "aeron:udp?endpoint=" + endpoint;
    }
}
