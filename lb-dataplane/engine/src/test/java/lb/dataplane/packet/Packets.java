package lb.dataplane.packet;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import lb.dataplane.net.IpProtocol;

/**
 * Builds test frames as byte[] in plain Java, independent of the code under test: Ethernet with VLAN tags, ARP,
 * IPv4 with options and fragments, IPv6 with extension-header chains, TCP, UDP, ICMP and ICMPv6 (errors quoting a
 * packet, neighbor discovery). Lengths and checksums are filled in unless a test overrides them to build a
 * malformed frame.
 *
 * <pre>
 *  byte[] frame = eth().vlan(10).frame(ip4(CLIENT4, VIP4).payload(tcp(40000, 80).flags(SYN)));
 * </pre>
 */
final class Packets {
    static final long CLIENT_MAC = 0x02_00_5E_00_00_07L;
    static final long CLUSTER_MAC = 0x02_BF_C0_00_02_0AL;
    static final long MASKED_MAC = 0x02_01_C0_00_02_0AL;
    static final int CLIENT4 = ip4("198.51.100.7");
    static final int VIP4 = ip4("192.0.2.10");
    static final int ROUTER4 = ip4("203.0.113.1");
    static final byte[] CLIENT6 = ip6("2001:db8:1::7");
    static final byte[] VIP6 = ip6("2001:db8::10");
    static final byte[] ROUTER6 = ip6("2001:db8:ff::1");
    static final byte[] UNSPECIFIED6 = new byte[16];

    static final int SYN = TcpDescriptor.SYN;
    static final int ACK = TcpDescriptor.ACK;
    static final int FIN = TcpDescriptor.FIN;
    static final int RST = TcpDescriptor.RST;
    static final int PSH = TcpDescriptor.PSH;

    private Packets() {
    }

    static int ip4(final String dotted) {
        return ByteBuffer.wrap(address(dotted, 4)).getInt();
    }

    static byte[] ip6(final String literal) {
        return address(literal, 16);
    }

    private static byte[] address(final String literal, final int length) {
        final byte[] address = InetAddress.ofLiteral(literal).getAddress();
        if (address.length != length) {
            throw new IllegalArgumentException(literal + " is not a " + length * 8 + "-bit address");
        }
        return address;
    }

    static long hi(final byte[] ip6) {
        return ByteBuffer.wrap(ip6).getLong(0);
    }

    static long lo(final byte[] ip6) {
        return ByteBuffer.wrap(ip6).getLong(8);
    }

