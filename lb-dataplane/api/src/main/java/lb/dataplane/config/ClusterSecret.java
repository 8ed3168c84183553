package lb.dataplane.config;

import java.util.HexFormat;

/**
 * The cluster's 128-bit flow-hash key, written as 32 hex digits; {@code k0} and {@code k1} are its first and last 8
 * bytes read little-endian, SipHash's own key convention (so key bytes {@code 00 01 .. 0f} give
 * {@code k0 = 0x0706050403020100}, as in the published test vectors).
 *
 * <p>{@link #toString()} hides the value so that logging a config never leaks it; {@link #toHex()} is for the file.
 */
public record ClusterSecret(long k0, long k1) {
    /** Length of the written form. */
    public static final int HEX_DIGITS = 32;

    /**
     * Parses 32 hex digits (either case).
     *
     * @throws IllegalArgumentException saying what was wrong, without echoing the secret.
     */
    public static ClusterSecret fromHex(final String hex) {
        if (hex.length() != HEX_DIGITS) {
            throw new IllegalArgumentException("has " + hex.length() + " characters, needs " + HEX_DIGITS + " hex digits");
        }
        if (!hex.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("has a character that is not a hex digit 0-9 a-f");
        }
        return fromBytes(HexFormat.of().parseHex(hex));
    }

    /**
     * The secret given as its 16 bytes.
     */
    public static ClusterSecret fromBytes(final byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a cluster secret has 16 bytes, not " + bytes.length);
        }
        return new ClusterSecret(littleEndian(bytes, 0), littleEndian(bytes, 8));
    }

    /**
     * The 16 key bytes, as SipHash takes them.
     */
    public byte[] toBytes() {
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte)(k0 >>> (8 * i));
            bytes[8 + i] = (byte)(k1 >>> (8 * i));
        }
        return bytes;
    }

    /**
     * The 32 lower-case hex digits the cluster file holds.
     */
    public String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    /**
     * Whether every bit is zero: a key nobody chose.
     */
    public boolean isZero() {
        return k0 == 0 && k1 == 0;
    }

    @Override
    public String toString() {
        return "ClusterSecret[hidden]";
    }

    private static long littleEndian(final byte[] bytes, final int offset) {
        long word = 0;
        for (int i = 7; i >= 0; i--) {
            word = word << 8 | (bytes[offset + i] & 0xff);
        }
        return word;
    }
}
