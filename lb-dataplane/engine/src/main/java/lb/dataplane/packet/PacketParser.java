package lb.dataplane.packet;

import java.lang.foreign.MemorySegment;

import lb.dataplane.net.IpProtocol;
import lb.dataplane.net.Ipv4Mapped;

import static lb.dataplane.packet.NetworkBytes.u16;
import static lb.dataplane.packet.NetworkBytes.u32;
import static lb.dataplane.packet.NetworkBytes.u64;
import static lb.dataplane.packet.NetworkBytes.u8;

/**
 * Parses an Ethernet frame in place, headers read straight from the memory the NIC wrote, into a
 * {@link ParsedPacket}: one parser per worker, zero allocation, no exceptions, every loop bounded.
 *
 * <p>What is dropped: anything the load balancer would have to guess about. A header that is cut off, a length
 * field that disagrees with the frame, malformed IPv4 or IPv6 options, an IPv6 extension-header chain longer than
 * {@link #MAX_IPV6_EXTENSION_HEADERS} (failing closed, as the chain decides which flow the packet is), a first
 * fragment that does not hold the whole transport header (RFC 1858, RFC 7112), fragments that reassemble past
 * 65535 bytes, ICMP errors whose quoted packet does not name a flow, and neighbor discovery messages that
 * RFC 4861 tells hosts to discard.
 *
 * <p>What is passed (OK): any EtherType other than ARP, IPv4 and IPv6 (kind OTHER); ARP opcodes other than request
 * and reply; upper-layer protocols the parser does not read (protocol set, no ports); non-first fragments (no
 * upper-layer header, no ports: the classifier decides); Ethernet padding after the IP packet; IPv4 options and
 * IPv6 options of unknown types; ICMP messages that are not errors. Checksums are not verified: the verdict does
 * not depend on payload integrity, and the kernel behind the exception path verifies what it accepts.
 *
 * <p>AH and ESP end the IPv6 extension-header walk: NLB keeps an IPsec security association on one host, so its
 * packets are hashed as IPsec (no ports) even when AH leaves the transport header readable. GRE is recognised by
 * its protocol number only.
 *
 * <p>Only the first {@code length} bytes are read, so for a multi-segment mbuf pass the first segment's data
 * length: an IP packet that continues in a later segment is then dropped by its length check.
 */
public final class PacketParser {
    /** VLAN tags allowed in front of the EtherType: one 802.1Q tag, or QinQ. */
    public static final int MAX_VLAN_TAGS = 2;
    /** IPv6 extension headers walked before failing closed with {@link ParseResult#IPV6_EXT_CHAIN_TOO_LONG}. */
    public static final int MAX_IPV6_EXTENSION_HEADERS = 8;

    // Result of the last extension-header walk. Kept here rather than written to the ParsedPacket because the
    // walk also runs over the packet quoted in an ICMPv6 error, whose fragment facts are not the packet's own.
    private int chainProtocol;
    private boolean chainHasFragmentHeader;
    private boolean chainFragment;
    private boolean chainFirstFragment;
    private boolean chainMoreFragments;
    private int chainFragmentId;
    private int chainFragmentOffset;

