package lb.dataplane.table;

/**
 * Receives extended-affinity entries from {@link AffinityTable#forEachInBuckets}, as primitives so a scan allocates
 * nothing.
 */
@FunctionalInterface
public interface AffinityVisitor {
    /**
     * @param rule          port-rule index.
     * @param ipVersion     4 or 6.
     * @param clientHi      high 64 bits of the masked client address.
     * @param clientLo      low 64 bits of the masked client address.
     * @param meta          meta word, decoded with {@link EntryMeta}.
     * @param lastSeenTicks last time the client was seen, in the caller's ticks.
     */
    void onAffinity(int rule, int ipVersion, long clientHi, long clientLo, long meta, long lastSeenTicks);
}
