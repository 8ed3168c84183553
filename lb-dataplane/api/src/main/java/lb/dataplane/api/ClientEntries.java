package lb.dataplane.api;

import lb.dataplane.api.sbe.IpVersion;

/**
 * A reusable batch of sticky clients (client key, owning host, time left) to send in StickyClients or
 * InstallForeignEntries; held as parallel arrays of fixed capacity so filling and sending it allocate nothing.
 */
public final class ClientEntries {
    /** Largest expiry the wire carries (uint32 milliseconds, about 49 days). */
    public static final long MAX_EXPIRES_IN_MS = 0xffff_ffffL;

    private final IpVersion[] versions;
    private final long[] highs;
    private final long[] lows;
    private final int[] owners;
    private final long[] expiresInMs;
    private int size;

    /**
     * @param capacity most entries the batch holds.
     */
    public ClientEntries(final int capacity) {
        versions = new IpVersion[capacity];
        highs = new long[capacity];
        lows = new long[capacity];
        owners = new int[capacity];
        expiresInMs = new long[capacity];
    }

    /**
     * Appends an entry.
     *
     * @param version     client address's IP version.
     * @param high        first 8 bytes of the masked client address (see {@link Addresses}).
     * @param low         last 8 bytes of the masked client address.
     * @param ownerHostId host that keeps the client.
     * @param expiresIn   milliseconds until the entry expires without new traffic, 0 to {@link #MAX_EXPIRES_IN_MS}.
     * @throws IllegalStateException    when the batch is full.
     * @throws IllegalArgumentException when a value does not fit its wire field.
     */
    public void add(final IpVersion version, final long high, final long low, final int ownerHostId,
        final long expiresIn) {
        if (size == versions.length) {
            throw new IllegalStateException("client entries full at " + size);
        }
        if (ownerHostId < 0 || ownerHostId > 0xffff) {
            throw new IllegalArgumentException("owner host id must be 0-65535, was " + ownerHostId);
        }
        if (expiresIn < 0 || expiresIn > MAX_EXPIRES_IN_MS) {
            throw new IllegalArgumentException("expiresInMs must be 0-" + MAX_EXPIRES_IN_MS + ", was " + expiresIn);
        }
        versions[size] = version;
        highs[size] = high;
        lows[size] = low;
        owners[size] = ownerHostId;
        expiresInMs[size] = expiresIn;
        size++;
    }

    /**
     * Empties the batch for reuse.
     */
    public void clear() {
        size = 0;
    }

    /**
     * @return entries held.
     */
    public int size() {
        return size;
    }

    /**
     * @return most entries the batch holds.
     */
    public int capacity() {
        return versions.length;
    }

    /**
     * @return true when {@link #add} would throw.
     */
    public boolean isFull() {
        return size == versions.length;
    }

    /**
     * @param index 0 to {@link #size()} - 1.
     * @return the client address's IP version.
     */
    public IpVersion version(final int index) {
        return versions[index];
    }

    /**
     * @param index 0 to {@link #size()} - 1.
     * @return the client address's first 8 bytes.
     */
    public long high(final int index) {
        return highs[index];
    }

    /**
     * @param index 0 to {@link #size()} - 1.
     * @return the client address's last 8 bytes.
     */
    public long low(final int index) {
        return lows[index];
    }

    /**
     * @param index 0 to {@link #size()} - 1.
     * @return the host that keeps the client.
     */
    public int owner(final int index) {
        return owners[index];
    }

    /**
     * @param index 0 to {@link #size()} - 1.
     * @return milliseconds until the entry expires without new traffic.
     */
    public long expiresInMs(final int index) {
        return expiresInMs[index];
    }
}