    /**
     * Parses the frame at [offset, offset + length) of memory; nothing outside that range is read.
     *
     * @param memory a heap segment, or the global native segment with offset an absolute address.
     * @param offset position of the frame's first byte in memory.
     * @param length bytes of the frame that are present in memory.
     * @param out    overwritten with what the frame holds.
     * @return {@link ParseResult#OK} or a drop reason from {@link ParseResult}.
     */
    public int parse(final MemorySegment memory, final long offset, final int length, final ParsedPacket out) {
        out.reset();
        if (offset < 0 || length < 0 || offset > memory.byteSize() - length) {
            return ParseResult.BAD_FRAME_BOUNDS;
        }
        if (length < EthernetDescriptor.HEADER_LENGTH) {
            return ParseResult.TRUNCATED_ETHERNET;
        }
        int typeAt = EthernetDescriptor.ETHER_TYPE_OFFSET;
        int etherType = u16(memory, offset + typeAt);
        while (EthernetDescriptor.isVlanTpid(etherType)) {
            if (out.vlanCount == MAX_VLAN_TAGS) {
                return ParseResult.VLAN_TOO_DEEP;
            }
            if (typeAt + EthernetDescriptor.TAG_LENGTH + 2 > length) {
                return ParseResult.TRUNCATED_VLAN;
            }
            out.outerVlanId = out.vlanId;
            out.vlanId = u16(memory, offset + typeAt + EthernetDescriptor.TAG_TCI_OFFSET) &
                EthernetDescriptor.VLAN_ID_MASK;
            out.vlanCount++;
            typeAt += EthernetDescriptor.TAG_LENGTH;
            etherType = u16(memory, offset + typeAt);
        }
        final int l3 = typeAt + 2;
        out.etherType = etherType;
        out.l3Offset = l3;
        return switch (etherType) {
            case EthernetDescriptor.ETHER_TYPE_IPV4 -> parseIpv4(memory, offset, l3, length, out);
            case EthernetDescriptor.ETHER_TYPE_IPV6 -> parseIpv6(memory, offset, l3, length, out);
            case EthernetDescriptor.ETHER_TYPE_ARP -> parseArp(memory, offset, l3, length, out);
            default -> {
                out.kind = FrameKind.OTHER;
                yield ParseResult.OK;
            }
        };
    }

    private static int parseArp(
        final MemorySegment memory, final long base, final int l3, final int length, final ParsedPacket out) {
        out.kind = FrameKind.ARP;
        if (length - l3 < ArpDescriptor.LENGTH) {
            return ParseResult.TRUNCATED_ARP;
        }
        final long at = base + l3;
        if (u16(memory, at + ArpDescriptor.HARDWARE_TYPE_OFFSET) != ArpDescriptor.HARDWARE_TYPE_ETHERNET ||
            u16(memory, at + ArpDescriptor.PROTOCOL_TYPE_OFFSET) != EthernetDescriptor.ETHER_TYPE_IPV4 ||
            u8(memory, at + ArpDescriptor.HARDWARE_LENGTH_OFFSET) != EthernetDescriptor.MAC_LENGTH ||
            u8(memory, at + ArpDescriptor.PROTOCOL_LENGTH_OFFSET) != 4) {
            return ParseResult.BAD_ARP;
        }
        out.arpOpcode = u16(memory, at + ArpDescriptor.OPCODE_OFFSET);
        out.arpSenderMacOffset = l3 + ArpDescriptor.SENDER_MAC_OFFSET;
        out.arpSenderIp = u32(memory, at + ArpDescriptor.SENDER_IP_OFFSET);
        out.arpTargetMacOffset = l3 + ArpDescriptor.TARGET_MAC_OFFSET;
        out.arpTargetIp = u32(memory, at + ArpDescriptor.TARGET_IP_OFFSET);
        return ParseResult.OK;
    }

