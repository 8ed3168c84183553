package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Parses a test frame the ways that expose out-of-frame reads: in a segment of exactly the frame's size (a read
 * past either end throws), and in the middle of a larger segment whose other bytes are garbage (a read outside the
 * frame changes the outcome).
 */
final class ParseHarness {
    private final PacketParser parser = new PacketParser();
    private final ParsedPacket exact = new ParsedPacket();
    private final ParsedPacket embedded = new ParsedPacket();

    /**
     * @return the result of parsing frame, after checking that the embedded parse agrees field for field and that
     *     the invariants hold; the fields are in {@link #parsed()}.
     */
    int parse(final String what, final byte[] frame) {
        final int result = parser.parse(MemorySegment.ofArray(frame), 0, frame.length, exact);
        final byte[] padded = new byte[frame.length + 13];
        Arrays.fill(padded, (byte)0xA5);
        System.arraycopy(frame, 0, padded, 7, frame.length);
        final int embeddedResult = parser.parse(MemorySegment.ofArray(padded), 7, frame.length, embedded);
        assertEquals(result, embeddedResult, () -> what + ": result depends on bytes outside the frame");
        assertEquals(Snapshot.of(exact), Snapshot.of(embedded), () -> what + ": fields depend on bytes outside the frame");
        Invariants.check(what, result, exact, frame.length);
        return result;
    }

    ParsedPacket parsed() {
        return exact;
    }
}
