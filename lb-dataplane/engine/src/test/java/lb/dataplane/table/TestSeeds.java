package lb.dataplane.table;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds for randomized tests: {@code -Dlb.seed=N} replays one run, otherwise a fresh seed is drawn and printed.
 */
final class TestSeeds {
    private TestSeeds() {
    }

    static long seed(final String testName) {
        final String property = System.getProperty("lb.seed");
        final long seed = property != null ? Long.parseLong(property) : ThreadLocalRandom.current().nextLong();
        System.out.println(testName + ": seed " + seed + " (replay with -Dlb.seed=" + seed + ")");
        return seed;
    }
}