    private int parseIpv4(
        final MemorySegment memory, final long base, final int l3, final int length, final ParsedPacket out) {
        out.kind = FrameKind.IPV4;
        out.ipVersion = 4;
        if (length - l3 < Ipv4Descriptor.MIN_HEADER_LENGTH) {
            return ParseResult.TRUNCATED_IPV4;
        }
        final long at = base + l3;
        final int versionIhl = u8(memory, at + Ipv4Descriptor.VERSION_IHL_OFFSET);
        if (versionIhl >>> 4 != 4) {
            return ParseResult.BAD_IPV4_VERSION;
        }
        final int headerLength = (versionIhl & 0x0F) * 4;
        if (headerLength < Ipv4Descriptor.MIN_HEADER_LENGTH) {
            return ParseResult.BAD_IHL;
        }
        if (length - l3 < headerLength) {
            return ParseResult.TRUNCATED_IPV4;
        }
        final int totalLength = u16(memory, at + Ipv4Descriptor.TOTAL_LENGTH_OFFSET);
        if (totalLength < headerLength || totalLength > length - l3) {
            return ParseResult.BAD_IPV4_TOTAL_LENGTH;
        }
        if (!ipv4OptionsValid(memory, at + Ipv4Descriptor.MIN_HEADER_LENGTH, at + headerLength)) {
            return ParseResult.BAD_IPV4_OPTIONS;
        }
        final int protocol = u8(memory, at + Ipv4Descriptor.PROTOCOL_OFFSET);
        out.l3End = l3 + totalLength;
        out.hopLimit = u8(memory, at + Ipv4Descriptor.TTL_OFFSET);
        out.protocol = protocol;
        out.srcLo = Ipv4Mapped.low(u32(memory, at + Ipv4Descriptor.SOURCE_OFFSET));
        out.dstLo = Ipv4Mapped.low(u32(memory, at + Ipv4Descriptor.DESTINATION_OFFSET));

        final int flagsFragment = u16(memory, at + Ipv4Descriptor.FLAGS_FRAGMENT_OFFSET);
        final int fragmentOffset = (flagsFragment & Ipv4Descriptor.FRAGMENT_OFFSET_MASK) * 8;
        final boolean more = (flagsFragment & Ipv4Descriptor.MORE_FRAGMENTS) != 0;
        if (more || fragmentOffset != 0) {
            if (fragmentOffset + totalLength > Ipv4Descriptor.MAX_DATAGRAM_LENGTH ||
                fragmentOffset == 8 && protocol == IpProtocol.TCP) {
                // The second test is RFC 1858's: offset 8 can only be meant to overwrite the first fragment's flags.
                return ParseResult.BAD_IPV4_FRAGMENT;
            }
            out.fragment = true;
            out.firstFragment = fragmentOffset == 0;
            out.moreFragments = more;
            out.fragmentId = u16(memory, at + Ipv4Descriptor.IDENTIFICATION_OFFSET);
            out.fragmentOffset = fragmentOffset;
            if (fragmentOffset != 0) {
                return ParseResult.OK;
            }
        }
        return parseUpperLayer(memory, base, l3 + headerLength, out.l3End, out);
    }

    private static boolean ipv4OptionsValid(final MemorySegment memory, final long from, final long end) {
        long at = from;
        while (at < end) {
            final int type = u8(memory, at);
            if (type == Ipv4Descriptor.OPTION_END) {
                return true;
            }
            if (type == Ipv4Descriptor.OPTION_NOP) {
                at++;
                continue;
            }
            if (end - at < 2) {
                return false;
            }
            final int optionLength = u8(memory, at + 1);
            if (optionLength < 2 || optionLength > end - at) {
                return false;
            }
            at += optionLength;
        }
        return true;
    }

    private int parseIpv6(
        final MemorySegment memory, final long base, final int l3, final int length, final ParsedPacket out) {
        out.kind = FrameKind.IPV6;
        out.ipVersion = 6;
        if (length - l3 < Ipv6Descriptor.HEADER_LENGTH) {
            return ParseResult.TRUNCATED_IPV6;
        }
        final long at = base + l3;
        if (u8(memory, at + Ipv6Descriptor.VERSION_OFFSET) >>> 4 != 6) {
            return ParseResult.BAD_IPV6_VERSION;
        }
        final int payloadLength = u16(memory, at + Ipv6Descriptor.PAYLOAD_LENGTH_OFFSET);
        if (payloadLength > length - l3 - Ipv6Descriptor.HEADER_LENGTH) {
            return ParseResult.BAD_IPV6_PAYLOAD_LENGTH;
        }
        out.l3End = l3 + Ipv6Descriptor.HEADER_LENGTH + payloadLength;
        out.hopLimit = u8(memory, at + Ipv6Descriptor.HOP_LIMIT_OFFSET);
        out.srcHi = u64(memory, at + Ipv6Descriptor.SOURCE_OFFSET);
        out.srcLo = u64(memory, at + Ipv6Descriptor.SOURCE_OFFSET + 8);
        out.dstHi = u64(memory, at + Ipv6Descriptor.DESTINATION_OFFSET);
        out.dstLo = u64(memory, at + Ipv6Descriptor.DESTINATION_OFFSET + 8);

        final int upper = walkExtensionHeaders(memory, base, l3 + Ipv6Descriptor.HEADER_LENGTH, out.l3End,
            u8(memory, at + Ipv6Descriptor.NEXT_HEADER_OFFSET), false);
        if (upper < 0) {
            return -upper;
        }
        out.protocol = chainProtocol;
        if (chainFragment) {
            out.fragment = true;
            out.firstFragment = chainFirstFragment;
            out.moreFragments = chainMoreFragments;
            out.fragmentId = chainFragmentId;
            out.fragmentOffset = chainFragmentOffset;
            if (!chainFirstFragment) {
                return ParseResult.OK;
            }
        }
        return parseUpperLayer(memory, base, upper, out.l3End, out);
    }

