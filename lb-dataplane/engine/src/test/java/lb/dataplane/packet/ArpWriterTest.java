package lb.dataplane.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;

import lb.dataplane.memory.UncheckedMemory;
import org.junit.jupiter.api.Test;

import static lb.dataplane.packet.Packets.CLIENT4;
import static lb.dataplane.packet.Packets.CLIENT_MAC;
import static lb.dataplane.packet.Packets.CLUSTER_MAC;
import static lb.dataplane.packet.Packets.MASKED_MAC;
import static lb.dataplane.packet.Packets.VIP4;
import static lb.dataplane.packet.Packets.arp;
import static lb.dataplane.packet.Packets.eth;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ArpWriterTest {
    /** An mbuf's data room in miniature: the frame starts part way in, as after headroom. */
    private static final int ROOM = 256;
    private static final int AT = 64;

    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();
    private final byte[] room = new byte[ROOM];
    private final MemorySegment memory = MemorySegment.ofArray(room);

    private static final byte[] REQUEST = eth().dst(EthernetDescriptor.BROADCAST_MAC)
        .frame(arp(ArpDescriptor.OPCODE_REQUEST, CLIENT_MAC, CLIENT4, 0, VIP4));

    private int parseInRoom(final byte[] frame) {
        System.arraycopy(frame, 0, room, AT, frame.length);
        assertEquals(ParseResult.OK, parser.parse(memory, AT, frame.length, parsed));
        return frame.length;
    }

    private byte[] written(final int length) {
        return Arrays.copyOfRange(room, AT, AT + length);
    }

    private static long mac(final byte[] frame, final int offset) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | frame[offset + i] & 0xFF;
        }
        return mac;
    }

    @Test
    void shouldAnswerAnArpRequestWithTheClusterMacFromTheMaskedMac() {
        final byte[] expected = HexFormat.of().parseHex(
            // Ethernet
            "02005e000007" +   // destination: the requester, taken from the request's sender hardware address
            "0201c000020a" +   // source: the host's masked MAC 02-<priority 1>-<VIP>
            "0806" +           // EtherType ARP
            // ARP, RFC 826
            "0001" +           // hardware type: Ethernet
            "0800" +           // protocol type: IPv4
            "06" + "04" +      // hardware and protocol address lengths
            "0002" +           // opcode: reply
            "02bfc000020a" +   // sender hardware address: the cluster MAC 02-BF-<VIP> answers for the VIP
            "c000020a" +       // sender protocol address: the VIP 192.0.2.10, the request's target
            "02005e000007" +   // target hardware address: the requester
            "c6336407" +       // target protocol address: the requester's 198.51.100.7
            "00".repeat(18));  // padding: 42 bytes up to the 60 byte minimum
        parseInRoom(REQUEST);

        final int length = ArpWriter.reply(memory, AT, ROOM - AT, parsed, MASKED_MAC, CLUSTER_MAC);

        assertEquals(60, length);
        assertArrayEquals(expected, written(length));
    }

    @Test
    void shouldWriteAGratuitousArpRequestAnnouncingTheVip() {
        final byte[] expected = HexFormat.of().parseHex(
            "ffffffffffff" +   // destination: broadcast
            "0201c000020a" +   // source: masked MAC
            "0806" +
            "0001" + "0800" + "06" + "04" +
            "0001" +           // opcode: request
            "02bfc000020a" +   // sender hardware address: cluster MAC
            "c000020a" +       // sender protocol address: VIP
            "000000000000" +   // target hardware address: zero (RFC 5227 §3, ARP announcement)
            "c000020a" +       // target protocol address: VIP again, which is what makes it gratuitous
            "00".repeat(18));

        final int length = ArpWriter.gratuitousRequest(memory, AT, ROOM - AT, MASKED_MAC, CLUSTER_MAC, VIP4,
            ParsedPacket.NONE);

        assertArrayEquals(expected, written(length));
    }

    @Test
    void shouldWriteAGratuitousArpReplyAnnouncingTheVip() {
        final byte[] expected = HexFormat.of().parseHex(
            "ffffffffffff" + "0201c000020a" + "0806" +
            "0001" + "0800" + "06" + "04" +
            "0002" +           // opcode: reply
            "02bfc000020a" +   // sender hardware address: cluster MAC
            "c000020a" +       // sender protocol address: VIP
            "02bfc000020a" +   // target hardware address: the announced MAC as well (RFC 5944 §4.6)
            "c000020a" +       // target protocol address: VIP
            "00".repeat(18));

        final int length = ArpWriter.gratuitousReply(memory, AT, ROOM - AT, MASKED_MAC, CLUSTER_MAC, VIP4,
            ParsedPacket.NONE);

        assertArrayEquals(expected, written(length));
    }

    @Test
    void shouldKeepTheRequestsVlanTagsInTheReply() {
        parseInRoom(eth().tag(EthernetDescriptor.TPID_8021AD, 200).vlan(100)
            .frame(arp(ArpDescriptor.OPCODE_REQUEST, CLIENT_MAC, CLIENT4, 0, VIP4)));

        final int length = ArpWriter.reply(memory, AT, ROOM - AT, parsed, MASKED_MAC, CLUSTER_MAC);

        assertEquals(60, length);
        assertEquals(ParseResult.OK, parser.parse(memory, AT, length, parsed));
        final byte[] reply = written(length);
        assertEquals(2, parsed.vlanCount());
        assertEquals(100, parsed.vlanId());
        assertEquals(200, parsed.outerVlanId());
        assertEquals(ArpDescriptor.OPCODE_REPLY, parsed.arpOpcode());
        assertEquals(VIP4, parsed.arpSenderIp());
        assertEquals(CLIENT4, parsed.arpTargetIp());
        assertEquals(CLUSTER_MAC, mac(reply, parsed.arpSenderMacOffset()));
        assertEquals(CLIENT_MAC, mac(reply, parsed.arpTargetMacOffset()));
        assertEquals(CLIENT_MAC, mac(reply, EthernetDescriptor.DESTINATION_OFFSET));
        assertEquals(MASKED_MAC, mac(reply, EthernetDescriptor.SOURCE_OFFSET));
    }

    @Test
    void shouldTagGratuitousArpWithTheGivenVlanAndParseBack() {
        final int length = ArpWriter.gratuitousReply(memory, AT, ROOM - AT, MASKED_MAC, CLUSTER_MAC, VIP4, 42);

        assertEquals(60, length);
        assertEquals(ParseResult.OK, parser.parse(memory, AT, length, parsed));
        assertEquals(42, parsed.vlanId());
        assertEquals(VIP4, parsed.arpSenderIp());
        assertEquals(VIP4, parsed.arpTargetIp());
        assertEquals(EthernetDescriptor.BROADCAST_MAC, mac(written(length), EthernetDescriptor.DESTINATION_OFFSET));
    }

    @Test
    void shouldWriteNothingWhenTheFrameDoesNotFit() {
        parseInRoom(REQUEST);
        final byte[] before = room.clone();

        assertEquals(0, ArpWriter.reply(memory, AT, 59, parsed, MASKED_MAC, CLUSTER_MAC));
        assertEquals(0, ArpWriter.gratuitousRequest(memory, AT, 59, MASKED_MAC, CLUSTER_MAC, VIP4, ParsedPacket.NONE));
        assertEquals(0, ArpWriter.gratuitousReply(memory, ROOM - 40, 60, MASKED_MAC, CLUSTER_MAC, VIP4,
            ParsedPacket.NONE));
        assertArrayEquals(before, room);
    }

    @Test
    void shouldAnswerOnlyWellFormedArpRequests() {
        parseInRoom(eth().frame(ParserFixtures.tcp4(Packets.SYN)));
        assertEquals(0, ArpWriter.reply(memory, AT, ROOM - AT, parsed, MASKED_MAC, CLUSTER_MAC));

        parseInRoom(eth().frame(arp(ArpDescriptor.OPCODE_REPLY, CLIENT_MAC, CLIENT4, CLUSTER_MAC, VIP4)));
        assertEquals(0, ArpWriter.reply(memory, AT, ROOM - AT, parsed, MASKED_MAC, CLUSTER_MAC));

        // A request cut short: the parse drops it with the kind already known, and nothing must be answered.
        final byte[] truncated = Arrays.copyOf(eth().noPad().frame(arp(ArpDescriptor.OPCODE_REQUEST, CLIENT_MAC,
            CLIENT4, 0, VIP4)), 30);
        assertEquals(ParseResult.TRUNCATED_ARP, parser.parse(MemorySegment.ofArray(truncated), 0, 30, parsed));
        assertEquals(FrameKind.ARP, parsed.kind());
        assertEquals(0, ArpWriter.reply(MemorySegment.ofArray(truncated), 0, 30, parsed, MASKED_MAC, CLUSTER_MAC));
    }

    @Test
    void shouldWriteIntoNativeMemoryThroughTheGlobalSegment() {
        final MemorySegment everything = UncheckedMemory.NATIVE;
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment mbufRoom = arena.allocate(ROOM);
            final long address = mbufRoom.address() + AT;

            final int length = ArpWriter.gratuitousRequest(everything, address, ROOM - AT, MASKED_MAC, CLUSTER_MAC,
                VIP4, ParsedPacket.NONE);

            assertEquals(ParseResult.OK, parser.parse(everything, address, length, parsed));
            assertEquals(ArpDescriptor.OPCODE_REQUEST, parsed.arpOpcode());
            assertEquals(VIP4, parsed.arpTargetIp());
        }
    }
}
