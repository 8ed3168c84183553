package lb.control.lbd;

import java.util.List;

import lb.control.admin.OperatorCodec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ErrorBookTest {
    @Test
    void shouldKeepEachDistinctErrorOnceWithItsCountAndFirstAndLastTime() {
        final ErrorBook book = new ErrorBook("lbd");
        book.offer(1_000, "dataplane refused ApplyView epoch 4: REJECTED_STALE_EPOCH epoch 4 is not after 5");
        book.offer(2_000, "host started, dataplane serving, view epoch 4");
        book.offer(3_000, "dataplane refused ApplyView epoch 9: REJECTED_STALE_EPOCH epoch 9 is not after 10");
        book.offer(4_000, "cannot write /run/status.json: No space left on device");
        final List<OperatorCodec.ErrorEntry> entries = book.entries();
        assertEquals(2, entries.size(), "the info line is neither; two refusals that differ in numbers are one");
        assertEquals(new OperatorCodec.ErrorEntry("lbd", "error", "cannot write /run/status.json: No space left on " +
            "device", 1, 4_000, 4_000), entries.get(0));
        assertEquals(new OperatorCodec.ErrorEntry("lbd", "warning", "dataplane refused ApplyView epoch 9: " +
            "REJECTED_STALE_EPOCH epoch 9 is not after 10", 2, 1_000, 3_000), entries.get(1));
    }

    @Test
    void shouldForgetTheGroupSeenLongestAgoBeyondItsCapacity() {
        final ErrorBook book = new ErrorBook("dataplane");
        for (int i = 0; i <= ErrorBook.CAPACITY; i++) {
            book.offer(i, "cannot open port " + (char)('a' + i % 26) + (char)('a' + i / 26));
        }
        assertEquals(ErrorBook.CAPACITY, book.entries().size());
        assertEquals(ErrorBook.CAPACITY, book.entries().getFirst().lastMs());
        assertNull(ErrorBook.severity("dataplane applied view 5"));
    }
}