    /**
     * Walks hop-by-hop, routing, destination options and fragment headers from start, reading nothing at or past
     * end, and leaves the outcome in the chain fields.
     *
     * @param quoted whether the chain is quoted in an ICMPv6 error, where end is where the quote stops rather than
     *               where the packet did, so fragment lengths cannot be checked.
     * @return offset of the upper-layer header (or, for a non-first fragment, of the fragment data), or a drop
     *     reason negated.
     */
    private int walkExtensionHeaders(final MemorySegment memory, final long base, final int start, final int end,
        final int firstNextHeader, final boolean quoted) {
        chainHasFragmentHeader = false;
        chainFragment = false;
        chainFirstFragment = false;
        chainMoreFragments = false;
        chainFragmentId = 0;
        chainFragmentOffset = 0;
        int nextHeader = firstNextHeader;
        int at = start;
        for (int headers = 0; ; headers++) {
            if (!isWalkedExtensionHeader(nextHeader)) {
                chainProtocol = nextHeader;
                return at;
            }
            if (headers == MAX_IPV6_EXTENSION_HEADERS) {
                return -ParseResult.IPV6_EXT_CHAIN_TOO_LONG;
            }
            final long header = base + at;
            if (nextHeader == IpProtocol.FRAGMENT) {
                if (chainHasFragmentHeader) {
                    return -ParseResult.BAD_IPV6_FRAGMENT;
                }
                if (end - at < Ipv6Descriptor.FRAGMENT_HEADER_LENGTH) {
                    return -ParseResult.TRUNCATED_IPV6_EXT;
                }
                chainHasFragmentHeader = true;
                final int offsetFlags = u16(memory, header + Ipv6Descriptor.FRAGMENT_OFFSET_FLAGS_OFFSET);
                final int fragmentOffset = offsetFlags & Ipv6Descriptor.FRAGMENT_OFFSET_MASK;
                final boolean more = (offsetFlags & Ipv6Descriptor.MORE_FRAGMENTS) != 0;
                final int unfragmentableLength = at - start;
                nextHeader = u8(memory, header + Ipv6Descriptor.EXT_NEXT_HEADER_OFFSET);
                at += Ipv6Descriptor.FRAGMENT_HEADER_LENGTH;
                // Offset 0 without more fragments is an atomic fragment (RFC 6946): a whole packet, walked on.
                if (fragmentOffset != 0 || more) {
                    final int fragmentLength = end - at;
                    if (!quoted && (more && (fragmentLength & 7) != 0 ||
                        unfragmentableLength + fragmentOffset + fragmentLength > Ipv6Descriptor.MAX_PAYLOAD_LENGTH)) {
                        return -ParseResult.BAD_IPV6_FRAGMENT;
                    }
                    chainFragment = true;
                    chainFirstFragment = fragmentOffset == 0;
                    chainMoreFragments = more;
                    chainFragmentId = u32(memory, header + Ipv6Descriptor.FRAGMENT_IDENTIFICATION_OFFSET);
                    chainFragmentOffset = fragmentOffset;
                    if (fragmentOffset != 0) {
                        chainProtocol = nextHeader;
                        return at;
                    }
                }
            } else {
                if (nextHeader == IpProtocol.HOP_BY_HOP && headers != 0) {
                    return -ParseResult.BAD_IPV6_EXT_ORDER;
                }
                if (end - at < Ipv6Descriptor.EXT_MIN_LENGTH) {
                    return -ParseResult.TRUNCATED_IPV6_EXT;
                }
                final int headerLength = (u8(memory, header + Ipv6Descriptor.EXT_LENGTH_OFFSET) + 1) * 8;
                if (headerLength > end - at) {
                    return -ParseResult.TRUNCATED_IPV6_EXT;
                }
                if (nextHeader != IpProtocol.ROUTING &&
                    !ipv6OptionsValid(memory, header + Ipv6Descriptor.EXT_MIN_LENGTH, header + headerLength)) {
                    return -ParseResult.BAD_IPV6_OPTIONS;
                }
                nextHeader = u8(memory, header + Ipv6Descriptor.EXT_NEXT_HEADER_OFFSET);
                at += headerLength;
            }
        }
    }

