package lb.dataplane.conductor;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableSweeperTest {
    private final List<Integer> limits = new ArrayList<>();

    @Test
    void shouldSweepAWholeTableOncePerSecondSpreadOverTheDutyCycles() {
        final TableSweeper sweeper = new TableSweeper((now, limit) -> {
            limits.add(limit);
            return 0;
        }, 1 << 20, 0);
        for (long now = 1; now <= 1000; now++) {
            sweeper.doWork(now);
        }
        final long swept = limits.stream().mapToLong(Integer::longValue).sum();
        assertTrue(swept >= 1 << 20 && swept <= (1 << 20) + 2000, "slots swept in one second: " + swept);
        assertEquals(1000, limits.size());
    }

    @Test
    void shouldNotSweepTwiceInTheSameMillisecondNorMoreThanTheTableAfterAPause() {
        final TableSweeper sweeper = new TableSweeper((now, limit) -> {
            limits.add(limit);
            return 0;
        }, 4096, 0);
        sweeper.doWork(0);
        sweeper.doWork(60_000);
        assertEquals(List.of(4096), limits);
    }
}
