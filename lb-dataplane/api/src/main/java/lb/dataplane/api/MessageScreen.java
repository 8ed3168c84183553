package lb.dataplane.api;

import io.aeron.exceptions.AeronException;
import lb.dataplane.api.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Decides whether an adapter can decode a received message with this build's codecs. What it cannot (another
 * schema, a newer schema version, a truncated message, a template id it does not know) is counted and reported to
 * the error handler once per kind, then skipped, so a poll loop never throws on a peer from another build.
 */
public final class MessageScreen {
    private static final int FOREIGN_SCHEMA = 1;
    private static final int NEWER_VERSION = 2;
    private static final int TRUNCATED = 4;
    private static final int UNKNOWN_TEMPLATE = 8;

    private final String receiver;
    private final AtomicCounter skipped;
    private final ErrorHandler errorHandler;
    private int reported;

    /**
     * @param receiver     who receives, for the report (e.g. "dataplane control adapter").
     * @param skipped      counts every message skipped; its owner is the adapter's thread.
     * @param errorHandler told once per kind of skipped message, with a WARN {@link AeronException}.
     */
    public MessageScreen(final String receiver, final AtomicCounter skipped, final ErrorHandler errorHandler) {
        this.receiver = receiver;
        this.skipped = skipped;
        this.errorHandler = errorHandler;
    }

    /**
     * Wraps the header and checks it against this build's schema.
     *
     * @param header decoder to wrap at the message.
     * @param buffer where the message is.
     * @param offset its first byte.
     * @param length its length.
     * @return true when the message's fixed block is present and readable by this build's decoders.
     */
    public boolean accept(final MessageHeaderDecoder header, final DirectBuffer buffer, final int offset,
        final int length) {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH) {
            if (firstOfKind(TRUNCATED)) {
                report("a " + length + "-byte message, shorter than the " + MessageHeaderDecoder.ENCODED_LENGTH +
                    "-byte header");
            }
            return false;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
            if (firstOfKind(FOREIGN_SCHEMA)) {
                report("a message of schema " + header.schemaId() + " (expected " + MessageHeaderDecoder.SCHEMA_ID +
                    ")");
            }
            return false;
        }
        if (header.version() > MessageHeaderDecoder.SCHEMA_VERSION) {
            if (firstOfKind(NEWER_VERSION)) {
                report("a message of schema version " + header.version() + ", newer than this build's " +
                    MessageHeaderDecoder.SCHEMA_VERSION + ": upgrade this process");
            }
            return false;
        }
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength()) {
            if (firstOfKind(TRUNCATED)) {
                report("template " + header.templateId() + " of " + length + " bytes, shorter than its header and " +
                    header.blockLength() + "-byte block");
            }
            return false;
        }
        return true;
    }

    /**
     * Counts and reports a message whose template id the adapter has no case for.
     *
     * @param templateId the id found in the header.
     */
    public void unknownTemplate(final int templateId) {
        if (firstOfKind(UNKNOWN_TEMPLATE)) {
            report("a message with unknown template id " + templateId);
        }
    }

    /** Counts a skipped message; builds no report text unless it is the first of its kind. */
    private boolean firstOfKind(final int kind) {
        skipped.incrementRelease();
        final boolean first = (reported & kind) == 0;
        reported |= kind;
        return first;
    }

    private void report(final String what) {
        errorHandler.onError(new AeronException(receiver + " skipped " + what + "; further ones are only counted",
            AeronException.Category.WARN));
    }
}
