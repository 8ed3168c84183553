package lb.dataplane.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;

import lb.dataplane.memory.UncheckedMemory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parser over the memory it meets in production: mbuf data addressed through the global native segment, and
 * offsets or lengths a caller got wrong. Also checks that parsing and writing allocate nothing per packet.
 */
class PacketParserMemoryTest {
    private static final MemorySegment EVERYTHING = UncheckedMemory.NATIVE;

    private final PacketParser parser = new PacketParser();

    @Test
    void shouldParseEveryFixtureInNativeMemoryExactlyAsOnTheHeap() {
        final ParsedPacket heap = new ParsedPacket();
        final ParsedPacket lowLevel = new ParsedPacket();
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment room = arena.allocate(4096);
            for (final ParserFixtures.Fixture fixture : ParserFixtures.all()) {
                final byte[] frame = fixture.frame();
                MemorySegment.copy(MemorySegment.ofArray(frame), 0, room, 128, frame.length);

                final int expected = parser.parse(MemorySegment.ofArray(frame), 0, frame.length, heap);
                final int actual = parser.parse(EVERYTHING, room.address() + 128, frame.length, lowLevel);

                assertEquals(expected, actual, fixture.description());
                assertEquals(Snapshot.of(heap), Snapshot.of(lowLevel), fixture.description());
            }
        }
    }

    @Test
    void shouldReturnBadFrameBoundsRatherThanThrowForARangeOutsideTheSegment() {
        final MemorySegment memory = MemorySegment.ofArray(new byte[100]);
        final ParsedPacket parsed = new ParsedPacket();

        assertEquals(ParseResult.BAD_FRAME_BOUNDS, parser.parse(memory, 0, -1, parsed));
        assertEquals(ParseResult.BAD_FRAME_BOUNDS, parser.parse(memory, -1, 60, parsed));
        assertEquals(ParseResult.BAD_FRAME_BOUNDS, parser.parse(memory, 41, 60, parsed));
        assertEquals(ParseResult.BAD_FRAME_BOUNDS, parser.parse(memory, Long.MAX_VALUE, 60, parsed));
        assertEquals(ParseResult.TRUNCATED_ETHERNET, parser.parse(memory, 100, 0, parsed));
    }

    @Test
    void shouldAllocateNothingPerPacketWhenParsingAndWriting() {
        final List<ParserFixtures.Fixture> fixtures = ParserFixtures.all();
        final MemorySegment[] frames = new MemorySegment[fixtures.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = MemorySegment.ofArray(fixtures.get(i).frame());
        }
        final MemorySegment room = MemorySegment.ofArray(new byte[256]);
        final ParsedPacket parsed = new ParsedPacket();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

        final int rounds = 300;
        run(frames, room, parsed, rounds);
        final long before = threads.getCurrentThreadAllocatedBytes();
        final long packets = run(frames, room, parsed, rounds);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // Any allocation on the per-packet path costs at least 16 bytes a packet; measuring itself costs a few.
        assertTrue(allocated < packets, allocated + " bytes allocated over " + packets + " packets");
    }

    private long run(final MemorySegment[] frames, final MemorySegment room, final ParsedPacket parsed,
        final int rounds) {
        long packets = 0;
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            for (final MemorySegment frame : frames) {
                sink += parser.parse(frame, 0, (int)frame.byteSize(), parsed) + parsed.l4Offset();
                sink += ArpWriter.gratuitousReply(room, 0, 256, Packets.MASKED_MAC, Packets.CLUSTER_MAC, round, 5);
                sink += NdWriter.unsolicitedAdvertisement(room, 0, 256, Packets.MASKED_MAC, Packets.CLUSTER_MAC, round,
                    packets, ParsedPacket.NONE);
                packets++;
            }
        }
        assertTrue(sink != 0);
        return packets;
    }
}
