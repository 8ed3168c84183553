package lb.dataplane.aeron;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

/**
 * Counters in plain buffers (Agrona's {@link CountersManager}, as in a CnC file), for tests that drive agents
 * without a media driver; read back by type id and key, as AeronStat would.
 */
public final class TestCounters implements CounterAllocator {
    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(new byte[4096 * CountersManager.METADATA_LENGTH]),
        new UnsafeBuffer(new byte[4096 * CountersManager.COUNTER_LENGTH]));

    @Override
    public org.agrona.concurrent.status.AtomicCounter addCounter(final int typeId, final int key, final String label) {
        return counters.newCounter(label, typeId, buffer -> buffer.putInt(0, key));
    }

    /**
     * @return the value of the counter with this type id and key; fails when there is none.
     */
    public long value(final int typeId, final int key) {
        final long[] found = {Long.MIN_VALUE};
        counters.forEach((counterId, type, keyBuffer, label) -> {
            if (type == typeId && keyBuffer.getInt(0) == key) {
                found[0] = counters.getCounterValue(counterId);
            }
        });
        if (found[0] == Long.MIN_VALUE) {
            throw new AssertionError("no counter of type " + typeId + " with key " + key);
        }
        return found[0];
    }
}
