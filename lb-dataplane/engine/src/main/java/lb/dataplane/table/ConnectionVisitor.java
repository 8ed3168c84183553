package lb.dataplane.table;

/**
 * Receives connection entries from {@link ConnectionTable#forEachInBuckets}, as primitives so a scan allocates nothing.
 */
@FunctionalInterface
public interface ConnectionVisitor {
    /**
     * @param protocol      IP protocol number.
     * @param ipVersion     4 or 6.
     * @param clientHi      high 64 bits of the client address.
     * @param clientLo      low 64 bits of the client address.
     * @param clientPort    client port (0 for protocols without ports).
     * @param vipHi         high 64 bits of the VIP.
     * @param vipLo         low 64 bits of the VIP.
     * @param vipPort       VIP port.
     * @param meta          meta word, decoded with {@link EntryMeta}.
     * @param lastSeenTicks last time the entry saw traffic, in the caller's ticks.
     */
    void onConnection(
        int protocol, int ipVersion, long clientHi, long clientLo, int clientPort,
        long vipHi, long vipLo, int vipPort, long meta, long lastSeenTicks);
}
