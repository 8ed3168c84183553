package lb.dataplane.table;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import lb.dataplane.net.Ipv4Mapped;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several workers insert, look up and touch the same small set of clients while the conductor sweeps, removes (any
 * entry, or own entries by client and by bucket) and exports, so inserts of one key race constantly. Invariants: no
 * torn read (each key's meta is a function of the key, so a key paired with another entry's meta shows), never two
 * live entries for one key, no lost insert (keys the conductor never removes are found once inserted), no insert
 * failure in a table with room, no livelock. How often two inserts of one key meet here depends on scheduling;
 * {@link SameKeyInsertRaceTest} makes them meet every round.
 */
@Tag(StressRun.TAG)
class AffinityStressTest {
    private static final int CAPACITY = 1 << 12;
    private static final int VOLATILE_KEYS = 192;
    private static final int STABLE_KEYS = 64;
    private static final int KEYS = VOLATILE_KEYS + STABLE_KEYS;
    private static final int STABLE_RULE = 3;
    private static final int WRITERS = 3;
    private static final int ROUNDS = 5;
    private static final long ROUND_MS = 300;

    private final AtomicLong clock = new AtomicLong(1);
    private final LongAdder created = new LongAdder();
    private final LongAdder raced = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final AtomicIntegerArray stableInserted = new AtomicIntegerArray(STABLE_KEYS);
    private StressRun run;

    static int rule(final int i) {
        return i < VOLATILE_KEYS ? i % 3 : STABLE_RULE;
    }

    static int version(final int i) {
        return (i & 1) == 0 ? 4 : 6;
    }

    static long hi(final int i) {
        return (i & 1) == 0 ? Ipv4Mapped.HIGH : 0x2001_0db8_0000_0000L;
    }

    static long lo(final int i) {
        return (i & 1) == 0 ? Ipv4Mapped.low(0x0A00_0000 | i) : 0x1234_0000_0000_0000L | i;
    }

    static int owner(final int i) {
        return (i * 7919 + 13) & 0xFFFF;
    }

    static int bucket(final int i) {
        return i % 60;
    }

    @Test
    void shouldKeepOneConsistentEntryPerClientUnderConcurrentInsertsSweepsAndRemovals() throws InterruptedException {
        final long seed = TestSeeds.seed("AffinityStressTest");
        final SplittableRandom seeds = new SplittableRandom(seed);
        final long startNs = System.nanoTime();
        try (AffinityTable table = new AffinityTable(new AffinityTableContext()
            .capacity(CAPACITY).probeLimit(16).hashSeed(seeds.nextLong()))) {
            for (int rule = 0; rule < 3; rule++) {
                table.ruleTimeoutTicks(rule, 2);
            }
            table.ruleTimeoutTicks(STABLE_RULE, Long.MAX_VALUE / 2);
            for (int round = 0; round < ROUNDS; round++) {
                run = new StressRun();
                final Runnable[] bodies = new Runnable[WRITERS + 2];
                // One key sequence for all writers: they chase each other onto the same absent keys.
                final long keySeed = seeds.nextLong();
                for (int w = 0; w < WRITERS; w++) {
                    bodies[w] = writer(table, keySeed);
                }
                bodies[WRITERS] = reader(table, seeds.nextLong());
                bodies[WRITERS + 1] = conductor(table, seeds.nextLong());
                run.run(ROUND_MS, bodies);
                assertEquals(0, run.failures().size(), () -> "round of seed " + seed + ": " + run.failures());
                checkAtQuiescence(table, seed);
                table.flush(0, CAPACITY);
                for (int i = 0; i < STABLE_KEYS; i++) {
                    stableInserted.set(i, 0);
                }
            }
        }
        System.out.printf("AffinityStressTest: %d rounds of %d ms, %d writers + reader + conductor: %d created, " +
                "%d inserts that found a racing twin, %d reads, 0 violations, %d ms%n", ROUNDS, ROUND_MS, WRITERS,
            created.sum(), raced.sum(), reads.sum(), (System.nanoTime() - startNs) / 1_000_000);
    }

    private Runnable writer(final AffinityTable table, final long seed) {
        return () -> {
            final SplittableRandom random = new SplittableRandom(seed);
            while (run.running()) {
                final int i = random.nextInt(KEYS);
                long handle = table.lookup(rule(i), version(i), hi(i), lo(i));
                if (handle >= 0) {
                    check(i, table.meta(handle), "lookup");
                    table.touch(handle, clock.get());
                    reads.increment();
                    continue;
                }
                handle = table.insert(rule(i), version(i), hi(i), lo(i), owner(i), bucket(i), clock.get());
                if (handle < 0) {
                    run.fail("insert of key " + i + " failed with " + handle + " in a table with room");
                    continue;
                }
                (TableResult.isCreated(handle) ? created : raced).increment();
                check(i, table.meta(handle), "insert");
                if (i >= VOLATILE_KEYS) {
                    stableInserted.set(i - VOLATILE_KEYS, 1);
                    if (table.lookup(rule(i), version(i), hi(i), lo(i)) < 0 && TableResult.isCreated(handle)) {
                        run.fail("lost insert: key " + i + " created, then not found");
                    }
                }
            }
        };
    }

