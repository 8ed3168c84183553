package lb.dataplane.table;

import lb.dataplane.net.IpProtocol;
import lb.dataplane.net.Ipv4Mapped;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection table's per-(rule, bucket) entry counts behind {@link ConnectionTable#untracked}: counted on insert,
 * uncounted on every way an entry dies (remove, expiry) and moved when an entry's meta changes bucket; never zero
 * while an entry of that rule and bucket lives. And the bucket-shape record that says when the counts apply.
 */
class BucketCountsTest {
    private static final long CLIENT = Ipv4Mapped.low(0xC0A8_0001);
    private static final long VIP = Ipv4Mapped.low(0x0A00_0001);

    private final ConnectionTable table = new ConnectionTable(new ConnectionTableContext().capacity(1024).hashSeed(7));

    @AfterEach
    void close() {
        table.close();
    }

    private long insert(final int port, final int rule, final int bucket) {
        return table.insert(IpProtocol.TCP, 4, 0, CLIENT, port, 0, VIP, 80, 1, bucket, rule, EntryMeta.SYN_SEEN, 1);
    }

    @Test
    void shouldCountEntriesPerRuleAndBucketUntilTheyAreRemovedOrExpire() {
        assertTrue(table.untracked(2, 17));
        final long a = insert(40_000, 2, 17);
        final long b = insert(40_001, 2, 17);
        insert(40_002, 3, 17);
        assertTrue(TableResult.isCreated(a) && TableResult.isCreated(b));
        assertFalse(table.untracked(2, 17));
        assertFalse(table.untracked(3, 17));
        assertTrue(table.untracked(2, 18));
        assertTrue(table.untracked(4, 17));

        // An insert of a key already there counts nothing more.
        assertFalse(TableResult.isCreated(insert(40_000, 2, 17)));
        assertTrue(table.remove(IpProtocol.TCP, 4, 0, CLIENT, 40_000, 0, VIP, 80));
        assertFalse(table.untracked(2, 17), "one entry of rule 2, bucket 17 remains");
        assertTrue(table.remove(IpProtocol.TCP, 4, 0, CLIENT, 40_001, 0, VIP, 80));
        assertTrue(table.untracked(2, 17));

        // Expiry: everything SYN_SEEN is idle past its timeout far in the future.
        assertEquals(1, table.sweep(Long.MAX_VALUE / 2, table.capacity()));
        assertTrue(table.untracked(3, 17));
    }

    @Test
    void shouldCountBucketsModuloTheCountedRangeSoThatNoneIsUnderCounted() {
        insert(40_000, 1, 1024 + 5);
        assertFalse(table.untracked(1, 5), "bucket 1029 counts where bucket 5 does: over-counting only");
        assertFalse(table.untracked(1, 1029));
    }

    @Test
    void shouldUseTheFirstShapeRecordedAndNoneOnceAnotherIsSeen() {
        assertEquals(0, table.countedShape());
        table.recordShape(11);
        table.recordShape(11);
        assertEquals(11, table.countedShape());
        table.recordShape(12);
        assertEquals(Long.MIN_VALUE, table.countedShape());
        table.recordShape(11);
        assertEquals(Long.MIN_VALUE, table.countedShape(), "never again: entries may carry either shape's buckets");
    }
}
