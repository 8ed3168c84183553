package lb.dataplane.table;

/**
 * Argument checks shared by the conductor's slot-range scans (export and flush), which may throw: they are not on a
 * packet path.
 */
final class SlotRange {
    /** Port-rule indices fit the meta word's 8-bit field. */
    static final int MAX_RULE = 255;

    private SlotRange() {
    }

    /**
     * @return the end of the range, clipped to the capacity.
     */
    static int end(final int capacity, final int fromSlot, final int slotCount) {
        if (fromSlot < 0 || fromSlot > capacity) {
            throw new IllegalArgumentException("fromSlot must be between 0 and capacity (" + capacity + "), was " +
                fromSlot);
        }
        if (slotCount < 0) {
            throw new IllegalArgumentException("slotCount must be at least 0, was " + slotCount);
        }
        return (int)Math.min(capacity, (long)fromSlot + slotCount);
    }

    static void checkRule(final int rule) {
        if (rule < 0 || rule > MAX_RULE) {
            throw new IllegalArgumentException("rule must be between 0 and " + MAX_RULE + ", was " + rule);
        }
    }
}
