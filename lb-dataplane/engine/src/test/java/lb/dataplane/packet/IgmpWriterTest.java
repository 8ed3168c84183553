package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;

import lb.dataplane.net.Ipv4Mapped;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IgmpWriterTest {
    private static final int VIP = Packets.ip4("10.0.0.100");
    private static final int GROUP = Packets.ip4("239.255.0.100");

    @Test
    void shouldWriteAnIgmpV2ReportWithRouterAlertAndValidChecksumsToTheGroupsMac() {
        final byte[] frame = new byte[128];
        final MemorySegment memory = MemorySegment.ofArray(frame);
        final int length = IgmpWriter.membershipReport(memory, 0, frame.length, 0x02_00_00_00_00_01L, VIP, GROUP,
            ParsedPacket.NONE);
        assertEquals(60, length, "14 + 24 + 8 bytes, padded to the Ethernet minimum");

        final ParsedPacket parsed = new ParsedPacket();
        assertEquals(ParseResult.OK, new PacketParser().parse(memory, 0, length, parsed));
        assertEquals(IgmpWriter.PROTOCOL_IGMP, parsed.protocol());
        assertEquals(Ipv4Mapped.low(GROUP), parsed.dstLo());
        assertEquals(Ipv4Mapped.low(VIP), parsed.srcLo());
        assertEquals(0x0100_5E7F_0064L, NetworkBytes.mac(memory, 0), "01-00-5e + the group's low 23 bits");
        assertEquals(1, parsed.hopLimit());
        assertEquals(0, Checksums.fold(Checksums.sum(memory, 14, 24)) ^ 0xFFFF, "IPv4 header checksum");
        assertEquals(0, Checksums.fold(Checksums.sum(memory, 38, 8)) ^ 0xFFFF, "IGMP checksum");
        assertEquals(IgmpWriter.TYPE_V2_MEMBERSHIP_REPORT, frame[38] & 0xFF);
        assertEquals(0x94, frame[34] & 0xFF, "Router Alert option");
    }

    @Test
    void shouldRefuseABufferTooSmall() {
        assertEquals(0, IgmpWriter.membershipReport(MemorySegment.ofArray(new byte[40]), 0, 40, 1, VIP, GROUP,
            ParsedPacket.NONE));
    }
}
