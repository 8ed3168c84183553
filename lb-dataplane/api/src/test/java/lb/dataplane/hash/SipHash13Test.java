package lb.dataplane.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import lb.dataplane.config.ClusterSecret;
import lb.dataplane.net.Ipv4Mapped;
import lb.dataplane.testkit.Seeds;
import org.junit.jupiter.api.Test;

class SipHash13Test {
    private static final int CROSS_CHECKS = 1_000_000;

    @Test
    void shouldAgreeWithTheReferenceSipHash13OnAMillionRandomInputs() {
        final long seed = Seeds.seed("SipHash13Test.crossCheck");
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] key = new byte[16];
        final byte[] message = new byte[24];
        SipHash13 fast = null;
        for (int i = 0; i < CROSS_CHECKS; i++) {
            if (i % 1000 == 0) {
                random.nextBytes(key);
                fast = SipHash13.of(ClusterSecret.fromBytes(key));
            }
            final long w0 = nextWord(random);
            final long w1 = nextWord(random);
            final long w2 = nextWord(random);
            littleEndian(w0, message, 0);
            littleEndian(w1, message, 8);
            littleEndian(w2, message, 16);
            final long expected = SipHashReference.hash(key, message, 1, 3);
            if (expected != fast.hash(w0, w1, w2)) {
                assertEquals(expected, fast.hash(w0, w1, w2), "seed " + seed + " input " + i);
            }
        }
    }

    @Test
    void shouldNotAllocatePerHash() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final SipHash13 hash = new SipHash13(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += hash.hash(i, sink, i * 31L);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            sink += hash.hash(i, sink, i * 31L);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1024, "a million hashes allocated " + allocated + " bytes (sink " + sink + ")");
    }

    /** Mostly uniform words, with the edge values a fixed-width encoding gets wrong first. */
    private static long nextWord(final SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Ipv4Mapped.low(random.nextInt());
            case 3 -> random.nextInt(65536);
            default -> random.nextLong();
        };
    }

    private static void littleEndian(final long word, final byte[] bytes, final int offset) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + i] = (byte)(word >>> (8 * i));
        }
    }
}
