package lb.dataplane.table;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import lb.dataplane.net.IpProtocol;
import lb.dataplane.net.Ipv4Mapped;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several workers insert SYN and established connections, touch them and move them through TCP states while the
 * conductor sweeps with short timeouts, removes and exports. Workers share keys here (harsher than symmetric RSS,
 * which gives each connection one worker), so inserts and state changes of one entry race. Invariants: no torn read,
 * never two live entries for one key, half-open count exact at quiescence and never above its limit, no probe-limit
 * failure in a table with room, no livelock.
 */
@Tag(StressRun.TAG)
class ConnectionStressTest {
    private static final int CAPACITY = 1 << 13;
    private static final int KEYS = 1500;
    private static final int HALF_OPEN_LIMIT = 100;
    private static final int WRITERS = 3;
    private static final int ROUNDS = 5;
    private static final long ROUND_MS = 300;
    private static final int TCP = IpProtocol.TCP;

    private final AtomicLong clock = new AtomicLong(1);
    private final LongAdder created = new LongAdder();
    private final LongAdder halfOpenLimited = new LongAdder();
    private final LongAdder transitions = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private StressRun run;

    static int version(final int i) {
        return (i & 1) == 0 ? 4 : 6;
    }

    static long clientHi(final int i) {
        return (i & 1) == 0 ? Ipv4Mapped.HIGH : 0x2001_0db8_0000_0000L;
    }

    static long clientLo(final int i) {
        return (i & 1) == 0 ? Ipv4Mapped.low(0xC0A8_0000 | i) : 0x5555_0000_0000_0000L | i;
    }

    static int clientPort(final int i) {
        return 1024 + i;
    }

    static long vipLo(final int i) {
        return (i & 1) == 0 ? Ipv4Mapped.low(0x0A00_0001) : 1;
    }

    static long vipHi(final int i) {
        return (i & 1) == 0 ? Ipv4Mapped.HIGH : 0x2001_0db8_ffff_0000L;
    }

    static int owner(final int i) {
        return (i * 40_503 + 1) & 0xFFFF;
    }

    static int bucket(final int i) {
        return (i * 31) & 0xFFFF;
    }

    static int rule(final int i) {
        return i % 32;
    }

    private static long lookup(final ConnectionTable table, final int i) {
        return table.lookup(TCP, version(i), clientHi(i), clientLo(i), clientPort(i), vipHi(i), vipLo(i), 443);
    }

    @Test
    void shouldKeepHalfOpenCountExactAndEntriesConsistentUnderConcurrentWritersAndSweeps()
        throws InterruptedException {
        final long seed = TestSeeds.seed("ConnectionStressTest");
        final SplittableRandom seeds = new SplittableRandom(seed);
        final long startNs = System.nanoTime();
        try (ConnectionTable table = new ConnectionTable(new ConnectionTableContext()
            .capacity(CAPACITY).probeLimit(16).halfOpenLimit(HALF_OPEN_LIMIT).hashSeed(seeds.nextLong())
            .synSeenTimeoutTicks(3).establishedTimeoutTicks(30).closingTimeoutTicks(5))) {
            for (int round = 0; round < ROUNDS; round++) {
                run = new StressRun();
                final Runnable[] bodies = new Runnable[WRITERS + 2];
                for (int w = 0; w < WRITERS; w++) {
                    bodies[w] = writer(table, seeds.nextLong());
                }
                bodies[WRITERS] = reader(table, seeds.nextLong());
                bodies[WRITERS + 1] = conductor(table, seeds.nextLong());
                run.run(ROUND_MS, bodies);
                assertEquals(0, run.failures().size(), () -> "round of seed " + seed + ": " + run.failures());
                checkAtQuiescence(table, seed);
            }
        }
        System.out.printf("ConnectionStressTest: %d rounds of %d ms, %d writers + reader + conductor: %d created, " +
                "%d transitions, %d half-open-limit refusals, %d reads, 0 violations, %d ms%n", ROUNDS, ROUND_MS,
            WRITERS, created.sum(), transitions.sum(), halfOpenLimited.sum(), reads.sum(),
            (System.nanoTime() - startNs) / 1_000_000);
        assertTrue(halfOpenLimited.sum() > 0, "the half-open limit should have been reached");
    }

