package lb.dataplane.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import lb.dataplane.ffi.Dpdk;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * The DPDK Environment Abstraction Layer of this process: initialised once, from the thread that
 * becomes the main lcore, and cleaned up once at exit.
 */
public final class Eal implements AutoCloseable {
    private static final AtomicBoolean INITIALISED = new AtomicBoolean();

    private final List<String> args;
    private boolean closed;

    private Eal(final List<String> args) {
        this.args = List.copyOf(args);
    }

    /**
     * Verifies the shim's layout facts, then calls {@code rte_eal_init} with {@code args} (EAL's own
     * arguments: what a DPDK application takes before {@code --}).
     *
     * @param programName argv[0].
     * @param args        EAL arguments, e.g. {@code -l 0 --no-huge --vdev=net_ring0}.
     * @return the initialised EAL.
     * @throws DpdkException when EAL refuses, with its reason.
     */
    public static Eal init(final String programName, final List<String> args) {
        if (!INITIALISED.compareAndSet(false, true)) {
            throw new IllegalStateException("EAL is already initialised in this process; DPDK allows it once");
        }
        LayoutFacts.verify();
        // EAL keeps pointers into argv (device arguments, the file prefix) for the life of the process.
        final Arena arena = Arena.global();
        final MemorySegment argv = arena.allocate(ADDRESS, args.size() + 2L);
        argv.setAtIndex(ADDRESS, 0, arena.allocateFrom(programName));
        for (int i = 0; i < args.size(); i++) {
            argv.setAtIndex(ADDRESS, i + 1, arena.allocateFrom(args.get(i)));
        }
        argv.setAtIndex(ADDRESS, args.size() + 1L, MemorySegment.NULL);
        final int ret = Dpdk.rte_eal_init(args.size() + 1, argv);
        if (ret < 0) {
            throw new DpdkException("rte_eal_init " + args, Dpdk.lb_errno());
        }
        return new Eal(args);
    }

    /**
     * @return the arguments EAL was started with.
     */
    public List<String> args() {
        return args;
    }

    /**
     * @return number of ports DPDK probed (vdevs and bound NICs).
     */
    public int portCount() {
        return Short.toUnsignedInt(Dpdk.rte_eth_dev_count_avail());
    }

    /**
     * @return the NUMA socket of the calling thread.
     */
    public static int socketId() {
        return Dpdk.rte_socket_id();
    }

    /**
     * @param errno a positive DPDK or libc error number.
     * @return DPDK's text for it.
     */
    public static String strerror(final int errno) {
        return Dpdk.rte_strerror(errno).reinterpret(1024).getString(0);
    }

    /**
     * Releases EAL resources ({@code rte_eal_cleanup}). Ports and pools must be closed first.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DpdkException.check(Dpdk.rte_eal_cleanup(), "rte_eal_cleanup");
        }
    }
}
