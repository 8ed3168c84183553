package lb.dataplane.table;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;
import lb.dataplane.net.Ipv4Mapped;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-packet operations allocate nothing once compiled (the check JMH's -prof gc makes, in a unit test's terms).
 * A late JIT event (a call site linked, a method recompiled) may allocate a few bytes once, so the bound is under one
 * byte per operation: any per-operation allocation would be at least 16 bytes each, over a megabyte here.
 */
class AllocationTest {
    private static final int KEYS = 2048;
    private static final int ROUNDS = 60;

    @Test
    void shouldNotAllocateOnLookupInsertMetaTouchOrTransition() {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long[] clients = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            clients[i] = Ipv4Mapped.low(0x0A00_0000 + i * 7919);
        }
        try (ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 13));
            AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 13))) {
            long allocated = 0;
            long sink = 0;
            for (int round = 0; round < ROUNDS; round++) {
                final long before = threads.getCurrentThreadAllocatedBytes();
                sink += packets(connections, affinity, clients, round);
                final long after = threads.getCurrentThreadAllocatedBytes();
                if (round >= ROUNDS - 10) {
                    allocated += after - before;
                }
                connections.flush(0, connections.capacity());
            }
            final long operations = 10L * 7 * KEYS;
            assertTrue(allocated < operations, allocated + " bytes allocated by " + operations + " packet operations (" +
                sink + ")");
        }
    }

    private static long packets(final ConnectionTable connections, final AffinityTable affinity,
        final long[] clients, final int now) {
        long sink = 0;
        for (int i = 0; i < KEYS; i++) {
            final long client = clients[i];
            long handle = connections.lookup(6, 4, 0, client, 40_000, 0, 1, 443);
            if (handle < 0) {
                handle = connections.insert(6, 4, 0, client, 40_000, 0, 1, 443, 1, i & 63, 0, EntryMeta.SYN_SEEN, now);
            }
            sink += connections.meta(handle);
            connections.touch(handle, now);
            connections.transition(handle, EntryMeta.ESTABLISHED);
            long sticky = affinity.lookup(0, 4, 0, client);
            if (sticky < 0) {
                sticky = affinity.insert(0, 4, 0, client, 1, i & 63, now);
            }
            affinity.touch(sticky, now);
            sink += affinity.meta(sticky);
        }
        return sink;
    }
}
