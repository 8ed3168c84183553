package lb.dataplane.api;

/**
 * Where lbd and the dataplane talk: one aeron:ipc stream each way through lbd's media driver, overridable by system
 * property (read when asked, so tests and the launcher can set them).
 *
 * <p>The channel's term length bounds the largest message, which Aeron caps at a term length / 8: the default 4 MiB
 * terms carry an ApplyConfig or ApplyView of up to 512 KiB (33 rules of 4096 buckets). A cluster with more buckets per
 * rule raises {@code term-length} on {@link #CHANNEL_PROP_NAME}; a proxy reports a message that does not fit as
 * {@link Offers#MESSAGE_TOO_LARGE} rather than sending part of it.
 */
public final class ControlChannels {
    /** System property naming the channel of both streams. */
    public static final String CHANNEL_PROP_NAME = "lb.control.channel";
    /** IPC, with terms large enough for a whole view or config in one message. */
    public static final String CHANNEL_DEFAULT = "aeron:ipc?term-length=4m";

    /** System property naming the stream lbd publishes requests on and the dataplane subscribes to. */
    public static final String CONTROL_STREAM_ID_PROP_NAME = "lb.control.stream.id";
    /** Stream id lbd to dataplane: ApplyConfig, ApplyView, AnnounceVip, WithdrawVip, Export..., Install..., Flush. */
    public static final int CONTROL_STREAM_ID_DEFAULT = 1001;

    /** System property naming the stream the dataplane publishes answers on and lbd subscribes to. */
    public static final String EVENTS_STREAM_ID_PROP_NAME = "lb.events.stream.id";
    /** Stream id dataplane to lbd: Ack, StickyClients, DataplaneStatus. */
    public static final int EVENTS_STREAM_ID_DEFAULT = 1002;

    private ControlChannels() {
    }

    /**
     * @return the channel of both streams.
     */
    public static String channel() {
        return System.getProperty(CHANNEL_PROP_NAME, CHANNEL_DEFAULT);
    }

    /**
     * @return the stream id of requests to the dataplane.
     */
    public static int controlStreamId() {
        return Integer.getInteger(CONTROL_STREAM_ID_PROP_NAME, CONTROL_STREAM_ID_DEFAULT);
    }

    /**
     * @return the stream id of the dataplane's answers.
     */
    public static int eventsStreamId() {
        return Integer.getInteger(EVENTS_STREAM_ID_PROP_NAME, EVENTS_STREAM_ID_DEFAULT);
    }
}
