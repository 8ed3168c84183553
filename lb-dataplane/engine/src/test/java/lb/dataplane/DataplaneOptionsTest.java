package lb.dataplane;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataplaneOptionsTest {
    @Test
    void shouldDefaultToPortZeroBurst32AndBackoff() {
        final DataplaneOptions options = parse();
        assertEquals("0", options.nic);
        assertEquals(32, options.burst);
        assertEquals("backoff", options.idle);
        assertTrue(options.promiscuous);
    }

    @Test
    void shouldNameTheOptionAndTheValidRangeWhenInvalid() {
        assertMessage("--burst must be 1-512, was 0", "--burst", "0");
        assertMessage("--idle must be busy, yield, backoff or sleep, was 'spin'", "--idle", "spin");
        assertMessage("--mbufs must be at least --workers x (2 x --burst + --rx-desc + --tx-desc + --mbuf-cache + " +
            "--burst) (2400), was 100", "--mbufs", "100");
        assertMessage("--worker-cpus must name one CPU per worker (2), named 1", "--workers", "2", "--worker-cpus", "3");
        assertMessage("--worker-cpus must be CPU numbers (0 or more), had -2", "--worker-cpus", "-2");
        assertMessage("--workers must be 1-64, was 0", "--workers", "0");
    }

    @Test
    void shouldExitWithUsageStatusBeforeTouchingDpdkOnABadOption() {
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Dataplane.EXIT_USAGE, Dataplane.run(new String[] {"--no-huge", "--", "--burst", "x"}));
        } finally {
            System.setErr(err);
        }
        final String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("--burst") && text.contains("'x'"), text);
    }

    @Test
    void shouldExitWithUsageStatusNamingTheOptionWhenTheClusterFileIsMissing() {
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Dataplane.EXIT_USAGE, Dataplane.run(new String[] {"--no-huge", "--", "--cluster",
                "/nonexistent/cluster.yaml", "--host-id", "1", "--kernel", "1"}));
        } finally {
            System.setErr(err);
        }
        final String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("--cluster: cannot read cluster file /nonexistent/cluster.yaml: no such file"), text);
        assertTrue(!text.contains("Exception"), "a message, not a stack trace: " + text);
    }

    @Test
    void shouldTurnPromiscuousOffWithTheNegatedOption() {
        assertEquals(false, parse("--no-promiscuous").promiscuous);
    }

    private static DataplaneOptions parse(final String... args) {
        final DataplaneOptions options = new DataplaneOptions();
        new CommandLine(options).parseArgs(args);
        options.validate();
        return options;
    }

    private static void assertMessage(final String message, final String... args) {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> parse(args));
        assertEquals(message, ex.getMessage());
    }
}
