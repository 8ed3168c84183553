package lb.dataplane.table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys chosen to collide stay within the probe bound and fail cleanly beyond it; full tables fail inserts with
 * {@link TableResult#PROBE_LIMIT} and never grow; freed slots are reused, so churn leaves nothing behind.
 */
class ProbeBoundTest {
    private static final int CAPACITY = 1024;
    private final long seed = TestSeeds.seed("ProbeBoundTest");
    private final SplittableRandom random = new SplittableRandom(seed);
    private final long hashSeed = random.nextLong();
    private ConnectionTable table;

    @AfterEach
    void close() {
        table.close();
    }

    private ConnectionTable table(final int probeLimit) {
        table = new ConnectionTable(new ConnectionTableContext()
            .capacity(CAPACITY).probeLimit(probeLimit).hashSeed(hashSeed).halfOpenLimit(CAPACITY));
        return table;
    }

    private int home(final ConnKey key) {
        return table.core().homeSlot(key.hash(hashSeed));
    }

    private static long insert(final ConnectionTable table, final ConnKey key) {
        return key.insert(table, 1, 2, 3, EntryMeta.ESTABLISHED, 0);
    }

    /** Draws random keys until {@code count} of them share each wanted home slot. */
    private Map<Integer, List<ConnKey>> keysWithHomes(final int count, final int... homes) {
        final Map<Integer, List<ConnKey>> byHome = new HashMap<>();
        for (final int home : homes) {
            byHome.put(home, new ArrayList<>());
        }
        int complete = 0;
        while (complete < homes.length) {
            final ConnKey key = ConnKey.random(random);
            final List<ConnKey> keys = byHome.get(home(key));
            if (keys != null && keys.size() < count && !keys.contains(key) && keys.add(key) && keys.size() == count) {
                complete++;
            }
        }
        return byHome;
    }

    @Test
    void shouldPlaceKeysCollidingOnOneHomeWithinProbeWindowAndRejectTheNext() {
        final int probeLimit = 8;
        table(probeLimit);
        final int home = random.nextInt(CAPACITY);
        final List<ConnKey> keys = keysWithHomes(probeLimit + 1, home).get(home);

        final long[] handles = new long[probeLimit];
        for (int i = 0; i < probeLimit; i++) {
            handles[i] = insert(table, keys.get(i));
            assertTrue(TableResult.isCreated(handles[i]), "key " + i + " fits the window");
            final int distance = (OffHeapHashTable.slotOf(handles[i]) - home) & (CAPACITY - 1);
            assertTrue(distance < probeLimit, "distance " + distance);
        }
        final ConnKey extra = keys.get(probeLimit);
        assertEquals(TableResult.PROBE_LIMIT, insert(table, extra));
        assertEquals(TableResult.NOT_FOUND, extra.lookup(table));
        for (int i = 0; i < probeLimit; i++) {
            assertEquals(OffHeapHashTable.slotOf(handles[i]), OffHeapHashTable.slotOf(keys.get(i).lookup(table)));
        }

        assertTrue(keys.get(3).remove(table));
        final long reused = insert(table, extra);
        assertTrue(TableResult.isCreated(reused));
        assertEquals(OffHeapHashTable.slotOf(handles[3]), OffHeapHashTable.slotOf(reused), "freed slot reused");
    }

    @Test
    void shouldShareOverlappingWindowsOfNeighbouringHomesWithinTheBound() {
        final int probeLimit = 8;
        table(probeLimit);
        final int home = random.nextInt(CAPACITY);
        final int neighbour = (home + 4) & (CAPACITY - 1);
        final Map<Integer, List<ConnKey>> keys = keysWithHomes(7, home, neighbour);

        for (int i = 0; i < 6; i++) {
            assertTrue(TableResult.isCreated(insert(table, keys.get(home).get(i))));
        }
        for (int i = 0; i < 6; i++) {
            final long handle = insert(table, keys.get(neighbour).get(i));
            assertTrue(TableResult.isCreated(handle));
            assertTrue(((OffHeapHashTable.slotOf(handle) - neighbour) & (CAPACITY - 1)) < probeLimit);
        }
        assertEquals(TableResult.PROBE_LIMIT, insert(table, keys.get(neighbour).get(6)), "window of +4 is full");
        assertEquals(TableResult.PROBE_LIMIT, insert(table, keys.get(home).get(6)), "window of +0 is full");
    }

    @Test
    void shouldFailInsertsWithProbeLimitWhenTableIsFullWithoutGrowingMemory() {
        table(64);
        final long memory = table.memoryLength();
        assertEquals(256 + CAPACITY * (8L + 56), memory, "header + capacity x (control word + 7-long entry)");
        int created = 0;
        for (int attempt = 0; attempt < 200_000 && created < CAPACITY; attempt++) {
            final long handle = insert(table, ConnKey.random(random));
            if (TableResult.isCreated(handle)) {
                created++;
            } else {
                assertEquals(TableResult.PROBE_LIMIT, handle);
            }
        }
        assertEquals(CAPACITY, created, "every slot filled");
        for (int i = 0; i < 1000; i++) {
            assertEquals(TableResult.PROBE_LIMIT, insert(table, ConnKey.random(random)));
        }
        assertEquals(memory, table.memoryLength());
    }

    @Test
    void shouldReuseFreedSlotsSoChurnNeverExhaustsProbeWindows() {
        table(16);
        long inserts = 0;
        for (int cycle = 0; cycle < 400; cycle++) {
            final ConnKey first = ConnKey.random(random);
            assertEquals(home(first), OffHeapHashTable.slotOf(insert(table, first)),
                "an emptied table places a key at its home slot: nothing is left behind by removals");
            for (int i = 1; i < CAPACITY / 4; i++) {
                assertTrue(insert(table, ConnKey.random(random)) >= 0, "cycle " + cycle);
                inserts++;
            }
            assertEquals(CAPACITY / 4, table.flush(0, CAPACITY));
        }
        System.out.println("ProbeBoundTest: " + inserts + " inserts over 400 fill/empty cycles, 0 probe-limit failures");
    }
}
