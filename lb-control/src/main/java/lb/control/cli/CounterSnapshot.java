package lb.control.cli;

import java.util.ArrayList;
import java.util.List;

import lb.dataplane.api.CountersFile;
import org.agrona.concurrent.status.CountersReader;

/**
 * Every lb counter (type id 1000 and above) of one counters file at one instant, in the file's order.
 *
 * @param nanoTime when it was read ({@link System#nanoTime()}), for rates.
 * @param counters the counters.
 */
public record CounterSnapshot(long nanoTime, List<Entry> counters) {
    /** Aeron's own counters are below this type id. */
    public static final int FIRST_LB_TYPE = 1000;

    /**
     * One counter.
     *
     * @param id     its id in the file (stable while its owner runs).
     * @param typeId its type (lb.dataplane.api.CounterTypes).
     * @param key    the id of what it counts: worker, port or pool.
     * @param label  what it counts, in words.
     * @param value  its value.
     */
    public record Entry(int id, int typeId, int key, String label, long value) {
    }

    /**
     * Reads every allocated lb counter.
     */
    public static CounterSnapshot read(final CountersFile file) {
        final CountersReader reader = file.reader();
        final List<Entry> entries = new ArrayList<>();
        reader.forEach((counterId, typeId, keyBuffer, label) -> {
            if (typeId >= FIRST_LB_TYPE) {
                entries.add(new Entry(counterId, typeId, keyBuffer.getInt(0), label,
                    reader.getCounterValue(counterId)));
            }
        });
        return new CounterSnapshot(System.nanoTime(), List.copyOf(entries));
    }

    /**
     * @param earlier a snapshot of the same file taken before this one.
     * @param entry   a counter of this snapshot.
     * @return its rate per second since {@code earlier}, or 0 when it was not there then.
     */
    public double ratePerSecond(final CounterSnapshot earlier, final Entry entry) {
        final double seconds = (nanoTime - earlier.nanoTime) / 1e9;
        for (final Entry before : earlier.counters) {
            if (before.id() == entry.id() && before.typeId() == entry.typeId() && before.key() == entry.key()) {
                return seconds > 0 ? (entry.value() - before.value()) / seconds : 0;
            }
        }
        return 0;
    }
}
