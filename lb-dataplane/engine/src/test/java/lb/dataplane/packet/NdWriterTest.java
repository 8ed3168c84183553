package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static lb.dataplane.packet.Packets.CLIENT6;
import static lb.dataplane.packet.Packets.CLIENT_MAC;
import static lb.dataplane.packet.Packets.CLUSTER_MAC;
import static lb.dataplane.packet.Packets.MASKED_MAC;
import static lb.dataplane.packet.Packets.UNSPECIFIED6;
import static lb.dataplane.packet.Packets.VIP6;
import static lb.dataplane.packet.Packets.eth;
import static lb.dataplane.packet.Packets.ip6;
import static lb.dataplane.packet.Packets.linkLayerOption;
import static lb.dataplane.packet.Packets.ns;
import static lb.dataplane.packet.ParserFixtures.ALL_NODES6;
import static lb.dataplane.packet.ParserFixtures.SOLICITED_NODE_VIP6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NdWriterTest {
    private static final int ROOM = 256;
    private static final int AT = 64;
    private static final long OTHER_MAC = 0x02_00_5E_00_00_99L;

    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();
    private final byte[] room = new byte[ROOM];
    private final MemorySegment memory = MemorySegment.ofArray(room);

    private void parseInRoom(final byte[] frame) {
        System.arraycopy(frame, 0, room, AT, frame.length);
        assertEquals(ParseResult.OK, parser.parse(memory, AT, frame.length, parsed));
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

    private static byte[] solicitation(final byte[] src, final boolean withSourceLinkLayer) {
        final Packets.Icmp ns = ns(VIP6);
        if (withSourceLinkLayer) {
            ns.option(linkLayerOption(NdDescriptor.OPTION_SOURCE_LINK_LAYER_ADDRESS, CLIENT_MAC));
        }
        return eth().src(OTHER_MAC).dst(0x3333FF000010L)
            .frame(ip6(src, SOLICITED_NODE_VIP6).hopLimit(255).payload(ns));
    }

    /** Parses what was written and checks what every advertisement must be, with both checksum implementations. */
    private byte[] parseAdvertisement(final int length) {
        assertEquals(ParseResult.OK, parser.parse(memory, AT, length, parsed));
        final byte[] frame = written(length);
        assertEquals(NdDescriptor.TYPE_NEIGHBOR_ADVERTISEMENT, parsed.icmpType());
        assertEquals(255, parsed.hopLimit());
        assertEquals(Packets.hi(VIP6), parsed.srcHi());
        assertEquals(Packets.lo(VIP6), parsed.srcLo());
        assertEquals(Packets.hi(VIP6), parsed.ndTargetHi());
        assertEquals(Packets.lo(VIP6), parsed.ndTargetLo());
        assertEquals(CLUSTER_MAC, mac(frame, parsed.ndLinkLayerAddressOffset()));
        assertEquals(MASKED_MAC, mac(frame, EthernetDescriptor.SOURCE_OFFSET));
        final int l4 = parsed.l4Offset();
        final int icmpLength = length - l4;
        assertTrue(Checksums.icmpv6Valid(memory, AT + l4, icmpLength, parsed.srcHi(), parsed.srcLo(), parsed.dstHi(),
            parsed.dstLo()), "checksum");
        final byte[] src = Arrays.copyOfRange(frame, parsed.l3Offset() + 8, parsed.l3Offset() + 24);
        final byte[] dst = Arrays.copyOfRange(frame, parsed.l3Offset() + 24, parsed.l3Offset() + 40);
        final byte[] pseudo = Packets.concat(src, dst, Packets.octets(0, 0, 0, icmpLength, 0, 0, 0, 58));
        assertEquals(0, Packets.checksum(pseudo, Arrays.copyOfRange(frame, l4, length)), "independent checksum");
        return frame;
    }

    @Test
    void shouldWriteAnUnsolicitedAdvertisementToAllNodesWithOverride() {
        final byte[] expected = HexFormat.of().parseHex(
            // Ethernet
            "333300000001" +                       // destination: all-nodes ff02::1 mapped to 33:33:00:00:00:01
            "0201c000020a" +                       // source: masked MAC
            "86dd" +                               // EtherType IPv6
            // IPv6, RFC 8200
            "60000000" +                           // version 6, traffic class 0, flow label 0
            "0020" +                               // payload length: 24 NA + 8 option
            "3a" +                                 // next header: ICMPv6
            "ff" +                                 // hop limit 255, as neighbor discovery requires
            "20010db8000000000000000000000010" +   // source: the VIP itself (RFC 4861 §7.2.6)
            "ff020000000000000000000000000001" +   // destination: all-nodes
            // Neighbor advertisement, RFC 4861 §4.4
            "88" + "00" +                          // type 136, code 0
            "3644" +                               // checksum, worked out below
            "20000000" +                           // flags: override only (not router, not solicited)
            "20010db8000000000000000000000010" +   // target: the VIP
            "02" + "01" + "02bfc000020a");         // target link-layer address option, 1 unit: cluster MAC
        // Checksum (RFC 1071 over the pseudo-header and the message with its checksum field 0), 16-bit words:
        //   source 2001+0db8+0010 = 2dc9, destination ff02+0001 = ff03, length 0020, next header 003a
        //   message 8800+2000 = a800, target 2dc9, option 0201+02bf+c000+020a = c6ca
        //   2dc9+ff03+0020+003a+a800+2dc9+c6ca = 2c9b9; folded c9b9+2 = c9bb; complement 3644.

        final int length = NdWriter.unsolicitedAdvertisement(memory, AT, ROOM - AT, MASKED_MAC, CLUSTER_MAC,
            Packets.hi(VIP6), Packets.lo(VIP6), ParsedPacket.NONE);

        assertEquals(86, length);
        assertArrayEquals(expected, written(length));
        parseAdvertisement(length);
        assertEquals(NdDescriptor.FLAG_OVERRIDE, parsed.ndFlags());
    }

    @Test
    void shouldAnswerASolicitationToItsSourceAtItsLinkLayerAddress() {
        parseInRoom(solicitation(CLIENT6, true));

        final int length = NdWriter.solicitedAdvertisement(memory, AT, ROOM - AT, parsed, MASKED_MAC, CLUSTER_MAC,
            true);

        assertEquals(86, length);
        final byte[] frame = parseAdvertisement(length);
        assertEquals(Packets.hi(CLIENT6), parsed.dstHi());
        assertEquals(Packets.lo(CLIENT6), parsed.dstLo());
        assertEquals(NdDescriptor.FLAG_SOLICITED | NdDescriptor.FLAG_OVERRIDE, parsed.ndFlags());
        assertEquals(CLIENT_MAC, mac(frame, EthernetDescriptor.DESTINATION_OFFSET));
    }

    @Test
    void shouldClearOverrideWhenAskedAndFallBackToTheEthernetSourceWithoutALinkLayerOption() {
        parseInRoom(solicitation(CLIENT6, false));

        final int length = NdWriter.solicitedAdvertisement(memory, AT, ROOM - AT, parsed, MASKED_MAC, CLUSTER_MAC,
            false);

        final byte[] frame = parseAdvertisement(length);
        assertEquals(NdDescriptor.FLAG_SOLICITED, parsed.ndFlags());
        assertEquals(OTHER_MAC, mac(frame, EthernetDescriptor.DESTINATION_OFFSET));
    }

    @Test
    void shouldAnswerDuplicateAddressDetectionToAllNodesWithoutTheSolicitedFlag() {
        parseInRoom(solicitation(UNSPECIFIED6, false));

        final int length = NdWriter.solicitedAdvertisement(memory, AT, ROOM - AT, parsed, MASKED_MAC, CLUSTER_MAC,
            true);

        final byte[] frame = parseAdvertisement(length);
        assertEquals(Packets.hi(ALL_NODES6), parsed.dstHi());
        assertEquals(Packets.lo(ALL_NODES6), parsed.dstLo());
        assertEquals(NdDescriptor.FLAG_OVERRIDE, parsed.ndFlags());
        assertEquals(EthernetDescriptor.IPV6_ALL_NODES_MAC, mac(frame, EthernetDescriptor.DESTINATION_OFFSET));
    }

    @Test
    void shouldKeepTheSolicitationsVlanTagAndTagUnsolicitedAdvertisementsAsGiven() {
        final byte[] tagged = solicitation(CLIENT6, true);
        parseInRoom(Packets.concat(Arrays.copyOf(tagged, 12), Packets.octets(0x81, 0x00, 0x00, 0x07),
            Arrays.copyOfRange(tagged, 12, tagged.length)));

        final int length = NdWriter.solicitedAdvertisement(memory, AT, ROOM - AT, parsed, MASKED_MAC, CLUSTER_MAC,
            true);

        assertEquals(90, length);
        parseAdvertisement(length);
        assertEquals(7, parsed.vlanId());

        final int unsolicited = NdWriter.unsolicitedAdvertisement(memory, AT, ROOM - AT, MASKED_MAC, CLUSTER_MAC,
            Packets.hi(VIP6), Packets.lo(VIP6), 300);
        assertEquals(90, unsolicited);
        parseAdvertisement(unsolicited);
        assertEquals(300, parsed.vlanId());
    }

    @Test
    void shouldWriteNothingForAFrameThatIsNotASolicitationOrDoesNotFit() {
        parseInRoom(eth().frame(ip6(CLIENT6, VIP6).hopLimit(255)
            .payload(Packets.na(CLIENT6, 0x20).option(linkLayerOption(2, CLIENT_MAC)))));
        final byte[] before = room.clone();

        assertEquals(0, NdWriter.solicitedAdvertisement(memory, AT, ROOM - AT, parsed, MASKED_MAC, CLUSTER_MAC, true));
        assertArrayEquals(before, room);

        parseInRoom(solicitation(CLIENT6, true));
        final byte[] solicitation = room.clone();
        assertEquals(0, NdWriter.solicitedAdvertisement(memory, AT, 85, parsed, MASKED_MAC, CLUSTER_MAC, true));
        assertEquals(0, NdWriter.unsolicitedAdvertisement(memory, ROOM - 80, 86, MASKED_MAC, CLUSTER_MAC,
            Packets.hi(VIP6), Packets.lo(VIP6), ParsedPacket.NONE));
        assertArrayEquals(solicitation, room);
    }
}
