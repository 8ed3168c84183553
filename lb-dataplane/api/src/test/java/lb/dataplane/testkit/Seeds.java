package lb.dataplane.testkit;

import java.util.SplittableRandom;

/**
 * Seeds for randomized tests: {@code -Dlb.seed=N} replays a run, otherwise each run draws a fresh seed; either way the
 * seed is printed and belongs in every assertion message.
 */
public final class Seeds {
    private Seeds() {
    }

    /**
     * The seed for one test, printed with how to replay it.
     */
    public static long seed(final String test) {
        final String given = System.getProperty("lb.seed");
        final long seed = given != null && !given.isBlank() ? Long.parseLong(given.trim()) : new SplittableRandom().nextLong();
        System.out.println(test + ": seed " + seed + " (replay with -Dlb.seed=" + seed + ")");
        return seed;
    }
}
