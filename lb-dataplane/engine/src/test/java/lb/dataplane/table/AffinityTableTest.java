package lb.dataplane.table;

import java.util.ArrayList;
import java.util.List;

import lb.dataplane.net.Ipv4Mapped;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behaviour of {@link AffinityTable}: stickiness per rule with the rule's timeout, foreign entries, export, flush,
 * and the control plane's selective removals (own claims by bucket or client, foreign entries by owner).
 */
class AffinityTableTest {
    private static final long CLIENT = Ipv4Mapped.low(0xC0A8_0100);

    private final AffinityTable table = new AffinityTable(new AffinityTableContext().capacity(1024).hashSeed(7));

    @AfterEach
    void close() {
        table.close();
    }

    @Test
    void shouldKeepClientStickyUntilRuleTimeoutPassesWithoutTraffic() {
        table.ruleTimeoutTicks(2, 20 * 60);
        final long handle = table.insert(2, 4, 0, CLIENT, 1, 33, 0);
        assertTrue(TableResult.isCreated(handle));

        table.touch(table.lookup(2, 4, 0, CLIENT), 600);
        table.sweep(1800, table.capacity());
        assertEquals(1, EntryMeta.owner(table.meta(table.lookup(2, 4, 0, CLIENT))));
        table.sweep(1801, table.capacity());
        assertEquals(TableResult.NOT_FOUND, table.lookup(2, 4, 0, CLIENT));
        assertEquals(1, table.expirations());
    }

    @Test
    void shouldApplyEachRuleItsOwnTimeout() {
        table.ruleTimeoutTicks(0, 10);
        table.ruleTimeoutTicks(1, 100);
        table.insert(0, 4, 0, CLIENT, 1, 0, 0);
        table.insert(1, 4, 0, CLIENT, 1, 0, 0);

        table.sweep(50, table.capacity());

        assertEquals(TableResult.NOT_FOUND, table.lookup(0, 4, 0, CLIENT));
        assertTrue(table.lookup(1, 4, 0, CLIENT) >= 0);
    }

    @Test
    void shouldReturnTheFirstOwnerWhenTwoWorkersMakeTheSameClientSticky() {
        final long first = table.insert(1, 6, 0x2001_0db8_0001_0000L, 0, 4, 9, 0);
        final long second = table.insert(1, 6, 0x2001_0db8_0001_0000L, 0, 5, 9, 0);

        assertTrue(TableResult.isCreated(first));
        assertFalse(TableResult.isCreated(second));
        assertEquals(4, EntryMeta.owner(table.meta(second)));
    }

    @Test
    void shouldOverwriteOwnerWhenControlPlaneInstallsForeignEntry() {
        table.ruleTimeoutTicks(1, 100);
        table.insert(1, 4, 0, CLIENT, 3, 12, 50);

        final long handle = table.installForeign(1, 4, 0, CLIENT, 1, 12, 80);

        final long meta = table.meta(handle);
        assertEquals(1, EntryMeta.owner(meta));
        assertTrue(EntryMeta.isForeign(meta));
        assertEquals(12, EntryMeta.bucket(meta));
        table.sweep(180, table.capacity());
        assertTrue(table.lookup(1, 4, 0, CLIENT) >= 0, "last seen became the later of local and foreign");
        table.sweep(181, table.capacity());
        assertEquals(TableResult.NOT_FOUND, table.lookup(1, 4, 0, CLIENT));
    }

    @Test
    void shouldCreateForeignEntryForUnknownClient() {
        table.ruleTimeoutTicks(1, 100);
        final long handle = table.installForeign(1, 4, 0, CLIENT, 2, 5, 10);
        assertTrue(TableResult.isCreated(handle));
        assertTrue(EntryMeta.isForeign(table.meta(table.lookup(1, 4, 0, CLIENT))));
    }

    @Test
    void shouldKeepForeignEntryAliveWhileClientSendsTraffic() {
        table.ruleTimeoutTicks(1, 100);
        table.installForeign(1, 4, 0, CLIENT, 2, 5, 0);
        for (long now = 90; now < 1000; now += 90) {
            table.touch(table.lookup(1, 4, 0, CLIENT), now);
            table.sweep(now + 50, table.capacity());
        }
        assertEquals(2, EntryMeta.owner(table.meta(table.lookup(1, 4, 0, CLIENT))));
    }

    @Test
    void shouldExportStickyClientsOfMovedBucketsOnly() {
        for (int i = 0; i < 120; i++) {
            table.insert(i % 2, 4, 0, Ipv4Mapped.low(0x0A01_0000 + (i << 8)), 1, i % 60, 1000 + i);
        }
        final BucketSet moved = new BucketSet().add(0).add(59);
        final List<Long> clients = new ArrayList<>();
        final int visited = table.forEachInBuckets(moved, 0, table.capacity(),
            (rule, ipVersion, clientHi, clientLo, meta, lastSeen) -> {
                final int i = (int)((clientLo & 0xFFFF_FFFFL) - 0x0A01_0000) >>> 8;
                assertEquals(i % 2, rule);
                assertEquals(4, ipVersion);
                assertEquals(Ipv4Mapped.HIGH, clientHi);
                assertEquals(i % 60, EntryMeta.bucket(meta));
                assertEquals(1000 + i, lastSeen);
                clients.add(clientLo);
            });
        assertEquals(4, visited);
        assertEquals(4, clients.size());
    }

