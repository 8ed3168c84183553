package lb.dataplane.hash;

/**
 * SipHash-c-d written straight from the paper (Aumasson and Bernstein, 2012), over bytes, for any round counts: the
 * yardstick the fast {@link SipHash13} and the reference model are checked against. Allocates; never on the packet
 * path.
 */
public final class SipHashReference {
    private SipHashReference() {
    }

    /**
     * SipHash-c-d of a message under a 16-byte key.
     *
     * @param key                 16 bytes; k0 and k1 are its halves read little-endian.
     * @param message             any length.
     * @param compressionRounds   c: SipRounds per 8-byte message word (2 in SipHash-2-4, 1 in SipHash-1-3).
     * @param finalizationRounds  d: SipRounds at the end (4 in SipHash-2-4, 3 in SipHash-1-3).
     */
    public static long hash(
        final byte[] key, final byte[] message, final int compressionRounds, final int finalizationRounds) {
        if (key.length != 16) {
            throw new IllegalArgumentException("a SipHash key has 16 bytes, not " + key.length);
        }
        final long k0 = littleEndian(key, 0, 8);
        final long k1 = littleEndian(key, 8, 8);
        final long[] v = {
            k0 ^ 0x736f6d6570736575L,
            k1 ^ 0x646f72616e646f6dL,
            k0 ^ 0x6c7967656e657261L,
            k1 ^ 0x7465646279746573L,
        };
        final int whole = message.length - message.length % 8;
        for (int offset = 0; offset < whole; offset += 8) {
            compress(v, littleEndian(message, offset, 8), compressionRounds);
        }
        // The last block: the leftover bytes, and the message length mod 256 in the top byte.
        final long last = ((long)message.length << 56) | littleEndian(message, whole, message.length - whole);
        compress(v, last, compressionRounds);
        v[2] ^= 0xff;
        for (int i = 0; i < finalizationRounds; i++) {
            sipRound(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void compress(final long[] v, final long m, final int rounds) {
        v[3] ^= m;
        for (int i = 0; i < rounds; i++) {
            sipRound(v);
        }
        v[0] ^= m;
    }

    private static void sipRound(final long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }

    private static long littleEndian(final byte[] bytes, final int offset, final int length) {
        long word = 0;
        for (int i = length - 1; i >= 0; i--) {
            word = word << 8 | (bytes[offset + i] & 0xff);
        }
        return word;
    }
}
