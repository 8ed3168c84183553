package lb.control.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * lbctl's JSON writers, made on first use: building an ObjectMapper costs a good part of a second of start-up, which
 * a command that prints text (or only its help) should not pay.
 */
final class Json {
    /** One-line documents. */
    static final ObjectMapper COMPACT = new ObjectMapper();
    /** Indented documents. */
    static final ObjectMapper INDENTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }
}
