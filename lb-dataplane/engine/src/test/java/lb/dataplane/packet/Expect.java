package lb.dataplane.packet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import lb.dataplane.net.Ipv4Mapped;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The expected outcome of parsing one fixture: the result code and the values of the fields a fixture names
 * (fields it does not name are not checked).
 */
final class Expect {
    private final int result;
    private final List<Check> checks = new ArrayList<>();

    private record Check(String field, Function<ParsedPacket, Object> actual, Object expected) {
    }

    private Expect(final int result) {
        this.result = result;
    }

    static Expect ok() {
        return new Expect(ParseResult.OK);
    }

    static Expect drop(final int reason) {
        return new Expect(reason);
    }

    int result() {
        return result;
    }

    private Expect check(final String field, final Function<ParsedPacket, Object> actual, final Object expected) {
        checks.add(new Check(field, actual, expected));
        return this;
    }

    Expect kind(final int kind) {
        return check("kind", ParsedPacket::kind, kind);
    }

    Expect etherType(final int etherType) {
        return check("etherType", ParsedPacket::etherType, etherType);
    }

    Expect vlan(final int count, final int vlanId, final int outerVlanId) {
        return check("vlanCount", ParsedPacket::vlanCount, count)
            .check("vlanId", ParsedPacket::vlanId, vlanId)
            .check("outerVlanId", ParsedPacket::outerVlanId, outerVlanId);
    }

    Expect l3(final int offset) {
        return check("l3Offset", ParsedPacket::l3Offset, offset);
    }

    Expect l3End(final int offset) {
        return check("l3End", ParsedPacket::l3End, offset);
    }

    Expect l4(final int offset) {
        return check("l4Offset", ParsedPacket::l4Offset, offset);
    }

    Expect hopLimit(final int value) {
        return check("hopLimit", ParsedPacket::hopLimit, value);
    }

    /** IPv4 flow: version 4, addresses IPv4-mapped. */
    Expect v4(final int src, final int dst, final int protocol) {
        return kind(FrameKind.IPV4).check("ipVersion", ParsedPacket::ipVersion, 4)
            .check("srcHi", ParsedPacket::srcHi, 0L).check("srcLo", ParsedPacket::srcLo, Ipv4Mapped.low(src))
            .check("dstHi", ParsedPacket::dstHi, 0L).check("dstLo", ParsedPacket::dstLo, Ipv4Mapped.low(dst))
            .protocol(protocol);
    }

    Expect v6(final byte[] src, final byte[] dst, final int protocol) {
        return kind(FrameKind.IPV6).check("ipVersion", ParsedPacket::ipVersion, 6)
            .check("srcHi", ParsedPacket::srcHi, Packets.hi(src)).check("srcLo", ParsedPacket::srcLo, Packets.lo(src))
            .check("dstHi", ParsedPacket::dstHi, Packets.hi(dst)).check("dstLo", ParsedPacket::dstLo, Packets.lo(dst))
            .protocol(protocol);
    }

    Expect protocol(final int protocol) {
        return check("protocol", ParsedPacket::protocol, protocol);
    }

    Expect ports(final int srcPort, final int dstPort) {
        return check("hasPorts", ParsedPacket::hasPorts, true)
            .check("srcPort", ParsedPacket::srcPort, srcPort)
            .check("dstPort", ParsedPacket::dstPort, dstPort);
    }

    Expect noPorts() {
        return check("hasPorts", ParsedPacket::hasPorts, false);
    }

    Expect tcpFlags(final int flags) {
        return check("tcpFlags", ParsedPacket::tcpFlags, flags);
    }

    Expect ipsec(final boolean value) {
        return check("ipsec", ParsedPacket::isIpsec, value);
    }

    Expect notFragment() {
        return check("fragment", ParsedPacket::isFragment, false);
    }

    Expect fragment(final boolean first, final boolean more, final int id, final int offset) {
        return check("fragment", ParsedPacket::isFragment, true)
            .check("firstFragment", ParsedPacket::isFirstFragment, first)
            .check("moreFragments", ParsedPacket::moreFragments, more)
            .check("fragmentId", ParsedPacket::fragmentId, id)
            .check("fragmentOffset", ParsedPacket::fragmentOffset, offset);
    }

    Expect icmp(final int type, final int code) {
        return check("icmpType", ParsedPacket::icmpType, type).check("icmpCode", ParsedPacket::icmpCode, code);
    }

    Expect notIcmpError() {
        return check("icmpError", ParsedPacket::isIcmpError, false);
    }

    Expect icmpError(final int innerL3Offset, final int innerL4Offset) {
        return check("icmpError", ParsedPacket::isIcmpError, true)
            .check("innerL3Offset", ParsedPacket::innerL3Offset, innerL3Offset)
            .check("innerL4Offset", ParsedPacket::innerL4Offset, innerL4Offset);
    }

    Expect arp(final int opcode, final int senderIp, final int targetIp, final int senderMacOffset,
        final int targetMacOffset) {
        return kind(FrameKind.ARP).check("arpOpcode", ParsedPacket::arpOpcode, opcode)
            .check("arpSenderIp", ParsedPacket::arpSenderIp, senderIp)
            .check("arpTargetIp", ParsedPacket::arpTargetIp, targetIp)
            .check("arpSenderMacOffset", ParsedPacket::arpSenderMacOffset, senderMacOffset)
            .check("arpTargetMacOffset", ParsedPacket::arpTargetMacOffset, targetMacOffset);
    }

    Expect ndTarget(final byte[] target) {
        return check("ndTargetHi", ParsedPacket::ndTargetHi, Packets.hi(target))
            .check("ndTargetLo", ParsedPacket::ndTargetLo, Packets.lo(target));
    }

    Expect ndFlags(final int flags) {
        return check("ndFlags", ParsedPacket::ndFlags, flags);
    }

    Expect ndLinkLayer(final int offset) {
        return check("ndLinkLayerAddressOffset", ParsedPacket::ndLinkLayerAddressOffset, offset);
    }

    /**
     * Fails, naming every field that differs, unless the parse returned the expected result and fields.
     */
    void verify(final String description, final int actualResult, final ParsedPacket parsed) {
        if (actualResult != result) {
            fail(description + ": expected " + ParseResult.name(result) + " but was " + ParseResult.name(actualResult));
        }
        final StringBuilder mismatches = new StringBuilder();
        for (final Check check : checks) {
            final Object actual = check.actual.apply(parsed);
            if (!Objects.equals(actual, check.expected)) {
                mismatches.append("\n  ").append(check.field).append(": expected ").append(show(check.expected))
                    .append(" but was ").append(show(actual));
            }
        }
        if (!mismatches.isEmpty()) {
            fail(description + ":" + mismatches);
        }
    }

    private static String show(final Object value) {
        return value instanceof Long l ? "0x" + Long.toHexString(l) : String.valueOf(value);
    }
}
