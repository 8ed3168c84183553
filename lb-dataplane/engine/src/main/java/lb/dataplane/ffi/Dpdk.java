// Generated in the shape of jextract's output (see native/jextract.sh, which regenerates it
// from native/include/lb_bindings.h where jextract is installed). Do not edit by hand: change
// the C header or the jextract include list, then regenerate. HeaderDriftTest fails
// when this file and the C headers disagree.

package lb.dataplane.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.stream.Collectors;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Bindings for the lb shim (lb_shim.h) and the exported DPDK functions the dataplane calls. */
@SuppressWarnings("unused")
public class Dpdk {

    Dpdk() {
        // Should not be called directly
    }

    static final Arena LIBRARY_ARENA = Arena.ofAuto();
    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
        String traceArgs = Arrays.stream(args)
            .map(Object::toString)
            .collect(Collectors.joining(", "));
        System.out.printf("%s(%s)\n", name, traceArgs);
    }

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOL_LOOKUP.find(symbol)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
    }


    // The one hand-set line: jextract's --library names a library on java.library.path;
    // lb resolves the shim's path itself (system property lb.native.lib, see NativeLibrary).
    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.libraryLookup(NativeLibrary.path(), LIBRARY_ARENA)
            .or(SymbolLookup.loaderLookup())
            .or(Linker.nativeLinker().defaultLookup());

    public static final ValueLayout.OfBoolean C_BOOL = ValueLayout.JAVA_BOOLEAN;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;


    private static class lb_shim_abi_version {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("lb_shim_abi_version");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for lb_shim_abi_version (lb_shim.h).
     */
    public static FunctionDescriptor lb_shim_abi_version$descriptor() {
        return lb_shim_abi_version.DESC;
    }

    /**
     * Downcall method handle for lb_shim_abi_version (lb_shim.h).
     */
    public static MethodHandle lb_shim_abi_version$handle() {
        return lb_shim_abi_version.HANDLE;
    }

    /**
     * Address for lb_shim_abi_version (lb_shim.h).
     */
    public static MemorySegment lb_shim_abi_version$address() {
        return lb_shim_abi_version.ADDR;
    }

    /**
     * lb_shim_abi_version, declared in lb_shim.h.
     */
    public static int lb_shim_abi_version() {
        var mh$ = lb_shim_abi_version.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("lb_shim_abi_version");
            }
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class lb_rx_burst {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_POINTER,
                Dpdk.C_SHORT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("lb_rx_burst");

        // Not jextract's output: the per-burst calls are linked critical (no thread-state transition; they
        // never block, call back or touch the Java heap, and return within microseconds).
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC,
            Linker.Option.critical(false));
    }

    /**
     * Function descriptor for lb_rx_burst (lb_shim.h).
     */
    public static FunctionDescriptor lb_rx_burst$descriptor() {
        return lb_rx_burst.DESC;
    }

    /**
     * Downcall method handle for lb_rx_burst (lb_shim.h).
     */
    public static MethodHandle lb_rx_burst$handle() {
        return lb_rx_burst.HANDLE;
    }

    /**
     * Address for lb_rx_burst (lb_shim.h).
     */
    public static MemorySegment lb_rx_burst$address() {
        return lb_rx_burst.ADDR;
    }

    /**
     * lb_rx_burst, declared in lb_shim.h.
     */
    public static short lb_rx_burst(short port_id, short queue_id, MemorySegment rx_pkts, short nb_pkts) {
        var mh$ = lb_rx_burst.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("lb_rx_burst", port_id, queue_id, rx_pkts, nb_pkts);
            }
            return (short) mh$.invokeExact(port_id, queue_id, rx_pkts, nb_pkts);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class lb_tx_burst {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_POINTER,
                Dpdk.C_SHORT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("lb_tx_burst");

        // Not jextract's output: the per-burst calls are linked critical (no thread-state transition; they
        // never block, call back or touch the Java heap, and return within microseconds).
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC,
            Linker.Option.critical(false));
    }

    /**
     * Function descriptor for lb_tx_burst (lb_shim.h).
     */
    public static FunctionDescriptor lb_tx_burst$descriptor() {
        return lb_tx_burst.DESC;
    }

    /**
     * Downcall method handle for lb_tx_burst (lb_shim.h).
     */
    public static MethodHandle lb_tx_burst$handle() {
        return lb_tx_burst.HANDLE;
    }

    /**
     * Address for lb_tx_burst (lb_shim.h).
     */
    public static MemorySegment lb_tx_burst$address() {
        return lb_tx_burst.ADDR;
    }

    /**
     * lb_tx_burst, declared in lb_shim.h.
     */
    public static short lb_tx_burst(short port_id, short queue_id, MemorySegment tx_pkts, short nb_pkts) {
        var mh$ = lb_tx_burst.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("lb_tx_burst", port_id, queue_id, tx_pkts, nb_pkts);
            }
            return (short) mh$.invokeExact(port_id, queue_id, tx_pkts, nb_pkts);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class lb_pktmbuf_alloc_bulk {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_POINTER,
                Dpdk.C_POINTER,
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("lb_pktmbuf_alloc_bulk");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for lb_pktmbuf_alloc_bulk (lb_shim.h).
     */
    public static FunctionDescriptor lb_pktmbuf_alloc_bulk$descriptor() {
        return lb_pktmbuf_alloc_bulk.DESC;
    }

    /**
     * Downcall method handle for lb_pktmbuf_alloc_bulk (lb_shim.h).
     */
    public static MethodHandle lb_pktmbuf_alloc_bulk$handle() {
        return lb_pktmbuf_alloc_bulk.HANDLE;
    }

    /**
     * Address for lb_pktmbuf_alloc_bulk (lb_shim.h).
     */
    public static MemorySegment lb_pktmbuf_alloc_bulk$address() {
        return lb_pktmbuf_alloc_bulk.ADDR;
    }

    /**
     * lb_pktmbuf_alloc_bulk, declared in lb_shim.h.
     */
    public static int lb_pktmbuf_alloc_bulk(MemorySegment pool, MemorySegment mbufs, int count) {
        var mh$ = lb_pktmbuf_alloc_bulk.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("lb_pktmbuf_alloc_bulk", pool, mbufs, count);
            }
            return (int) mh$.invokeExact(pool, mbufs, count);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class lb_lcore_id {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("lb_lcore_id");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for lb_lcore_id (lb_shim.h).
     */
    public static FunctionDescriptor lb_lcore_id$descriptor() {
        return lb_lcore_id.DESC;
    }

    /**
     * Downcall method handle for lb_lcore_id (lb_shim.h).
     */
    public static MethodHandle lb_lcore_id$handle() {
        return lb_lcore_id.HANDLE;
    }

    /**
     * Address for lb_lcore_id (lb_shim.h).
     */
    public static MemorySegment lb_lcore_id$address() {
        return lb_lcore_id.ADDR;
    }

    /**
     * lb_lcore_id, declared in lb_shim.h.
     */
    public static int lb_lcore_id() {
        var mh$ = lb_lcore_id.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("lb_lcore_id");
            }
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class lb_errno {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("lb_errno");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for lb_errno (lb_shim.h).
     */
    public static FunctionDescriptor lb_errno$descriptor() {
        return lb_errno.DESC;
    }

    /**
     * Downcall method handle for lb_errno (lb_shim.h).
     */
    public static MethodHandle lb_errno$handle() {
        return lb_errno.HANDLE;
    }

    /**
     * Address for lb_errno (lb_shim.h).
     */
    public static MemorySegment lb_errno$address() {
        return lb_errno.ADDR;
    }

    /**
     * lb_errno, declared in lb_shim.h.
     */
    public static int lb_errno() {
        var mh$ = lb_errno.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("lb_errno");
            }
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class lb_prefetch {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
                Dpdk.C_POINTER,
                Dpdk.C_SHORT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("lb_prefetch");

        // Not jextract's output: called once per burst, linked critical like lb_rx_burst.
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC,
            Linker.Option.critical(false));
    }

    /**
     * Function descriptor for lb_prefetch (lb_shim.h).
     */
    public static FunctionDescriptor lb_prefetch$descriptor() {
        return lb_prefetch.DESC;
    }

    /**
     * Downcall method handle for lb_prefetch (lb_shim.h).
     */
    public static MethodHandle lb_prefetch$handle() {
        return lb_prefetch.HANDLE;
    }

    /**
     * Address for lb_prefetch (lb_shim.h).
     */
    public static MemorySegment lb_prefetch$address() {
        return lb_prefetch.ADDR;
    }

    /**
     * lb_prefetch, declared in lb_shim.h.
     */
    public static void lb_prefetch(MemorySegment addresses, short count) {
        var mh$ = lb_prefetch.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("lb_prefetch", addresses, count);
            }
            mh$.invokeExact(addresses, count);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class lb_layout_facts {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_POINTER,
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("lb_layout_facts");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for lb_layout_facts (lb_shim.h).
     */
    public static FunctionDescriptor lb_layout_facts$descriptor() {
        return lb_layout_facts.DESC;
    }

    /**
     * Downcall method handle for lb_layout_facts (lb_shim.h).
     */
    public static MethodHandle lb_layout_facts$handle() {
        return lb_layout_facts.HANDLE;
    }

    /**
     * Address for lb_layout_facts (lb_shim.h).
     */
    public static MemorySegment lb_layout_facts$address() {
        return lb_layout_facts.ADDR;
    }

    /**
     * lb_layout_facts, declared in lb_shim.h.
     */
    public static int lb_layout_facts(MemorySegment facts, int max) {
        var mh$ = lb_layout_facts.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("lb_layout_facts", facts, max);
            }
            return (int) mh$.invokeExact(facts, max);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eal_init {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_INT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eal_init");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eal_init (rte_eal.h).
     */
    public static FunctionDescriptor rte_eal_init$descriptor() {
        return rte_eal_init.DESC;
    }

    /**
     * Downcall method handle for rte_eal_init (rte_eal.h).
     */
    public static MethodHandle rte_eal_init$handle() {
        return rte_eal_init.HANDLE;
    }

    /**
     * Address for rte_eal_init (rte_eal.h).
     */
    public static MemorySegment rte_eal_init$address() {
        return rte_eal_init.ADDR;
    }

    /**
     * rte_eal_init, declared in rte_eal.h.
     */
    public static int rte_eal_init(int argc, MemorySegment argv) {
        var mh$ = rte_eal_init.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eal_init", argc, argv);
            }
            return (int) mh$.invokeExact(argc, argv);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eal_cleanup {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eal_cleanup");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eal_cleanup (rte_eal.h).
     */
    public static FunctionDescriptor rte_eal_cleanup$descriptor() {
        return rte_eal_cleanup.DESC;
    }

    /**
     * Downcall method handle for rte_eal_cleanup (rte_eal.h).
     */
    public static MethodHandle rte_eal_cleanup$handle() {
        return rte_eal_cleanup.HANDLE;
    }

    /**
     * Address for rte_eal_cleanup (rte_eal.h).
     */
    public static MemorySegment rte_eal_cleanup$address() {
        return rte_eal_cleanup.ADDR;
    }

    /**
     * rte_eal_cleanup, declared in rte_eal.h.
     */
    public static int rte_eal_cleanup() {
        var mh$ = rte_eal_cleanup.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eal_cleanup");
            }
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_strerror {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_POINTER,
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_strerror");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_strerror (rte_errno.h).
     */
    public static FunctionDescriptor rte_strerror$descriptor() {
        return rte_strerror.DESC;
    }

    /**
     * Downcall method handle for rte_strerror (rte_errno.h).
     */
    public static MethodHandle rte_strerror$handle() {
        return rte_strerror.HANDLE;
    }

    /**
     * Address for rte_strerror (rte_errno.h).
     */
    public static MemorySegment rte_strerror$address() {
        return rte_strerror.ADDR;
    }

    /**
     * rte_strerror, declared in rte_errno.h.
     */
    public static MemorySegment rte_strerror(int errnum) {
        var mh$ = rte_strerror.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_strerror", errnum);
            }
            return (MemorySegment) mh$.invokeExact(errnum);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_socket_id {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_socket_id");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_socket_id (rte_lcore.h).
     */
    public static FunctionDescriptor rte_socket_id$descriptor() {
        return rte_socket_id.DESC;
    }

    /**
     * Downcall method handle for rte_socket_id (rte_lcore.h).
     */
    public static MethodHandle rte_socket_id$handle() {
        return rte_socket_id.HANDLE;
    }

    /**
     * Address for rte_socket_id (rte_lcore.h).
     */
    public static MemorySegment rte_socket_id$address() {
        return rte_socket_id.ADDR;
    }

    /**
     * rte_socket_id, declared in rte_lcore.h.
     */
    public static int rte_socket_id() {
        var mh$ = rte_socket_id.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_socket_id");
            }
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_get_main_lcore {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_get_main_lcore");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_get_main_lcore (rte_lcore.h).
     */
    public static FunctionDescriptor rte_get_main_lcore$descriptor() {
        return rte_get_main_lcore.DESC;
    }

    /**
     * Downcall method handle for rte_get_main_lcore (rte_lcore.h).
     */
    public static MethodHandle rte_get_main_lcore$handle() {
        return rte_get_main_lcore.HANDLE;
    }

    /**
     * Address for rte_get_main_lcore (rte_lcore.h).
     */
    public static MemorySegment rte_get_main_lcore$address() {
        return rte_get_main_lcore.ADDR;
    }

    /**
     * rte_get_main_lcore, declared in rte_lcore.h.
     */
    public static int rte_get_main_lcore() {
        var mh$ = rte_get_main_lcore.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_get_main_lcore");
            }
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_thread_register {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_thread_register");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_thread_register (rte_lcore.h).
     */
    public static FunctionDescriptor rte_thread_register$descriptor() {
        return rte_thread_register.DESC;
    }

    /**
     * Downcall method handle for rte_thread_register (rte_lcore.h).
     */
    public static MethodHandle rte_thread_register$handle() {
        return rte_thread_register.HANDLE;
    }

    /**
     * Address for rte_thread_register (rte_lcore.h).
     */
    public static MemorySegment rte_thread_register$address() {
        return rte_thread_register.ADDR;
    }

    /**
     * rte_thread_register, declared in rte_lcore.h.
     */
    public static int rte_thread_register() {
        var mh$ = rte_thread_register.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_thread_register");
            }
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_thread_unregister {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid();

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_thread_unregister");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_thread_unregister (rte_lcore.h).
     */
    public static FunctionDescriptor rte_thread_unregister$descriptor() {
        return rte_thread_unregister.DESC;
    }

    /**
     * Downcall method handle for rte_thread_unregister (rte_lcore.h).
     */
    public static MethodHandle rte_thread_unregister$handle() {
        return rte_thread_unregister.HANDLE;
    }

    /**
     * Address for rte_thread_unregister (rte_lcore.h).
     */
    public static MemorySegment rte_thread_unregister$address() {
        return rte_thread_unregister.ADDR;
    }

    /**
     * rte_thread_unregister, declared in rte_lcore.h.
     */
    public static void rte_thread_unregister() {
        var mh$ = rte_thread_unregister.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_thread_unregister");
            }
            mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_thread_set_affinity {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_thread_set_affinity");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_thread_set_affinity (rte_thread.h).
     */
    public static FunctionDescriptor rte_thread_set_affinity$descriptor() {
        return rte_thread_set_affinity.DESC;
    }

    /**
     * Downcall method handle for rte_thread_set_affinity (rte_thread.h).
     */
    public static MethodHandle rte_thread_set_affinity$handle() {
        return rte_thread_set_affinity.HANDLE;
    }

    /**
     * Address for rte_thread_set_affinity (rte_thread.h).
     */
    public static MemorySegment rte_thread_set_affinity$address() {
        return rte_thread_set_affinity.ADDR;
    }

    /**
     * rte_thread_set_affinity, declared in rte_thread.h.
     */
    public static int rte_thread_set_affinity(MemorySegment cpusetp) {
        var mh$ = rte_thread_set_affinity.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_thread_set_affinity", cpusetp);
            }
            return (int) mh$.invokeExact(cpusetp);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_vdev_init {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_POINTER,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_vdev_init");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_vdev_init (rte_bus_vdev.h).
     */
    public static FunctionDescriptor rte_vdev_init$descriptor() {
        return rte_vdev_init.DESC;
    }

    /**
     * Downcall method handle for rte_vdev_init (rte_bus_vdev.h).
     */
    public static MethodHandle rte_vdev_init$handle() {
        return rte_vdev_init.HANDLE;
    }

    /**
     * Address for rte_vdev_init (rte_bus_vdev.h).
     */
    public static MemorySegment rte_vdev_init$address() {
        return rte_vdev_init.ADDR;
    }

    /**
     * rte_vdev_init, declared in rte_bus_vdev.h.
     */
    public static int rte_vdev_init(MemorySegment name, MemorySegment args) {
        var mh$ = rte_vdev_init.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_vdev_init", name, args);
            }
            return (int) mh$.invokeExact(name, args);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_vdev_uninit {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_vdev_uninit");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_vdev_uninit (rte_bus_vdev.h).
     */
    public static FunctionDescriptor rte_vdev_uninit$descriptor() {
        return rte_vdev_uninit.DESC;
    }

    /**
     * Downcall method handle for rte_vdev_uninit (rte_bus_vdev.h).
     */
    public static MethodHandle rte_vdev_uninit$handle() {
        return rte_vdev_uninit.HANDLE;
    }

    /**
     * Address for rte_vdev_uninit (rte_bus_vdev.h).
     */
    public static MemorySegment rte_vdev_uninit$address() {
        return rte_vdev_uninit.ADDR;
    }

    /**
     * rte_vdev_uninit, declared in rte_bus_vdev.h.
     */
    public static int rte_vdev_uninit(MemorySegment name) {
        var mh$ = rte_vdev_uninit.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_vdev_uninit", name);
            }
            return (int) mh$.invokeExact(name);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_dev_count_avail {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_SHORT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_dev_count_avail");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_dev_count_avail (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_dev_count_avail$descriptor() {
        return rte_eth_dev_count_avail.DESC;
    }

    /**
     * Downcall method handle for rte_eth_dev_count_avail (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_dev_count_avail$handle() {
        return rte_eth_dev_count_avail.HANDLE;
    }

    /**
     * Address for rte_eth_dev_count_avail (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_dev_count_avail$address() {
        return rte_eth_dev_count_avail.ADDR;
    }

    /**
     * rte_eth_dev_count_avail, declared in rte_ethdev.h.
     */
    public static short rte_eth_dev_count_avail() {
        var mh$ = rte_eth_dev_count_avail.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_dev_count_avail");
            }
            return (short) mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_dev_get_port_by_name {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_POINTER,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_dev_get_port_by_name");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_dev_get_port_by_name (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_dev_get_port_by_name$descriptor() {
        return rte_eth_dev_get_port_by_name.DESC;
    }

    /**
     * Downcall method handle for rte_eth_dev_get_port_by_name (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_dev_get_port_by_name$handle() {
        return rte_eth_dev_get_port_by_name.HANDLE;
    }

    /**
     * Address for rte_eth_dev_get_port_by_name (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_dev_get_port_by_name$address() {
        return rte_eth_dev_get_port_by_name.ADDR;
    }

    /**
     * rte_eth_dev_get_port_by_name, declared in rte_ethdev.h.
     */
    public static int rte_eth_dev_get_port_by_name(MemorySegment name, MemorySegment port_id) {
        var mh$ = rte_eth_dev_get_port_by_name.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_dev_get_port_by_name", name, port_id);
            }
            return (int) mh$.invokeExact(name, port_id);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_dev_get_name_by_port {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_dev_get_name_by_port");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_dev_get_name_by_port (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_dev_get_name_by_port$descriptor() {
        return rte_eth_dev_get_name_by_port.DESC;
    }

    /**
     * Downcall method handle for rte_eth_dev_get_name_by_port (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_dev_get_name_by_port$handle() {
        return rte_eth_dev_get_name_by_port.HANDLE;
    }

    /**
     * Address for rte_eth_dev_get_name_by_port (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_dev_get_name_by_port$address() {
        return rte_eth_dev_get_name_by_port.ADDR;
    }

    /**
     * rte_eth_dev_get_name_by_port, declared in rte_ethdev.h.
     */
    public static int rte_eth_dev_get_name_by_port(short port_id, MemorySegment name) {
        var mh$ = rte_eth_dev_get_name_by_port.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_dev_get_name_by_port", port_id, name);
            }
            return (int) mh$.invokeExact(port_id, name);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_dev_socket_id {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_dev_socket_id");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_dev_socket_id (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_dev_socket_id$descriptor() {
        return rte_eth_dev_socket_id.DESC;
    }

    /**
     * Downcall method handle for rte_eth_dev_socket_id (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_dev_socket_id$handle() {
        return rte_eth_dev_socket_id.HANDLE;
    }

    /**
     * Address for rte_eth_dev_socket_id (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_dev_socket_id$address() {
        return rte_eth_dev_socket_id.ADDR;
    }

    /**
     * rte_eth_dev_socket_id, declared in rte_ethdev.h.
     */
    public static int rte_eth_dev_socket_id(short port_id) {
        var mh$ = rte_eth_dev_socket_id.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_dev_socket_id", port_id);
            }
            return (int) mh$.invokeExact(port_id);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_dev_configure {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_dev_configure");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_dev_configure (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_dev_configure$descriptor() {
        return rte_eth_dev_configure.DESC;
    }

    /**
     * Downcall method handle for rte_eth_dev_configure (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_dev_configure$handle() {
        return rte_eth_dev_configure.HANDLE;
    }

    /**
     * Address for rte_eth_dev_configure (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_dev_configure$address() {
        return rte_eth_dev_configure.ADDR;
    }

    /**
     * rte_eth_dev_configure, declared in rte_ethdev.h.
     */
    public static int rte_eth_dev_configure(short port_id, short nb_rx_queue, short nb_tx_queue, MemorySegment eth_conf) {
        var mh$ = rte_eth_dev_configure.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_dev_configure", port_id, nb_rx_queue, nb_tx_queue, eth_conf);
            }
            return (int) mh$.invokeExact(port_id, nb_rx_queue, nb_tx_queue, eth_conf);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_dev_adjust_nb_rx_tx_desc {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT,
                Dpdk.C_POINTER,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_dev_adjust_nb_rx_tx_desc");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_dev_adjust_nb_rx_tx_desc (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_dev_adjust_nb_rx_tx_desc$descriptor() {
        return rte_eth_dev_adjust_nb_rx_tx_desc.DESC;
    }

    /**
     * Downcall method handle for rte_eth_dev_adjust_nb_rx_tx_desc (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_dev_adjust_nb_rx_tx_desc$handle() {
        return rte_eth_dev_adjust_nb_rx_tx_desc.HANDLE;
    }

    /**
     * Address for rte_eth_dev_adjust_nb_rx_tx_desc (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_dev_adjust_nb_rx_tx_desc$address() {
        return rte_eth_dev_adjust_nb_rx_tx_desc.ADDR;
    }

    /**
     * rte_eth_dev_adjust_nb_rx_tx_desc, declared in rte_ethdev.h.
     */
    public static int rte_eth_dev_adjust_nb_rx_tx_desc(short port_id, MemorySegment nb_rx_desc, MemorySegment nb_tx_desc) {
        var mh$ = rte_eth_dev_adjust_nb_rx_tx_desc.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_dev_adjust_nb_rx_tx_desc", port_id, nb_rx_desc, nb_tx_desc);
            }
            return (int) mh$.invokeExact(port_id, nb_rx_desc, nb_tx_desc);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_rx_queue_setup {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_INT,
                Dpdk.C_POINTER,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_rx_queue_setup");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_rx_queue_setup (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_rx_queue_setup$descriptor() {
        return rte_eth_rx_queue_setup.DESC;
    }

    /**
     * Downcall method handle for rte_eth_rx_queue_setup (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_rx_queue_setup$handle() {
        return rte_eth_rx_queue_setup.HANDLE;
    }

    /**
     * Address for rte_eth_rx_queue_setup (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_rx_queue_setup$address() {
        return rte_eth_rx_queue_setup.ADDR;
    }

    /**
     * rte_eth_rx_queue_setup, declared in rte_ethdev.h.
     */
    public static int rte_eth_rx_queue_setup(short port_id, short rx_queue_id, short nb_rx_desc, int socket_id, MemorySegment rx_conf, MemorySegment mb_pool) {
        var mh$ = rte_eth_rx_queue_setup.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_rx_queue_setup", port_id, rx_queue_id, nb_rx_desc, socket_id, rx_conf, mb_pool);
            }
            return (int) mh$.invokeExact(port_id, rx_queue_id, nb_rx_desc, socket_id, rx_conf, mb_pool);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_tx_queue_setup {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_INT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_tx_queue_setup");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_tx_queue_setup (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_tx_queue_setup$descriptor() {
        return rte_eth_tx_queue_setup.DESC;
    }

    /**
     * Downcall method handle for rte_eth_tx_queue_setup (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_tx_queue_setup$handle() {
        return rte_eth_tx_queue_setup.HANDLE;
    }

    /**
     * Address for rte_eth_tx_queue_setup (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_tx_queue_setup$address() {
        return rte_eth_tx_queue_setup.ADDR;
    }

    /**
     * rte_eth_tx_queue_setup, declared in rte_ethdev.h.
     */
    public static int rte_eth_tx_queue_setup(short port_id, short tx_queue_id, short nb_tx_desc, int socket_id, MemorySegment tx_conf) {
        var mh$ = rte_eth_tx_queue_setup.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_tx_queue_setup", port_id, tx_queue_id, nb_tx_desc, socket_id, tx_conf);
            }
            return (int) mh$.invokeExact(port_id, tx_queue_id, nb_tx_desc, socket_id, tx_conf);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_dev_start {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_dev_start");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_dev_start (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_dev_start$descriptor() {
        return rte_eth_dev_start.DESC;
    }

    /**
     * Downcall method handle for rte_eth_dev_start (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_dev_start$handle() {
        return rte_eth_dev_start.HANDLE;
    }

    /**
     * Address for rte_eth_dev_start (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_dev_start$address() {
        return rte_eth_dev_start.ADDR;
    }

    /**
     * rte_eth_dev_start, declared in rte_ethdev.h.
     */
    public static int rte_eth_dev_start(short port_id) {
        var mh$ = rte_eth_dev_start.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_dev_start", port_id);
            }
            return (int) mh$.invokeExact(port_id);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_dev_stop {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_dev_stop");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_dev_stop (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_dev_stop$descriptor() {
        return rte_eth_dev_stop.DESC;
    }

    /**
     * Downcall method handle for rte_eth_dev_stop (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_dev_stop$handle() {
        return rte_eth_dev_stop.HANDLE;
    }

    /**
     * Address for rte_eth_dev_stop (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_dev_stop$address() {
        return rte_eth_dev_stop.ADDR;
    }

    /**
     * rte_eth_dev_stop, declared in rte_ethdev.h.
     */
    public static int rte_eth_dev_stop(short port_id) {
        var mh$ = rte_eth_dev_stop.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_dev_stop", port_id);
            }
            return (int) mh$.invokeExact(port_id);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_dev_close {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_dev_close");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_dev_close (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_dev_close$descriptor() {
        return rte_eth_dev_close.DESC;
    }

    /**
     * Downcall method handle for rte_eth_dev_close (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_dev_close$handle() {
        return rte_eth_dev_close.HANDLE;
    }

    /**
     * Address for rte_eth_dev_close (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_dev_close$address() {
        return rte_eth_dev_close.ADDR;
    }

    /**
     * rte_eth_dev_close, declared in rte_ethdev.h.
     */
    public static int rte_eth_dev_close(short port_id) {
        var mh$ = rte_eth_dev_close.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_dev_close", port_id);
            }
            return (int) mh$.invokeExact(port_id);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_stats_get {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_stats_get");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_stats_get (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_stats_get$descriptor() {
        return rte_eth_stats_get.DESC;
    }

    /**
     * Downcall method handle for rte_eth_stats_get (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_stats_get$handle() {
        return rte_eth_stats_get.HANDLE;
    }

    /**
     * Address for rte_eth_stats_get (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_stats_get$address() {
        return rte_eth_stats_get.ADDR;
    }

    /**
     * rte_eth_stats_get, declared in rte_ethdev.h.
     */
    public static int rte_eth_stats_get(short port_id, MemorySegment stats) {
        var mh$ = rte_eth_stats_get.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_stats_get", port_id, stats);
            }
            return (int) mh$.invokeExact(port_id, stats);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_stats_reset {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_stats_reset");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_stats_reset (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_stats_reset$descriptor() {
        return rte_eth_stats_reset.DESC;
    }

    /**
     * Downcall method handle for rte_eth_stats_reset (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_stats_reset$handle() {
        return rte_eth_stats_reset.HANDLE;
    }

    /**
     * Address for rte_eth_stats_reset (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_stats_reset$address() {
        return rte_eth_stats_reset.ADDR;
    }

    /**
     * rte_eth_stats_reset, declared in rte_ethdev.h.
     */
    public static int rte_eth_stats_reset(short port_id) {
        var mh$ = rte_eth_stats_reset.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_stats_reset", port_id);
            }
            return (int) mh$.invokeExact(port_id);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_macaddr_get {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_macaddr_get");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_macaddr_get (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_macaddr_get$descriptor() {
        return rte_eth_macaddr_get.DESC;
    }

    /**
     * Downcall method handle for rte_eth_macaddr_get (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_macaddr_get$handle() {
        return rte_eth_macaddr_get.HANDLE;
    }

    /**
     * Address for rte_eth_macaddr_get (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_macaddr_get$address() {
        return rte_eth_macaddr_get.ADDR;
    }

    /**
     * rte_eth_macaddr_get, declared in rte_ethdev.h.
     */
    public static int rte_eth_macaddr_get(short port_id, MemorySegment mac_addr) {
        var mh$ = rte_eth_macaddr_get.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_macaddr_get", port_id, mac_addr);
            }
            return (int) mh$.invokeExact(port_id, mac_addr);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_promiscuous_enable {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_promiscuous_enable");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_promiscuous_enable (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_promiscuous_enable$descriptor() {
        return rte_eth_promiscuous_enable.DESC;
    }

    /**
     * Downcall method handle for rte_eth_promiscuous_enable (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_promiscuous_enable$handle() {
        return rte_eth_promiscuous_enable.HANDLE;
    }

    /**
     * Address for rte_eth_promiscuous_enable (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_promiscuous_enable$address() {
        return rte_eth_promiscuous_enable.ADDR;
    }

    /**
     * rte_eth_promiscuous_enable, declared in rte_ethdev.h.
     */
    public static int rte_eth_promiscuous_enable(short port_id) {
        var mh$ = rte_eth_promiscuous_enable.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_promiscuous_enable", port_id);
            }
            return (int) mh$.invokeExact(port_id);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_link_get_nowait {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_link_get_nowait");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_link_get_nowait (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_link_get_nowait$descriptor() {
        return rte_eth_link_get_nowait.DESC;
    }

    /**
     * Downcall method handle for rte_eth_link_get_nowait (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_link_get_nowait$handle() {
        return rte_eth_link_get_nowait.HANDLE;
    }

    /**
     * Address for rte_eth_link_get_nowait (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_link_get_nowait$address() {
        return rte_eth_link_get_nowait.ADDR;
    }

    /**
     * rte_eth_link_get_nowait, declared in rte_ethdev.h.
     */
    public static int rte_eth_link_get_nowait(short port_id, MemorySegment link) {
        var mh$ = rte_eth_link_get_nowait.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_link_get_nowait", port_id, link);
            }
            return (int) mh$.invokeExact(port_id, link);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_eth_dev_info_get {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_SHORT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_eth_dev_info_get");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_eth_dev_info_get (rte_ethdev.h).
     */
    public static FunctionDescriptor rte_eth_dev_info_get$descriptor() {
        return rte_eth_dev_info_get.DESC;
    }

    /**
     * Downcall method handle for rte_eth_dev_info_get (rte_ethdev.h).
     */
    public static MethodHandle rte_eth_dev_info_get$handle() {
        return rte_eth_dev_info_get.HANDLE;
    }

    /**
     * Address for rte_eth_dev_info_get (rte_ethdev.h).
     */
    public static MemorySegment rte_eth_dev_info_get$address() {
        return rte_eth_dev_info_get.ADDR;
    }

    /**
     * rte_eth_dev_info_get, declared in rte_ethdev.h.
     */
    public static int rte_eth_dev_info_get(short port_id, MemorySegment dev_info) {
        var mh$ = rte_eth_dev_info_get.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_eth_dev_info_get", port_id, dev_info);
            }
            return (int) mh$.invokeExact(port_id, dev_info);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_pktmbuf_pool_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_POINTER,
                Dpdk.C_POINTER,
                Dpdk.C_INT,
                Dpdk.C_INT,
                Dpdk.C_SHORT,
                Dpdk.C_SHORT,
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_pktmbuf_pool_create");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_pktmbuf_pool_create (rte_mbuf.h).
     */
    public static FunctionDescriptor rte_pktmbuf_pool_create$descriptor() {
        return rte_pktmbuf_pool_create.DESC;
    }

    /**
     * Downcall method handle for rte_pktmbuf_pool_create (rte_mbuf.h).
     */
    public static MethodHandle rte_pktmbuf_pool_create$handle() {
        return rte_pktmbuf_pool_create.HANDLE;
    }

    /**
     * Address for rte_pktmbuf_pool_create (rte_mbuf.h).
     */
    public static MemorySegment rte_pktmbuf_pool_create$address() {
        return rte_pktmbuf_pool_create.ADDR;
    }

    /**
     * rte_pktmbuf_pool_create, declared in rte_mbuf.h.
     */
    public static MemorySegment rte_pktmbuf_pool_create(MemorySegment name, int n, int cache_size, short priv_size, short data_room_size, int socket_id) {
        var mh$ = rte_pktmbuf_pool_create.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_pktmbuf_pool_create", name, n, cache_size, priv_size, data_room_size, socket_id);
            }
            return (MemorySegment) mh$.invokeExact(name, n, cache_size, priv_size, data_room_size, socket_id);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_pktmbuf_free_bulk {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
                Dpdk.C_POINTER,
                Dpdk.C_INT
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_pktmbuf_free_bulk");

        // Not jextract's output: the per-burst calls are linked critical (no thread-state transition; they
        // never block, call back or touch the Java heap, and return within microseconds).
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC,
            Linker.Option.critical(false));
    }

    /**
     * Function descriptor for rte_pktmbuf_free_bulk (rte_mbuf.h).
     */
    public static FunctionDescriptor rte_pktmbuf_free_bulk$descriptor() {
        return rte_pktmbuf_free_bulk.DESC;
    }

    /**
     * Downcall method handle for rte_pktmbuf_free_bulk (rte_mbuf.h).
     */
    public static MethodHandle rte_pktmbuf_free_bulk$handle() {
        return rte_pktmbuf_free_bulk.HANDLE;
    }

    /**
     * Address for rte_pktmbuf_free_bulk (rte_mbuf.h).
     */
    public static MemorySegment rte_pktmbuf_free_bulk$address() {
        return rte_pktmbuf_free_bulk.ADDR;
    }

    /**
     * rte_pktmbuf_free_bulk, declared in rte_mbuf.h.
     */
    public static void rte_pktmbuf_free_bulk(MemorySegment mbufs, int count) {
        var mh$ = rte_pktmbuf_free_bulk.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_pktmbuf_free_bulk", mbufs, count);
            }
            mh$.invokeExact(mbufs, count);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_mempool_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_mempool_free");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_mempool_free (rte_mempool.h).
     */
    public static FunctionDescriptor rte_mempool_free$descriptor() {
        return rte_mempool_free.DESC;
    }

    /**
     * Downcall method handle for rte_mempool_free (rte_mempool.h).
     */
    public static MethodHandle rte_mempool_free$handle() {
        return rte_mempool_free.HANDLE;
    }

    /**
     * Address for rte_mempool_free (rte_mempool.h).
     */
    public static MemorySegment rte_mempool_free$address() {
        return rte_mempool_free.ADDR;
    }

    /**
     * rte_mempool_free, declared in rte_mempool.h.
     */
    public static void rte_mempool_free(MemorySegment mp) {
        var mh$ = rte_mempool_free.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_mempool_free", mp);
            }
            mh$.invokeExact(mp);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_mempool_avail_count {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_mempool_avail_count");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_mempool_avail_count (rte_mempool.h).
     */
    public static FunctionDescriptor rte_mempool_avail_count$descriptor() {
        return rte_mempool_avail_count.DESC;
    }

    /**
     * Downcall method handle for rte_mempool_avail_count (rte_mempool.h).
     */
    public static MethodHandle rte_mempool_avail_count$handle() {
        return rte_mempool_avail_count.HANDLE;
    }

    /**
     * Address for rte_mempool_avail_count (rte_mempool.h).
     */
    public static MemorySegment rte_mempool_avail_count$address() {
        return rte_mempool_avail_count.ADDR;
    }

    /**
     * rte_mempool_avail_count, declared in rte_mempool.h.
     */
    public static int rte_mempool_avail_count(MemorySegment mp) {
        var mh$ = rte_mempool_avail_count.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_mempool_avail_count", mp);
            }
            return (int) mh$.invokeExact(mp);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class rte_mempool_in_use_count {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Dpdk.C_INT,
                Dpdk.C_POINTER
            );

        public static final MemorySegment ADDR = Dpdk.findOrThrow("rte_mempool_in_use_count");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for rte_mempool_in_use_count (rte_mempool.h).
     */
    public static FunctionDescriptor rte_mempool_in_use_count$descriptor() {
        return rte_mempool_in_use_count.DESC;
    }

    /**
     * Downcall method handle for rte_mempool_in_use_count (rte_mempool.h).
     */
    public static MethodHandle rte_mempool_in_use_count$handle() {
        return rte_mempool_in_use_count.HANDLE;
    }

    /**
     * Address for rte_mempool_in_use_count (rte_mempool.h).
     */
    public static MemorySegment rte_mempool_in_use_count$address() {
        return rte_mempool_in_use_count.ADDR;
    }

    /**
     * rte_mempool_in_use_count, declared in rte_mempool.h.
     */
    public static int rte_mempool_in_use_count(MemorySegment mp) {
        var mh$ = rte_mempool_in_use_count.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("rte_mempool_in_use_count", mp);
            }
            return (int) mh$.invokeExact(mp);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int RTE_PKTMBUF_HEADROOM = (int) 128L;

    /**
     * {@code #define RTE_PKTMBUF_HEADROOM} (rte_config.h).
     */
    public static int RTE_PKTMBUF_HEADROOM() {
        return RTE_PKTMBUF_HEADROOM;
    }

    private static final int RTE_MBUF_DEFAULT_BUF_SIZE = (int) 2176L;

    /**
     * {@code #define RTE_MBUF_DEFAULT_BUF_SIZE} (rte_mbuf_core.h).
     */
    public static int RTE_MBUF_DEFAULT_BUF_SIZE() {
        return RTE_MBUF_DEFAULT_BUF_SIZE;
    }

    private static final int RTE_ETHDEV_QUEUE_STAT_CNTRS = (int) 16L;

    /**
     * {@code #define RTE_ETHDEV_QUEUE_STAT_CNTRS} (rte_config.h).
     */
    public static int RTE_ETHDEV_QUEUE_STAT_CNTRS() {
        return RTE_ETHDEV_QUEUE_STAT_CNTRS;
    }

    private static final int RTE_MAX_ETHPORTS = (int) 32L;

    /**
     * {@code #define RTE_MAX_ETHPORTS} (rte_build_config.h).
     */
    public static int RTE_MAX_ETHPORTS() {
        return RTE_MAX_ETHPORTS;
    }

    private static final int RTE_MAX_LCORE = (int) 128L;

    /**
     * {@code #define RTE_MAX_LCORE} (rte_build_config.h).
     */
    public static int RTE_MAX_LCORE() {
        return RTE_MAX_LCORE;
    }

    private static final int LCORE_ID_ANY = (int) -1L;

    /**
     * {@code #define LCORE_ID_ANY} (rte_lcore.h).
     */
    public static int LCORE_ID_ANY() {
        return LCORE_ID_ANY;
    }

    private static final int RTE_ETH_NAME_MAX_LEN = (int) 64L;

    /**
     * {@code #define RTE_ETH_NAME_MAX_LEN} (rte_ethdev.h).
     */
    public static int RTE_ETH_NAME_MAX_LEN() {
        return RTE_ETH_NAME_MAX_LEN;
    }

    private static final int CPU_SETSIZE = (int) 1024L;

    /**
     * {@code #define CPU_SETSIZE} (sched.h).
     */
    public static int CPU_SETSIZE() {
        return CPU_SETSIZE;
    }

    private static final int LB_SHIM_ABI_VERSION = (int) 2L;

    /**
     * {@code #define LB_SHIM_ABI_VERSION} (lb_shim.h).
     */
    public static int LB_SHIM_ABI_VERSION() {
        return LB_SHIM_ABI_VERSION;
    }

    private static final int RTE_ETH_MQ_RX_RSS = (int) 1L;

    /**
     * {@code #define RTE_ETH_MQ_RX_RSS} (rte_ethdev.h).
     */
    public static int RTE_ETH_MQ_RX_RSS() {
        return RTE_ETH_MQ_RX_RSS;
    }

    private static final long RTE_ETH_RSS_IP = (long) 41868L;

    /**
     * {@code #define RTE_ETH_RSS_IP} (rte_ethdev.h).
     */
    public static long RTE_ETH_RSS_IP() {
        return RTE_ETH_RSS_IP;
    }

    private static final long RTE_ETH_RSS_TCP = (long) 66576L;

    /**
     * {@code #define RTE_ETH_RSS_TCP} (rte_ethdev.h).
     */
    public static long RTE_ETH_RSS_TCP() {
        return RTE_ETH_RSS_TCP;
    }

    private static final long RTE_ETH_RSS_UDP = (long) 133152L;

    /**
     * {@code #define RTE_ETH_RSS_UDP} (rte_ethdev.h).
     */
    public static long RTE_ETH_RSS_UDP() {
        return RTE_ETH_RSS_UDP;
    }
}
