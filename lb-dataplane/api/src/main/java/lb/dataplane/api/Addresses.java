package lb.dataplane.api;

import java.nio.ByteOrder;

import lb.dataplane.api.sbe.IpAddressDecoder;
import lb.dataplane.api.sbe.IpAddressEncoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.net.Ipv4Mapped;

/**
 * Moves an IP address between the wire's 16 network-order bytes and the two 64-bit words (high, low) that the config
 * model and the flow hash use, without allocating. IPv4 is held IPv4-mapped ({@code ::ffff:a.b.c.d}) in both forms.
 */
public final class Addresses {
    private Addresses() {
    }

    /**
     * @param encoder where to write, wrapped at the address.
     * @param version IP version.
     * @param high    first 8 bytes as a big-endian long.
     * @param low     last 8 bytes as a big-endian long.
     */
    public static void put(final IpAddressEncoder encoder, final IpVersion version, final long high, final long low) {
        final int offset = encoder.offset() + IpAddressEncoder.addressEncodingOffset();
        encoder.buffer().putLong(offset, high, ByteOrder.BIG_ENDIAN);
        encoder.buffer().putLong(offset + Long.BYTES, low, ByteOrder.BIG_ENDIAN);
        encoder.version(version);
    }

    /**
     * @param decoder an address, wrapped.
     * @return its first 8 bytes as a big-endian long.
     */
    public static long high(final IpAddressDecoder decoder) {
        return decoder.buffer().getLong(decoder.offset() + IpAddressDecoder.addressEncodingOffset(), ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param decoder an address, wrapped.
     * @return its last 8 bytes as a big-endian long.
     */
    public static long low(final IpAddressDecoder decoder) {
        return decoder.buffer().getLong(decoder.offset() + IpAddressDecoder.addressEncodingOffset() + Long.BYTES,
            ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param version IP version the sender claims.
     * @param high    first 8 bytes.
     * @param low     last 8 bytes.
     * @return true when the version is V4 and the address IPv4-mapped, or V6 and not: what a receiver should insist on.
     */
    public static boolean isConsistent(final IpVersion version, final long high, final long low) {
        final boolean mapped = Ipv4Mapped.isIpv4(high, low);
        return version == IpVersion.V4 ? mapped : version == IpVersion.V6 && !mapped;
    }

    /**
     * @param address an IPv4 address as {@code a << 24 | b << 16 | c << 8 | d}.
     * @return the low word of its IPv4-mapped form (the high word is 0), as {@link Ipv4Mapped#low}.
     */
    public static long ipv4MappedLow(final int address) {
        return Ipv4Mapped.low(address);
    }
}