    @Test
    void shouldFlushOneRuleOrAll() {
        for (int i = 0; i < 30; i++) {
            table.insert(i % 3, 4, 0, Ipv4Mapped.low(i << 8), 1, 0, 0);
        }
        assertEquals(10, table.flushRule(2, 0, table.capacity()));
        assertEquals(TableResult.NOT_FOUND, table.lookup(2, 4, 0, Ipv4Mapped.low(2 << 8)));
        assertTrue(table.lookup(1, 4, 0, Ipv4Mapped.low(1 << 8)) >= 0);
        assertEquals(20, table.flush(0, table.capacity()));
        assertFalse(table.remove(0, 4, 0, CLIENT));
    }

    @Test
    void shouldRemoveOneClient() {
        table.insert(0, 4, 0, CLIENT, 1, 0, 0);
        assertTrue(table.remove(0, 4, 0, CLIENT));
        assertEquals(TableResult.NOT_FOUND, table.lookup(0, 4, 0, CLIENT));
        assertFalse(table.remove(0, 4, 0, CLIENT));
    }

    @Test
    void shouldRemoveAClientsOwnEntryButNotAForeignOne() {
        table.insert(0, 4, 0, CLIENT, 1, 0, 0);
        table.installForeign(1, 4, 0, CLIENT, 2, 0, 0);

        assertTrue(table.removeOwn(0, 4, 0, CLIENT));
        assertFalse(table.removeOwn(1, 4, 0, CLIENT), "a foreign entry is not this host's claim");
        assertFalse(table.removeOwn(0, 4, 0, CLIENT), "already gone");

        assertEquals(TableResult.NOT_FOUND, table.lookup(0, 4, 0, CLIENT));
        assertEquals(2, EntryMeta.owner(table.meta(table.lookup(1, 4, 0, CLIENT))));
    }

    @Test
    void shouldRemoveOnlyOwnEntriesOfTheRuleInTheBuckets() {
        // Client i: rule i % 2, bucket i % 6, foreign (owner 2) when i % 3 == 0, else own (owner 1).
        for (int i = 0; i < 120; i++) {
            if (i % 3 == 0) {
                table.installForeign(i % 2, 4, 0, Ipv4Mapped.low(0x0A01_0000 + (i << 8)), 2, i % 6, 0);
            } else {
                table.insert(i % 2, 4, 0, Ipv4Mapped.low(0x0A01_0000 + (i << 8)), 1, i % 6, 0);
            }
        }
        final BucketSet dropped = new BucketSet().add(1).add(4);

        int removed = 0;
        for (int from = 0; from < table.capacity(); from += 100) {
            removed += table.removeOwnInBuckets(1, dropped, from, 100);
        }

        int expected = 0;
        for (int i = 0; i < 120; i++) {
            final boolean gone = i % 2 == 1 && i % 3 != 0 && (i % 6 == 1 || i % 6 == 4);
            expected += gone ? 1 : 0;
            assertEquals(!gone, table.lookup(i % 2, 4, 0, Ipv4Mapped.low(0x0A01_0000 + (i << 8))) >= 0, "client " + i);
        }
        assertEquals(expected, removed);
        assertTrue(expected > 0);
    }

    @Test
    void shouldRemoveForeignEntriesOfOneOwnerInEveryRule() {
        // Client i: rule i % 3; own (owner 1) when i % 4 == 0, else foreign of owner 2 + i % 2 (2 or 3).
        for (int i = 0; i < 90; i++) {
            final long client = Ipv4Mapped.low(0x0A02_0000 + (i << 8));
            if (i % 4 == 0) {
                table.insert(i % 3, 4, 0, client, 2, i % 5, 0);
            } else {
                table.installForeign(i % 3, 4, 0, client, 2 + i % 2, i % 5, 0);
            }
        }

        final int removed = table.removeForeignOf(2, 0, table.capacity());

        int expected = 0;
        for (int i = 0; i < 90; i++) {
            final boolean gone = i % 4 != 0 && i % 2 == 0;
            expected += gone ? 1 : 0;
            assertEquals(!gone, table.lookup(i % 3, 4, 0, Ipv4Mapped.low(0x0A02_0000 + (i << 8))) >= 0, "client " + i);
        }
        assertEquals(expected, removed);
        assertTrue(expected > 0);
    }

    @Test
    void shouldNameTheArgumentWhenASelectiveRemovalIsOutOfRange() {
        final BucketSet buckets = new BucketSet().add(0);
        assertEquals("rule must be between 0 and 255, was 256",
            assertThrows(IllegalArgumentException.class,
                () -> table.removeOwnInBuckets(256, buckets, 0, 1)).getMessage());
        assertEquals("fromSlot must be between 0 and capacity (1024), was 1025",
            assertThrows(IllegalArgumentException.class, () -> table.removeForeignOf(2, 1025, 1)).getMessage());
    }

    @Test
    void shouldNameRuleAndRangeWhenTimeoutArgumentsAreInvalid() {
        assertEquals("rule must be between 0 and 255, was -1",
            assertThrows(IllegalArgumentException.class, () -> table.ruleTimeoutTicks(-1, 5)).getMessage());
        assertEquals("ticks must be at least 0, was -5",
            assertThrows(IllegalArgumentException.class, () -> table.ruleTimeoutTicks(1, -5)).getMessage());
    }
}
