package lb.dataplane.table;

/**
 * Codec for the meta word of a table entry: who owns the flow or client, where it hashed, and its flags.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Owner host id         |          Bucket index         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Port rule    |     Flags     |        Stamp (15 bits)      |D|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  Flags: bit 0 SYN_SEEN, bit 1 ESTABLISHED, bit 2 CLOSING (connection table; at most one set),
 *         bit 3 FOREIGN, bits 4-5 flow kind (connection table: TCP 0, UDP 1, GRE 2, IPsec 3).
 *  Stamp: low 15 bits of the slot version when the entry was created, so a CAS on the meta word cannot succeed on
 *         a later entry that happens to reuse the slot with an equal value.
 *  D:     dead; set by the conductor, by CAS, at the instant it removes the entry. A meta word read by a caller is
 *         therefore never negative, and negative values are free for result codes.
 * </pre>
 * All fields are unsigned; the packing methods mask their arguments to the field widths.
 */
public final class EntryMeta {
    /** Flag: TCP SYN seen, handshake not complete (counted against the half-open limit). */
    public static final int SYN_SEEN = 0x01;
    /** Flag: TCP connection established. */
    public static final int ESTABLISHED = 0x02;
    /** Flag: TCP FIN or RST seen; the entry lingers for the closing timeout after the last such packet. */
    public static final int CLOSING = 0x04;
    /** Flag: installed by the control plane for another host, which owns the client. */
    public static final int FOREIGN = 0x08;
    /** The TCP state flags. */
    public static final int TCP_STATE_MASK = SYN_SEEN | ESTABLISHED | CLOSING;

    static final int KIND_SHIFT = 4;
    static final int KIND_MASK = 0x30;

    static final int BUCKET_SHIFT = 16;
    static final int RULE_SHIFT = 32;
    static final int FLAGS_SHIFT = 40;
    static final int STAMP_SHIFT = 48;
    static final long STAMP_MASK = 0x7FFFL << STAMP_SHIFT;
    static final long PAYLOAD_MASK = (1L << STAMP_SHIFT) - 1;
    static final long DEAD = Long.MIN_VALUE;

    private EntryMeta() {
    }

    /**
     * @param owner  owner host id, 0-65535.
     * @param bucket bucket index, 0-65535.
     * @param rule   port-rule index, 0-255.
     * @param flags  flags, 0-255.
     * @return the meta payload (no stamp; the table adds it).
     */
    public static long pack(final int owner, final int bucket, final int rule, final int flags) {
        return (owner & 0xFFFFL) |
            ((bucket & 0xFFFFL) << BUCKET_SHIFT) |
            ((rule & 0xFFL) << RULE_SHIFT) |
            ((flags & 0xFFL) << FLAGS_SHIFT);
    }

    /**
     * @param meta a meta word.
     * @return the owner host id.
     */
    public static int owner(final long meta) {
        return (int)(meta & 0xFFFF);
    }

    /**
     * @param meta a meta word.
     * @return the bucket index.
     */
    public static int bucket(final long meta) {
        return (int)((meta >>> BUCKET_SHIFT) & 0xFFFF);
    }

    /**
     * @param meta a meta word.
     * @return the port-rule index.
     */
    public static int rule(final long meta) {
        return (int)((meta >>> RULE_SHIFT) & 0xFF);
    }

    /**
     * @param meta a meta word.
     * @return all flags.
     */
    public static int flags(final long meta) {
        return (int)((meta >>> FLAGS_SHIFT) & 0xFF);
    }

    /**
     * @param meta a meta word.
     * @return the TCP state flag ({@link #SYN_SEEN}, {@link #ESTABLISHED}, {@link #CLOSING}) or 0.
     */
    public static int tcpState(final long meta) {
        return flags(meta) & TCP_STATE_MASK;
    }

    /**
     * @param meta a meta word.
     * @return whether the entry was installed for another host by the control plane.
     */
    public static boolean isForeign(final long meta) {
        return (flags(meta) & FOREIGN) != 0;
    }

    static long withFlags(final long meta, final int flags) {
        return (meta & ~(0xFFL << FLAGS_SHIFT)) | ((flags & 0xFFL) << FLAGS_SHIFT);
    }

    static long stamp(final long version) {
        return (version << STAMP_SHIFT) & STAMP_MASK;
    }
}