    private static boolean isWalkedExtensionHeader(final int nextHeader) {
        return nextHeader == IpProtocol.HOP_BY_HOP || nextHeader == IpProtocol.ROUTING ||
            nextHeader == IpProtocol.FRAGMENT || nextHeader == IpProtocol.DESTINATION_OPTIONS;
    }

    private static boolean ipv6OptionsValid(final MemorySegment memory, final long from, final long end) {
        long at = from;
        while (at < end) {
            if (u8(memory, at) == Ipv6Descriptor.OPTION_PAD1) {
                at++;
                continue;
            }
            if (end - at < 2) {
                return false;
            }
            at += 2 + u8(memory, at + 1);
        }
        return at == end;
    }

    private int parseUpperLayer(
        final MemorySegment memory, final long base, final int l4, final int end, final ParsedPacket out) {
        out.l4Offset = l4;
        return switch (out.protocol) {
            case IpProtocol.TCP -> parseTcp(memory, base + l4, end - l4, out);
            case IpProtocol.UDP -> parseUdp(memory, base + l4, end - l4, out);
            case IpProtocol.ICMP -> out.ipVersion == 4 ? parseIcmp(memory, base, l4, end, out) : ParseResult.OK;
            case IpProtocol.ICMPV6 -> out.ipVersion == 6 ? parseIcmpv6(memory, base, l4, end, out) : ParseResult.OK;
            case IpProtocol.ESP, IpProtocol.AH -> {
                out.ipsec = true;
                yield ParseResult.OK;
            }
            default -> ParseResult.OK;
        };
    }

    private static int parseTcp(
        final MemorySegment memory, final long at, final int available, final ParsedPacket out) {
        if (available < TcpDescriptor.MIN_HEADER_LENGTH) {
            return ParseResult.TRUNCATED_TCP;
        }
        final int headerLength = (u8(memory, at + TcpDescriptor.DATA_OFFSET_OFFSET) >>> 4) * 4;
        if (headerLength < TcpDescriptor.MIN_HEADER_LENGTH || headerLength > available) {
            return ParseResult.BAD_TCP_DATA_OFFSET;
        }
        out.srcPort = u16(memory, at + TcpDescriptor.SOURCE_PORT_OFFSET);
        out.dstPort = u16(memory, at + TcpDescriptor.DESTINATION_PORT_OFFSET);
        out.hasPorts = true;
        out.tcpFlags = u8(memory, at + TcpDescriptor.FLAGS_OFFSET);
        return ParseResult.OK;
    }

    private static int parseUdp(
        final MemorySegment memory, final long at, final int available, final ParsedPacket out) {
        if (available < UdpDescriptor.HEADER_LENGTH) {
            return ParseResult.TRUNCATED_UDP;
        }
        final int udpLength = u16(memory, at + UdpDescriptor.LENGTH_OFFSET);
        // A first fragment holds only part of the datagram the UDP length counts.
        if (udpLength < UdpDescriptor.HEADER_LENGTH || !out.fragment && udpLength > available) {
            return ParseResult.BAD_UDP_LENGTH;
        }
        out.srcPort = u16(memory, at + UdpDescriptor.SOURCE_PORT_OFFSET);
        out.dstPort = u16(memory, at + UdpDescriptor.DESTINATION_PORT_OFFSET);
        out.hasPorts = true;
        out.ipsec = isIke(out.srcPort, out.dstPort);
        return ParseResult.OK;
    }

    private static boolean isIke(final int srcPort, final int dstPort) {
        return srcPort == IpProtocol.IKE_PORT || srcPort == IpProtocol.IKE_NAT_T_PORT ||
            dstPort == IpProtocol.IKE_PORT || dstPort == IpProtocol.IKE_NAT_T_PORT;
    }

