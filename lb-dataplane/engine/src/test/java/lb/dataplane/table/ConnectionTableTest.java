package lb.dataplane.table;

import java.util.ArrayList;
import java.util.List;

import lb.dataplane.net.IpProtocol;
import lb.dataplane.net.Ipv4Mapped;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behaviour of {@link ConnectionTable}, driven synchronously with a fake clock (ticks are milliseconds here).
 */
class ConnectionTableTest {
    private static final int TCP = IpProtocol.TCP;
    private static final int UDP = IpProtocol.UDP;
    private static final int GRE = IpProtocol.GRE;
    private static final long CLIENT = Ipv4Mapped.low(0xC0A8_0001);
    private static final long VIP = Ipv4Mapped.low(0x0A00_0001);

    private final List<ConnectionTable> tables = new ArrayList<>();

    @AfterEach
    void close() {
        tables.forEach(ConnectionTable::close);
    }

    private ConnectionTable table(final ConnectionTableContext context) {
        final ConnectionTable table = new ConnectionTable(context.hashSeed(42));
        tables.add(table);
        return table;
    }

    private static long insertTcp(final ConnectionTable table, final int clientPort, final int state, final long now) {
        return table.insert(TCP, 4, 0, CLIENT, clientPort, 0, VIP, 443, 3, 17, 1, state, now);
    }

    private static long lookupTcp(final ConnectionTable table, final int clientPort) {
        return table.lookup(TCP, 4, 0, CLIENT, clientPort, 0, VIP, 443);
    }

    private static void sweepAll(final ConnectionTable table, final long now) {
        table.sweep(now, table.capacity());
    }

