package lb.dataplane.hash;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterSecret;
import lb.dataplane.net.Ipv4Mapped;

/**
 * A flow's bucket on the packet path: the affinity key of the client, hashed with {@link SipHash13}, reduced modulo
 * the bucket count; primitives only, no allocation.
 *
 * <p>The affinity key is three words: the client address as two words in network order (IPv4 as IPv4-mapped
 * {@code ::ffff:a.b.c.d}, so both families share one form) and the client port. Affinity {@code NONE} keeps address
 * and port; {@code SINGLE} keeps the address with port 0; {@code NETWORK} keeps the client's network with port 0:
 * IPv4 /24, as NLB does, and for IPv6 the configured prefix (NLB has none; /64 by default).
 *
 * <p>The bucket is {@code Long.remainderUnsigned(hash, B)}: SipHash output is uniform over 2^64, and the modulo bias
 * is below {@code B / 2^64} (under 2^-47 for B up to 65536), far below anything balance could notice.
 */
public final class FlowHasher {
    private static final int IPV4_NETWORK_MASK = 0xffff_ff00;

    private final SipHash13 sipHash;
    private final long ipv6NetworkMaskHi;
    private final long ipv6NetworkMaskLo;

    /**
     * @param secret            the cluster secret.
     * @param ipv6NetworkPrefix the IPv6 prefix length network affinity keeps, 0..128.
     */
    public FlowHasher(final ClusterSecret secret, final int ipv6NetworkPrefix) {
        if (ipv6NetworkPrefix < 0 || ipv6NetworkPrefix > 128) {
            throw new IllegalArgumentException("IPv6 prefix must be 0..128, was " + ipv6NetworkPrefix);
        }
        this.sipHash = SipHash13.of(secret);
        this.ipv6NetworkMaskHi = prefixMask(Math.min(ipv6NetworkPrefix, 64));
        this.ipv6NetworkMaskLo = prefixMask(Math.max(ipv6NetworkPrefix - 64, 0));
    }

    /**
     * The flow hash of an IPv4 client.
     *
     * @param clientAddress the client's IPv4 address as 32 bits in network order ({@code a << 24 | ... | d}).
     * @param clientPort    the client's port, 0..65535.
     */
    public long hashIpv4(final int clientAddress, final int clientPort, final Affinity affinity) {
        final int address = affinity == Affinity.NETWORK ? clientAddress & IPV4_NETWORK_MASK : clientAddress;
        return sipHash.hash(Ipv4Mapped.HIGH, Ipv4Mapped.low(address), affinity == Affinity.NONE ? clientPort : 0);
    }

    /**
     * The flow hash of an IPv6 client.
     *
     * @param addressHi the first 8 bytes of the client address, network order.
     * @param addressLo the last 8 bytes of the client address, network order.
     * @param clientPort the client's port, 0..65535.
     */
    public long hashIpv6(final long addressHi, final long addressLo, final int clientPort, final Affinity affinity) {
        if (affinity == Affinity.NETWORK) {
            return sipHash.hash(addressHi & ipv6NetworkMaskHi, addressLo & ipv6NetworkMaskLo, 0);
        }
        return sipHash.hash(addressHi, addressLo, affinity == Affinity.NONE ? clientPort : 0);
    }

    /**
     * The bucket of a flow hash: {@code Long.remainderUnsigned(hash, bucketCount)}.
     */
    public static int bucket(final long hash, final int bucketCount) {
        return (int)Long.remainderUnsigned(hash, bucketCount);
    }

    private static long prefixMask(final int bits) {
        return bits == 0 ? 0 : -1L << (64 - bits);
    }
}
