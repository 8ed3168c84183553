package lb.dataplane.config;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a port rule matches: a VIP (or all VIPs), a port range and a protocol; printed as NLB operators name rules,
 * {@code all:80-80/tcp}, {@code 10.0.0.100:443-443/both}, {@code [2001:db8::100]:53-53/udp}.
 *
 * <p>Valid rules never overlap, so the key identifies a rule; host settings refer to rules by it.
 */
public record RuleKey(Optional<IpAddress> vip, PortRange ports, Protocol protocol) implements Comparable<RuleKey> {
    /** The text naming every VIP. */
    public static final String ALL_VIPS = "all";

    private static final Comparator<RuleKey> ORDER = Comparator
        .comparing((RuleKey key) -> key.vip.orElse(null), Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(RuleKey::ports)
        .thenComparing(RuleKey::protocol);

    public RuleKey {
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(protocol, "protocol");
    }

    /**
     * Parses the printed form; a single port may be given as {@code all:80/tcp}.
     *
     * @throws IllegalArgumentException naming the text and the expected form.
     */
    public static RuleKey parse(final String text) {
        final int slash = text.lastIndexOf('/');
        final int colon = text.startsWith("[") ? text.indexOf("]:") + 1 : text.lastIndexOf(':');
        if (slash < 0 || colon <= 0 || colon > slash) {
            throw new IllegalArgumentException(
                "'" + text + "' is not a rule key like all:80-80/tcp, 10.0.0.1:443/both or [2001:db8::1]:53/udp");
        }
        final String vipText = text.substring(0, colon);
        if (!vipText.startsWith("[") && vipText.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + text + "': an IPv6 VIP is written in brackets, [2001:db8::1]:53/udp");
        }
        final Optional<IpAddress> vip = vipText.equalsIgnoreCase(ALL_VIPS) ? Optional.empty() :
            Optional.of(IpAddress.parse(vipText.startsWith("[") ? vipText.substring(1, vipText.length() - 1) : vipText));
        return new RuleKey(vip, PortRange.parse(text.substring(colon + 1, slash)), parseProtocol(text.substring(slash + 1)));
    }

    /**
     * Parses {@code tcp}, {@code udp} or {@code both}, in any case.
     *
     * @throws IllegalArgumentException naming the text and the valid names.
     */
    public static Protocol parseProtocol(final String text) {
        try {
            return Protocol.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a protocol: tcp, udp or both");
        }
    }

    /**
     * Whether some packet could match both keys: VIPs equal or either is all, ports and protocols overlapping.
     */
    public boolean overlaps(final RuleKey other) {
        final boolean vipsOverlap = vip.isEmpty() || other.vip.isEmpty() || vip.equals(other.vip);
        return vipsOverlap && ports.overlaps(other.ports) && protocol.overlaps(other.protocol);
    }

    /**
     * Orders "all" first, then by VIP, ports and protocol: the canonical order used by the fingerprint and listings.
     */
    @Override
    public int compareTo(final RuleKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        final String vipText = vip.map(v -> v.isIpv4() ? v.toString() : "[" + v + "]").orElse(ALL_VIPS);
        return vipText + ":" + ports + "/" + protocol.name().toLowerCase(Locale.ROOT);
    }
}
