package lb.dataplane.packet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import lb.dataplane.net.IpProtocol;
import lb.dataplane.packet.Packets.Ext;

import static lb.dataplane.packet.Packets.ACK;
import static lb.dataplane.packet.Packets.CLIENT4;
import static lb.dataplane.packet.Packets.CLIENT6;
import static lb.dataplane.packet.Packets.CLIENT_MAC;
import static lb.dataplane.packet.Packets.PSH;
import static lb.dataplane.packet.Packets.ROUTER4;
import static lb.dataplane.packet.Packets.ROUTER6;
import static lb.dataplane.packet.Packets.SYN;
import static lb.dataplane.packet.Packets.UNSPECIFIED6;
import static lb.dataplane.packet.Packets.VIP4;
import static lb.dataplane.packet.Packets.VIP6;
import static lb.dataplane.packet.Packets.arp;
import static lb.dataplane.packet.Packets.octets;
import static lb.dataplane.packet.Packets.eth;
import static lb.dataplane.packet.Packets.icmp;
import static lb.dataplane.packet.Packets.icmp6;
import static lb.dataplane.packet.Packets.ip4;
import static lb.dataplane.packet.Packets.ip6;
import static lb.dataplane.packet.Packets.linkLayerOption;
import static lb.dataplane.packet.Packets.na;
import static lb.dataplane.packet.Packets.ns;
import static lb.dataplane.packet.Packets.ra;
import static lb.dataplane.packet.Packets.raw;
import static lb.dataplane.packet.Packets.rs;
import static lb.dataplane.packet.Packets.tcp;
import static lb.dataplane.packet.Packets.udp;
import static lb.dataplane.packet.ParsedPacket.NONE;

/**
 * The parser's table of fixtures (Katran style): description, frame, expected result and field values. Kept apart
 * from the test so that benchmarks can replay the same frames.
 *
 * <p>Offsets in the expectations: an untagged frame's L3 header starts at 14, so an IPv4 header without options
 * ends at 34 and an IPv6 header at 54; each VLAN tag adds 4.
 */
final class ParserFixtures {
    /** One row of the table. */
    record Fixture(String description, byte[] frame, Expect expect) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static final int FIN_ACK = Packets.FIN | ACK;

    static final byte[] SOLICITED_NODE_VIP6 = ip6("ff02::1:ff00:10");
    static final byte[] ALL_ROUTERS6 = ip6("ff02::2");
    static final byte[] ALL_NODES6 = ip6("ff02::1");

    private ParserFixtures() {
    }

    static byte[] cut(final byte[] frame, final int length) {
        return Arrays.copyOf(frame, length);
    }

    static Packets.Ip4 tcp4(final int flags) {
        return ip4(CLIENT4, VIP4).payload(tcp(40000, 80).flags(flags));
    }

    static Packets.Ip6 tcp6(final int flags) {
        return ip6(CLIENT6, VIP6).payload(tcp(40000, 443).flags(flags));
    }

    /** The VIP's SYN-ACK to the client, as a router quotes it back in an ICMP error. */
    static Packets.Ip4 synAckFromVip4() {
        return ip4(VIP4, CLIENT4).payload(tcp(80, 40000).flags(SYN | ACK));
    }

    static Packets.Ip6 dataFromVip6() {
        return ip6(VIP6, CLIENT6).payload(tcp(443, 40000).flags(ACK | PSH).data(new byte[64]));
    }

    static Packets.Ip6 nd(final byte[] src, final byte[] dst, final Packets.Icmp message) {
        return ip6(src, dst).hopLimit(255).payload(message);
    }

    static Ext[] destinationOptions(final int count) {
        final Ext[] headers = new Ext[count];
        Arrays.setAll(headers, i -> Ext.destinationOptions());
        return headers;
    }

    static List<Fixture> all() {
        final List<Fixture> all = new ArrayList<>();
        ethernetAndVlan(all);
        arpFixtures(all);
        ipv4(all);
        ipv4Fragments(all);
        transport(all);
        icmpv4(all);
        ipv6(all);
        ipv6Fragments(all);
        icmpv6(all);
        neighborDiscovery(all);
        return all;
    }

    private static void add(final List<Fixture> all, final String description, final byte[] frame, final Expect expect) {
        all.add(new Fixture(description, frame, expect));
    }

