package lb.dataplane.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.IpAddress;
import lb.dataplane.testkit.Seeds;
import lb.dataplane.testkit.TestConfigs;
import org.junit.jupiter.api.Test;

class FlowHasherTest {
    private static final FlowHasher HASHER = new FlowHasher(TestConfigs.SECRET, 64);
    private static final SipHash13 SIP = SipHash13.of(TestConfigs.SECRET);
    private static final int CLIENT = 0xc000_0207;

    @Test
    void shouldHashIpv4ClientsAsIpv4MappedWords() {
        final IpAddress mapped = IpAddress.ofIpv4(CLIENT);
        assertEquals(SIP.hash(mapped.hi(), mapped.lo(), 40000), HASHER.hashIpv4(CLIENT, 40000, Affinity.NONE));
        assertEquals(HASHER.hashIpv6(mapped.hi(), mapped.lo(), 40000, Affinity.NONE),
            HASHER.hashIpv4(CLIENT, 40000, Affinity.NONE));
    }

    @Test
    void shouldKeepThePortOnlyWithoutAffinity() {
        assertNotEquals(HASHER.hashIpv4(CLIENT, 1, Affinity.NONE), HASHER.hashIpv4(CLIENT, 2, Affinity.NONE));
        assertEquals(HASHER.hashIpv4(CLIENT, 1, Affinity.SINGLE), HASHER.hashIpv4(CLIENT, 2, Affinity.SINGLE));
        assertEquals(HASHER.hashIpv4(CLIENT, 0, Affinity.NONE), HASHER.hashIpv4(CLIENT, 9, Affinity.SINGLE));
    }

    @Test
    void shouldKeepAnIpv4Slash24TogetherWithNetworkAffinity() {
        assertEquals(HASHER.hashIpv4(0xc000_0201, 1, Affinity.NETWORK), HASHER.hashIpv4(0xc000_02fe, 2, Affinity.NETWORK));
        assertNotEquals(HASHER.hashIpv4(0xc000_0201, 1, Affinity.NETWORK),
            HASHER.hashIpv4(0xc000_0301, 1, Affinity.NETWORK));
        assertEquals(HASHER.hashIpv4(0xc000_0200, 0, Affinity.SINGLE), HASHER.hashIpv4(0xc000_0277, 5, Affinity.NETWORK));
    }

    @Test
    void shouldKeepTheConfiguredIpv6PrefixTogetherWithNetworkAffinity() {
        final long hi = 0x2001_0db8_0001_0002L;
        assertEquals(HASHER.hashIpv6(hi, 1, 1, Affinity.NETWORK), HASHER.hashIpv6(hi, -1, 2, Affinity.NETWORK));
        assertNotEquals(HASHER.hashIpv6(hi, 1, 1, Affinity.NETWORK), HASHER.hashIpv6(hi + 1, 1, 1, Affinity.NETWORK));
        final FlowHasher slash48 = new FlowHasher(TestConfigs.SECRET, 48);
        assertEquals(slash48.hashIpv6(hi, 1, 1, Affinity.NETWORK), slash48.hashIpv6(hi | 0xffff, 7, 2, Affinity.NETWORK));
        final FlowHasher slash128 = new FlowHasher(TestConfigs.SECRET, 128);
        assertEquals(slash128.hashIpv6(hi, 5, 9, Affinity.NETWORK), HASHER.hashIpv6(hi, 5, 0, Affinity.SINGLE));
        final FlowHasher slash100 = new FlowHasher(TestConfigs.SECRET, 100);
        assertEquals(slash100.hashIpv6(hi, 0x1234_5678_9000_0000L, 1, Affinity.NETWORK),
            slash100.hashIpv6(hi, 0x1234_5678_9fff_ffffL, 2, Affinity.NETWORK));
        assertNotEquals(slash100.hashIpv6(hi, 0x1234_5678_9000_0000L, 1, Affinity.NETWORK),
            slash100.hashIpv6(hi, 0x1234_5678_a000_0000L, 1, Affinity.NETWORK));
    }

    @Test
    void shouldTakeTheUnsignedRemainderAsTheBucket() {
        assertEquals(15, FlowHasher.bucket(-1L, 60), "2^64 - 1 mod 60");
        assertEquals(0, FlowHasher.bucket(Long.MIN_VALUE, 64));
        assertEquals(0, FlowHasher.bucket(12345, 1));
    }

    @Test
    void shouldSpreadFlowsEvenlyOverBuckets() {
        final long seed = Seeds.seed("FlowHasherTest.spread");
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] counts = new int[60];
        final int flows = 600_000;
        for (int i = 0; i < flows; i++) {
            counts[FlowHasher.bucket(HASHER.hashIpv4(random.nextInt(), random.nextInt(65536), Affinity.NONE), 60)]++;
        }
        for (final int count : counts) {
            // Expected 10000 per bucket, standard deviation about 99: 6 sigma either way.
            assertTrue(Math.abs(count - 10_000) < 600, "seed " + seed + ": a bucket got " + count + " of " + flows);
        }
    }
}
