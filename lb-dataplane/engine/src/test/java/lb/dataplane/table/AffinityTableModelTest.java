package lb.dataplane.table;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

import lb.dataplane.net.Ipv4Mapped;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random inserts, foreign installs, lookups, touches, removals (of any entry, of own entries by client or by bucket,
 * of one owner's foreign entries), rule-timeout changes, full sweeps and rule flushes on an {@link AffinityTable},
 * checked one by one against a {@link HashMap} model.
 */
class AffinityTableModelTest {
    private static final int OPERATIONS = 300_000;
    private static final int CLIENTS = 3000;
    private static final int RULES = 4;

    private record Sticky(int owner, int bucket, boolean foreign, long lastSeen) {
    }

    @Test
    void shouldAgreeWithHashMapModelOverRandomOperations() {
        final long seed = TestSeeds.seed("AffinityTableModelTest");
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] timeouts = new long[RULES];
        final Map<Integer, Sticky> model = new HashMap<>();
        long now = 1;
        long expired = 0;
        try (AffinityTable table = new AffinityTable(new AffinityTableContext()
            .capacity(1 << 14).probeLimit(16).hashSeed(random.nextLong()))) {
            for (int rule = 0; rule < RULES; rule++) {
                timeouts[rule] = 50 + random.nextInt(200);
                table.ruleTimeoutTicks(rule, timeouts[rule]);
            }
            for (int op = 0; op < OPERATIONS; op++) {
                final int k = random.nextInt(CLIENTS * RULES);
                final int rule = k % RULES;
                final int version = (k & 4) == 0 ? 4 : 6;
                final long hi = version == 4 ? Ipv4Mapped.HIGH : 0x2001_0db8_0000_0000L;
                final long lo = version == 4 ? Ipv4Mapped.low(k << 8) : (long)k << 40;
                final Sticky sticky = model.get(k);
                final String where = "op " + op + " (seed " + seed + ")";
                final int dice = random.nextInt(100);
                if (dice < 30) {
                    final long handle = table.insert(rule, version, hi, lo, random.nextInt(32), random.nextInt(60), now);
                    assertEquals(sticky == null, TableResult.isCreated(handle), where);
                    if (sticky == null) {
                        final long meta = table.meta(handle);
                        model.put(k, new Sticky(EntryMeta.owner(meta), EntryMeta.bucket(meta), false, now));
                    }
                } else if (dice < 38) {
                    final int owner = random.nextInt(32);
                    final int bucket = random.nextInt(60);
                    final long lastSeen = now - random.nextInt(40);
                    assertTrue(table.installForeign(rule, version, hi, lo, owner, bucket, lastSeen) >= 0, where);
                    model.put(k, new Sticky(owner, bucket, true,
                        sticky == null ? lastSeen : Math.max(sticky.lastSeen, lastSeen)));
                } else if (dice < 70) {
                    final long meta = table.meta(table.lookup(rule, version, hi, lo));
                    if (sticky == null) {
                        assertEquals(TableResult.NOT_FOUND, meta, where);
                    } else {
                        assertEquals(sticky.owner, EntryMeta.owner(meta), where);
                        assertEquals(sticky.bucket, EntryMeta.bucket(meta), where);
                        assertEquals(rule, EntryMeta.rule(meta), where);
                        assertEquals(sticky.foreign, EntryMeta.isForeign(meta), where);
                    }
                } else if (dice < 85) {
                    assertEquals(sticky != null, table.touch(table.lookup(rule, version, hi, lo), now), where);
                    if (sticky != null) {
                        model.put(k, new Sticky(sticky.owner, sticky.bucket, sticky.foreign, now));
                    }
                } else if (dice < 89) {
                    assertEquals(sticky != null, table.remove(rule, version, hi, lo), where);
                    model.remove(k);
                } else if (dice < 91) {
                    final boolean own = sticky != null && !sticky.foreign;
                    assertEquals(own, table.removeOwn(rule, version, hi, lo), where + ": own removed");
                    if (own) {
                        model.remove(k);
                    }
                } else if (dice < 92) {
                    if (random.nextBoolean()) {
                        final BucketSet buckets = new BucketSet();
                        for (int b = 0; b < 60; b++) {
                            if (random.nextInt(4) == 0) {
                                buckets.add(b);
                            }
                        }
                        assertEquals(model.entrySet().stream().filter(e -> e.getKey() % RULES == rule &&
                                !e.getValue().foreign && buckets.contains(e.getValue().bucket)).count(),
                            table.removeOwnInBuckets(rule, buckets, 0, table.capacity()), where + ": claims dropped");
                        model.entrySet().removeIf(e -> e.getKey() % RULES == rule && !e.getValue().foreign &&
                            buckets.contains(e.getValue().bucket));
                    } else {
                        final int owner = random.nextInt(32);
                        assertEquals(model.values().stream().filter(v -> v.foreign && v.owner == owner).count(),
                            table.removeForeignOf(owner, 0, table.capacity()), where + ": foreign released");
                        model.values().removeIf(v -> v.foreign && v.owner == owner);
                    }
                } else if (dice < 99) {
                    now += random.nextInt(20);
                    int expect = 0;
                    for (final Iterator<Map.Entry<Integer, Sticky>> it = model.entrySet().iterator(); it.hasNext(); ) {
                        final Map.Entry<Integer, Sticky> entry = it.next();
                        if (now - entry.getValue().lastSeen > timeouts[entry.getKey() % RULES]) {
                            it.remove();
                            expect++;
                        }
                    }
                    assertEquals(expect, table.sweep(now, table.capacity()), where + ": expired");
                    expired += expect;
                } else if (random.nextInt(10) == 0) {
                    assertEquals(model.keySet().stream().filter(c -> c % RULES == rule).count(),
                        table.flushRule(rule, 0, table.capacity()), where + ": flushed");
                    model.keySet().removeIf(c -> c % RULES == rule);
                } else {
                    timeouts[rule] = random.nextInt(300);
                    table.ruleTimeoutTicks(rule, timeouts[rule]);
                }
            }
        }
        System.out.printf("AffinityTableModelTest: %d ops, %d expired, 0 mismatches%n", OPERATIONS, expired);
        assertTrue(expired > 1000, "the run should exercise expiry");
    }
}
