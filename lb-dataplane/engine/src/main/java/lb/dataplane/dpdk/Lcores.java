package lb.dataplane.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import lb.dataplane.ffi.Dpdk;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Makes Java threads DPDK lcores: registration gives the thread an lcore id (so per-lcore mempool
 * caches work) and pinning keeps it on one CPU.
 */
public final class Lcores {
    private Lcores() {
    }

    /**
     * Registers the calling thread with EAL ({@code rte_thread_register}) and, when {@code cpu >= 0},
     * pins it to that CPU ({@code rte_thread_set_affinity}, which also records the CPU for DPDK).
     *
     * @param cpu CPU to pin to, or -1 to leave the thread where the OS puts it.
     * @return the lcore id DPDK assigned.
     * @throws DpdkException when DPDK refuses (no free lcore id, bad CPU).
     */
    public static int registerCurrentThread(final int cpu) {
        if (Dpdk.rte_thread_register() != 0) {
            throw new DpdkException("rte_thread_register", Dpdk.lb_errno());
        }
        if (cpu >= 0) {
            pinCurrentThread(cpu);
        }
        return Dpdk.lb_lcore_id();
    }

    /**
     * Undoes {@link #registerCurrentThread(int)}: frees the lcore id.
     */
    public static void unregisterCurrentThread() {
        Dpdk.rte_thread_unregister();
    }

    /**
     * @return the calling thread's lcore id, or -1 (LCORE_ID_ANY) when it has none.
     */
    public static int currentLcoreId() {
        return Dpdk.lb_lcore_id();
    }

    private static void pinCurrentThread(final int cpu) {
        if (cpu >= Dpdk.CPU_SETSIZE()) {
            throw new IllegalArgumentException("CPU " + cpu + " is beyond CPU_SETSIZE " + Dpdk.CPU_SETSIZE());
        }
        try (Arena arena = Arena.ofConfined()) {
            // rte_cpuset_t is glibc's cpu_set_t: a bit per CPU in unsigned longs, little-endian here.
            final MemorySegment cpuset = arena.allocate(Dpdk.CPU_SETSIZE() / Byte.SIZE, Long.BYTES);
            cpuset.set(JAVA_BYTE, cpu / Byte.SIZE, (byte)(1 << (cpu % Byte.SIZE)));
            final int ret = Dpdk.rte_thread_set_affinity(cpuset);
            if (ret != 0) {
                throw new DpdkException("rte_thread_set_affinity(cpu " + cpu + ")", Math.abs(ret));
            }
        }
    }
}