    static byte[] octets(final int... values) {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** One's complement sum as RFC 1071 defines it, written without reference to {@link Checksums}. */
    static int checksum(final byte[]... parts) {
        final byte[] all = concat(parts);
        long sum = 0;
        for (int i = 0; i < all.length; i += 2) {
            final int high = all[i] & 0xFF;
            final int low = i + 1 < all.length ? all[i + 1] & 0xFF : 0;
            sum += high << 8 | low;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)~sum & 0xFFFF;
    }

    private static byte[] pseudoHeader(final byte[] src, final byte[] dst, final int protocol, final int length) {
        final ByteBuffer pseudo;
        if (src.length == 4) {
            pseudo = ByteBuffer.allocate(12).put(src).put(dst).put((byte)0).put((byte)protocol).putShort((short)length);
        } else {
            pseudo = ByteBuffer.allocate(40).put(src).put(dst).putInt(length).put(new byte[3]).put((byte)protocol);
        }
        return pseudo.array();
    }

    private static byte[] mac(final long mac) {
        return Arrays.copyOfRange(ByteBuffer.allocate(8).putLong(mac).array(), 2, 8);
    }

    private static byte[] ipv4Bytes(final int address) {
        return ByteBuffer.allocate(4).putInt(address).array();
    }

    static Eth eth() {
        return new Eth();
    }

    static Arp arp(final int opcode, final long senderMac, final int senderIp, final long targetMac, final int targetIp) {
        return new Arp(opcode, senderMac, senderIp, targetMac, targetIp);
    }

    static Ip4 ip4(final int src, final int dst) {
        return new Ip4(src, dst);
    }

    static Ip6 ip6(final byte[] src, final byte[] dst) {
        return new Ip6(src, dst);
    }

    static Tcp tcp(final int srcPort, final int dstPort) {
        return new Tcp(srcPort, dstPort);
    }

    static Udp udp(final int srcPort, final int dstPort) {
        return new Udp(srcPort, dstPort);
    }

    static Icmp icmp(final int type, final int code) {
        return new Icmp(IpProtocol.ICMP, type, code);
    }

    static Icmp icmp6(final int type, final int code) {
        return new Icmp(IpProtocol.ICMPV6, type, code);
    }

    /** Neighbor solicitation for target, as ICMPv6 body; add options with {@link Icmp#option}. */
    static Icmp ns(final byte[] target) {
        return icmp6(NdDescriptor.TYPE_NEIGHBOR_SOLICITATION, 0).rest(0).body(target);
    }

    /** Neighbor advertisement of target with the given flags byte. */
    static Icmp na(final byte[] target, final int flags) {
        return icmp6(NdDescriptor.TYPE_NEIGHBOR_ADVERTISEMENT, 0).rest(flags << 24).body(target);
    }

    static Icmp rs() {
        return icmp6(NdDescriptor.TYPE_ROUTER_SOLICITATION, 0).rest(0);
    }

    static Icmp ra() {
        // Cur hop limit 64, no flags, router lifetime 1800 s; then reachable time and retrans timer.
        return icmp6(NdDescriptor.TYPE_ROUTER_ADVERTISEMENT, 0).rest(0x4000_0708).body(new byte[8]);
    }

    static Raw raw(final int protocol, final byte[] bytes) {
        return new Raw(protocol, bytes);
    }

    /** Link-layer address option (type 1 source, 2 target) for Ethernet. */
    static byte[] linkLayerOption(final int type, final long mac) {
        return concat(octets(type, 1), mac(mac));
    }

    /** A whole L3 packet that an Ethernet frame can carry. */
    interface L3 {
        int etherType();

        byte[] bytes();
    }

    /** An upper-layer packet that computes its checksum from the addresses of the IP packet carrying it. */
    interface Upper {
        int protocol();

        byte[] bytes(byte[] src, byte[] dst);
    }

    static final class Eth {
        private long dst = CLUSTER_MAC;
        private long src = CLIENT_MAC;
        private final List<int[]> tags = new ArrayList<>();
        private boolean pad = true;

        Eth dst(final long mac) {
            dst = mac;
            return this;
        }

        Eth src(final long mac) {
            src = mac;
            return this;
        }

        /** Adds an 802.1Q tag after those already added (the first added is outermost). */
        Eth vlan(final int vlanId) {
            return tag(EthernetDescriptor.TPID_8021Q, vlanId);
        }

        Eth tag(final int tpid, final int vlanId) {
            tags.add(new int[] {tpid, vlanId});
            return this;
        }

        /** Leaves a frame shorter than 60 bytes unpadded. */
        Eth noPad() {
            pad = false;
            return this;
        }

        byte[] frame(final L3 packet) {
            return frame(packet.etherType(), packet.bytes());
        }

        byte[] frame(final int etherType, final byte[] payload) {
            final ByteBuffer header = ByteBuffer.allocate(14 + 4 * tags.size());
            header.put(mac(dst)).put(mac(src));
            for (final int[] tag : tags) {
                header.putShort((short)tag[0]).putShort((short)tag[1]);
            }
            header.putShort((short)etherType);
            final byte[] frame = concat(header.array(), payload);
            return pad && frame.length < EthernetDescriptor.MIN_FRAME_LENGTH ?
                Arrays.copyOf(frame, EthernetDescriptor.MIN_FRAME_LENGTH) : frame;
        }
    }

    static final class Arp implements L3 {
        private final int opcode;
        private final long senderMac;
        private final int senderIp;
        private final long targetMac;
        private final int targetIp;
        private int hardwareType = ArpDescriptor.HARDWARE_TYPE_ETHERNET;
        private int protocolType = EthernetDescriptor.ETHER_TYPE_IPV4;
        private int hardwareLength = 6;
        private int protocolLength = 4;

        Arp(final int opcode, final long senderMac, final int senderIp, final long targetMac, final int targetIp) {
            this.opcode = opcode;
            this.senderMac = senderMac;
            this.senderIp = senderIp;
            this.targetMac = targetMac;
            this.targetIp = targetIp;
        }

        Arp types(final int hardwareType, final int protocolType) {
            this.hardwareType = hardwareType;
            this.protocolType = protocolType;
            return this;
        }

        Arp lengths(final int hardwareLength, final int protocolLength) {
            this.hardwareLength = hardwareLength;
            this.protocolLength = protocolLength;
            return this;
        }

        @Override
        public int etherType() {
            return EthernetDescriptor.ETHER_TYPE_ARP;
        }

        @Override
        public byte[] bytes() {
            return ByteBuffer.allocate(28).putShort((short)hardwareType).putShort((short)protocolType)
                .put((byte)hardwareLength).put((byte)protocolLength).putShort((short)opcode)
                .put(mac(senderMac)).putInt(senderIp).put(mac(targetMac)).putInt(targetIp).array();
        }
    }

    static final class Ip4 implements L3 {
        private final int src;
        private final int dst;
        private int ttl = 64;
        private int id = 0x1234;
        private int fragmentOffset;
        private boolean moreFragments;
        private boolean dontFragment = true;
        private byte[] options = new byte[0];
        private Integer version;
        private Integer ihl;
        private Integer totalLength;
        private Integer protocol;
        private Upper payload = raw(IpProtocol.NO_NEXT_HEADER, new byte[0]);

        Ip4(final int src, final int dst) {
            this.src = src;
            this.dst = dst;
        }

        Ip4 ttl(final int value) {
            ttl = value;
            return this;
        }

        Ip4 id(final int value) {
            id = value;
            return this;
        }

        /** Makes this a fragment: offset in bytes (a multiple of 8), payload then counts as fragment data. */
        Ip4 fragment(final int offsetBytes, final boolean more) {
            fragmentOffset = offsetBytes;
            moreFragments = more;
            dontFragment = false;
            return this;
        }

        /** Options as raw bytes, padded with End-of-options zeros to a multiple of 4. */
        Ip4 options(final int... bytes) {
            options = Arrays.copyOf(octets(bytes), (bytes.length + 3) / 4 * 4);
            return this;
        }

        Ip4 version(final int value) {
            version = value;
            return this;
        }

        Ip4 ihl(final int value) {
            ihl = value;
            return this;
        }

        Ip4 totalLength(final int value) {
            totalLength = value;
            return this;
        }

        Ip4 protocol(final int value) {
            protocol = value;
            return this;
        }

        Ip4 payload(final Upper value) {
            payload = value;
            return this;
        }

        @Override
        public int etherType() {
            return EthernetDescriptor.ETHER_TYPE_IPV4;
        }

        @Override
        public byte[] bytes() {
            final byte[] srcBytes = ipv4Bytes(src);
            final byte[] dstBytes = ipv4Bytes(dst);
            final byte[] upper = payload.bytes(srcBytes, dstBytes);
            final int headerLength = 20 + options.length;
            final ByteBuffer header = ByteBuffer.allocate(headerLength);
            header.put((byte)((version != null ? version : 4) << 4 | (ihl != null ? ihl : headerLength / 4)));
            header.put((byte)0);
            header.putShort((short)(totalLength != null ? totalLength : headerLength + upper.length));
            header.putShort((short)id);
            header.putShort((short)((dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | fragmentOffset / 8));
            header.put((byte)ttl).put((byte)(protocol != null ? protocol : payload.protocol())).putShort((short)0);
            header.put(srcBytes).put(dstBytes).put(options);
            final byte[] bytes = header.array();
            final int checksum = checksum(bytes);
            bytes[10] = (byte)(checksum >>> 8);
            bytes[11] = (byte)checksum;
            return concat(bytes, upper);
        }
    }

    static final class Ip6 implements L3 {
        private final byte[] src;
        private final byte[] dst;
        private final List<Ext> extensions = new ArrayList<>();
        private int hopLimit = 64;
        private Integer version;
        private Integer payloadLength;
        private Upper payload = raw(IpProtocol.NO_NEXT_HEADER, new byte[0]);

        Ip6(final byte[] src, final byte[] dst) {
            this.src = src;
            this.dst = dst;
        }

        Ip6 hopLimit(final int value) {
            hopLimit = value;
            return this;
        }

        Ip6 version(final int value) {
            version = value;
            return this;
        }

        Ip6 payloadLength(final int value) {
            payloadLength = value;
            return this;
        }

        /** Appends extension headers, in order, between the IPv6 header and the payload. */
        Ip6 ext(final Ext... headers) {
            extensions.addAll(List.of(headers));
            return this;
        }

        Ip6 payload(final Upper value) {
            payload = value;
            return this;
        }

        @Override
        public int etherType() {
            return EthernetDescriptor.ETHER_TYPE_IPV6;
        }

        @Override
        public byte[] bytes() {
            final byte[] upper = payload.bytes(src, dst);
            final ByteArrayOutputStream chain = new ByteArrayOutputStream();
            for (int i = 0; i < extensions.size(); i++) {
                final int next = i + 1 < extensions.size() ? extensions.get(i + 1).type : payload.protocol();
                chain.writeBytes(extensions.get(i).bytes(next));
            }
            final byte[] body = concat(chain.toByteArray(), upper);
            final int firstNext = extensions.isEmpty() ? payload.protocol() : extensions.getFirst().type;
            final ByteBuffer header = ByteBuffer.allocate(40);
            header.putInt((version != null ? version : 6) << 28);
            header.putShort((short)(payloadLength != null ? payloadLength : body.length));
            header.put((byte)firstNext).put((byte)hopLimit).put(src).put(dst);
            return concat(header.array(), body);
        }
    }

    /** An IPv6 extension header; its next header field is filled in by the packet that carries it. */
    static final class Ext {
        final int type;
        private final byte[] body;
        private Integer lengthField;

        private Ext(final int type, final byte[] body) {
            this.type = type;
            this.body = body;
        }

        /** Hop-by-hop options header holding these options, padded with PadN to a multiple of 8. */
        static Ext hopByHop(final int... options) {
            return new Ext(IpProtocol.HOP_BY_HOP, padOptions(octets(options)));
        }

        static Ext destinationOptions(final int... options) {
            return new Ext(IpProtocol.DESTINATION_OPTIONS, padOptions(octets(options)));
        }

        /** Routing header with addresses as its data (type 0 layout: 4 reserved bytes, then addresses). */
        static Ext routing(final int routingType, final int segmentsLeft, final byte[]... addresses) {
            final byte[] data = concat(octets(routingType, segmentsLeft, 0, 0, 0, 0), concat(addresses));
            return new Ext(IpProtocol.ROUTING, data);
        }

        /** Fragment header: offset in bytes (a multiple of 8). */
        static Ext fragment(final int offsetBytes, final boolean more, final int id) {
            final byte[] data = ByteBuffer.allocate(6).putShort((short)(offsetBytes | (more ? 1 : 0))).putInt(id).array();
            return new Ext(IpProtocol.FRAGMENT, data);
        }

        /** Authentication header with a 12 byte ICV (its length field counts 4 byte units, minus 2). */
        static Ext ah(final int spi) {
            return new Ext(IpProtocol.AH, ByteBuffer.allocate(22).putShort((short)0).putInt(spi).putInt(1).array());
        }

        /** Overrides the length field, to build a header that claims more (or less) than it holds. */
        Ext lengthField(final int value) {
            lengthField = value;
            return this;
        }

        private static byte[] padOptions(final byte[] options) {
            final int missing = (8 - (2 + options.length) % 8) % 8;
            final byte[] padding = switch (missing) {
                case 0 -> new byte[0];
                case 1 -> octets(0);
                default -> concat(octets(1, missing - 2), new byte[missing - 2]);
            };
            return concat(options, padding);
        }

        byte[] bytes(final int nextHeader) {
            final int length;
            if (lengthField != null) {
                length = lengthField;
            } else if (type == IpProtocol.AH) {
                length = (2 + body.length) / 4 - 2;
            } else if (type == IpProtocol.FRAGMENT) {
                length = 0;
            } else {
                length = (2 + body.length) / 8 - 1;
            }
            return concat(octets(nextHeader, length), body);
        }
    }

    static final class Tcp implements Upper {
        private final int srcPort;
        private final int dstPort;
        private int flags = ACK;
        private byte[] options = new byte[0];
        private byte[] data = new byte[0];
        private Integer dataOffset;

        Tcp(final int srcPort, final int dstPort) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
        }

        Tcp flags(final int value) {
            flags = value;
            return this;
        }

        /** Options as raw bytes, padded with End-of-options zeros to a multiple of 4. */
        Tcp options(final int... bytes) {
            options = Arrays.copyOf(octets(bytes), (bytes.length + 3) / 4 * 4);
            return this;
        }

        Tcp data(final byte[] value) {
            data = value;
            return this;
        }

        Tcp dataOffset(final int words) {
            dataOffset = words;
            return this;
        }

        @Override
        public int protocol() {
            return IpProtocol.TCP;
        }

        @Override
        public byte[] bytes(final byte[] src, final byte[] dst) {
            final int headerLength = 20 + options.length;
            final ByteBuffer header = ByteBuffer.allocate(headerLength);
            header.putShort((short)srcPort).putShort((short)dstPort).putInt(1000).putInt(flags == SYN ? 0 : 2000);
            header.put((byte)((dataOffset != null ? dataOffset : headerLength / 4) << 4)).put((byte)flags);
            header.putShort((short)65535).putShort((short)0).putShort((short)0).put(options);
            final byte[] segment = concat(header.array(), data);
            final int checksum = checksum(pseudoHeader(src, dst, IpProtocol.TCP, segment.length), segment);
            segment[16] = (byte)(checksum >>> 8);
            segment[17] = (byte)checksum;
            return segment;
        }
    }

    static final class Udp implements Upper {
        private final int srcPort;
        private final int dstPort;
        private byte[] data = new byte[0];
        private Integer length;

        Udp(final int srcPort, final int dstPort) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
        }

        Udp data(final byte[] value) {
            data = value;
            return this;
        }

        Udp length(final int value) {
            length = value;
            return this;
        }

        @Override
        public int protocol() {
            return IpProtocol.UDP;
        }

        @Override
        public byte[] bytes(final byte[] src, final byte[] dst) {
            final int datagramLength = 8 + data.length;
            final byte[] datagram = concat(ByteBuffer.allocate(8).putShort((short)srcPort).putShort((short)dstPort)
                .putShort((short)(length != null ? length : datagramLength)).putShort((short)0).array(), data);
            final int checksum = checksum(pseudoHeader(src, dst, IpProtocol.UDP, datagram.length), datagram);
            datagram[6] = (byte)(checksum >>> 8);
            datagram[7] = (byte)checksum;
            return datagram;
        }
    }

