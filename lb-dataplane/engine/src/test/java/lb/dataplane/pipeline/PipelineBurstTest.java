package lb.dataplane.pipeline;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import lb.dataplane.net.Ipv4Mapped;
import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParseResult;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.packet.TcpDescriptor;
import lb.dataplane.packet.TestFrames;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.DataplaneView;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker's two-pass burst (prepare every frame, warm the connection slots, decide every frame) decides
 * exactly as frame-at-a-time {@link Pipeline#ingress}, byte for byte, including flows that start and continue
 * within one burst.
 */
class PipelineBurstTest {
    private static final long SEED = 0x5eed;

    /** One pipeline with its own tables, seeded alike so that both sides hash alike. */
    private static final class Side implements AutoCloseable {
        final ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 12)
            .hashSeed(SEED));
        final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 12).hashSeed(SEED));
        final FragmentTable fragments = new FragmentTable(1 << 10, 1000);
        final Pipeline pipeline = new Pipeline(new Classifier(connections, affinity, fragments),
            PipelineFixtures.NIC_MAC, PipelineFixtures.KERNEL_MAC);

        @Override
        public void close() {
            connections.close();
            affinity.close();
            fragments.close();
        }
    }

    @Test
    void burstsDecideAsFrameAtATimeByteForByte() {
        final Random random = new Random(7);
        final DataplaneView view = PipelineFixtures.view(true);
        final List<byte[]> frames = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            PipelineFixtures.all().stream().filter(f -> !f.fromKernel()).forEach(f -> frames.add(f.frame()));
            for (int i = 0; i < 200; i++) {
                final int client = 0x0A63_0000 | random.nextInt(64);
                final int port = 1024 + random.nextInt(8);
                frames.add(TestFrames.tcp4(client, port, PipelineFixtures.VIP4, 80, TcpDescriptor.SYN));
                frames.add(TestFrames.tcp4(client, port, PipelineFixtures.VIP4, 80, TcpDescriptor.ACK));
                if (random.nextInt(8) == 0) {
                    final byte[] garbage = new byte[random.nextInt(80)];
                    random.nextBytes(garbage);
                    frames.add(garbage);
                }
            }
        }
        java.util.Collections.shuffle(frames, random);
        int accepted = 0;
        try (Side single = new Side(); Side burst = new Side()) {
            for (int start = 0; start < frames.size(); start += 32) {
                final int count = Math.min(32, frames.size() - start);
                final byte[][] a = new byte[count][];
                final byte[][] b = new byte[count][];
                final MemorySegment[] bm = new MemorySegment[count];
                for (int i = 0; i < count; i++) {
                    a[i] = Arrays.copyOf(frames.get(start + i), 2048);
                    b[i] = Arrays.copyOf(frames.get(start + i), 2048);
                    bm[i] = MemorySegment.ofArray(b[i]);
                    burst.pipeline.prepare(i, bm[i], 0, frames.get(start + i).length);
                }
                for (int i = 0; i < count; i++) {
                    final int length = frames.get(start + i).length;
                    final int expected = single.pipeline.ingress(MemorySegment.ofArray(a[i]), 0, length, 2048, view,
                        start + i);
                    final int expectedLength = single.pipeline.lastLength();
                    final int verdict = burst.pipeline.decide(i, bm[i], 0, length, 2048, view, start + i);
                    assertEquals(Verdict.name(expected), Verdict.name(verdict), "frame " + (start + i));
                    assertEquals(expectedLength, burst.pipeline.lastLength());
                    assertArrayEquals(a[i], b[i], "bytes of frame " + (start + i));
                    accepted += verdict == Verdict.ACCEPT ? 1 : 0;
                }
            }
        }
        assertTrue(accepted > 1000, "accepted " + accepted);
    }

    @Test
    void prepareNotesTheSlotTheLookupReadsFirstAndNoneForWhatLooksNothingUp() {
        try (Side side = new Side()) {
            final byte[] syn = TestFrames.tcp4(0x0A63_0001, 4000, PipelineFixtures.VIP4, 80, TcpDescriptor.SYN);
            side.pipeline.prepare(0, MemorySegment.ofArray(syn), 0, syn.length);
            final long hash = side.connections.keyHash(6, 4, 0, Ipv4Mapped.low(0x0A63_0001), 4000, 0,
                Ipv4Mapped.low(PipelineFixtures.VIP4), 80);
            assertEquals(side.connections.homeSlotOf(hash), side.pipeline.hintedSlot(0));

            final byte[] garbage = {1, 2, 3};
            side.pipeline.prepare(1, MemorySegment.ofArray(garbage), 0, garbage.length);
            assertEquals(-1, side.pipeline.hintedSlot(1));
            final byte[] arp = PipelineFixtures.all().stream().filter(f -> f.description().contains("ARP"))
                .findFirst().orElseThrow().frame();
            side.pipeline.prepare(2, MemorySegment.ofArray(arp), 0, arp.length);
            assertEquals(-1, side.pipeline.hintedSlot(2));
        }
    }

    @Test
    void aMemoisedHashIsOnlyGoodForTheTableThatMadeIt() {
        final PacketParser parser = new PacketParser();
        final ParsedPacket p = new ParsedPacket();
        final byte[] syn = TestFrames.tcp4(0x0A63_0001, 4000, PipelineFixtures.VIP4, 80, TcpDescriptor.SYN);
        assertEquals(ParseResult.OK, parser.parse(MemorySegment.ofArray(syn), 0, syn.length, p));
        final Object tableA = new Object();
        final Object tableB = new Object();
        p.connectionHash(42, tableA);
        assertTrue(p.connectionHashedBy(tableA));
        assertFalse(p.connectionHashedBy(tableB));
        assertEquals(ParseResult.OK, parser.parse(MemorySegment.ofArray(syn), 0, syn.length, p));
        assertFalse(p.connectionHashedBy(tableA), "the next parse forgets it");
    }
}
