package lb.dataplane.table;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Releases several workers at once onto the same absent key, round after round, each round a new key (what a
 * jcstress test would do, in JUnit): exactly one insert creates each key, every other insert gets a handle, and
 * exactly one live entry results. All twins first try the same free slot; the losers of that CAS go on to claim
 * others while the winner is still writing, which is the case the publish-then-scan resolution exists for.
 */
class SameKeyInsertRaceTest {
    private static final int WRITERS = 3;
    private static final int ROUNDS = 20_000;
    private static final int CAPACITY = 1 << 17;

    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int round;

    @Test
    void shouldLeaveExactlyOneEntryWhenWorkersInsertTheSameKeyAtOnce() throws InterruptedException {
        final long seed = TestSeeds.seed("SameKeyInsertRaceTest");
        final SplittableRandom random = new SplittableRandom(seed);
        final long startNs = System.nanoTime();
        final long[] clients = new long[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            clients[r] = random.nextLong() & ~0xFFFFL | r;
        }
        final long[][] results = new long[WRITERS][ROUNDS];
        try (AffinityTable table = new AffinityTable(new AffinityTableContext()
            .capacity(CAPACITY).probeLimit(16).hashSeed(random.nextLong()))) {
            final Thread[] writers = new Thread[WRITERS];
            for (int w = 0; w < WRITERS; w++) {
                final long[] mine = results[w];
                writers[w] = new Thread(() -> {
                    for (int r = 0; r < ROUNDS; r++) {
                        awaitOthers(r);
                        mine[r] = table.insert(1, 6, 0x2001_0db8_0000_0000L, clients[r], 1, 7, 0);
                    }
                }, "race-writer-" + w);
                writers[w].start();
            }
            for (final Thread writer : writers) {
                writer.join(60_000);
                assertFalse(writer.isAlive(), writer.getName() + " did not finish (seed " + seed + ")");
            }
            final int[] copies = liveCopies(table);
            int twinHandles = 0;
            for (int r = 0; r < ROUNDS; r++) {
                int created = 0;
                for (int w = 0; w < WRITERS; w++) {
                    final long handle = results[w][r];
                    assertTrue(handle >= 0, "round " + r + ": writer " + w + " got " + handle + " (seed " + seed + ")");
                    created += TableResult.isCreated(handle) ? 1 : 0;
                    twinHandles += TableResult.isCreated(handle) ? 0 : 1;
                }
                assertEquals(1, created, "round " + r + ": inserts that created the key (seed " + seed + ")");
                assertEquals(1, copies[r], "round " + r + ": live entries of the key (seed " + seed + ")");
            }
            System.out.printf("SameKeyInsertRaceTest: %d rounds x %d writers released together on one key: " +
                    "exactly one creator and one live entry each round, %d insert-or-get results; %d ms%n",
                ROUNDS, WRITERS, twinHandles, (System.nanoTime() - startNs) / 1_000_000);
        }
    }

    /** A spin barrier among the writers: the last to arrive opens the round. */
    private void awaitOthers(final int r) {
        if (arrived.incrementAndGet() == WRITERS * (r + 1)) {
            round = r + 1;
            return;
        }
        int spins = 0;
        while (round <= r) {
            if (++spins > 100) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static int[] liveCopies(final AffinityTable table) {
        final int[] copies = new int[ROUNDS];
        final long[] entry = new long[AffinityTable.KEY_WORDS + 2];
        for (int slot = 0; slot < CAPACITY; slot++) {
            if (table.core().read(slot, entry) >= 0) {
                copies[(int)(entry[2] & 0xFFFF)]++;
            }
        }
        return copies;
    }
}