    private static int parseIcmp(
        final MemorySegment memory, final long base, final int l4, final int end, final ParsedPacket out) {
        if (end - l4 < IcmpDescriptor.HEADER_LENGTH) {
            return ParseResult.TRUNCATED_ICMP;
        }
        out.icmpType = u8(memory, base + l4 + IcmpDescriptor.TYPE_OFFSET);
        out.icmpCode = u8(memory, base + l4 + IcmpDescriptor.CODE_OFFSET);
        if (!IcmpDescriptor.isV4Error(out.icmpType)) {
            return ParseResult.OK;
        }
        final int quoted = l4 + IcmpDescriptor.HEADER_LENGTH;
        if (end - quoted < Ipv4Descriptor.MIN_HEADER_LENGTH) {
            return ParseResult.ICMP_ERROR_INNER_TRUNCATED;
        }
        final long at = base + quoted;
        final int versionIhl = u8(memory, at + Ipv4Descriptor.VERSION_IHL_OFFSET);
        final int headerLength = (versionIhl & 0x0F) * 4;
        if (versionIhl >>> 4 != 4 || headerLength < Ipv4Descriptor.MIN_HEADER_LENGTH) {
            return ParseResult.BAD_ICMP_ERROR_INNER;
        }
        if (end - quoted < headerLength) {
            return ParseResult.ICMP_ERROR_INNER_TRUNCATED;
        }
        out.icmpError = true;
        out.innerL3Offset = quoted;
        out.protocol = u8(memory, at + Ipv4Descriptor.PROTOCOL_OFFSET);
        out.srcLo = Ipv4Mapped.low(u32(memory, at + Ipv4Descriptor.DESTINATION_OFFSET));
        out.dstLo = Ipv4Mapped.low(u32(memory, at + Ipv4Descriptor.SOURCE_OFFSET));
        if ((u16(memory, at + Ipv4Descriptor.FLAGS_FRAGMENT_OFFSET) & Ipv4Descriptor.FRAGMENT_OFFSET_MASK) != 0) {
            return ParseResult.OK;
        }
        return quotedTransport(memory, base, quoted + headerLength, end, out);
    }

    private int parseIcmpv6(
        final MemorySegment memory, final long base, final int l4, final int end, final ParsedPacket out) {
        if (end - l4 < IcmpDescriptor.HEADER_LENGTH) {
            return ParseResult.TRUNCATED_ICMP;
        }
        final int type = u8(memory, base + l4 + IcmpDescriptor.TYPE_OFFSET);
        out.icmpType = type;
        out.icmpCode = u8(memory, base + l4 + IcmpDescriptor.CODE_OFFSET);
        if (IcmpDescriptor.isV6Error(type)) {
            return parseQuotedIpv6(memory, base, l4 + IcmpDescriptor.HEADER_LENGTH, end, out);
        }
        if (type >= NdDescriptor.TYPE_ROUTER_SOLICITATION && type <= NdDescriptor.TYPE_NEIGHBOR_ADVERTISEMENT) {
            return parseNd(memory, base, l4, end, type, out);
        }
        return ParseResult.OK;
    }

    private int parseQuotedIpv6(
        final MemorySegment memory, final long base, final int quoted, final int end, final ParsedPacket out) {
        if (end - quoted < Ipv6Descriptor.HEADER_LENGTH) {
            return ParseResult.ICMP_ERROR_INNER_TRUNCATED;
        }
        final long at = base + quoted;
        if (u8(memory, at + Ipv6Descriptor.VERSION_OFFSET) >>> 4 != 6) {
            return ParseResult.BAD_ICMP_ERROR_INNER;
        }
        final int upper = walkExtensionHeaders(memory, base, quoted + Ipv6Descriptor.HEADER_LENGTH, end,
            u8(memory, at + Ipv6Descriptor.NEXT_HEADER_OFFSET), true);
        if (upper < 0) {
            return upper == -ParseResult.TRUNCATED_IPV6_EXT ?
                ParseResult.ICMP_ERROR_INNER_TRUNCATED : ParseResult.BAD_ICMP_ERROR_INNER;
        }
        out.icmpError = true;
        out.innerL3Offset = quoted;
        out.protocol = chainProtocol;
        out.srcHi = u64(memory, at + Ipv6Descriptor.DESTINATION_OFFSET);
        out.srcLo = u64(memory, at + Ipv6Descriptor.DESTINATION_OFFSET + 8);
        out.dstHi = u64(memory, at + Ipv6Descriptor.SOURCE_OFFSET);
        out.dstLo = u64(memory, at + Ipv6Descriptor.SOURCE_OFFSET + 8);
        if (chainFragment && !chainFirstFragment) {
            return ParseResult.OK;
        }
        return quotedTransport(memory, base, upper, end, out);
    }

