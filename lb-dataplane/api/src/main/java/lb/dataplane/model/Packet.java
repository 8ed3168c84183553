package lb.dataplane.model;

import java.util.Objects;

import lb.dataplane.config.IpAddress;
import lb.dataplane.net.IpProtocol;

/**
 * What the reference model needs to know of a packet: protocol, client (source) and destination address and port.
 * The IP version is the addresses' family; both must be the same.
 *
 * @param ipProtocol      the IANA protocol number (6 TCP, 17 UDP; others carry no ports, give 0).
 * @param client          the source address.
 * @param clientPort      the source port, 0..65535.
 * @param destination     the destination address.
 * @param destinationPort the destination port, 0..65535.
 */
public record Packet(int ipProtocol, IpAddress client, int clientPort, IpAddress destination, int destinationPort) {
    public Packet {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(destination, "destination");
        if (client.isIpv4() != destination.isIpv4()) {
            throw new IllegalArgumentException("client " + client + " and destination " + destination +
                " are of different IP versions");
        }
        if (ipProtocol < 0 || ipProtocol > 255) {
            throw new IllegalArgumentException("IP protocol must be 0..255, was " + ipProtocol);
        }
        if (clientPort < 0 || clientPort > 65535 || destinationPort < 0 || destinationPort > 65535) {
            throw new IllegalArgumentException("ports must be 0..65535, were " + clientPort + " and " + destinationPort);
        }
    }

    /** A TCP packet. */
    public static Packet tcp(final IpAddress client, final int clientPort, final IpAddress destination, final int port) {
        return new Packet(IpProtocol.TCP, client, clientPort, destination, port);
    }

    /** A UDP packet. */
    public static Packet udp(final IpAddress client, final int clientPort, final IpAddress destination, final int port) {
        return new Packet(IpProtocol.UDP, client, clientPort, destination, port);
    }

    /** Whether this is an IPv4 packet. */
    public boolean isIpv4() {
        return client.isIpv4();
    }

    /**
     * {@code tcp 192.0.2.7:40000 -> 10.0.0.100:80}, {@code udp [2001:db8::7]:5353 -> [2001:db8::100]:53}.
     */
    @Override
    public String toString() {
        final String protocol = switch (ipProtocol) {
            case IpProtocol.TCP -> "tcp";
            case IpProtocol.UDP -> "udp";
            default -> "ip-proto-" + ipProtocol;
        };
        return protocol + " " + endpoint(client, clientPort) + " -> " + endpoint(destination, destinationPort);
    }

    private static String endpoint(final IpAddress address, final int port) {
        return (address.isIpv4() ? address.toString() : "[" + address + "]") + ":" + port;
    }
}