    /** An ICMP or ICMPv6 message: type, code, checksum, the 4 "rest of header" bytes, then a body. */
    static final class Icmp implements Upper {
        private final int protocol;
        private final int type;
        private final int code;
        private int rest;
        private byte[] body = new byte[0];

        Icmp(final int protocol, final int type, final int code) {
            this.protocol = protocol;
            this.type = type;
            this.code = code;
        }

        Icmp rest(final int value) {
            rest = value;
            return this;
        }

        Icmp body(final byte[] value) {
            body = value;
            return this;
        }

        /** Appends a neighbor discovery option (or any bytes) to the body. */
        Icmp option(final byte[] option) {
            body = concat(body, option);
            return this;
        }

        /** Quotes the whole packet, as an ICMP error does. */
        Icmp quote(final L3 packet) {
            return body(packet.bytes());
        }

        /** Quotes the first bytes of the packet (ICMP for IPv4 promises only the header and 8 bytes). */
        Icmp quote(final L3 packet, final int bytes) {
            return body(Arrays.copyOf(packet.bytes(), bytes));
        }

        @Override
        public int protocol() {
            return protocol;
        }

        @Override
        public byte[] bytes(final byte[] src, final byte[] dst) {
            final byte[] message = concat(ByteBuffer.allocate(8).put((byte)type).put((byte)code).putShort((short)0)
                .putInt(rest).array(), body);
            final int checksum = protocol == IpProtocol.ICMPV6 ?
                checksum(pseudoHeader(src, dst, IpProtocol.ICMPV6, message.length), message) : checksum(message);
            message[2] = (byte)(checksum >>> 8);
            message[3] = (byte)checksum;
            return message;
        }
    }

    /** Upper-layer bytes taken as they are: GRE, ESP, fragment data, or anything malformed. */
    record Raw(int protocol, byte[] data) implements Upper {
        @Override
        public byte[] bytes(final byte[] src, final byte[] dst) {
            return data;
        }
    }
}
