package lb.dataplane.config;

import java.util.Objects;

/**
 * An IP address and UDP port on the management network, written {@code 10.99.0.1:7400} or {@code [fd00::1]:7400}:
 * where a host's lbd listens for heartbeats and lbctl, or the multicast group heartbeats go to.
 *
 * @param address the address (IPv4 held IPv4-mapped, as everywhere in the model).
 * @param port    1..65535.
 */
public record Endpoint(IpAddress address, int port) implements Comparable<Endpoint> {
    /** The form to show in messages. */
    public static final String FORM = "address:port, e.g. 10.99.0.1:7400 or [fd00::1]:7400, port 1..65535";

    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of 1..65535");
        }
    }

    /**
     * Parses the written form.
     *
     * @throws IllegalArgumentException naming the text and the form.
     */
    public static Endpoint parse(final String text) {
        final int colon = text.startsWith("[") ? text.indexOf("]:") + 1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || !text.startsWith("[") && text.indexOf(':') != colon) {
            throw new IllegalArgumentException("'" + text + "' is not " + FORM);
        }
        final String host = text.startsWith("[") ? text.substring(1, colon - 1) : text.substring(0, colon);
        final int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + FORM);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is out of 1..65535");
        }
        return new Endpoint(IpAddress.parse(host), port);
    }

    /**
     * @return whether the address is a multicast group (224.0.0.0/4, ff00::/8).
     */
    public boolean isMulticast() {
        return address.isIpv4() ? (address.ipv4() >>> 28) == 0xE : (address.hi() >>> 56) == 0xFF;
    }

    /**
     * @return the form Aeron's {@code endpoint=} takes, which is also the written form.
     */
    @Override
    public String toString() {
        return (address.isIpv4() ? address.toString() : "[" + address + "]") + ":" + port;
    }

    @Override
    public int compareTo(final Endpoint other) {
        final int byAddress = address.compareTo(other.address);
        return byAddress != 0 ? byAddress : Integer.compare(port, other.port);
    }
}
