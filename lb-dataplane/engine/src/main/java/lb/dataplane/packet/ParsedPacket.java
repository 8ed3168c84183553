package lb.dataplane.packet;

/**
 * What {@link PacketParser} learned about one frame: a reusable flyweight of primitives, one per worker,
 * overwritten by every parse. Offsets count bytes from the first byte of the frame. After a parse that returned a
 * drop reason the fields hold whatever was learned before the reason was found, and mean nothing.
 *
 * <p>Addresses are two longs each, high and low half in network order. IPv4 addresses are stored IPv4-mapped
 * ({@code ::ffff:a.b.c.d}, {@link lb.dataplane.net.Ipv4Mapped}) so that IPv4 and IPv6
 * share one code path for lookups and hashing.
 *
 * <p>The flow fields (protocol, addresses, ports) say which flow the packet belongs to, as seen from the remote
 * client: source is the client, destination the VIP. For an ICMP error ({@link #isIcmpError()}) that flow is the
 * packet quoted inside it, turned around, because the quoted packet was one the VIP side sent: its destination is
 * the client. The classifier therefore sends the error to the owner of that flow.
 */
public final class ParsedPacket {
    /** Value of an absent offset, VLAN id, ICMP type or code. */
    public static final int NONE = -1;

    int kind;
    int etherType;
    int vlanCount;
    int vlanId;
    int outerVlanId;
    int l3Offset;

    int arpOpcode;
    int arpSenderMacOffset;
    int arpTargetMacOffset;
    int arpSenderIp;
    int arpTargetIp;

    int ipVersion;
    int l3End;
    int hopLimit;
    int protocol;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    boolean fragment;
    boolean firstFragment;
    boolean moreFragments;
    int fragmentId;
    int fragmentOffset;

    int l4Offset;
    boolean hasPorts;
    int srcPort;
    int dstPort;
    int tcpFlags;
    boolean ipsec;

    int icmpType;
    int icmpCode;
    boolean icmpError;
    int innerL3Offset;
    int innerL4Offset;

    long ndTargetHi;
    long ndTargetLo;
    int ndFlags;
    int ndLinkLayerAddressOffset;

    long connectionHash;
    Object connectionHashOwner;

    void reset() {
        kind = FrameKind.NONE;
        etherType = 0;
        vlanCount = 0;
        vlanId = NONE;
        outerVlanId = NONE;
        l3Offset = NONE;
        arpOpcode = 0;
        arpSenderMacOffset = NONE;
        arpTargetMacOffset = NONE;
        arpSenderIp = 0;
        arpTargetIp = 0;
        ipVersion = 0;
        l3End = NONE;
        hopLimit = 0;
        protocol = NONE;
        srcHi = 0;
        srcLo = 0;
        dstHi = 0;
        dstLo = 0;
        fragment = false;
        firstFragment = false;
        moreFragments = false;
        fragmentId = 0;
        fragmentOffset = 0;
        l4Offset = NONE;
        hasPorts = false;
        srcPort = 0;
        dstPort = 0;
        tcpFlags = 0;
        ipsec = false;
        icmpType = NONE;
        icmpCode = NONE;
        icmpError = false;
        innerL3Offset = NONE;
        innerL4Offset = NONE;
        ndTargetHi = 0;
        ndTargetLo = 0;
        ndFlags = 0;
        ndLinkLayerAddressOffset = NONE;
        connectionHashOwner = null;
    }

    /**
     * @param table the table whose hash is wanted.
     * @return whether {@link #connectionHash(long, Object)} memoised that table's hash of this packet's
     *     connection key (tables are seeded differently, so a hash is only good for the table that made it).
     */
    public boolean connectionHashedBy(final Object table) {
        return connectionHashOwner == table;
    }

    /**
     * @return the memoised connection-key hash; valid only when {@link #connectionHashedBy} says so.
     */
    public long connectionHash() {
        return connectionHash;
    }

    /**
     * Memoises a table's hash of this packet's connection key, so that the prefetch before a burst and the lookup
     * itself hash once. Cleared by the next parse.
     *
     * @param hash  the table's hash of the key.
     * @param table the table (not null).
     */
    public void connectionHash(final long hash, final Object table) {
        connectionHash = hash;
        connectionHashOwner = table;
    }

    /**
     * @return a {@link FrameKind} constant.
     */
    public int kind() {
        return kind;
    }

    /**
     * @return the EtherType after any VLAN tags.
     */
    public int etherType() {
        return etherType;
    }

    /**
     * @return VLAN tags in front of the EtherType, 0 to {@link PacketParser#MAX_VLAN_TAGS}.
     */
    public int vlanCount() {
        return vlanCount;
    }

    /**
     * @return VLAN id of the innermost tag (the 802.1Q customer tag under QinQ), or {@link #NONE} if untagged.
     */
    public int vlanId() {
        return vlanId;
    }

    /**
     * @return VLAN id of the outer (service) tag when there are two tags, else {@link #NONE}.
     */
    public int outerVlanId() {
        return outerVlanId;
    }

    /**
     * @return offset of the ARP or IP header; for kind OTHER, of whatever follows the EtherType.
     */
    public int l3Offset() {
        return l3Offset;
    }

