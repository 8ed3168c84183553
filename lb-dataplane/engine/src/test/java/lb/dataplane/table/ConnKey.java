package lb.dataplane.table;

import java.util.SplittableRandom;

import lb.dataplane.net.Ipv4Mapped;

/**
 * A connection key as the test's model holds it.
 */
record ConnKey(int protocol, int ipVersion, long clientHi, long clientLo, int clientPort, long vipHi, long vipLo,
    int vipPort) {

    static ConnKey random(final SplittableRandom random) {
        final int protocol = switch (random.nextInt(8)) {
            case 0 -> 47;
            case 1, 2 -> 17;
            default -> 6;
        };
        final boolean v6 = random.nextBoolean();
        final long clientHi = v6 ? 0x2001_0db8_0000_0000L | random.nextInt(16) : Ipv4Mapped.HIGH;
        final long clientLo = v6 ? random.nextLong() : Ipv4Mapped.low(random.nextInt());
        final long vipHi = v6 ? 0x2001_0db8_ffff_0000L : Ipv4Mapped.HIGH;
        final long vipLo = v6 ? 1 + random.nextInt(4) : Ipv4Mapped.low(0x0A00_0001 + random.nextInt(4));
        final boolean ike = protocol == 17 && random.nextInt(4) == 0;
        final int vipPort = protocol == 47 ? 0 : ike ? (random.nextBoolean() ? 500 : 4500) : 1 + random.nextInt(1024);
        final int clientPort = protocol == 47 ? 0 : 1024 + random.nextInt(64_512);
        return new ConnKey(protocol, v6 ? 6 : 4, clientHi, clientLo, clientPort, vipHi, vipLo, vipPort);
    }

    long lookup(final ConnectionTable table) {
        return table.lookup(protocol, ipVersion, clientHi, clientLo, clientPort, vipHi, vipLo, vipPort);
    }

    long insert(final ConnectionTable table, final int owner, final int bucket, final int rule, final int state,
        final long now) {
        return table.insert(protocol, ipVersion, clientHi, clientLo, clientPort, vipHi, vipLo, vipPort, owner, bucket,
            rule, state, now);
    }

    boolean remove(final ConnectionTable table) {
        return table.remove(protocol, ipVersion, clientHi, clientLo, clientPort, vipHi, vipLo, vipPort);
    }

    long hash(final long seed) {
        return OffHeapHashTable.hash(seed, ConnectionTable.KEY_WORDS, clientHi, clientLo, vipHi, vipLo,
            ConnectionTable.portsWord(protocol, ipVersion, clientPort, vipPort));
    }

    boolean isTcp() {
        return protocol == 6;
    }
}
