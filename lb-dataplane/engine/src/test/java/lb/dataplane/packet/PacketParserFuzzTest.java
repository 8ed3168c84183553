package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Jazzer fuzz target for the parser, checking the same invariants as the other parser tests. A normal build replays
 * the committed corpus in src/test/resources/lb/dataplane/packet/PacketParserFuzzTestInputs/parserInvariants (one
 * file per input; a crash the fuzzer finds is saved there and replays from then on). A fuzzing run, 5 minutes:
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl lb-dataplane -am test -Djazzer.hooks=true -Dtest=PacketParserFuzzTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * {@code -Djazzer.hooks=true} turns back on the coverage instrumentation that junit-platform.properties turns off for
 * the quick replay; the corpus it grows goes to lb-dataplane/.cifuzz-corpus (not committed).
 */
class PacketParserFuzzTest {
    private final ParseHarness harness = new ParseHarness();
    private final PacketParser parser = new PacketParser();

    @FuzzTest
    void parserInvariants(final byte[] frame) {
        final int result = harness.parse("fuzz input", frame);
        final ParsedPacket fresh = new ParsedPacket();
        assertEquals(result, parser.parse(MemorySegment.ofArray(frame), 0, frame.length, fresh));
        assertEquals(Snapshot.of(harness.parsed()), Snapshot.of(fresh));
    }
}
