package lb.control.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Convergence by deterministic simulation (TESTING.md): {@code lb.sim.seeds} seeds (10,000 by default), each a
 * {@link Scenario}; a failing seed prints itself and replays, with a trace of every event, with {@code -Dlb.seed=N}.
 */
class ConvergenceSimulationTest {
    private static final long DEFAULT_SEEDS = 10_000;

    @Test
    void shouldConvergeWithinBoundedRoundsUnderSeededFaults() {
        final Long replay = Long.getLong("lb.seed");
        if (replay != null) {
            replay(replay, Scenario.sizeFor(replay));
            return;
        }
        final long seeds = Long.getLong("lb.sim.seeds", DEFAULT_SEEDS);
        final long from = Long.getLong("lb.sim.from", 0);
        final long start = System.nanoTime();
        final AtomicInteger worstRounds = new AtomicInteger();
        final AtomicLong worstSeed = new AtomicLong();
        final int[] histogram = new int[Scenario.MAX_ROUNDS + 2];
        final int[] changed = new int[Scenario.MAX_ROUNDS + 2];
        LongStream.range(from, from + seeds).parallel().forEach(seed -> {
            final Scenario.Result result = runSeed(seed, Scenario.sizeFor(seed));
            synchronized (histogram) {
                histogram[Math.min(result.rounds(), histogram.length - 1)]++;
                if (result.configChanges() > 0) {
                    changed[Math.min(result.rounds(), changed.length - 1)]++;
                }
                if (result.rounds() > worstRounds.get()) {
                    worstRounds.set(result.rounds());
                    worstSeed.set(seed);
                }
            }
        });
        System.out.printf("simulated %d seeds in %.1f s; rounds to converge after the last fault: worst %d (seed %d), " +
            "histogram %s; of which %d seeds with config changes: %s%n", seeds, (System.nanoTime() - start) / 1e9,
            worstRounds.get(), worstSeed.get(), Arrays.toString(histogram), Arrays.stream(changed).sum(),
            Arrays.toString(changed));
        assertTrue(worstRounds.get() <= Scenario.MAX_ROUNDS);
    }

    @Test
    void shouldConvergeWithSixtyFourHosts() {
        for (long seed = 1; seed <= 3; seed++) {
            runSeed(seed, 64);
        }
    }

    private static Scenario.Result runSeed(final long seed, final int size) {
        try {
            return new Scenario(seed, size, null).run();
        } catch (final Throwable failure) {
            System.out.println("FAILED seed " + seed + " (" + size + " hosts): " + failure.getMessage() +
                "\n  replay with -Dlb.seed=" + seed);
            throw new AssertionError("seed " + seed + " failed; replay with -Dlb.seed=" + seed, failure);
        }
    }

    private static void replay(final long seed, final int size) {
        final List<String> trace = new ArrayList<>();
        try {
            final Scenario.Result result = new Scenario(seed, size, trace).run();
            trace.forEach(System.out::println);
            System.out.println("seed " + seed + " passed: " + result);
        } catch (final Throwable failure) {
            trace.forEach(System.out::println);
            fail("seed " + seed + " (" + size + " hosts) failed", failure);
        }
    }
}
