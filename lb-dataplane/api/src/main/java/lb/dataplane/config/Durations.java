package lb.dataplane.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: a number of seconds ({@code 900}, {@code 0.2}) or a number with a unit
 * ({@code 200ms}, {@code 15m}, {@code 2h}, {@code 1d}); printed back with the largest unit that is exact, so the unit
 * is always shown.
 *
 * <p>NLB's own documents disagree on the extended-affinity unit (minutes in PowerShell, seconds in the setup file);
 * printing the unit everywhere is how we keep that confusion out.
 */
public final class Durations {
    /** What the parser accepts, for error messages. */
    public static final String FORMS = "seconds (900, 0.2) or a number with a unit ms, s, m, h, d (200ms, 15m)";

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");
    private static final String[] UNITS = {"d", "h", "m", "s"};
    private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L};

    private Durations() {
    }

    /**
     * Parses a duration in whole milliseconds.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms.
     */
    public static Duration parse(final String text) {
        final Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: " + FORMS);
        }
        final String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        final long unitMillis = switch (unit) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        final BigDecimal millis = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unitMillis));
        try {
            return Duration.ofMillis(millis.longValueExact());
        } catch (final ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of milliseconds");
        }
    }

    /**
     * Prints with the largest exact unit: {@code 15m}, {@code 90s}, {@code 200ms}, {@code 0s}.
     */
    public static String format(final Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.toNanosPart() % 1_000_000 != 0) {
            return duration.toNanos() + "ns";
        }
        final long millis = duration.toMillis();
        for (int i = 0; i < UNITS.length; i++) {
            if (millis % UNIT_MILLIS[i] == 0) {
                return millis / UNIT_MILLIS[i] + UNITS[i];
            }
        }
        return millis + "ms";
    }
}