    @Test
    void shouldFindInsertedConnectionWithItsOwnerBucketRuleAndState() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024));
        final long created = insertTcp(table, 50_000, EntryMeta.SYN_SEEN, 1);
        assertTrue(TableResult.isCreated(created));

        final long meta = table.meta(lookupTcp(table, 50_000));
        assertEquals(3, EntryMeta.owner(meta));
        assertEquals(17, EntryMeta.bucket(meta));
        assertEquals(1, EntryMeta.rule(meta));
        assertEquals(EntryMeta.SYN_SEEN, EntryMeta.tcpState(meta));
        assertFalse(EntryMeta.isForeign(meta));
        assertEquals(TableResult.NOT_FOUND, lookupTcp(table, 50_001));
        assertEquals(TableResult.NOT_FOUND, table.lookup(TCP, 4, 0, CLIENT, 50_000, 0, VIP, 80));
    }

    @Test
    void shouldReturnExistingEntryWhenInsertingTrackedFlow() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024));
        final long first = insertTcp(table, 50_000, EntryMeta.ESTABLISHED, 1);
        final long second = table.insert(TCP, 4, 0, CLIENT, 50_000, 0, VIP, 443, 9, 9, 9, EntryMeta.SYN_SEEN, 2);

        assertTrue(second >= 0);
        assertFalse(TableResult.isCreated(second));
        assertEquals(OffHeapHashTable.slotOf(first), OffHeapHashTable.slotOf(second));
        assertEquals(3, EntryMeta.owner(table.meta(second)));
        assertEquals(0, table.halfOpen());
    }

    @Test
    void shouldKeepIpv4AndIpv6AndProtocolsApart() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024));
        table.insert(TCP, 4, 0, CLIENT, 1000, 0, VIP, 53, 1, 0, 0, EntryMeta.ESTABLISHED, 0);
        table.insert(UDP, 4, 0, CLIENT, 1000, 0, VIP, 53, 2, 0, 0, 0, 0);
        table.insert(TCP, 6, 0, CLIENT, 1000, 0, VIP, 53, 3, 0, 0, EntryMeta.ESTABLISHED, 0);

        assertEquals(1, EntryMeta.owner(table.meta(table.lookup(TCP, 4, 0, CLIENT, 1000, 0, VIP, 53))));
        assertEquals(2, EntryMeta.owner(table.meta(table.lookup(UDP, 4, 0, CLIENT, 1000, 0, VIP, 53))));
        assertEquals(3, EntryMeta.owner(table.meta(table.lookup(TCP, 6, 0, CLIENT, 1000, 0, VIP, 53))));
    }

    @Test
    void shouldRejectHalfOpenInsertWhenHalfOpenLimitReached() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024).halfOpenLimit(3));
        for (int port = 1; port <= 3; port++) {
            assertTrue(TableResult.isCreated(insertTcp(table, port, EntryMeta.SYN_SEEN, 0)));
        }

        assertEquals(TableResult.HALF_OPEN_LIMIT, insertTcp(table, 4, EntryMeta.SYN_SEEN, 0));
        assertEquals(3, table.halfOpen());
        assertTrue(TableResult.isCreated(insertTcp(table, 5, EntryMeta.ESTABLISHED, 0)),
            "established flows are not limited by half-open ones");
        assertTrue(insertTcp(table, 2, EntryMeta.SYN_SEEN, 0) >= 0, "a tracked flow's SYN still finds its entry");
    }

    @Test
    void shouldAdmitHalfOpenInsertAgainWhenHandshakeCompletes() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024).halfOpenLimit(1));
        final long handle = insertTcp(table, 1, EntryMeta.SYN_SEEN, 0);
        assertEquals(TableResult.HALF_OPEN_LIMIT, insertTcp(table, 2, EntryMeta.SYN_SEEN, 0));

        assertTrue(table.transition(handle, EntryMeta.ESTABLISHED));

        assertEquals(0, table.halfOpen());
        assertTrue(TableResult.isCreated(insertTcp(table, 2, EntryMeta.SYN_SEEN, 0)));
        assertEquals(1, table.halfOpen());
    }

    @Test
    void shouldReleaseHalfOpenPlaceWhenSynSeenEntryExpires() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024).halfOpenLimit(1));
        insertTcp(table, 1, EntryMeta.SYN_SEEN, 0);

        sweepAll(table, ConnectionTableContext.DEFAULT_SYN_SEEN_TIMEOUT_SECONDS * 1000 + 1);

        assertEquals(0, table.halfOpen());
        assertEquals(1, table.expirations());
        assertTrue(TableResult.isCreated(insertTcp(table, 2, EntryMeta.SYN_SEEN, 20_000)));
    }

    @Test
    void shouldUseNlbTimeoutsByDefault() {
        final ConnectionTableContext context = new ConnectionTableContext().conclude();
        assertEquals(60_000, context.closingTimeoutTicks());
        assertEquals(10_000, context.greTimeoutTicks());
        assertEquals(86_400_000, context.ipsecTimeoutTicks());
        final ConnectionTableContext seconds = new ConnectionTableContext().ticksPerSecond(1).conclude();
        assertEquals(60, seconds.closingTimeoutTicks());
    }

    @Test
    void shouldExpireClosingConnectionSixtySecondsAfterLastCloseActivity() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024));
        final long handle = insertTcp(table, 1, EntryMeta.ESTABLISHED, 0);
        assertTrue(table.transition(handle, EntryMeta.CLOSING));
        table.touch(handle, 1000);

        sweepAll(table, 61_000);
        assertTrue(table.meta(handle) >= 0, "still lingering 60 s after the last FIN");
        sweepAll(table, 61_001);
        assertEquals(TableResult.NOT_FOUND, table.meta(handle));
        assertEquals(TableResult.NOT_FOUND, lookupTcp(table, 1));
    }

    @Test
    void shouldKeepEstablishedConnectionWhileTouched() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024).establishedTimeoutTicks(100));
        final long handle = insertTcp(table, 1, EntryMeta.ESTABLISHED, 0);
        for (long now = 50; now <= 1000; now += 50) {
            assertTrue(table.touch(handle, now));
            sweepAll(table, now + 99);
        }
        assertTrue(table.meta(handle) >= 0);
        sweepAll(table, 1101);
        assertFalse(table.touch(handle, 1101));
    }

    @Test
    void shouldTimeOutGreIpsecAndUdpFlowsByTheirOwnTimeouts() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024).udpTimeoutTicks(30_000));
        final long gre = table.insert(GRE, 4, 0, CLIENT, 0, 0, VIP, 0, 1, 0, 0, 0, 0);
        final long ike = table.insert(UDP, 4, 0, CLIENT, 500, 0, VIP, 500, 1, 0, 0, 0, 0);
        final long natT = table.insert(UDP, 4, 0, CLIENT, 4500, 0, VIP, 4500, 1, 0, 0, 0, 0);
        final long dns = table.insert(UDP, 4, 0, CLIENT, 5353, 0, VIP, 53, 1, 0, 0, 0, 0);

        sweepAll(table, 10_001);
        assertEquals(TableResult.NOT_FOUND, table.meta(gre));
        assertTrue(table.meta(dns) >= 0);
        sweepAll(table, 30_001);
        assertEquals(TableResult.NOT_FOUND, table.meta(dns));
        assertTrue(table.meta(ike) >= 0);
        sweepAll(table, 86_400_000);
        assertTrue(table.meta(natT) >= 0);
        sweepAll(table, 86_400_001);
        assertEquals(TableResult.NOT_FOUND, table.meta(ike));
        assertEquals(TableResult.NOT_FOUND, table.meta(natT));
    }

    @Test
    void shouldRefuseTransitionOfNonTcpFlow() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024));
        final long gre = table.insert(GRE, 4, 0, CLIENT, 0, 0, VIP, 0, 1, 0, 0, EntryMeta.SYN_SEEN, 0);
        assertEquals(0, EntryMeta.tcpState(table.meta(gre)));
        assertFalse(table.transition(gre, EntryMeta.CLOSING));
        assertEquals(0, table.halfOpen());
    }

    @Test
    void shouldInvalidateHandlesOfRemovedEntryEvenWhenSlotIsReused() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024).probeLimit(1));
        final long handle = insertTcp(table, 1, EntryMeta.SYN_SEEN, 0);
        assertTrue(table.remove(TCP, 4, 0, CLIENT, 1, 0, VIP, 443));
        assertFalse(table.remove(TCP, 4, 0, CLIENT, 1, 0, VIP, 443));
        final long again = insertTcp(table, 1, EntryMeta.ESTABLISHED, 0);

        assertEquals(OffHeapHashTable.slotOf(handle), OffHeapHashTable.slotOf(again), "the freed slot is reused");
        assertEquals(TableResult.NOT_FOUND, table.meta(handle));
        assertFalse(table.touch(handle, 5));
        assertFalse(table.transition(handle, EntryMeta.CLOSING));
        assertEquals(EntryMeta.ESTABLISHED, EntryMeta.tcpState(table.meta(again)));
        assertEquals(0, table.halfOpen());
    }

    @Test
    void shouldTreatFailureCodesAsGoneHandles() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024));
        for (final long code : new long[] {TableResult.NOT_FOUND, TableResult.PROBE_LIMIT,
            TableResult.HALF_OPEN_LIMIT, TableResult.CONTENDED}) {
            assertEquals(TableResult.NOT_FOUND, table.meta(code));
            assertFalse(table.touch(code, 1));
            assertFalse(table.transition(code, EntryMeta.ESTABLISHED));
            assertFalse(TableResult.isCreated(code));
        }
    }

    @Test
    void shouldVisitAtMostLimitSlotsPerSweep() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024).establishedTimeoutTicks(0));
        for (int port = 0; port < 300; port++) {
            insertTcp(table, port, EntryMeta.ESTABLISHED, 0);
        }
        int expired = 0;
        for (int call = 0; call < 1024 / 64; call++) {
            final int work = table.sweep(1, 64);
            assertTrue(work <= 64);
            expired += work;
        }
        assertEquals(300, expired, "one pass of 1024 slots at 64 a call");
        assertEquals(0, table.sweep(1, 64));
    }

    @Test
    void shouldCountLiveEntriesAtEachCompleteSweepPass() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024));
        for (int port = 0; port < 100; port++) {
            insertTcp(table, port, EntryMeta.ESTABLISHED, 0);
        }
        assertEquals(0, table.liveEntries(), "no pass completed yet");
        table.sweep(1, 1000);
        assertEquals(0, table.liveEntries());
        table.sweep(1, 24);
        assertEquals(100, table.liveEntries());
    }

    @Test
    void shouldVisitOnlyEntriesInGivenBuckets() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024));
        for (int port = 0; port < 200; port++) {
            table.insert(TCP, 6, 0x2001_0db8_0000_0000L, port, 40_000 + port, 0x2001_0db8_ffff_0000L, 1, 443,
                1, port % 10, 0, EntryMeta.ESTABLISHED, port);
        }
        final BucketSet moved = new BucketSet().add(3).add(7);
        final List<String> seen = new ArrayList<>();
        int visited = 0;
        for (int from = 0; from < table.capacity(); from += 100) {
            visited += table.forEachInBuckets(moved, from, 100,
                (protocol, ipVersion, clientHi, clientLo, clientPort, vipHi, vipLo, vipPort, meta, lastSeen) -> {
                    assertEquals(TCP, protocol);
                    assertEquals(6, ipVersion);
                    assertEquals(0x2001_0db8_0000_0000L, clientHi);
                    assertEquals(40_000 + clientLo, clientPort);
                    assertEquals(clientLo, lastSeen);
                    assertEquals(443, vipPort);
                    assertEquals(clientLo % 10, EntryMeta.bucket(meta));
                    seen.add(clientLo + "");
                });
        }
        assertEquals(40, visited);
        assertEquals(40, seen.size());
    }

    @Test
    void shouldFlushOnlyEntriesOfTheGivenRule() {
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024));
        for (int port = 0; port < 90; port++) {
            table.insert(TCP, 4, 0, CLIENT, port, 0, VIP, 443, 1, 0, port % 3, EntryMeta.SYN_SEEN, 0);
        }
        assertEquals(30, table.flushRule(1, 0, table.capacity()));
        assertEquals(60, table.halfOpen());
        assertEquals(TableResult.NOT_FOUND, table.lookup(TCP, 4, 0, CLIENT, 1, 0, VIP, 443));
        assertTrue(table.lookup(TCP, 4, 0, CLIENT, 2, 0, VIP, 443) >= 0);
        assertEquals(60, table.flush(0, table.capacity()));
        assertEquals(0, table.halfOpen());
    }

    @Test
    void shouldNameTheSettingAndValidRangeWhenConfigurationIsInvalid() {
        assertEquals("capacity must be a power of two between 1024 and 268435456, was 1000",
            assertThrows(IllegalArgumentException.class,
                () -> new ConnectionTableContext().capacity(1000).conclude()).getMessage());
        assertEquals("probeLimit must be between 1 and 64, was 0",
            assertThrows(IllegalArgumentException.class,
                () -> new ConnectionTableContext().probeLimit(0).conclude()).getMessage());
        assertEquals("halfOpenLimit must be between 0 and capacity (1024), was 2000",
            assertThrows(IllegalArgumentException.class,
                () -> new ConnectionTableContext().capacity(1024).halfOpenLimit(2000).conclude()).getMessage());
        assertEquals("closingTimeoutTicks must be at least 0, was -5",
            assertThrows(IllegalArgumentException.class,
                () -> new ConnectionTableContext().closingTimeoutTicks(-5).conclude()).getMessage());
        final ConnectionTable table = table(new ConnectionTableContext().capacity(1024));
        assertEquals("fromSlot must be between 0 and capacity (1024), was 2048",
            assertThrows(IllegalArgumentException.class, () -> table.flush(2048, 1)).getMessage());
        assertEquals("rule must be between 0 and 255, was 256",
            assertThrows(IllegalArgumentException.class, () -> table.flushRule(256, 0, 1)).getMessage());
    }
}
