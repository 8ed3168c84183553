package lb.dataplane.packet;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import lb.dataplane.packet.Packets.Ext;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static lb.dataplane.packet.Packets.ACK;
import static lb.dataplane.packet.Packets.CLIENT4;
import static lb.dataplane.packet.Packets.CLIENT6;
import static lb.dataplane.packet.Packets.CLIENT_MAC;
import static lb.dataplane.packet.Packets.ROUTER4;
import static lb.dataplane.packet.Packets.ROUTER6;
import static lb.dataplane.packet.Packets.SYN;
import static lb.dataplane.packet.Packets.VIP4;
import static lb.dataplane.packet.Packets.VIP6;
import static lb.dataplane.packet.Packets.arp;
import static lb.dataplane.packet.Packets.eth;
import static lb.dataplane.packet.Packets.icmp;
import static lb.dataplane.packet.Packets.icmp6;
import static lb.dataplane.packet.Packets.ip4;
import static lb.dataplane.packet.Packets.ip6;
import static lb.dataplane.packet.Packets.linkLayerOption;
import static lb.dataplane.packet.Packets.ns;
import static lb.dataplane.packet.Packets.tcp;
import static lb.dataplane.packet.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every prefix of a set of representative frames, from 0 bytes to the whole frame, must be dropped for a
 * truncated_* or bad_* reason until the packet is complete, and parse exactly like the whole frame after that
 * (only padding missing). The same frames are also cut consistently (IP length fields rewritten to match), which
 * reaches the checks behind the IP length checks: transport headers, extension headers, quoted packets, ND.
 */
class PacketParserTruncationTest {
    /**
     * @param packetEnd  where the IP or ARP packet ends; later bytes are padding.
     * @param l3         offset of the IP or ARP header.
     * @param headersEnd where the last header the parser must see ends: consistently cut shorter, it must drop.
     */
    private record Representative(String name, byte[] frame, int packetEnd, int l3, int headersEnd) {
    }

    private static List<Representative> representatives() {
        return List.of(
            // 14 Ethernet + 24 IPv4 with router alert + 40 TCP with options + 10 data.
            new Representative("IPv4 TCP with IP and TCP options",
                eth().frame(ip4(CLIENT4, VIP4).options(148, 4, 0, 0).payload(tcp(40000, 80).flags(SYN)
                    .options(2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7).data(new byte[10]))),
                88, 14, 78),
            // 18 Ethernet with tag + 20 IPv4 + 20 TCP; padded to 60.
            new Representative("IPv4 TCP SYN on VLAN 100", eth().vlan(100).frame(ip4(CLIENT4, VIP4)
                .payload(tcp(40000, 80).flags(SYN))), 58, 18, 58),
            // 14 + 40 IPv6 + 8 hop-by-hop + 24 routing + 8 destination options + 32 TCP with options + 16 data.
            new Representative("IPv6 TCP behind hop-by-hop, routing and destination options",
                eth().frame(ip6(CLIENT6, VIP6)
                    .ext(Ext.hopByHop(5, 2, 0, 0), Ext.routing(0, 0, VIP6), Ext.destinationOptions(0x1E, 2, 0, 0))
                    .payload(tcp(40000, 443).flags(SYN).options(2, 4, 5, 160, 4, 2, 1, 3, 3, 7).data(new byte[16]))),
                142, 14, 126),
            // 22 Ethernet with two tags + 40 IPv6 + 8 UDP + 12 data.
            new Representative("IPv6 UDP under QinQ", eth().tag(0x88A8, 200).vlan(100)
                .frame(ip6(CLIENT6, VIP6).payload(udp(5353, 53).data(new byte[12]))), 82, 22, 70),
            // 14 + 40 + 8 fragment header + 8 UDP + 24 data.
            new Representative("IPv6 first fragment of UDP", eth().frame(ip6(CLIENT6, VIP6)
                .ext(Ext.fragment(0, true, 77)).payload(udp(5000, 53).data(new byte[24]))), 94, 14, 70),
            // 14 + 28 ARP, padded to 60.
            new Representative("ARP request", eth().dst(EthernetDescriptor.BROADCAST_MAC)
                .frame(arp(ArpDescriptor.OPCODE_REQUEST, CLIENT_MAC, CLIENT4, 0, VIP4)), 42, 14, 42),
            // 14 + 20 IPv4 + 8 ICMP + quoted 20 IPv4 + 20 TCP; the ports end at 66.
            new Representative("ICMP fragmentation needed quoting a SYN-ACK",
                eth().frame(ip4(ROUTER4, VIP4).payload(icmp(3, 4).rest(1400)
                    .quote(ip4(VIP4, CLIENT4).payload(tcp(80, 40000).flags(SYN | ACK))))), 82, 14, 66),
            // 14 + 40 IPv6 + 8 ICMPv6 + quoted 40 IPv6 + 8 destination options + 8 UDP; the ports end at 114.
            new Representative("ICMPv6 unreachable quoting UDP behind destination options",
                eth().frame(ip6(ROUTER6, VIP6).payload(icmp6(1, 4)
                    .quote(ip6(VIP6, CLIENT6).ext(Ext.destinationOptions()).payload(udp(53, 53000))))), 118, 14, 114),
            // 14 + 40 IPv6 + 24 NS + 8 source link-layer option; the fixed part ends at 78.
            new Representative("neighbor solicitation with a source link-layer option",
                eth().frame(ip6(CLIENT6, ParserFixtures.SOLICITED_NODE_VIP6).hopLimit(255)
                    .payload(ns(VIP6).option(linkLayerOption(1, CLIENT_MAC)))), 86, 14, 78));
    }

