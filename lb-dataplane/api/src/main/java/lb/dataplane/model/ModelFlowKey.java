package lb.dataplane.model;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.IpAddress;

/**
 * The affinity key as bytes, derived the slow, obvious way (bit by bit over the 16-byte address) so that it checks the
 * fast path's word arithmetic instead of repeating it.
 *
 * <p>The 24-byte message is {@code LE64(address bytes 0-7 read big-endian) || LE64(bytes 8-15 ...) || LE64(port)}:
 * the address words in network order, each written in SipHash's little-endian word order.
 */
final class ModelFlowKey {
    /** IPv4 network affinity keeps a /24, which is bit 96 + 24 of the IPv4-mapped form. */
    private static final int IPV4_NETWORK_BITS = 96 + 24;

    private ModelFlowKey() {
    }

    static byte[] message(final IpAddress client, final int clientPort, final Affinity affinity, final int ipv6Prefix) {
        final byte[] address = client.toBytes16();
        final int keptBits = switch (affinity) {
            case NONE, SINGLE -> 128;
            case NETWORK -> client.isIpv4() ? IPV4_NETWORK_BITS : ipv6Prefix;
        };
        for (int bit = keptBits; bit < 128; bit++) {
            address[bit / 8] &= (byte)~(0x80 >>> (bit % 8));
        }
        final long port = affinity == Affinity.NONE ? clientPort : 0;
        final byte[] message = new byte[24];
        for (int i = 0; i < 8; i++) {
            message[i] = address[7 - i];
            message[8 + i] = address[15 - i];
            message[16 + i] = (byte)(port >>> (8 * i));
        }
        return message;
    }

    /** How the key is described in explanations. */
    static String describe(final IpAddress client, final int clientPort, final Affinity affinity, final int ipv6Prefix) {
        return switch (affinity) {
            case NONE -> "affinity none: key = client address " + client + " and port " + clientPort;
            case SINGLE -> "affinity single: key = client address " + client + " (port ignored)";
            case NETWORK -> "affinity network: key = client network " + client + "/" +
                (client.isIpv4() ? 24 : ipv6Prefix) + " (port ignored)";
        };
    }
}