    private static void ethernetAndVlan(final List<Fixture> all) {
        add(all, "empty frame", new byte[0], Expect.drop(ParseResult.TRUNCATED_ETHERNET));
        add(all, "13 bytes: one short of an Ethernet header", cut(eth().frame(tcp4(SYN)), 13),
            Expect.drop(ParseResult.TRUNCATED_ETHERNET));
        add(all, "LLDP (unknown EtherType) passes as OTHER", eth().frame(0x88CC, new byte[30]),
            Expect.ok().kind(FrameKind.OTHER).etherType(0x88CC).l3(14));
        add(all, "802.3 length field instead of an EtherType passes as OTHER", eth().frame(0x0026, new byte[38]),
            Expect.ok().kind(FrameKind.OTHER).etherType(0x0026));
        add(all, "bare Ethernet header announcing IPv4", eth().noPad().frame(0x0800, new byte[0]),
            Expect.drop(ParseResult.TRUNCATED_IPV4));
        add(all, "802.1Q VLAN 100, IPv4 TCP", eth().vlan(100).frame(tcp4(SYN)),
            Expect.ok().vlan(1, 100, NONE).etherType(0x0800).l3(18).l4(38).v4(CLIENT4, VIP4, IpProtocol.TCP)
                .ports(40000, 80));
        add(all, "802.1Q tag with PCP 5 and DEI: only the low 12 bits are the VLAN id",
            eth().tag(0x8100, 0xB064).frame(tcp4(SYN)), Expect.ok().vlan(1, 100, NONE));
        add(all, "priority-tagged frame (VLAN 0)", eth().vlan(0).frame(tcp4(SYN)),
            Expect.ok().vlan(1, 0, NONE).l3(18));
        add(all, "QinQ: 802.1ad S-tag 200 over C-tag 100, IPv6 UDP",
            eth().tag(0x88A8, 200).vlan(100).frame(ip6(CLIENT6, VIP6).payload(udp(5353, 53))),
            Expect.ok().vlan(2, 100, 200).l3(22).l4(62).v6(CLIENT6, VIP6, IpProtocol.UDP).ports(5353, 53));
        add(all, "QinQ with the pre-standard 0x9100 outer TPID", eth().tag(0x9100, 300).vlan(10).frame(tcp4(SYN)),
            Expect.ok().vlan(2, 10, 300).l3(22));
        add(all, "three VLAN tags: over the bound", eth().tag(0x88A8, 1).vlan(2).vlan(3).frame(tcp4(SYN)),
            Expect.drop(ParseResult.VLAN_TOO_DEEP));
        add(all, "VLAN tag without the EtherType after it", cut(eth().vlan(100).frame(tcp4(SYN)), 17),
            Expect.drop(ParseResult.TRUNCATED_VLAN));
    }

    private static void arpFixtures(final List<Fixture> all) {
        final Packets.Arp request = arp(ArpDescriptor.OPCODE_REQUEST, CLIENT_MAC, CLIENT4, 0, VIP4);
        add(all, "ARP request for the VIP", eth().dst(EthernetDescriptor.BROADCAST_MAC).frame(request),
            Expect.ok().arp(1, CLIENT4, VIP4, 22, 32).vlan(0, NONE, NONE).l3(14));
        add(all, "ARP reply", eth().frame(arp(ArpDescriptor.OPCODE_REPLY, CLIENT_MAC, CLIENT4, 0x0A0B0C0D0E0FL, VIP4)),
            Expect.ok().arp(2, CLIENT4, VIP4, 22, 32));
        add(all, "ARP request on VLAN 7", eth().vlan(7).frame(request),
            Expect.ok().arp(1, CLIENT4, VIP4, 26, 36).vlan(1, 7, NONE));
        add(all, "ARP probe (sender IP 0.0.0.0, RFC 5227)",
            eth().frame(arp(ArpDescriptor.OPCODE_REQUEST, CLIENT_MAC, 0, 0, VIP4)), Expect.ok().arp(1, 0, VIP4, 22, 32));
        add(all, "InARP opcode 8 passes: not malformed",
            eth().frame(arp(8, CLIENT_MAC, CLIENT4, 0, VIP4)), Expect.ok().arp(8, CLIENT4, VIP4, 22, 32));
        add(all, "ARP for IEEE 802 hardware (type 6)", eth().frame(request(ArpDescriptor.OPCODE_REQUEST).types(6, 0x0800)),
            Expect.drop(ParseResult.BAD_ARP));
        add(all, "ARP for IPv6 protocol type", eth().frame(request(ArpDescriptor.OPCODE_REQUEST).types(1, 0x86DD)),
            Expect.drop(ParseResult.BAD_ARP));
        add(all, "ARP with protocol length 16", eth().frame(request(ArpDescriptor.OPCODE_REQUEST).lengths(6, 16)),
            Expect.drop(ParseResult.BAD_ARP));
        add(all, "ARP cut at 27 of 28 bytes", cut(eth().noPad().frame(request), 41),
            Expect.drop(ParseResult.TRUNCATED_ARP));
    }

