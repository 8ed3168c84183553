package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random frames, mostly mutations of the fixtures: the parser must never throw, must keep every offset
 * inside the frame, must not read outside it, and must give the same answer into a fresh or a reused
 * {@link ParsedPacket}. Prints its seed; replay with {@code -Dlb.seed=N} (and {@code -Dlb.frames=N} for more).
 */
class PacketParserRandomTest {
    private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x02, 0x05, 0x06, 0x08, 0x11, 0x2C, 0x3A, 0x3B,
        0x45, 0x60, 0x7F, 0x80, 0x81, 0xFF};
    private static final int[] INTERESTING_WORDS = {0x0000, 0x0001, 0x0800, 0x0806, 0x86DD, 0x8100, 0x88A8,
        0x9100, 0x7FFF, 0xFFFF};

    @Test
    void shouldStayInsideTheFrameAndBeDeterministicForRandomAndMutatedFrames() {
        final long seed = Long.getLong("lb.seed", System.nanoTime());
        final int frames = Integer.getInteger("lb.frames", 100_000);
        System.out.println("PacketParserRandomTest seed=" + seed + " frames=" + frames + " (replay: -Dlb.seed=" + seed + ")");
        final SplittableRandom random = new SplittableRandom(seed);
        final List<byte[]> corpus = new ArrayList<>();
        ParserFixtures.all().forEach(fixture -> corpus.add(fixture.frame()));

        final ParseHarness harness = new ParseHarness();
        final PacketParser parser = new PacketParser();
        final int[] results = new int[ParseResult.COUNT];
        for (int i = 0; i < frames; i++) {
            final byte[] frame = random.nextInt(5) == 0 ?
                randomFrame(random) : mutate(corpus.get(random.nextInt(corpus.size())), random);
            final String what = "seed " + seed + " frame " + i + " " + hex(frame);
            final int result = harness.parse(what, frame);
            final String reused = Snapshot.of(harness.parsed());
            final ParsedPacket fresh = new ParsedPacket();
            assertEquals(result, parser.parse(MemorySegment.ofArray(frame), 0, frame.length, fresh),
                what);
            assertEquals(reused, Snapshot.of(fresh), what);
            results[result]++;
        }

        final StringBuilder histogram = new StringBuilder();
        int distinct = 0;
        for (int code = 0; code < ParseResult.COUNT; code++) {
            if (results[code] > 0) {
                distinct++;
                histogram.append(ParseResult.name(code)).append('=').append(results[code]).append(' ');
            }
        }
        System.out.println("results: " + histogram);
        // A mutator that only ever produced a few outcomes would not be exploring the parser.
        assertTrue(results[ParseResult.OK] > frames / 10 && distinct >= 20, "seed " + seed + ": " + histogram);
    }

    private static byte[] randomFrame(final SplittableRandom random) {
        final byte[] frame = new byte[random.nextInt(160)];
        random.nextBytes(frame);
        if (frame.length >= 14 && random.nextBoolean()) {
            final int etherType = INTERESTING_WORDS[random.nextInt(INTERESTING_WORDS.length)];
            frame[12] = (byte)(etherType >>> 8);
            frame[13] = (byte)etherType;
        }
        return frame;
    }

    private static byte[] mutate(final byte[] original, final SplittableRandom random) {
        byte[] frame = original.clone();
        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            if (frame.length == 0) {
                return frame;
            }
            final int at = random.nextInt(frame.length);
            switch (random.nextInt(6)) {
                case 0 -> frame[at] = (byte)random.nextInt(256);
                case 1 -> frame[at] = (byte)INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                case 2 -> frame[at] ^= (byte)(1 << random.nextInt(8));
                case 3 -> {
                    if (at + 1 < frame.length) {
                        final int word = INTERESTING_WORDS[random.nextInt(INTERESTING_WORDS.length)] +
                            random.nextInt(-2, 3);
                        frame[at] = (byte)(word >>> 8);
                        frame[at + 1] = (byte)word;
                    }
                }
                case 4 -> frame = Arrays.copyOf(frame, random.nextInt(frame.length + 1));
                default -> {
                    final byte[] extra = new byte[random.nextInt(1, 24)];
                    random.nextBytes(extra);
                    frame = Packets.concat(frame, extra);
                }
            }
        }
        return frame;
    }

    private static String hex(final byte[] frame) {
        return HexFormat.of().formatHex(frame);
    }
}
