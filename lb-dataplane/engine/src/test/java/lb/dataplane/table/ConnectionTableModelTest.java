package lb.dataplane.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random operations on a {@link ConnectionTable} checked one by one against a {@link HashMap} model, including which
 * entries an incremental sweep expires (the model knows each entry's slot and follows the sweep cursor).
 */
class ConnectionTableModelTest {
    private static final int OPERATIONS = 1_000_000;
    private static final int CAPACITY = 1 << 12;
    private static final int PROBE_LIMIT = 8;
    private static final int KEYS = 5000;
    private static final int HALF_OPEN_LIMIT = 150;
    private static final long SYN = 40;
    private static final long ESTABLISHED = 300;
    private static final long CLOSING = 25;
    private static final long GRE = 15;
    private static final long IPSEC = 900;
    private static final long UDP = 60;

    private ConnectionTable table;

    @AfterEach
    void close() {
        if (table != null) {
            table.close();
        }
    }

    @Test
    void shouldAgreeWithHashMapModelOverMillionRandomOperations() {
        final long seed = TestSeeds.seed("ConnectionTableModelTest");
        final SplittableRandom random = new SplittableRandom(seed);
        final long hashSeed = random.nextLong();
        table = new ConnectionTable(new ConnectionTableContext()
            .capacity(CAPACITY).probeLimit(PROBE_LIMIT).halfOpenLimit(HALF_OPEN_LIMIT).hashSeed(hashSeed)
            .synSeenTimeoutTicks(SYN).establishedTimeoutTicks(ESTABLISHED).closingTimeoutTicks(CLOSING)
            .greTimeoutTicks(GRE).ipsecTimeoutTicks(IPSEC).udpTimeoutTicks(UDP));
        final long memory = table.memoryLength();
        final ConnKey[] keys = distinctKeys(random);
        final Model model = new Model(keys, hashSeed, seed);
        final long startNs = System.nanoTime();
        final int[] ops = new int[8];
        for (int op = 0; op < OPERATIONS; op++) {
            final int dice = random.nextInt(1000);
            final int k = random.nextInt(KEYS);
            model.op = op;
            if (dice < 350) {
                ops[0]++;
                model.insert(k, random.nextInt(65_536), random.nextInt(64), random.nextInt(4),
                    random.nextInt(10) < 7 ? EntryMeta.SYN_SEEN : EntryMeta.ESTABLISHED);
            } else if (dice < 600) {
                ops[1]++;
                model.lookup(k);
            } else if (dice < 700) {
                ops[2]++;
                model.touch(k);
            } else if (dice < 800) {
                ops[3]++;
                final int state = switch (random.nextInt(3)) {
                    case 0 -> EntryMeta.SYN_SEEN;
                    case 1 -> EntryMeta.ESTABLISHED;
                    default -> EntryMeta.CLOSING;
                };
                model.transition(k, state);
            } else if (dice < 880) {
                ops[4]++;
                model.remove(k);
            } else if (dice < 999) {
                ops[5]++;
                model.now += random.nextInt(4) == 0 ? 1 : 0;
                model.sweep(1 + random.nextInt(512));
            } else if (random.nextInt(5) == 0) {
                ops[6]++;
                model.export(random);
            } else if (random.nextInt(20) == 0) {
                ops[7]++;
                model.flushRule(random.nextInt(4));
            }
            if (table.halfOpen() != model.halfOpen) {
                fail(model.where() + ": half-open " + table.halfOpen() + ", model " + model.halfOpen);
            }
        }
        assertEquals(memory, table.memoryLength());
        System.out.printf("ConnectionTableModelTest: %d ops in %d ms (insert %d, lookup %d, touch %d, transition %d, " +
                "remove %d, sweep %d, export %d, flush %d); created %d, expired %d, probe-limit %d, " +
                "half-open-limit %d, max live %d, 0 mismatches%n",
            OPERATIONS, (System.nanoTime() - startNs) / 1_000_000, ops[0], ops[1], ops[2], ops[3], ops[4], ops[5],
            ops[6], ops[7], model.created, model.expired, model.probeLimited, model.halfOpenLimited, model.maxLive);
        assertTrue(model.expired > 10_000, "the run should exercise expiry");
        assertTrue(model.halfOpenLimited > 0, "the run should reach the half-open limit");
    }

    private static ConnKey[] distinctKeys(final SplittableRandom random) {
        final Set<ConnKey> keys = new LinkedHashSet<>();
        while (keys.size() < KEYS) {
            keys.add(ConnKey.random(random));
        }
        return keys.toArray(new ConnKey[0]);
    }

    private static int kindOf(final ConnKey key) {
        return switch (key.protocol()) {
            case 6 -> ConnectionTable.KIND_TCP;
            case 47 -> ConnectionTable.KIND_GRE;
            default -> key.vipPort() == 500 || key.vipPort() == 4500 ? ConnectionTable.KIND_IPSEC :
                ConnectionTable.KIND_UDP;
        };
    }

    private static final class Entry {
        final int owner;
        final int bucket;
        final int rule;
        final int kind;
        final int slot;
        int state;
        long lastSeen;

        Entry(final int owner, final int bucket, final int rule, final int kind, final int state, final int slot,
            final long lastSeen) {
            this.owner = owner;
            this.bucket = bucket;
            this.rule = rule;
            this.kind = kind;
            this.state = state;
            this.slot = slot;
            this.lastSeen = lastSeen;
        }

        long timeout() {
            return switch (kind) {
                case ConnectionTable.KIND_TCP -> state == EntryMeta.SYN_SEEN ? SYN :
                    state == EntryMeta.CLOSING ? CLOSING : ESTABLISHED;
                case ConnectionTable.KIND_UDP -> UDP;
                case ConnectionTable.KIND_GRE -> GRE;
                default -> IPSEC;
            };
        }
    }

    private final class Model {
        final ConnKey[] keys;
        final long hashSeed;
        final long seed;
        int op;
        final Map<Integer, Entry> entries = new HashMap<>();
        final int[] keyAtSlot = new int[CAPACITY];
        final Entry[] entryAtSlot = new Entry[CAPACITY];
        long now = 1;
        long cursor;
        long seenLive;
        long passLive;
        long halfOpen;
        long created;
        long expired;
        long probeLimited;
        long halfOpenLimited;
        int maxLive;

        Model(final ConnKey[] keys, final long hashSeed, final long seed) {
            this.keys = keys;
            this.hashSeed = hashSeed;
            this.seed = seed;
            Arrays.fill(keyAtSlot, -1);
        }

        void insert(final int k, final int owner, final int bucket, final int rule, final int state) {
            final ConnKey key = keys[k];
            final Entry existing = entries.get(k);
            final long handle = key.insert(table, owner, bucket, rule, state, now);
            if (existing != null) {
                assertTrue(handle >= 0 && !TableResult.isCreated(handle),
                    () -> where() + ": insert of a tracked key");
                assertEquals(existing.slot, OffHeapHashTable.slotOf(handle));
                check(existing, table.meta(handle));
                return;
            }
            final int kind = kindOf(key);
            final int storedState = kind == ConnectionTable.KIND_TCP ? state : 0;
            final boolean syn = storedState == EntryMeta.SYN_SEEN;
            if (handle == TableResult.PROBE_LIMIT) {
                assertWindowFull(key);
                probeLimited++;
                return;
            }
            if (syn && halfOpen >= HALF_OPEN_LIMIT) {
                assertEquals(TableResult.HALF_OPEN_LIMIT, handle, () -> where() + ": half-open insert at the limit");
                halfOpenLimited++;
                return;
            }
            assertTrue(TableResult.isCreated(handle), () -> where() + ": insert of a new key returned " + handle);
            final int slot = OffHeapHashTable.slotOf(handle);
            assertEquals(-1, keyAtSlot[slot], () -> where() + ": slot already used");
            final Entry entry = new Entry(owner, bucket, rule, kind, storedState, slot, now);
            entries.put(k, entry);
            keyAtSlot[slot] = k;
            entryAtSlot[slot] = entry;
            halfOpen += syn ? 1 : 0;
            created++;
            maxLive = Math.max(maxLive, entries.size());
            check(entry, table.meta(handle));
        }

        void lookup(final int k) {
            final Entry entry = entries.get(k);
            final long handle = keys[k].lookup(table);
            if (entry == null) {
                assertEquals(TableResult.NOT_FOUND, handle, () -> where() + ": lookup of an absent key");
            } else {
                assertTrue(handle >= 0, () -> where() + ": lookup of a present key");
                assertEquals(entry.slot, OffHeapHashTable.slotOf(handle));
                check(entry, table.meta(handle));
            }
        }

        void touch(final int k) {
            final Entry entry = entries.get(k);
            final long handle = keys[k].lookup(table);
            assertEquals(entry != null, table.touch(handle, now), () -> where() + ": touch");
            if (entry != null) {
                entry.lastSeen = Math.max(entry.lastSeen, now);
            }
        }

        void transition(final int k, final int state) {
            final Entry entry = entries.get(k);
            final long handle = keys[k].lookup(table);
            final boolean tcp = entry != null && entry.kind == ConnectionTable.KIND_TCP;
            assertEquals(tcp, table.transition(handle, state), () -> where() + ": transition");
            if (tcp) {
                halfOpen += (state == EntryMeta.SYN_SEEN ? 1 : 0) - (entry.state == EntryMeta.SYN_SEEN ? 1 : 0);
                entry.state = state;
                check(entry, table.meta(handle));
            }
        }

        void remove(final int k) {
            final Entry entry = entries.remove(k);
            assertEquals(entry != null, keys[k].remove(table), () -> where() + ": remove");
            if (entry != null) {
                forget(entry);
            }
        }

        void sweep(final int limit) {
            int expect = 0;
            for (int i = 0; i < limit; i++) {
                final int slot = (int)(cursor & (CAPACITY - 1));
                final Entry entry = entryAtSlot[slot];
                if (entry != null) {
                    if (now - entry.lastSeen > entry.timeout()) {
                        entries.remove(keyAtSlot[slot]);
                        forget(entry);
                        expect++;
                    } else {
                        seenLive++;
                    }
                }
                cursor++;
                if ((cursor & (CAPACITY - 1)) == 0) {
                    passLive = seenLive;
                    seenLive = 0;
                }
            }
            final long before = table.expirations();
            assertEquals(expect, table.sweep(now, limit), () -> where() + ": expired by sweep");
            assertEquals(before + expect, table.expirations());
            assertEquals(passLive, table.liveEntries(), () -> where() + ": live entries of the last complete pass");
            expired += expect;
        }

        void export(final SplittableRandom random) {
            final BucketSet buckets = new BucketSet();
            final Set<Integer> chosen = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                final int bucket = random.nextInt(64);
                buckets.add(bucket);
                chosen.add(bucket);
            }
            final Map<ConnKey, Integer> index = new HashMap<>();
            for (final int k : entries.keySet()) {
                index.put(keys[k], k);
            }
            final List<Integer> visited = new ArrayList<>();
            for (int from = 0; from < CAPACITY; from += 1024) {
                table.forEachInBuckets(buckets, from, 1024,
                    (protocol, ipVersion, clientHi, clientLo, clientPort, vipHi, vipLo, vipPort, meta, lastSeen) -> {
                        final Integer k = index.get(new ConnKey(protocol, ipVersion, clientHi, clientLo, clientPort,
                            vipHi, vipLo, vipPort));
                        if (k == null) {
                            fail(where() + ": export produced a key the model does not hold");
                        }
                        final Entry entry = entries.get(k);
                        check(entry, meta);
                        assertEquals(entry.lastSeen, lastSeen);
                        visited.add(k);
                    });
            }
            final long expected = entries.values().stream().filter(e -> chosen.contains(e.bucket)).count();
            assertEquals(expected, visited.size(), () -> where() + ": exported entries");
            assertEquals(visited.size(), new HashSet<>(visited).size(), () -> where() + ": exported twice");
        }

        void flushRule(final int rule) {
            final List<Integer> doomed = new ArrayList<>();
            entries.forEach((k, e) -> {
                if (e.rule == rule) {
                    doomed.add(k);
                }
            });
            int removed = 0;
            for (int from = 0; from < CAPACITY; from += 1000) {
                removed += table.flushRule(rule, from, 1000);
            }
            assertEquals(doomed.size(), removed, () -> where() + ": flushed");
            for (final int k : doomed) {
                forget(entries.remove(k));
            }
        }

        String where() {
            return "op " + op + " (seed " + seed + ")";
        }

        private void forget(final Entry entry) {
            keyAtSlot[entry.slot] = -1;
            entryAtSlot[entry.slot] = null;
            halfOpen -= entry.state == EntryMeta.SYN_SEEN ? 1 : 0;
        }

        private void check(final Entry entry, final long meta) {
            assertTrue(meta >= 0, () -> where() + ": meta of a present entry");
            assertEquals(entry.owner, EntryMeta.owner(meta), () -> where() + ": owner");
            assertEquals(entry.bucket, EntryMeta.bucket(meta), () -> where() + ": bucket");
            assertEquals(entry.rule, EntryMeta.rule(meta), () -> where() + ": rule");
            assertEquals(entry.state, EntryMeta.tcpState(meta), () -> where() + ": state");
            assertEquals(entry.kind, (EntryMeta.flags(meta) & EntryMeta.KIND_MASK) >>> EntryMeta.KIND_SHIFT,
                () -> where() + ": kind");
            assertFalse(EntryMeta.isForeign(meta));
        }

        private void assertWindowFull(final ConnKey key) {
            final int home = table.core().homeSlot(key.hash(hashSeed));
            for (int d = 0; d < PROBE_LIMIT; d++) {
                assertTrue(keyAtSlot[(home + d) & (CAPACITY - 1)] >= 0,
                    () -> where() + ": PROBE_LIMIT with a free slot");
            }
        }
    }
}
