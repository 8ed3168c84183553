package lb.dataplane.packet;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParseResultTest {
    @Test
    void shouldGiveEveryCodeOneConstantAndASnakeCaseNameMatchingIt() throws IllegalAccessException {
        final Map<Integer, String> constants = new HashMap<>();
        for (final Field field : ParseResult.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class &&
                !field.getName().equals("COUNT")) {
                final int code = field.getInt(null);
                assertNull(constants.put(code, field.getName()), "two constants for code " + code);
            }
        }
        assertEquals(ParseResult.COUNT, constants.size());
        for (int code = 0; code < ParseResult.COUNT; code++) {
            final String constant = constants.get(code);
            final String name = ParseResult.name(code);
            assertEquals(constant.toLowerCase(Locale.ROOT), name, "code " + code);
            assertTrue(name.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"), name);
        }
    }

    @Test
    void shouldKeepTheCodesThatCountersAlreadyUse() {
        // Codes index per-reason counters: renumbering one would relabel history. Append, never reorder.
        assertEquals(0, ParseResult.OK);
        assertEquals(2, ParseResult.TRUNCATED_ETHERNET);
        assertEquals(16, ParseResult.IPV6_EXT_CHAIN_TOO_LONG);
        assertEquals(26, ParseResult.ICMP_ERROR_INNER_TRUNCATED);
        assertEquals(30, ParseResult.BAD_ND_OPTION);
    }

    @Test
    void shouldNameCodesOutsideTheTableUnknown() {
        assertEquals("unknown", ParseResult.name(-1));
        assertEquals("unknown", ParseResult.name(ParseResult.COUNT));
        assertEquals("unknown", FrameKind.name(5));
        assertEquals("ipv6", FrameKind.name(FrameKind.IPV6));
    }
}
