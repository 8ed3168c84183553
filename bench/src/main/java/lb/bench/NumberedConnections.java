package lb.bench;

import lb.dataplane.net.IpProtocol;
import lb.dataplane.net.Ipv4Mapped;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.EntryMeta;

/**
 * Numbered keys of the connection table: TCP over IPv4 to one VIP, key {@code i} from client 10.x.y.z (one address per
 * 256 keys) and client port {@code 1024 + i % 256}; the family picks the VIP port (443, 444, 445), so families never
 * share a key. Entries are ESTABLISHED, so they time out after the default hour.
 */
final class NumberedConnections implements NumberedTable {
    private static final int TCP = IpProtocol.TCP;
    private static final long VIP = Ipv4Mapped.low(BenchCluster.VIP);
    private static final int FIRST_VIP_PORT = 443;

    private final ConnectionTable table;

    NumberedConnections(final int capacity) {
        table = new ConnectionTable(new ConnectionTableContext().capacity(capacity).hashSeed(BenchCluster.TABLE_SEED));
    }

    private static long client(final int i) {
        return Ipv4Mapped.low(0x0A00_0000 + (i >>> 8));
    }

    private static int port(final int i) {
        return 1024 + (i & 0xFF);
    }

    @Override
    public long insert(final int family, final int i, final long nowTicks) {
        return table.insert(TCP, 4, Ipv4Mapped.HIGH, client(i), port(i), Ipv4Mapped.HIGH, VIP, FIRST_VIP_PORT + family,
            BenchCluster.HOST_ID, i & 63, 0, EntryMeta.ESTABLISHED, nowTicks);
    }

    @Override
    public long lookup(final int family, final int i) {
        return table.lookup(TCP, 4, Ipv4Mapped.HIGH, client(i), port(i), Ipv4Mapped.HIGH, VIP, FIRST_VIP_PORT + family);
    }

    @Override
    public boolean remove(final int family, final int i) {
        return table.remove(TCP, 4, Ipv4Mapped.HIGH, client(i), port(i), Ipv4Mapped.HIGH, VIP, FIRST_VIP_PORT + family);
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
