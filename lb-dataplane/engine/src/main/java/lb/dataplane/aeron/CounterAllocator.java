package lb.dataplane.aeron;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * Allocates the dataplane's counters: in the Aeron CnC file ({@link AeronHost}), or in a plain
 * {@code CountersManager} when a test drives agents without a media driver.
 */
@FunctionalInterface
public interface CounterAllocator {
    /**
     * @param typeId counter type id (at least 1000, see CounterTypes).
     * @param key    id of the thing counted.
     * @param label  human-readable label.
     * @return the counter; the caller is its single writer and closes it.
     */
    AtomicCounter addCounter(int typeId, int key, String label);
}