    private Runnable reader(final AffinityTable table, final long seed) {
        return () -> {
            final SplittableRandom random = new SplittableRandom(seed);
            while (run.running()) {
                final int i = random.nextInt(KEYS);
                check(i, table.meta(table.lookup(rule(i), version(i), hi(i), lo(i))), "reader");
                reads.increment();
            }
        };
    }

    private Runnable conductor(final AffinityTable table, final long seed) {
        return () -> {
            final SplittableRandom random = new SplittableRandom(seed);
            final BucketSet all = new BucketSet();
            final BucketSet half = new BucketSet();
            for (int b = 0; b < 60; b++) {
                all.add(b);
                if (b % 2 == 0) {
                    half.add(b);
                }
            }
            final AffinityVisitor exported = (rule, ipVersion, clientHi, clientLo, meta, lastSeen) -> {
                final int i = (int)(clientLo & 0xFFFF);
                if (i >= KEYS || rule != rule(i) || ipVersion != version(i) || clientHi != hi(i) ||
                    clientLo != lo(i)) {
                    run.fail("export: torn key rule " + rule + " v" + ipVersion + " " + clientHi + "/" + clientLo);
                } else {
                    check(i, meta, "export");
                }
            };
            int loops = 0;
            while (run.running()) {
                table.sweep(clock.incrementAndGet(), 64);
                if (random.nextInt(4) == 0) {
                    final int i = random.nextInt(VOLATILE_KEYS);
                    if (random.nextBoolean()) {
                        table.remove(rule(i), version(i), hi(i), lo(i));
                    } else {
                        table.removeOwn(rule(i), version(i), hi(i), lo(i));
                    }
                }
                if (++loops % 16 == 0) {
                    // Empties a third of the volatile keys at once, so the writers race to insert them again.
                    table.flushRule(random.nextInt(3), 0, CAPACITY);
                } else if (loops % 16 == 8) {
                    // The same by bucket, as lbd's DropClaims does, and a release of foreign entries (there are none).
                    table.removeOwnInBuckets(random.nextInt(3), half, 0, CAPACITY);
                    table.removeForeignOf(owner(random.nextInt(KEYS)), 0, CAPACITY);
                }
                if (loops % 256 == 0) {
                    for (int from = 0; from < CAPACITY; from += 512) {
                        table.forEachInBuckets(all, from, 512, exported);
                    }
                }
            }
        };
    }

    private void check(final int i, final long meta, final String where) {
        if (meta != TableResult.NOT_FOUND &&
            (meta < 0 || EntryMeta.owner(meta) != owner(i) || EntryMeta.bucket(meta) != bucket(i) ||
                EntryMeta.rule(meta) != rule(i) || EntryMeta.isForeign(meta))) {
            run.fail(where + ": torn read for key " + i + ": meta " + Long.toHexString(meta));
        }
    }

    private void checkAtQuiescence(final AffinityTable table, final long seed) {
        final int[] copies = new int[KEYS];
        final long[] entry = new long[AffinityTable.KEY_WORDS + 2];
        for (int slot = 0; slot < CAPACITY; slot++) {
            if (table.core().read(slot, entry) < 0) {
                continue;
            }
            final int i = (int)(entry[2] & 0xFFFF);
            assertTrue(i < KEYS && entry[0] == AffinityTable.ruleWord(rule(i), version(i)) && entry[1] == hi(i) &&
                entry[2] == lo(i), "slot " + slot + " holds an unknown key (seed " + seed + ")");
            assertEquals(owner(i), EntryMeta.owner(entry[3]), "slot " + slot + " (seed " + seed + ")");
            assertEquals(bucket(i), EntryMeta.bucket(entry[3]), "slot " + slot + " (seed " + seed + ")");
            copies[i]++;
        }
        for (int i = 0; i < KEYS; i++) {
            assertTrue(copies[i] <= 1, "key " + i + " has " + copies[i] + " live entries (seed " + seed + ")");
            if (i >= VOLATILE_KEYS && stableInserted.get(i - VOLATILE_KEYS) == 1) {
                assertEquals(1, copies[i], "stable key " + i + " was inserted but is gone (seed " + seed + ")");
            }
        }
    }
}