    private final ParseHarness harness = new ParseHarness();

    @TestFactory
    Stream<DynamicTest> shouldDropEveryPrefixShorterThanThePacketAndParseTheRestLikeTheWhole() {
        return representatives().stream().map(r -> dynamicTest(r.name, () -> {
            assertEquals(ParseResult.OK, harness.parse(r.name, r.frame), r.name);
            final String whole = Snapshot.of(harness.parsed());
            for (int length = 0; length <= r.frame.length; length++) {
                final String what = r.name + " cut to " + length;
                final int result = harness.parse(what, Arrays.copyOf(r.frame, length));
                if (length < r.packetEnd) {
                    assertTruncationReason(what, result);
                } else {
                    assertEquals(ParseResult.OK, result, what);
                    assertEquals(whole, Snapshot.of(harness.parsed()), what);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldDropEveryConsistentCutShorterThanTheHeadersTheParserNeeds() {
        return representatives().stream().filter(r -> r.frame[r.l3 - 2] != 0x08 || r.frame[r.l3 - 1] != 0x06)
            .map(r -> dynamicTest(r.name, () -> {
                final boolean v4 = (r.frame[r.l3] >>> 4 & 0xF) == 4;
                final int minimum = r.l3 + (v4 ? 20 : 40);
                for (int end = minimum; end <= r.packetEnd; end++) {
                    final String what = r.name + " consistently cut to " + end;
                    final int result = harness.parse(what, cutConsistently(r, end, v4));
                    if (end < r.headersEnd) {
                        assertNotEquals(ParseResult.OK, result, what);
                    }
                    if (result != ParseResult.OK) {
                        assertTruncationReason(what, result);
                    }
                }
            }));
    }

    /** The frame cut at end, with the IPv4 total length or IPv6 payload length saying so. */
    private static byte[] cutConsistently(final Representative r, final int end, final boolean v4) {
        final byte[] cut = Arrays.copyOf(r.frame, end);
        final int length = v4 ? end - r.l3 : end - r.l3 - 40;
        final int field = r.l3 + (v4 ? 2 : 4);
        cut[field] = (byte)(length >>> 8);
        cut[field + 1] = (byte)length;
        return cut;
    }

    private static void assertTruncationReason(final String what, final int result) {
        final String name = ParseResult.name(result);
        assertTrue(name.startsWith("truncated_") || name.startsWith("bad_") || name.equals("icmp_error_inner_truncated"),
            () -> what + ": " + name);
    }
}
