package lb.bench;

import lb.dataplane.net.Ipv4Mapped;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;

/**
 * Numbered keys of the extended-affinity table: IPv4 client {@code 10.0.0.0 + i} (distinct up to 2^24 keys); the
 * family picks the port rule (0, 1, 2), so families never share a key. Every rule's timeout is an hour of
 * millisecond ticks, as a connection's.
 */
final class NumberedAffinities implements NumberedTable {
    private static final long TIMEOUT_TICKS = 3_600_000;

    private final AffinityTable table;

    NumberedAffinities(final int capacity) {
        table = new AffinityTable(new AffinityTableContext().capacity(capacity).hashSeed(BenchCluster.TABLE_SEED));
        for (int rule = RESIDENT; rule <= TRANSIENT; rule++) {
            table.ruleTimeoutTicks(rule, TIMEOUT_TICKS);
        }
    }

    private static long client(final int i) {
        return Ipv4Mapped.low(0x0A00_0000 + i);
    }

    @Override
    public long insert(final int family, final int i, final long nowTicks) {
        return table.insert(family, 4, Ipv4Mapped.HIGH, client(i), BenchCluster.HOST_ID, i & 63, nowTicks);
    }

    @Override
    public long lookup(final int family, final int i) {
        return table.lookup(family, 4, Ipv4Mapped.HIGH, client(i));
    }

    @Override
    public boolean remove(final int family, final int i) {
        return table.remove(family, 4, Ipv4Mapped.HIGH, client(i));
    }

    @Override
    public long meta(final long handle) {
        return table.meta(handle);
    }

    @Override
    public boolean touch(final long handle, final long nowTicks) {
        return table.touch(handle, nowTicks);
    }

    @Override
    public int sweep(final long nowTicks, final int limit) {
        return table.sweep(nowTicks, limit);
    }

    @Override
    public int capacity() {
        return table.capacity();
    }

    @Override
    public void close() {
        table.close();
    }
}
