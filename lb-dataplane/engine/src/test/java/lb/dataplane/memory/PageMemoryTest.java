package lb.dataplane.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageMemoryTest {
    private static final long LENGTH = 6L << 20 | 4096 + 8;

    @Test
    void memorySmallerThanAHugePageTakesOrdinaryPages() {
        try (Arena arena = Arena.ofConfined()) {
            final PageMemory.Block block = PageMemory.allocate(arena, 4096, PageMemory.Policy.AUTO);
            assertEquals(PageMemory.Kind.SMALL, block.kind());
            assertEquals(4096, block.segment().byteSize());
            assertEquals(0, block.segment().address() % 64);
        }
    }

    @Test
    void everyPolicyGivesZeroedWritableMemoryOfTheLengthAsked() {
        for (final PageMemory.Policy policy : new PageMemory.Policy[] {
            PageMemory.Policy.AUTO, PageMemory.Policy.THP, PageMemory.Policy.SMALL}) {
            try (Arena arena = Arena.ofShared()) {
                final PageMemory.Block block = PageMemory.allocate(arena, LENGTH, policy);
                assertEquals(LENGTH, block.segment().byteSize(), policy.name());
                for (long offset = 0; offset + 8 <= LENGTH; offset += 4096) {
                    assertEquals(0, block.segment().get(ValueLayout.JAVA_LONG, offset), policy + " at " + offset);
                    block.segment().set(ValueLayout.JAVA_LONG, offset, offset + 1);
                }
                for (long offset = 0; offset + 8 <= LENGTH; offset += 4096) {
                    assertEquals(offset + 1, block.segment().get(ValueLayout.JAVA_LONG, offset));
                }
                if (block.kind() != PageMemory.Kind.SMALL) {
                    assertEquals(0, block.segment().address() % PageMemory.hugePageSize(), policy.name());
                }
                assertTrue(block.describe().contains("MiB"), block.describe());
            }
        }
    }

    @Test
    void hugetlbEitherComesFromThePoolOrNamesIt() {
        try (Arena arena = Arena.ofConfined()) {
            final long free = PageMemory.freeHugePages();
            final long needed = (LENGTH + PageMemory.hugePageSize() - 1) / PageMemory.hugePageSize();
            if (free >= 0 && free < needed) {
                final IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> PageMemory.allocate(arena, LENGTH, PageMemory.Policy.HUGETLB));
                assertTrue(e.getMessage().contains("nr_hugepages"), e.getMessage());
                // AUTO falls back instead of failing.
                assertTrue(PageMemory.allocate(arena, LENGTH, PageMemory.Policy.AUTO).kind() != PageMemory.Kind.HUGETLB);
            } else {
                final PageMemory.Block block = PageMemory.allocate(arena, LENGTH, PageMemory.Policy.HUGETLB);
                assertEquals(PageMemory.Kind.HUGETLB, block.kind());
                assertTrue(block.describe().contains("hugepage pool"), block.describe());
            }
        }
    }

    @Test
    void policyNamesParseAnyCaseAndBadOnesAreNamed() {
        assertEquals(PageMemory.Policy.THP, PageMemory.Policy.parse("THP"));
        assertEquals(PageMemory.Policy.HUGETLB, PageMemory.Policy.parse("hugetlb"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PageMemory.Policy.parse("giant"));
        assertTrue(e.getMessage().contains("auto, hugetlb, thp, small") && e.getMessage().contains("giant"));
    }
}
