package lb.dataplane.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Large, long-lived, zeroed memory for the flow tables, on huge pages where the machine has them.
 *
 * <p>The connection table at a million slots is about 70 MiB and every lookup lands on a random slot. On 4 KiB
 * pages nearly every lookup also misses the TLB and walks the page tables: on the benchmark machine that walk was
 * the largest single cost of a packet, in C as in Java. 2 MiB pages cover the same table with 35 TLB entries. The
 * policies, in the order {@link Policy#AUTO} tries them:
 * <ol>
 *   <li>{@link Kind#HUGETLB}: {@code mmap(MAP_HUGETLB | MAP_HUGE_2MB)} from the kernel's 2 MiB hugepage pool (the
 *       pool DPDK uses), then faulted in with {@code MADV_POPULATE_WRITE}, whose failure (a cgroup or cpuset limit)
 *       is seen here rather than as a SIGBUS on the first packet;</li>
 *   <li>{@link Kind#THP}: an anonymous mapping aligned to 2 MiB, {@code madvise(MADV_HUGEPAGE)} (honoured when
 *       {@code /sys/kernel/mm/transparent_hugepage/enabled} is {@code always} or {@code madvise}), then
 *       faulted in at once ({@code MADV_POPULATE_WRITE}) so no packet takes the first-touch fault;</li>
 *   <li>{@link Kind#SMALL}: ordinary pages from the arena.</li>
 * </ol>
 * Memory smaller than one huge page always takes ordinary pages. The memory lives as long as the arena given; closing
 * the arena unmaps it. libc's {@code mmap}, {@code madvise} and {@code munmap} are bound directly, like DPDK's
 * exported functions: the shim wraps only what FFM cannot call.
 */
public final class PageMemory {
    /** Where table memory may come from. */
    public enum Policy {
        /** The hugepage pool, else transparent huge pages, else ordinary pages. */
        AUTO,
        /** Only the hugepage pool: allocation fails, naming the pool, when it is short. */
        HUGETLB,
        /** Transparent huge pages (ordinary pages where the kernel declines). */
        THP,
        /** Ordinary pages. */
        SMALL;

        /**
         * @param text a policy name, any case.
         * @return the policy.
         * @throws IllegalArgumentException naming the valid names.
         */
        public static Policy parse(final String text) {
            for (final Policy p : values()) {
                if (p.name().equalsIgnoreCase(text)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("table pages must be one of auto, hugetlb, thp, small; was '" + text +
                "'");
        }
    }

    /** Where a block's memory came from. */
    public enum Kind {
        /** 2 MiB (the default huge page size) pages from the hugepage pool. */
        HUGETLB,
        /** An anonymous mapping advised for transparent huge pages. */
        THP,
        /** Ordinary pages. */
        SMALL
    }

    /**
     * @param segment the memory, zeroed, 64-byte aligned (2 MiB aligned unless SMALL), alive while its arena is.
     * @param kind    where it came from.
     */
    public record Block(MemorySegment segment, Kind kind) {
        /**
         * @return for an operator: the size, the page kind and, for THP, how much the kernel backed with huge pages.
         */
        public String describe() {
            final String size = mib(segment.byteSize());
            return switch (kind) {
                case HUGETLB -> size + " on " + mib(hugePageSize()) + " pages from the hugepage pool";
                case THP -> size + " advised for transparent huge pages, " +
                    mib(Math.min(segment.byteSize(), anonHugeBytes(segment.address()))) + " of it on huge pages";
                case SMALL -> size + " on 4 KiB pages";
            };
        }
    }

    /** The huge page size the tables use: x86's PMD size, the transparent huge page size. */
    private static final long HUGE_2M = 2L << 20;
    private static final long SMALL_PAGE = 4096;
    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_POPULATE = 0x8000;
    private static final int MAP_HUGETLB = 0x40000;
    /** MAP_HUGE_SHIFT (26) with log2(2 MiB) = 21: 2 MiB pages whatever the default hugetlb size. */
    private static final int MAP_HUGE_2MB = 21 << 26;
    private static final int MADV_HUGEPAGE = 14;
    private static final int MADV_POPULATE_WRITE = 23;
    private static final long MAP_FAILED = -1L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MMAP = downcall("mmap", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
        ValueLayout.JAVA_LONG));
    private static final MethodHandle MADVISE = downcall("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

    private PageMemory() {
    }

    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor) {
        final MemorySegment address = LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(address, descriptor, Linker.Option.captureCallState("errno"));
    }

    /**
     * Allocates zeroed memory that lives as long as {@code arena}.
     *
     * @param arena  owns the memory; closing it unmaps it.
     * @param length bytes, at least 1.
     * @param policy where the memory may come from.
     * @return the block and where it came from.
     * @throws IllegalStateException when policy is HUGETLB and the pool cannot supply the pages (names the pool
     *                               and how many pages are needed and free).
     */
    public static Block allocate(final Arena arena, final long length, final Policy policy) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be at least 1, was " + length);
        }
        // 2 MiB whatever the machine's default hugetlb size: a host booted with default_hugepagesz=1G keeps its
        // 1 GiB pages for DPDK, and the tables still take 2 MiB ones (or THP, whose size is the PMD size).
        final long huge = HUGE_2M;
        if (policy == Policy.SMALL || (policy == Policy.AUTO && length < huge)) {
            return new Block(arena.allocate(length, 64), Kind.SMALL);
        }
        final long span = roundUp(length, huge);
        final int[] errno = new int[1];
        if (policy == Policy.AUTO || policy == Policy.HUGETLB) {
            // Reserved from the pool when mapped; then faulted in and checked here, not by the first packet (a
            // hugetlb cgroup or cpuset limit would otherwise surface as SIGBUS on the hot path).
            final long address = mmap(span, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, errno);
            if (address != MAP_FAILED) {
                if (madvise(address, span, MADV_POPULATE_WRITE, errno) == 0) {
                    return new Block(owned(arena, address, span, address, length), Kind.HUGETLB);
                }
                munmap(address, span);
            }
            if (policy == Policy.HUGETLB) {
                throw new IllegalStateException("the hugepage pool cannot supply " + (span / huge) + " pages of " +
                    mib(huge) + " (errno " + errno[0] + "; free: " + freeHugePages() +
                    "); reserve more in /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages or choose table " +
                    "pages auto, thp or small");
            }
        }
        // Transparent huge pages: over-map by one huge page so the block can start on a huge-page boundary.
        final long mapped = span + huge;
        final long raw = mmap(mapped, MAP_PRIVATE | MAP_ANONYMOUS, errno);
        if (raw == MAP_FAILED) {
            throw new OutOfMemoryError("mmap of " + mib(mapped) + " failed, errno " + errno[0]);
        }
        final long aligned = roundUp(raw, huge);
        final boolean advised = madvise(aligned, span, MADV_HUGEPAGE, errno) == 0;
        final MemorySegment segment = owned(arena, raw, mapped, aligned, length);
        if (madvise(aligned, span, MADV_POPULATE_WRITE, errno) != 0) {
            // Kernels before 5.14: touch every page.
            for (long offset = 0; offset < length; offset += SMALL_PAGE) {
                segment.set(ValueLayout.JAVA_BYTE, offset, (byte)0);
            }
        }
        return new Block(segment, advised ? Kind.THP : Kind.SMALL);
    }

    private static MemorySegment owned(final Arena arena, final long mappedAddress, final long mappedLength,
        final long start, final long length) {
        try {
            return MemorySegment.ofAddress(start).reinterpret(length, arena,
                ignored -> munmap(mappedAddress, mappedLength));
        } catch (final RuntimeException e) {
            munmap(mappedAddress, mappedLength);
            throw e;
        }
    }

    private static long mmap(final long length, final int flags, final int[] errno) {
        try (Arena call = Arena.ofConfined()) {
            final MemorySegment state = call.allocate(CAPTURE);
            final long address = (long)MMAP.invokeExact(state, 0L, length, PROT_READ | PROT_WRITE, flags, -1, 0L);
            errno[0] = (int)ERRNO.get(state, 0L);
            return address;
        } catch (final Throwable e) {
            throw new AssertionError("mmap", e);
        }
    }

    private static int madvise(final long address, final long length, final int advice, final int[] errno) {
        try (Arena call = Arena.ofConfined()) {
            final MemorySegment state = call.allocate(CAPTURE);
            final int result = (int)MADVISE.invokeExact(state, address, length, advice);
            errno[0] = (int)ERRNO.get(state, 0L);
            return result;
        } catch (final Throwable e) {
            throw new AssertionError("madvise", e);
        }
    }

    private static void munmap(final long address, final long length) {
        try (Arena call = Arena.ofConfined()) {
            final int ignored = (int)MUNMAP.invokeExact(call.allocate(CAPTURE), address, length);
        } catch (final Throwable e) {
            throw new AssertionError("munmap", e);
        }
    }

    private static long roundUp(final long value, final long unit) {
        return (value + unit - 1) / unit * unit;
    }

    /**
     * @return the huge page size the tables use: 2 MiB.
     */
    public static long hugePageSize() {
        return HUGE_2M;
    }

    /**
     * @return free, unreserved 2 MiB pages in the hugepage pool, -1 if unknown.
     */
    public static long freeHugePages() {
        final Path pool = Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB");
        try {
            return Long.parseLong(Files.readString(pool.resolve("free_hugepages")).trim()) -
                Long.parseLong(Files.readString(pool.resolve("resv_hugepages")).trim());
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * @param address an address in an anonymous mapping of this process.
     * @return bytes of that mapping the kernel backs with transparent huge pages (/proc/self/smaps
     *     AnonHugePages), 0 when unknown.
     */
    static long anonHugeBytes(final long address) {
        try {
            final List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
            boolean inside = false;
            for (final String line : lines) {
                final int dash = line.indexOf('-');
                if (dash > 0 && dash < 17 && line.length() > dash + 1 && isHex(line, 0, dash)) {
                    final int space = line.indexOf(' ', dash);
                    final long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                    final long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                    inside = Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
                } else if (inside && line.startsWith("AnonHugePages:")) {
                    return Long.parseLong(line.substring("AnonHugePages:".length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (final IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static boolean isHex(final String s, final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String mib(final long bytes) {
        return bytes >= (1L << 20) && bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" :
            String.format(Locale.ROOT, "%.1f MiB", bytes / (double)(1L << 20));
    }
}
