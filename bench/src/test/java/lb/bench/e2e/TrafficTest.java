package lb.bench.e2e;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParseResult;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.pcap.Pcap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficTest {
    @Test
    void uniformHasOneSynAndOneAckPerFlowEveryFrameValid(@TempDir final Path dir) throws Exception {
        final int flows = 3000;
        final Path pcap = Traffic.pcap(dir, flows, Traffic.Distribution.UNIFORM, 7);
        final List<byte[]> frames = Pcap.read(pcap);
        assertEquals(2 * flows, frames.size());
        final PacketParser parser = new PacketParser();
        final ParsedPacket p = new ParsedPacket();
        final Set<Long> syns = new HashSet<>();
        final Set<Long> acks = new HashSet<>();
        for (final byte[] frame : frames) {
            assertEquals(Traffic.FRAME, frame.length);
            assertEquals(ParseResult.OK, parser.parse(MemorySegment.ofArray(frame), 0, frame.length, p));
            assertEquals(80, p.dstPort());
            final long flow = p.srcLo() << 16 | p.srcPort();
            (p.tcpFlags() == 0x02 ? syns : acks).add(flow);
            assertTrue(ipv4ChecksumValid(frame), "IPv4 header checksum");
        }
        assertEquals(flows, syns.size());
        assertEquals(syns, acks);
    }

    @Test
    void skewedKeepsEveryFlowAndConcentratesTheAcks() {
        final int flows = 10_000;
        final int[] sequence = Traffic.sequence(flows, Traffic.Distribution.SKEWED, 7);
        assertEquals(2 * flows, sequence.length);
        assertEquals(flows, Traffic.distinct(sequence));
        int hottest = 0;
        for (final int e : sequence) {
            if ((e & 1) == 1 && e >>> 1 == 0) {
                hottest++;
            }
        }
        // Zipf(1) over 10^4 ranks gives rank 1 about 1/H(10^4) = 10% of the ACKs.
        assertTrue(hottest > flows / 20 && hottest < flows / 5, "rank-1 flow carried " + hottest + " ACKs");
    }

    @Test
    void aGeneratedFileIsReusedNotRewritten(@TempDir final Path dir) throws Exception {
        final Path first = Traffic.pcap(dir, 100, Traffic.Distribution.UNIFORM, 1);
        final long modified = Files.getLastModifiedTime(first).toMillis();
        Thread.sleep(20);
        final Path second = Traffic.pcap(dir, 100, Traffic.Distribution.UNIFORM, 1);
        assertEquals(first, second);
        assertEquals(modified, Files.getLastModifiedTime(second).toMillis());
    }

    private static boolean ipv4ChecksumValid(final byte[] f) {
        long sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += (f[i] & 0xFF) << 8 | f[i + 1] & 0xFF;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum == 0xFFFF;
    }
}