    /**
     * @return ARP opcode (1 request, 2 reply; others are passed on as read).
     */
    public int arpOpcode() {
        return arpOpcode;
    }

    /**
     * @return offset of the ARP sender hardware address (6 bytes).
     */
    public int arpSenderMacOffset() {
        return arpSenderMacOffset;
    }

    /**
     * @return offset of the ARP target hardware address (6 bytes).
     */
    public int arpTargetMacOffset() {
        return arpTargetMacOffset;
    }

    /**
     * @return ARP sender IPv4 address, first octet in the top byte.
     */
    public int arpSenderIp() {
        return arpSenderIp;
    }

    /**
     * @return ARP target IPv4 address, first octet in the top byte.
     */
    public int arpTargetIp() {
        return arpTargetIp;
    }

    /**
     * @return 4 or 6 for IP frames, else 0.
     */
    public int ipVersion() {
        return ipVersion;
    }

    /**
     * @return offset just past the IP packet as its header sizes it; bytes from here to the frame's end are padding.
     */
    public int l3End() {
        return l3End;
    }

    /**
     * @return IPv4 time to live or IPv6 hop limit of the packet itself.
     */
    public int hopLimit() {
        return hopLimit;
    }

    /**
     * @return the flow's upper-layer protocol: after IPv6 extension headers, and for an ICMP error the quoted
     *     packet's; {@link #NONE} if not IP.
     */
    public int protocol() {
        return protocol;
    }

    /**
     * @return high half of the flow's source (client) address.
     */
    public long srcHi() {
        return srcHi;
    }

    /**
     * @return low half of the flow's source (client) address.
     */
    public long srcLo() {
        return srcLo;
    }

    /**
     * @return high half of the flow's destination (VIP) address.
     */
    public long dstHi() {
        return dstHi;
    }

    /**
     * @return low half of the flow's destination (VIP) address.
     */
    public long dstLo() {
        return dstLo;
    }

    /**
     * @return whether the packet itself is a fragment (an IPv6 atomic fragment, offset 0 and no more, is not).
     */
    public boolean isFragment() {
        return fragment;
    }

    /**
     * @return whether it is the first fragment, the only one with the upper-layer header.
     */
    public boolean isFirstFragment() {
        return firstFragment;
    }

    /**
     * @return the more-fragments flag.
     */
    public boolean moreFragments() {
        return moreFragments;
    }

    /**
     * @return fragment identification: 16 bits for IPv4, 32 bits (as int bits) for IPv6.
     */
    public int fragmentId() {
        return fragmentId;
    }

    /**
     * @return fragment offset in bytes.
     */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    /**
     * @return offset of the upper-layer header, or {@link #NONE} for a non-first fragment, which has none.
     */
    public int l4Offset() {
        return l4Offset;
    }

    /**
     * @return whether {@link #srcPort()} and {@link #dstPort()} hold a TCP or UDP flow's ports.
     */
    public boolean hasPorts() {
        return hasPorts;
    }

    /**
     * @return the flow's source (client) port.
     */
    public int srcPort() {
        return srcPort;
    }

    /**
     * @return the flow's destination (VIP) port.
     */
    public int dstPort() {
        return dstPort;
    }

    /**
     * @return TCP flags (FIN 0x01 .. CWR 0x80) of a TCP packet; 0 for an ICMP error, which need not quote them.
     */
    public int tcpFlags() {
        return tcpFlags;
    }

    /**
     * @return whether the flow is IPsec as NLB tracks it: ESP, AH, or IKE (UDP 500 or 4500 at either end).
     */
    public boolean isIpsec() {
        return ipsec;
    }

    /**
     * @return ICMP or ICMPv6 type of the packet itself, or {@link #NONE}.
     */
    public int icmpType() {
        return icmpType;
    }

    /**
     * @return ICMP or ICMPv6 code of the packet itself, or {@link #NONE}.
     */
    public int icmpCode() {
        return icmpCode;
    }

    /**
     * @return whether the packet is an ICMP error whose quoted flow the flow fields hold, turned around.
     */
    public boolean isIcmpError() {
        return icmpError;
    }

    /**
     * @return offset of the quoted IP header inside an ICMP error, or {@link #NONE}.
     */
    public int innerL3Offset() {
        return innerL3Offset;
    }

    /**
     * @return offset of the quoted upper-layer header, or {@link #NONE} (not an error, or a quoted non-first fragment).
     */
    public int innerL4Offset() {
        return innerL4Offset;
    }

    /**
     * @return high half of the target address of a neighbor solicitation or advertisement.
     */
    public long ndTargetHi() {
        return ndTargetHi;
    }

    /**
     * @return low half of the target address of a neighbor solicitation or advertisement.
     */
    public long ndTargetLo() {
        return ndTargetLo;
    }

    /**
     * @return flags byte of a neighbor advertisement (router 0x80, solicited 0x40, override 0x20).
     */
    public int ndFlags() {
        return ndFlags;
    }

    /**
     * @return offset of the 6 byte MAC address in the first link-layer address option that matters (source for
     *     solicitations and router advertisements, target for neighbor advertisements), or {@link #NONE}.
     */
    public int ndLinkLayerAddressOffset() {
        return ndLinkLayerAddressOffset;
    }
}