    /** Reads the ports of a quoted packet, which the VIP side sent: its destination port is the client's. */
    private static int quotedTransport(
        final MemorySegment memory, final long base, final int l4, final int end, final ParsedPacket out) {
        out.innerL4Offset = l4;
        final int protocol = out.protocol;
        if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP) {
            if (end - l4 < IcmpDescriptor.QUOTED_PORTS_LENGTH) {
                return ParseResult.ICMP_ERROR_INNER_TRUNCATED;
            }
            out.srcPort = u16(memory, base + l4 + TcpDescriptor.DESTINATION_PORT_OFFSET);
            out.dstPort = u16(memory, base + l4 + TcpDescriptor.SOURCE_PORT_OFFSET);
            out.hasPorts = true;
            out.ipsec = protocol == IpProtocol.UDP && isIke(out.srcPort, out.dstPort);
        } else {
            out.ipsec = protocol == IpProtocol.ESP || protocol == IpProtocol.AH;
        }
        return ParseResult.OK;
    }

    private int parseNd(final MemorySegment memory, final long base, final int l4, final int end, final int type,
        final ParsedPacket out) {
        // The chain fields still describe this packet's own chain: no quoted chain is walked on the way here.
        if (out.hopLimit != Ipv6Descriptor.ND_HOP_LIMIT || out.icmpCode != 0 || chainHasFragmentHeader) {
            return ParseResult.BAD_ND;
        }
        final int optionsAt = l4 + switch (type) {
            case NdDescriptor.TYPE_ROUTER_SOLICITATION -> NdDescriptor.ROUTER_SOLICITATION_OPTIONS_OFFSET;
            case NdDescriptor.TYPE_ROUTER_ADVERTISEMENT -> NdDescriptor.ROUTER_ADVERTISEMENT_OPTIONS_OFFSET;
            default -> NdDescriptor.NEIGHBOR_OPTIONS_OFFSET;
        };
        if (optionsAt > end) {
            return ParseResult.TRUNCATED_ND;
        }
        final long at = base + l4;
        if (type == NdDescriptor.TYPE_NEIGHBOR_SOLICITATION || type == NdDescriptor.TYPE_NEIGHBOR_ADVERTISEMENT) {
            out.ndTargetHi = u64(memory, at + NdDescriptor.TARGET_OFFSET);
            out.ndTargetLo = u64(memory, at + NdDescriptor.TARGET_OFFSET + 8);
        }
        if (type == NdDescriptor.TYPE_NEIGHBOR_ADVERTISEMENT) {
            out.ndFlags = u8(memory, at + NdDescriptor.FLAGS_OFFSET);
        }
        final int wanted = type == NdDescriptor.TYPE_NEIGHBOR_ADVERTISEMENT ?
            NdDescriptor.OPTION_TARGET_LINK_LAYER_ADDRESS : NdDescriptor.OPTION_SOURCE_LINK_LAYER_ADDRESS;
        int option = optionsAt;
        while (option < end) {
            if (end - option < 2) {
                return ParseResult.BAD_ND_OPTION;
            }
            final int optionLength = u8(memory, base + option + NdDescriptor.OPTION_LENGTH_OFFSET) *
                NdDescriptor.OPTION_UNIT;
            if (optionLength == 0 || optionLength > end - option) {
                return ParseResult.BAD_ND_OPTION;
            }
            if (out.ndLinkLayerAddressOffset == ParsedPacket.NONE && u8(memory, base + option) == wanted) {
                out.ndLinkLayerAddressOffset = option + NdDescriptor.OPTION_ADDRESS_OFFSET;
            }
            option += optionLength;
        }
        return ParseResult.OK;
    }
}