    private static Packets.Arp request(final int opcode) {
        return arp(opcode, CLIENT_MAC, CLIENT4, 0, VIP4);
    }

    private static void ipv4(final List<Fixture> all) {
        add(all, "IPv4 TCP SYN to the VIP; frame padding is not part of the packet", eth().frame(tcp4(SYN)),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.TCP).ports(40000, 80).tcpFlags(SYN).l3(14).l4(34).l3End(54)
                .hopLimit(64).notFragment().notIcmpError().ipsec(false).vlan(0, NONE, NONE));
        add(all, "IPv4 with trailing bytes past the 60 byte minimum",
            Packets.concat(eth().frame(ip4(CLIENT4, VIP4).payload(udp(5000, 53))), new byte[40]),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.UDP).l3End(42).ports(5000, 53));
        add(all, "IPv4 options: NOP, NOP, record route (IHL 9)",
            eth().frame(ip4(CLIENT4, VIP4).options(1, 1, 7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0)
                .payload(tcp(40000, 80).flags(SYN))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.TCP).l4(50).ports(40000, 80));
        add(all, "IPv4 option router alert (IHL 6)",
            eth().frame(ip4(CLIENT4, VIP4).options(148, 4, 0, 0).payload(udp(5000, 53))),
            Expect.ok().l4(38).ports(5000, 53));
        add(all, "IPv4 bytes after the End-of-options option are not read as options",
            eth().frame(ip4(CLIENT4, VIP4).options(0, 0xFF, 0xFF, 0xFF).payload(udp(5000, 53))),
            Expect.ok().l4(38));
        add(all, "IPv4 option with length 1", eth().frame(ip4(CLIENT4, VIP4).options(7, 1, 0, 0).payload(udp(1, 2))),
            Expect.drop(ParseResult.BAD_IPV4_OPTIONS));
        add(all, "IPv4 option running past the IHL",
            eth().frame(ip4(CLIENT4, VIP4).options(7, 12, 4, 0).payload(udp(1, 2))),
            Expect.drop(ParseResult.BAD_IPV4_OPTIONS));
        add(all, "IPv4 option type as the header's last byte, its length missing",
            eth().frame(ip4(CLIENT4, VIP4).options(1, 1, 1, 7).payload(udp(1, 2))),
            Expect.drop(ParseResult.BAD_IPV4_OPTIONS));
        add(all, "IPv4 IHL 4", eth().frame(tcp4(SYN).ihl(4)), Expect.drop(ParseResult.BAD_IHL));
        add(all, "IPv4 IHL 15 but the frame ends first", eth().frame(tcp4(SYN).ihl(15)),
            Expect.drop(ParseResult.TRUNCATED_IPV4));
        add(all, "version 5 under EtherType IPv4", eth().frame(tcp4(SYN).version(5)),
            Expect.drop(ParseResult.BAD_IPV4_VERSION));
        add(all, "IPv4 total length 19, shorter than its header", eth().frame(tcp4(SYN).totalLength(19)),
            Expect.drop(ParseResult.BAD_IPV4_TOTAL_LENGTH));
        add(all, "IPv4 total length past the frame", eth().frame(tcp4(SYN).totalLength(200)),
            Expect.drop(ParseResult.BAD_IPV4_TOTAL_LENGTH));
        add(all, "IPv4 GRE (PPTP data) is recognised, without ports",
            eth().frame(ip4(CLIENT4, VIP4).payload(raw(IpProtocol.GRE, octets(0x30, 0x01, 0x88, 0x0B, 0, 8, 0, 1)))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.GRE).l4(34).noPorts().ipsec(false));
        add(all, "IPv4 ESP is IPsec, without ports",
            eth().frame(ip4(CLIENT4, VIP4).payload(raw(IpProtocol.ESP, new byte[24]))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.ESP).noPorts().ipsec(true));
        add(all, "IPv4 AH is IPsec, without ports",
            eth().frame(ip4(CLIENT4, VIP4).payload(raw(IpProtocol.AH, new byte[24]))),
            Expect.ok().protocol(IpProtocol.AH).noPorts().ipsec(true));
        add(all, "IPv4 SCTP passes with its protocol and no ports",
            eth().frame(ip4(CLIENT4, VIP4).payload(raw(132, new byte[12]))),
            Expect.ok().protocol(132).noPorts().l4(34));
    }

    private static void ipv4Fragments(final List<Fixture> all) {
        add(all, "IPv4 first fragment of TCP carries the ports",
            eth().frame(ip4(CLIENT4, VIP4).id(0x4242).fragment(0, true).payload(tcp(40000, 80).data(new byte[36]))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.TCP).fragment(true, true, 0x4242, 0).ports(40000, 80).l4(34));
        add(all, "IPv4 last fragment: no transport header, no ports",
            eth().frame(ip4(CLIENT4, VIP4).id(0x4242).fragment(1480, false).payload(raw(IpProtocol.UDP, new byte[100]))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.UDP).fragment(false, false, 0x4242, 1480).noPorts().l4(NONE));
        add(all, "IPv4 middle fragment",
            eth().frame(ip4(CLIENT4, VIP4).id(7).fragment(800, true).payload(raw(IpProtocol.TCP, new byte[64]))),
            Expect.ok().fragment(false, true, 7, 800).noPorts().l4(NONE));
        add(all, "IPv4 TCP fragment at offset 8 (RFC 1858 overlap attack)",
            eth().frame(ip4(CLIENT4, VIP4).fragment(8, true).payload(raw(IpProtocol.TCP, new byte[16]))),
            Expect.drop(ParseResult.BAD_IPV4_FRAGMENT));
        add(all, "IPv4 UDP fragment at offset 8 is fine",
            eth().frame(ip4(CLIENT4, VIP4).fragment(8, true).payload(raw(IpProtocol.UDP, new byte[16]))),
            Expect.ok().fragment(false, true, 0x1234, 8));
        add(all, "IPv4 fragment reassembling past 65535 bytes",
            eth().frame(ip4(CLIENT4, VIP4).fragment(65528, false).payload(raw(IpProtocol.UDP, new byte[16]))),
            Expect.drop(ParseResult.BAD_IPV4_FRAGMENT));
        add(all, "IPv4 tiny first fragment without the whole TCP header",
            eth().frame(ip4(CLIENT4, VIP4).fragment(0, true).payload(raw(IpProtocol.TCP, new byte[8]))),
            Expect.drop(ParseResult.TRUNCATED_TCP));
    }

    private static void transport(final List<Fixture> all) {
        add(all, "IPv4 TCP with options (MSS, SACK-permitted, timestamps, NOP, window scale)",
            eth().frame(ip4(CLIENT4, VIP4).payload(tcp(40000, 80).flags(SYN)
                .options(2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7))),
            Expect.ok().ports(40000, 80).tcpFlags(SYN).l3End(74));
        add(all, "TCP FIN-ACK flags", eth().frame(tcp4(FIN_ACK)), Expect.ok().tcpFlags(FIN_ACK));
        add(all, "TCP data offset 4", eth().frame(ip4(CLIENT4, VIP4).payload(tcp(1, 2).dataOffset(4))),
            Expect.drop(ParseResult.BAD_TCP_DATA_OFFSET));
        add(all, "TCP data offset 15 past a 20 byte segment",
            eth().frame(ip4(CLIENT4, VIP4).payload(tcp(1, 2).dataOffset(15))),
            Expect.drop(ParseResult.BAD_TCP_DATA_OFFSET));
        add(all, "TCP header cut at 10 bytes", eth().frame(ip4(CLIENT4, VIP4).payload(raw(IpProtocol.TCP, new byte[10]))),
            Expect.drop(ParseResult.TRUNCATED_TCP));
        add(all, "IPv4 UDP DNS query", eth().frame(ip4(CLIENT4, VIP4).payload(udp(53000, 53).data(new byte[29]))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.UDP).ports(53000, 53).ipsec(false));
        add(all, "UDP to port 500 is IKE", eth().frame(ip4(CLIENT4, VIP4).payload(udp(500, 500))),
            Expect.ok().ports(500, 500).ipsec(true));
        add(all, "UDP to 4500 from a NATed port is IKE/ESP-in-UDP",
            eth().frame(ip4(CLIENT4, VIP4).payload(udp(61000, 4500).data(new byte[12]))),
            Expect.ok().ports(61000, 4500).ipsec(true));
        add(all, "UDP length 7", eth().frame(ip4(CLIENT4, VIP4).payload(udp(1, 2).length(7))),
            Expect.drop(ParseResult.BAD_UDP_LENGTH));
        add(all, "UDP length past the IP payload", eth().frame(ip4(CLIENT4, VIP4).payload(udp(1, 2).length(100))),
            Expect.drop(ParseResult.BAD_UDP_LENGTH));
        add(all, "UDP length shorter than the IP payload passes (trailing bytes)",
            eth().frame(ip4(CLIENT4, VIP4).payload(udp(1, 2).data(new byte[10]).length(12))), Expect.ok().ports(1, 2));
        add(all, "UDP header cut at 6 bytes", eth().frame(ip4(CLIENT4, VIP4).payload(raw(IpProtocol.UDP, new byte[6]))),
            Expect.drop(ParseResult.TRUNCATED_UDP));
    }

    private static void icmpv4(final List<Fixture> all) {
        add(all, "ICMP echo request: not an error, no ports",
            eth().frame(ip4(CLIENT4, VIP4).payload(icmp(8, 0).rest(0x00010001).body(new byte[32]))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.ICMP).icmp(8, 0).notIcmpError().noPorts().l4(34));
        add(all, "ICMP fragmentation needed quoting the VIP's SYN-ACK maps to the client's flow",
            eth().frame(ip4(ROUTER4, VIP4).payload(icmp(3, 4).rest(1400).quote(synAckFromVip4()))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.TCP).ports(40000, 80).icmp(3, 4).icmpError(42, 62).tcpFlags(0)
                .l4(34));
        add(all, "ICMP time exceeded quoting only the UDP header (8 bytes, RFC 792's minimum)",
            eth().frame(ip4(ROUTER4, VIP4).payload(icmp(11, 0)
                .quote(ip4(VIP4, CLIENT4).payload(udp(53, 53000).data(new byte[40])), 28))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.UDP).ports(53000, 53).icmp(11, 0).icmpError(42, 62));
        add(all, "ICMP parameter problem quoting ESP marks the flow IPsec",
            eth().frame(ip4(ROUTER4, VIP4).payload(icmp(12, 0)
                .quote(ip4(VIP4, CLIENT4).payload(raw(IpProtocol.ESP, new byte[16]))))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.ESP).noPorts().ipsec(true).icmpError(42, 62));
        add(all, "ICMP error quoting a non-first fragment: flow without ports",
            eth().frame(ip4(ROUTER4, VIP4).payload(icmp(3, 1)
                .quote(ip4(VIP4, CLIENT4).fragment(1480, false).payload(raw(IpProtocol.UDP, new byte[8]))))),
            Expect.ok().v4(CLIENT4, VIP4, IpProtocol.UDP).noPorts().icmpError(42, NONE));
        add(all, "ICMP error whose quote stops inside the IP header",
            eth().frame(ip4(ROUTER4, VIP4).payload(icmp(3, 1).quote(synAckFromVip4(), 12))),
            Expect.drop(ParseResult.ICMP_ERROR_INNER_TRUNCATED));
        add(all, "ICMP error quoting the IP header and half the ports",
            eth().frame(ip4(ROUTER4, VIP4).payload(icmp(3, 1).quote(synAckFromVip4(), 22))),
            Expect.drop(ParseResult.ICMP_ERROR_INNER_TRUNCATED));
        add(all, "ICMP error quoting an IPv6 packet", eth().frame(ip4(ROUTER4, VIP4).payload(icmp(3, 1)
                .quote(dataFromVip6()))),
            Expect.drop(ParseResult.BAD_ICMP_ERROR_INNER));
        add(all, "ICMP error quoting an IPv4 header with IHL 4",
            eth().frame(ip4(ROUTER4, VIP4).payload(icmp(11, 0).quote(synAckFromVip4().ihl(4)))),
            Expect.drop(ParseResult.BAD_ICMP_ERROR_INNER));
        add(all, "ICMP header cut at 4 bytes", eth().frame(ip4(ROUTER4, VIP4).payload(raw(IpProtocol.ICMP, new byte[4]))),
            Expect.drop(ParseResult.TRUNCATED_ICMP));
    }

    private static void ipv6(final List<Fixture> all) {
        add(all, "IPv6 TCP SYN to the VIP", eth().frame(tcp6(SYN)),
            Expect.ok().v6(CLIENT6, VIP6, IpProtocol.TCP).ports(40000, 443).tcpFlags(SYN).l3(14).l4(54).l3End(74)
                .hopLimit(64).notFragment().etherType(0x86DD));
        add(all, "IPv6 UDP", eth().frame(ip6(CLIENT6, VIP6).payload(udp(5000, 53).data(new byte[20]))),
            Expect.ok().v6(CLIENT6, VIP6, IpProtocol.UDP).ports(5000, 53).l4(54));
        add(all, "IPv6 hop-by-hop, destination options, routing (segments left 0), then TCP",
            eth().frame(tcp6(SYN).ext(Ext.hopByHop(5, 2, 0, 0), Ext.destinationOptions(), Ext.routing(0, 0, VIP6))),
            Expect.ok().v6(CLIENT6, VIP6, IpProtocol.TCP).ports(40000, 443).l4(94));
        add(all, "IPv6 routing header with segments left passes (SRv6 type 4)",
            eth().frame(tcp6(SYN).ext(Ext.routing(4, 1, CLIENT6, VIP6))),
            Expect.ok().protocol(IpProtocol.TCP).l4(94));
        add(all, "IPv6 chain of exactly 8 extension headers",
            eth().frame(tcp6(SYN).ext(Ext.hopByHop()).ext(destinationOptions(7))),
            Expect.ok().protocol(IpProtocol.TCP).ports(40000, 443).l4(54 + 64));
        add(all, "IPv6 chain of 9 extension headers fails closed",
            eth().frame(tcp6(SYN).ext(Ext.hopByHop()).ext(destinationOptions(8))),
            Expect.drop(ParseResult.IPV6_EXT_CHAIN_TOO_LONG));
        add(all, "IPv6 hop-by-hop after destination options",
            eth().frame(tcp6(SYN).ext(Ext.destinationOptions(), Ext.hopByHop())),
            Expect.drop(ParseResult.BAD_IPV6_EXT_ORDER));
        add(all, "IPv6 extension header claiming more than the payload",
            eth().frame(tcp6(SYN).ext(Ext.destinationOptions().lengthField(5))),
            Expect.drop(ParseResult.TRUNCATED_IPV6_EXT));
        add(all, "IPv6 destination option running past its header",
            eth().frame(tcp6(SYN).ext(Ext.destinationOptions(0x1E, 10, 0, 0, 0, 0))),
            Expect.drop(ParseResult.BAD_IPV6_OPTIONS));
        add(all, "IPv6 AH ends the walk: the flow is IPsec, not the TCP inside",
            eth().frame(tcp6(SYN).ext(Ext.hopByHop(), Ext.ah(0x1001))),
            Expect.ok().v6(CLIENT6, VIP6, IpProtocol.AH).noPorts().ipsec(true).l4(62));
        add(all, "IPv6 ESP", eth().frame(ip6(CLIENT6, VIP6).payload(raw(IpProtocol.ESP, new byte[32]))),
            Expect.ok().protocol(IpProtocol.ESP).noPorts().ipsec(true));
        add(all, "IPv6 no next header", eth().frame(ip6(CLIENT6, VIP6)),
            Expect.ok().protocol(IpProtocol.NO_NEXT_HEADER).l4(54).l3End(54).noPorts());
        add(all, "IPv6 payload length past the frame", eth().frame(tcp6(SYN).payloadLength(1000)),
            Expect.drop(ParseResult.BAD_IPV6_PAYLOAD_LENGTH));
        add(all, "version 4 under EtherType IPv6", eth().frame(tcp6(SYN).version(4)),
            Expect.drop(ParseResult.BAD_IPV6_VERSION));
        add(all, "IPv6 header cut at 39 bytes", cut(eth().frame(tcp6(SYN)), 53), Expect.drop(ParseResult.TRUNCATED_IPV6));
        add(all, "ICMP for IPv4 inside IPv6 is not read as ICMP",
            eth().frame(ip6(CLIENT6, VIP6).payload(icmp(8, 0))),
            Expect.ok().protocol(IpProtocol.ICMP).icmp(NONE, NONE));
    }

    private static void ipv6Fragments(final List<Fixture> all) {
        add(all, "IPv6 first fragment of UDP carries the ports",
            eth().frame(ip6(CLIENT6, VIP6).ext(Ext.fragment(0, true, 0xCAFE)).payload(udp(5000, 53).data(new byte[24]))),
            Expect.ok().v6(CLIENT6, VIP6, IpProtocol.UDP).fragment(true, true, 0xCAFE, 0).ports(5000, 53).l4(62));
        add(all, "IPv6 first fragment: UDP length counts the whole datagram",
            eth().frame(ip6(CLIENT6, VIP6).ext(Ext.fragment(0, true, 1))
                .payload(udp(5000, 53).data(new byte[24]).length(3000))),
            Expect.ok().ports(5000, 53).fragment(true, true, 1, 0));
        add(all, "IPv6 last fragment: no transport header, no ports",
            eth().frame(ip6(CLIENT6, VIP6).ext(Ext.fragment(1232, false, 0xCAFE))
                .payload(raw(IpProtocol.UDP, new byte[40]))),
            Expect.ok().v6(CLIENT6, VIP6, IpProtocol.UDP).fragment(false, false, 0xCAFE, 1232).noPorts().l4(NONE));
        add(all, "IPv6 fragment behind hop-by-hop and routing headers",
            eth().frame(ip6(CLIENT6, VIP6).ext(Ext.hopByHop(), Ext.routing(0, 0, VIP6), Ext.fragment(2464, true, 9))
                .payload(raw(IpProtocol.TCP, new byte[48]))),
            Expect.ok().protocol(IpProtocol.TCP).fragment(false, true, 9, 2464).noPorts());
        add(all, "IPv6 atomic fragment (offset 0, no more) is a whole packet",
            eth().frame(tcp6(SYN).ext(Ext.fragment(0, false, 5))),
            Expect.ok().notFragment().ports(40000, 443).l4(62));
        add(all, "IPv6 two fragment headers",
            eth().frame(ip6(CLIENT6, VIP6).ext(Ext.fragment(0, true, 1), Ext.fragment(0, true, 1))
                .payload(raw(IpProtocol.UDP, new byte[16]))),
            Expect.drop(ParseResult.BAD_IPV6_FRAGMENT));
        add(all, "IPv6 non-last fragment whose length is not a multiple of 8",
            eth().frame(ip6(CLIENT6, VIP6).ext(Ext.fragment(1232, true, 1)).payload(raw(IpProtocol.UDP, new byte[20]))),
            Expect.drop(ParseResult.BAD_IPV6_FRAGMENT));
        add(all, "IPv6 fragment reassembling past 65535 bytes",
            eth().frame(ip6(CLIENT6, VIP6).ext(Ext.fragment(65528, false, 1)).payload(raw(IpProtocol.UDP, new byte[16]))),
            Expect.drop(ParseResult.BAD_IPV6_FRAGMENT));
        add(all, "IPv6 first fragment without the whole TCP header (RFC 7112)",
            eth().frame(ip6(CLIENT6, VIP6).ext(Ext.fragment(0, true, 1)).payload(raw(IpProtocol.TCP, new byte[8]))),
            Expect.drop(ParseResult.TRUNCATED_TCP));
        add(all, "IPv6 first fragment that cuts the extension-header chain (RFC 7112)",
            eth().frame(ip6(CLIENT6, VIP6).ext(Ext.fragment(0, true, 1), Ext.destinationOptions().lengthField(3))
                .payload(raw(IpProtocol.TCP, new byte[0]))),
            Expect.drop(ParseResult.TRUNCATED_IPV6_EXT));
    }

    private static void icmpv6(final List<Fixture> all) {
        add(all, "ICMPv6 echo request: not an error",
            eth().frame(ip6(CLIENT6, VIP6).payload(icmp6(128, 0).rest(0x00010001))),
            Expect.ok().v6(CLIENT6, VIP6, IpProtocol.ICMPV6).icmp(128, 0).notIcmpError().noPorts());
        add(all, "ICMPv6 packet too big quoting the VIP's TCP maps to the client's flow",
            eth().frame(ip6(ROUTER6, VIP6).payload(icmp6(2, 0).rest(1280).quote(dataFromVip6()))),
            Expect.ok().v6(CLIENT6, VIP6, IpProtocol.TCP).ports(40000, 443).icmp(2, 0).icmpError(62, 102).l4(54));
        add(all, "ICMPv6 unreachable quoting UDP behind a destination options header",
            eth().frame(ip6(ROUTER6, VIP6).payload(icmp6(1, 4)
                .quote(ip6(VIP6, CLIENT6).ext(Ext.destinationOptions()).payload(udp(53, 53000))))),
            Expect.ok().v6(CLIENT6, VIP6, IpProtocol.UDP).ports(53000, 53).icmpError(62, 110));
        add(all, "ICMPv6 time exceeded quoting a non-first fragment: flow without ports",
            eth().frame(ip6(ROUTER6, VIP6).payload(icmp6(3, 0).quote(ip6(VIP6, CLIENT6)
                .ext(Ext.fragment(1232, false, 5)).payload(raw(IpProtocol.UDP, new byte[16]))))),
            Expect.ok().v6(CLIENT6, VIP6, IpProtocol.UDP).noPorts().icmpError(62, NONE));
        add(all, "ICMPv6 parameter problem whose quote stops inside the extension headers",
            eth().frame(ip6(ROUTER6, VIP6).payload(icmp6(4, 0).quote(dataFromVip6().ext(Ext.hopByHop()), 44))),
            Expect.drop(ParseResult.ICMP_ERROR_INNER_TRUNCATED));
        add(all, "ICMPv6 error whose quote stops inside the IPv6 header",
            eth().frame(ip6(ROUTER6, VIP6).payload(icmp6(1, 0).quote(dataFromVip6(), 30))),
            Expect.drop(ParseResult.ICMP_ERROR_INNER_TRUNCATED));
        add(all, "ICMPv6 error quoting an IPv4 packet",
            eth().frame(ip6(ROUTER6, VIP6).payload(icmp6(1, 0).quote(synAckFromVip4()))),
            Expect.drop(ParseResult.BAD_ICMP_ERROR_INNER));
        add(all, "ICMPv6 error quoting a chain over the bound",
            eth().frame(ip6(ROUTER6, VIP6).payload(icmp6(1, 0)
                .quote(dataFromVip6().ext(Ext.hopByHop()).ext(destinationOptions(8))))),
            Expect.drop(ParseResult.BAD_ICMP_ERROR_INNER));
        add(all, "ICMPv6 header cut at 4 bytes",
            eth().frame(ip6(ROUTER6, VIP6).payload(raw(IpProtocol.ICMPV6, new byte[4]))),
            Expect.drop(ParseResult.TRUNCATED_ICMP));
    }

    private static void neighborDiscovery(final List<Fixture> all) {
        add(all, "neighbor solicitation for the VIP with a source link-layer option",
            eth().dst(0x3333FF000010L).frame(nd(CLIENT6, SOLICITED_NODE_VIP6,
                ns(VIP6).option(linkLayerOption(1, CLIENT_MAC)))),
            Expect.ok().v6(CLIENT6, SOLICITED_NODE_VIP6, IpProtocol.ICMPV6).icmp(135, 0).ndTarget(VIP6)
                .ndLinkLayer(80).hopLimit(255));
        add(all, "duplicate address detection probe: from ::, no link-layer option",
            eth().frame(nd(UNSPECIFIED6, SOLICITED_NODE_VIP6, ns(VIP6))),
            Expect.ok().v6(UNSPECIFIED6, SOLICITED_NODE_VIP6, IpProtocol.ICMPV6).ndTarget(VIP6).ndLinkLayer(NONE));
        add(all, "neighbor advertisement, solicited and override, with a target link-layer option",
            eth().frame(nd(CLIENT6, VIP6, na(CLIENT6, 0x60).option(linkLayerOption(2, CLIENT_MAC)))),
            Expect.ok().icmp(136, 0).ndTarget(CLIENT6).ndFlags(0x60).ndLinkLayer(80));
        add(all, "neighbor advertisement with only a source link-layer option: no target address option",
            eth().frame(nd(CLIENT6, VIP6, na(CLIENT6, 0x20).option(linkLayerOption(1, CLIENT_MAC)))),
            Expect.ok().ndFlags(0x20).ndLinkLayer(NONE));
        add(all, "router solicitation with a source link-layer option",
            eth().frame(nd(CLIENT6, ALL_ROUTERS6, rs().option(linkLayerOption(1, CLIENT_MAC)))),
            Expect.ok().icmp(133, 0).ndLinkLayer(64));
        add(all, "router advertisement with a source link-layer option after an MTU option",
            eth().frame(nd(ROUTER6, ALL_NODES6, ra().option(octets(5, 1, 0, 0, 0, 0, 5, 220))
                .option(linkLayerOption(1, CLIENT_MAC)))),
            Expect.ok().icmp(134, 0).ndLinkLayer(80));
        add(all, "neighbor solicitation with hop limit 64 (forwarded: RFC 4861 says discard)",
            eth().frame(ip6(CLIENT6, SOLICITED_NODE_VIP6).hopLimit(64).payload(ns(VIP6))),
            Expect.drop(ParseResult.BAD_ND));
        add(all, "neighbor solicitation with code 1",
            eth().frame(nd(CLIENT6, SOLICITED_NODE_VIP6, icmp6(135, 1).body(VIP6))), Expect.drop(ParseResult.BAD_ND));
        add(all, "neighbor solicitation in an atomic fragment (RFC 6980 says ignore)",
            eth().frame(nd(CLIENT6, SOLICITED_NODE_VIP6, ns(VIP6)).ext(Ext.fragment(0, false, 3))),
            Expect.drop(ParseResult.BAD_ND));
        add(all, "neighbor solicitation cut before the end of the target",
            eth().frame(nd(CLIENT6, SOLICITED_NODE_VIP6, icmp6(135, 0).body(new byte[8]))),
            Expect.drop(ParseResult.TRUNCATED_ND));
        add(all, "neighbor discovery option of length 0",
            eth().frame(nd(CLIENT6, SOLICITED_NODE_VIP6, ns(VIP6).option(octets(1, 0, 0, 0, 0, 0, 0, 0)))),
            Expect.drop(ParseResult.BAD_ND_OPTION));
        add(all, "neighbor discovery option running past the message",
            eth().frame(nd(CLIENT6, SOLICITED_NODE_VIP6, ns(VIP6).option(linkLayerOption(1, CLIENT_MAC))
                .option(octets(14, 2, 0, 0, 0, 0, 0, 0)))),
            Expect.drop(ParseResult.BAD_ND_OPTION));
        add(all, "neighbor discovery message with one stray byte after its options",
            eth().frame(nd(CLIENT6, SOLICITED_NODE_VIP6, ns(VIP6).option(octets(1)))),
            Expect.drop(ParseResult.BAD_ND_OPTION));
    }
}
