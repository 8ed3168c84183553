package lb.dataplane.packet;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

class PacketParserFixturesTest {
    private final ParseHarness harness = new ParseHarness();

    @TestFactory
    Stream<DynamicTest> shouldParseEachFixtureToItsExpectedResultAndFields() {
        return ParserFixtures.all().stream().map(fixture -> dynamicTest(fixture.description(), () -> {
            final int result = harness.parse(fixture.description(), fixture.frame());
            fixture.expect().verify(fixture.description(), result, harness.parsed());
        }));
    }

    @Test
    void shouldKeepTheFixtureTableLargeAndItsDescriptionsUnique() {
        final List<ParserFixtures.Fixture> all = ParserFixtures.all();
        final Set<String> descriptions = new HashSet<>();
        all.forEach(fixture -> assertTrue(descriptions.add(fixture.description()), fixture.description()));
        assertTrue(all.size() >= 40, "fixtures: " + all.size());
    }

    @Test
    void shouldCoverEveryDropReasonButBadFrameBoundsWithAFixture() {
        final Set<Integer> covered = new HashSet<>();
        ParserFixtures.all().forEach(fixture -> covered.add(fixture.expect().result()));
        for (int code = 0; code < ParseResult.COUNT; code++) {
            if (code != ParseResult.BAD_FRAME_BOUNDS) {
                assertTrue(covered.contains(code), "no fixture for " + ParseResult.name(code));
            }
        }
    }
}
