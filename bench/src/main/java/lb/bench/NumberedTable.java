package lb.bench;

import lb.dataplane.table.TableResult;

/**
 * A connection or affinity table under benchmark whose keys are numbered: key {@code i} of a family is always the same
 * key, so a benchmark can fill a table, hit it, miss it and add to it without holding its keys in memory.
 */
interface NumberedTable extends AutoCloseable {
    /** Keys the fixture fills the table with. */
    int RESIDENT = 0;
    /** Keys never inserted: lookups of them miss. */
    int ABSENT = 1;
    /** Keys inserted and removed again within one operation. */
    int TRANSIENT = 2;
    /** Smallest capacity the tables accept. */
    int MIN_CAPACITY = 1024;

    /**
     * @param kind    {@code connection} or {@code affinity}.
     * @param entries entries the table is to hold.
     * @return an empty table of {@link #capacityFor} slots.
     */
    static NumberedTable create(final String kind, final int entries) {
        return switch (kind) {
            case "connection" -> new NumberedConnections(capacityFor(entries));
            case "affinity" -> new NumberedAffinities(capacityFor(entries));
            default -> throw new IllegalArgumentException("table must be connection or affinity, was " + kind);
        };
    }

    /**
     * @return the smallest power of two that holds {@code entries} at no more than 50% load, the sizing docs/tables.md
     * advises (from 1000 entries in 2048 slots, 49%, to 10^7 in 2^25, 30%).
     */
    static int capacityFor(final int entries) {
        int capacity = MIN_CAPACITY;
        while (capacity < 2L * entries) {
            capacity <<= 1;
        }
        return capacity;
    }

    /**
     * Inserts resident keys 0, 1, 2, ... until {@code resident.length} of them are created, recording their numbers.
     * A key whose whole probe window is taken is refused ({@link TableResult#PROBE_LIMIT}; linear probing makes it rare
     * but not impossible even at 30% load) and skipped.
     *
     * @param resident filled with the numbers of the keys now in the table.
     * @return keys refused.
     * @throws IllegalStateException naming a key that was present already or failed for another reason.
     */
    default int fill(final int[] resident, final long nowTicks) {
        int refused = 0;
        for (int i = 0, created = 0; created < resident.length; i++) {
            final long handle = insert(RESIDENT, i, nowTicks);
            if (TableResult.isCreated(handle)) {
                resident[created++] = i;
            } else if (handle == TableResult.PROBE_LIMIT) {
                refused++;
            } else {
                throw new IllegalStateException("resident key " + i + " not created in " + capacity() +
                    " slots: result " + handle + ", expected a new entry");
            }
        }
        return refused;
    }

    /** @return a handle or a {@link TableResult} code, as the table's insert. */
    long insert(int family, int i, long nowTicks);

    /** @return a handle or {@link TableResult#NOT_FOUND}. */
    long lookup(int family, int i);

    /** @return whether an entry was removed. */
    boolean remove(int family, int i);

    /** @return the entry's meta word, or {@link TableResult#NOT_FOUND}. */
    long meta(long handle);

    /** @return false if the entry is gone. */
    boolean touch(long handle, long nowTicks);

    /** @return entries expired: the table's sweep of {@code limit} slots. */
    int sweep(long nowTicks, int limit);

    /** @return slots. */
    int capacity();

    @Override
    void close();
}
