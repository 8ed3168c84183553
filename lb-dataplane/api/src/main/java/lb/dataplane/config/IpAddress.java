package lb.dataplane.config;

import java.net.Inet6Address;

import lb.dataplane.net.Ipv4Mapped;

/**
 * An IPv4 or IPv6 address as two 64-bit words in network order, IPv4 held IPv4-mapped ({@code ::ffff:a.b.c.d}).
 *
 * <p>One form for both families is what the flow hash consumes (see {@code lb.dataplane.hash.FlowHasher}), so the
 * config, the reference model and the fast path agree on the words without converting.
 */
public record IpAddress(long hi, long lo) implements Comparable<IpAddress> {
    /**
     * The IPv4 address {@code a.b.c.d} given as the 32-bit value {@code a << 24 | b << 16 | c << 8 | d}.
     */
    public static IpAddress ofIpv4(final int address) {
        return new IpAddress(Ipv4Mapped.HIGH, Ipv4Mapped.low(address));
    }

    /**
     * The address held by 4 (IPv4) or 16 (IPv6) bytes in network order.
     */
    public static IpAddress ofBytes(final byte[] bytes) {
        if (bytes.length == 4) {
            return ofIpv4((int)word(bytes, 0, 4));
        }
        if (bytes.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
        }
        return new IpAddress(word(bytes, 0, 8), word(bytes, 8, 8));
    }

    /**
     * Parses a dotted-quad IPv4 address ({@code 10.0.0.1}) or an IPv6 literal ({@code 2001:db8::1}), no host names
     * (so never a DNS look-up) and no zone ids.
     *
     * @throws IllegalArgumentException naming the text when it is neither.
     */
    public static IpAddress parse(final String text) {
        if (text.indexOf(':') >= 0) {
            if (text.indexOf('%') >= 0 || text.startsWith("[")) {
                throw notAnAddress(text);
            }
            try {
                // ofLiteral never resolves names; an IPv4-mapped literal comes back as 4 bytes.
                return ofBytes(Inet6Address.ofLiteral(text).getAddress());
            } catch (final IllegalArgumentException e) {
                throw notAnAddress(text);
            }
        }
        return ofIpv4(parseDottedQuad(text));
    }

    /**
     * Whether this is an IPv4 address (held IPv4-mapped).
     */
    public boolean isIpv4() {
        return Ipv4Mapped.isIpv4(hi, lo);
    }

    /**
     * The IPv4 address as a 32-bit value; only for {@link #isIpv4()} addresses.
     */
    public int ipv4() {
        if (!isIpv4()) {
            throw new IllegalStateException(this + " is not an IPv4 address");
        }
        return (int)lo;
    }

    /**
     * The 16 bytes in network order (IPv4 as IPv4-mapped IPv6).
     */
    public byte[] toBytes16() {
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte)(hi >>> (56 - 8 * i));
            bytes[8 + i] = (byte)(lo >>> (56 - 8 * i));
        }
        return bytes;
    }

    /**
     * Orders IPv4 before IPv6 (the mapped range sorts low) and numerically within a family.
     */
    @Override
    public int compareTo(final IpAddress other) {
        final int byHi = Long.compareUnsigned(hi, other.hi);
        return byHi != 0 ? byHi : Long.compareUnsigned(lo, other.lo);
    }

    /**
     * Dotted quad for IPv4, RFC 5952 text (lower case, longest zero run compressed) for IPv6.
     */
    @Override
    public String toString() {
        if (isIpv4()) {
            final int a = ipv4();
            return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
        }
        return formatIpv6();
    }

    private String formatIpv6() {
        final int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int)((hi >>> (48 - 16 * i)) & 0xffff);
            groups[4 + i] = (int)((lo >>> (48 - 16 * i)) & 0xffff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        final StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static int parseDottedQuad(final String text) {
        final String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw notAnAddress(text);
        }
        int address = 0;
        for (final String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw notAnAddress(text);
            }
            final int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw notAnAddress(text);
            }
            address = address << 8 | octet;
        }
        return address;
    }

    private static long word(final byte[] bytes, final int offset, final int length) {
        long word = 0;
        for (int i = 0; i < length; i++) {
            word = word << 8 | (bytes[offset + i] & 0xff);
        }
        return word;
    }

    private static IllegalArgumentException notAnAddress(final String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv4 address (a.b.c.d) or an IPv6 literal");
    }
}