    private Runnable writer(final ConnectionTable table, final long seed) {
        return () -> {
            final SplittableRandom random = new SplittableRandom(seed);
            while (run.running()) {
                final int i = random.nextInt(KEYS);
                long handle = lookup(table, i);
                if (handle >= 0) {
                    check(i, table.meta(handle), "lookup");
                    reads.increment();
                    final int action = random.nextInt(8);
                    if (action < 4) {
                        table.touch(handle, clock.get());
                    } else if (table.transition(handle, action < 7 ? EntryMeta.ESTABLISHED : EntryMeta.CLOSING)) {
                        transitions.increment();
                    }
                    continue;
                }
                final int state = random.nextInt(5) < 4 ? EntryMeta.SYN_SEEN : EntryMeta.ESTABLISHED;
                handle = table.insert(TCP, version(i), clientHi(i), clientLo(i), clientPort(i), vipHi(i), vipLo(i),
                    443, owner(i), bucket(i), rule(i), state, clock.get());
                if (handle == TableResult.HALF_OPEN_LIMIT) {
                    halfOpenLimited.increment();
                } else if (handle < 0) {
                    run.fail("insert of key " + i + " failed with " + handle + " in a table with room");
                } else {
                    if (TableResult.isCreated(handle)) {
                        created.increment();
                    }
                    check(i, table.meta(handle), "insert");
                }
                if (table.halfOpen() > HALF_OPEN_LIMIT + WRITERS) {
                    run.fail("half-open count " + table.halfOpen() + " beyond limit and in-flight reservations");
                }
            }
        };
    }

    private Runnable reader(final ConnectionTable table, final long seed) {
        return () -> {
            final SplittableRandom random = new SplittableRandom(seed);
            while (run.running()) {
                final int i = random.nextInt(KEYS);
                check(i, table.meta(lookup(table, i)), "reader");
                reads.increment();
            }
        };
    }

    private Runnable conductor(final ConnectionTable table, final long seed) {
        return () -> {
            final SplittableRandom random = new SplittableRandom(seed);
            final BucketSet buckets = new BucketSet();
            for (int i = 0; i < KEYS; i += 3) {
                buckets.add(bucket(i));
            }
            final ConnectionVisitor exported =
                (protocol, ipVersion, clientHi, clientLo, clientPort, vipHi, vipLo, vipPort, meta, lastSeen) -> {
                    final int i = clientPort - 1024;
                    if (i < 0 || i >= KEYS || protocol != TCP || ipVersion != version(i) ||
                        clientHi != clientHi(i) || clientLo != clientLo(i) || vipHi != vipHi(i) ||
                        vipLo != vipLo(i) || vipPort != 443) {
                        run.fail("export: torn key at client port " + clientPort);
                    } else {
                        check(i, meta, "export");
                    }
                };
            int loops = 0;
            while (run.running()) {
                table.sweep(clock.incrementAndGet(), 128);
                if (random.nextInt(8) == 0) {
                    final int i = random.nextInt(KEYS);
                    table.remove(TCP, version(i), clientHi(i), clientLo(i), clientPort(i), vipHi(i), vipLo(i), 443);
                }
                if (++loops % 256 == 0) {
                    for (int from = 0; from < CAPACITY; from += 1024) {
                        table.forEachInBuckets(buckets, from, 1024, exported);
                    }
                }
            }
        };
    }

    private void check(final int i, final long meta, final String where) {
        if (meta != TableResult.NOT_FOUND &&
            (meta < 0 || EntryMeta.owner(meta) != owner(i) || EntryMeta.bucket(meta) != bucket(i) ||
                EntryMeta.rule(meta) != rule(i) || Integer.bitCount(EntryMeta.tcpState(meta)) != 1)) {
            run.fail(where + ": torn read for key " + i + ": meta " + Long.toHexString(meta));
        }
    }

    private void checkAtQuiescence(final ConnectionTable table, final long seed) {
        final int[] copies = new int[KEYS];
        final long[] entry = new long[ConnectionTable.KEY_WORDS + 2];
        long synSeen = 0;
        for (int slot = 0; slot < CAPACITY; slot++) {
            if (table.core().read(slot, entry) < 0) {
                continue;
            }
            final int i = (int)(entry[4] >>> 16 & 0xFFFF) - 1024;
            assertTrue(i >= 0 && i < KEYS && entry[0] == clientHi(i) && entry[1] == clientLo(i) &&
                entry[2] == vipHi(i) && entry[3] == vipLo(i), "slot " + slot + " holds an unknown key (seed " + seed +
                ")");
            assertEquals(owner(i), EntryMeta.owner(entry[5]), "slot " + slot + " (seed " + seed + ")");
            synSeen += EntryMeta.tcpState(entry[5]) == EntryMeta.SYN_SEEN ? 1 : 0;
            copies[i]++;
        }
        for (int i = 0; i < KEYS; i++) {
            assertTrue(copies[i] <= 1, "key " + i + " has " + copies[i] + " live entries (seed " + seed + ")");
        }
        assertEquals(synSeen, table.halfOpen(), "half-open count at quiescence (seed " + seed + ")");
        assertTrue(synSeen <= HALF_OPEN_LIMIT, "half-open entries " + synSeen + " (seed " + seed + ")");
    }
}
