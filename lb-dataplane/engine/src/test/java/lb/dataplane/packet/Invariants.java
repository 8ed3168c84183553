package lb.dataplane.packet;

import lb.dataplane.net.IpProtocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What must hold after any parse, whatever the input: a known result code, and on OK every offset inside the
 * frame with room for what it points at.
 */
final class Invariants {
    private Invariants() {
    }

    static void check(final String what, final int result, final ParsedPacket p, final int length) {
        assertTrue(result >= 0 && result < ParseResult.COUNT, () -> what + ": result code " + result);
        if (result != ParseResult.OK) {
            return;
        }
        assertTrue(p.kind() != FrameKind.NONE, () -> describe(what, p) + ": OK with kind none");
        assertTrue(p.l3Offset() >= EthernetDescriptor.HEADER_LENGTH && p.l3Offset() <= length, () -> describe(what, p) + ": l3");
        if (p.kind() == FrameKind.ARP) {
            assertTrue(p.arpSenderMacOffset() + 6 <= length && p.arpTargetMacOffset() + 6 <= length,
                () -> describe(what, p) + ": ARP MAC offsets");
        }
        if (p.kind() != FrameKind.IPV4 && p.kind() != FrameKind.IPV6) {
            return;
        }
        final int end = p.l3End();
        assertTrue(end <= length && p.l3Offset() < end, () -> describe(what, p) + ": l3End");
        assertTrue(within(p.l4Offset(), p.l3Offset(), end), () -> describe(what, p) + ": l4");
        assertTrue(within(p.innerL3Offset(), p.l4Offset() + IcmpDescriptor.HEADER_LENGTH, end),
            () -> describe(what, p) + ": inner l3");
        assertTrue(within(p.innerL4Offset(), p.innerL3Offset(), end), () -> describe(what, p) + ": inner l4");
        assertTrue(p.ndLinkLayerAddressOffset() == ParsedPacket.NONE || p.ndLinkLayerAddressOffset() + 6 <= end,
            () -> describe(what, p) + ": ND link-layer address");
        assertTrue(!p.hasPorts() || p.protocol() == IpProtocol.TCP || p.protocol() == IpProtocol.UDP,
            () -> describe(what, p) + ": ports without TCP or UDP");
        assertTrue(p.isFirstFragment() || !p.isFragment() || p.l4Offset() == ParsedPacket.NONE && !p.hasPorts(),
            () -> describe(what, p) + ": non-first fragment with a transport header");
        assertTrue(!p.isIcmpError() || p.innerL3Offset() != ParsedPacket.NONE, () -> describe(what, p) + ": ICMP error");
    }

    private static String describe(final String what, final ParsedPacket p) {
        return what + " (" + Snapshot.of(p) + ")";
    }

    private static boolean within(final int offset, final int from, final int end) {
        return offset == ParsedPacket.NONE || offset >= from && offset <= end;
    }
}
