package lb.control.configsim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The replicated config by deterministic simulation: {@code lb.configsim.seeds} seeds (10,000 by default), each a
 * {@link ConfigScenario}; a failing seed prints itself and replays, with a trace of every event, with
 * {@code -Dlb.seed=N}.
 */
class ConfigSimulationTest {
    private static final long DEFAULT_SEEDS = 10_000;

    @Test
    void shouldConvergeWithEveryAcknowledgedChangeAccountedFor() {
        final Long replay = Long.getLong("lb.seed");
        if (replay != null) {
            replay(replay, ConfigScenario.sizeFor(replay));
            return;
        }
        final long seeds = Long.getLong("lb.configsim.seeds", DEFAULT_SEEDS);
        final long start = System.nanoTime();
        final int[] histogram = new int[ConfigScenario.MAX_ROUNDS + 2];
        final AtomicLong worstSeed = new AtomicLong(-1);
        final long[] totals = new long[4];
        LongStream.range(0, seeds).parallel().forEach(seed -> {
            final ConfigScenario.Result result = runSeed(seed, ConfigScenario.sizeFor(seed));
            synchronized (histogram) {
                final int bucket = Math.min(result.rounds(), histogram.length - 1);
                if (worstSeed.get() < 0 || result.rounds() > worstRounds(histogram)) {
                    worstSeed.set(seed);
                }
                histogram[bucket]++;
                totals[0] += result.proposals();
                totals[1] += result.acknowledged();
                totals[2] += result.superseded();
                totals[3] += result.crashes();
            }
        });
        final int worst = worstRounds(histogram);
        System.out.printf("config simulation: %d seeds in %.1f s; rounds to converge after the faults stopped: " +
                "worst %d (seed %d), histogram %s; %d changes proposed, %d acknowledged, %d superseded, %d crashes%n",
            seeds, (System.nanoTime() - start) / 1e9, worst, worstSeed.get(), Arrays.toString(histogram), totals[0],
            totals[1], totals[2], totals[3]);
        assertTrue(worst <= ConfigScenario.MAX_ROUNDS);
    }

    @Test
    void shouldConvergeWithThirtyTwoHosts() {
        for (long seed = 1; seed <= 4; seed++) {
            runSeed(seed, 32);
        }
    }

    private static int worstRounds(final int[] histogram) {
        for (int i = histogram.length - 1; i >= 0; i--) {
            if (histogram[i] > 0) {
                return i;
            }
        }
        return 0;
    }

    private static ConfigScenario.Result runSeed(final long seed, final int size) {
        try {
            return new ConfigScenario(seed, size, null).run();
        } catch (final Throwable failure) {
            System.out.println("FAILED seed " + seed + " (" + size + " hosts): " + failure.getMessage() +
                "\n  replay with -Dlb.seed=" + seed);
            throw new AssertionError("seed " + seed + " failed; replay with -Dlb.seed=" + seed, failure);
        }
    }

    private static void replay(final long seed, final int size) {
        final List<String> trace = new ArrayList<>();
        try {
            final ConfigScenario.Result result = new ConfigScenario(seed, size, trace).run();
            trace.forEach(System.out::println);
            System.out.println("seed " + seed + " passed: " + result);
        } catch (final Throwable failure) {
            trace.forEach(System.out::println);
            fail("seed " + seed + " (" + size + " hosts) failed", failure);
        }
    }
}
