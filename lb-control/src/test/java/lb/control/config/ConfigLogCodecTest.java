package lb.control.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import lb.control.sim.TestClusters;
import lb.dataplane.config.Affinity;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLogCodecTest {
    static List<LoggedOp> everyKindOfOp() {
        final TreeMap<Integer, LoadWeight> weights = new TreeMap<>();
        weights.put(1, LoadWeight.of(0));
        weights.put(3, LoadWeight.EQUAL);
        final TreeMap<Integer, Integer> priorities = new TreeMap<>();
        priorities.put(2, 7);
        final RuleKey v6 = new RuleKey(Optional.of(IpAddress.parse("2001:db8::1")),
            new lb.dataplane.config.PortRange(1000, 2000), lb.dataplane.config.Protocol.BOTH);
        final TreeMap<Integer, Long> basis = new TreeMap<>();
        basis.put(1, 4L);
        basis.put(65535, 9L);
        final ConfigOp[] ops = {
            new ConfigOp.AddRule(PortRule.of(RuleKey.parse("all:443/tcp")).withExtendedAffinity(Duration.ofMinutes(5)),
                weights, priorities),
            new ConfigOp.AddRule(PortRule.of(v6).withFiltering(FilteringMode.DISABLED).withState(RuleState.DRAINING)),
            new ConfigOp.SetRule(TestClusters.WEB.key(), Optional.of(FilteringMode.SINGLE), Optional.of(Affinity.NETWORK),
                Optional.of(Duration.ofSeconds(90))),
            new ConfigOp.SetRule(TestClusters.DNS.key(), Optional.empty(), Optional.empty(), Optional.of(Duration.ZERO)),
            new ConfigOp.RemoveRule(v6),
            new ConfigOp.SetRuleState(TestClusters.WEB.key(), RuleState.DISABLED),
            new ConfigOp.SetHostWeight(2, TestClusters.DNS.key(), LoadWeight.of(33)),
            new ConfigOp.SetHandlingPriority(3, TestClusters.DNS.key(), 12),
            new ConfigOp.AddVip(IpAddress.parse("10.0.0.101")),
            new ConfigOp.RemoveVip(IpAddress.parse("2001:db8::100")),
            new ConfigOp.Replace(TestClusters.config(6)),
        };
        final List<LoggedOp> logged = new java.util.ArrayList<>();
        for (int i = 0; i < ops.length; i++) {
            logged.add(new LoggedOp(new OpId(1 + i % 3, 1 + i), 5 + i, i % 2 == 0 ? VersionVector.EMPTY :
                new VersionVector(basis), ops[i]));
        }
        return logged;
    }

    @Test
    void logRoundTripsEveryKindOfOpWithItsGenesis() {
        final List<LoggedOp> ops = everyKindOfOp().stream().sorted(LoggedOp.ORDER).toList();
        final byte[] bytes = ConfigLogCodec.encodeLog(TestClusters.config(3), ops);
        final ConfigLogCodec.Log log = ConfigLogCodec.decodeLog(bytes);
        assertEquals(TestClusters.config(3), log.genesis());
        assertEquals(ops, log.ops());
        assertArrayEquals(bytes, ConfigLogCodec.encodeLog(log.genesis(), log.ops()), "deterministic bytes");
        final List<LoggedOp> reversed = new java.util.ArrayList<>(ops);
        java.util.Collections.reverse(reversed);
        assertArrayEquals(bytes, ConfigLogCodec.encodeLog(TestClusters.config(3), reversed),
            "the log is written in the fold order whatever the list's order");
    }

    @Test
    void batchRoundTripsWithItsLineage() {
        final OpBatch batch = new OpBatch(TestClusters.config(3).fingerprint(), everyKindOfOp());
        final byte[] bytes = ConfigLogCodec.encodeBatch(batch);
        assertEquals(batch, ConfigLogCodec.decodeBatch(bytes));
        assertArrayEquals(bytes, ConfigLogCodec.encodeBatch(ConfigLogCodec.decodeBatch(bytes)));
    }

    @Test
    void damagedBytesAreRefusedWithTheReason() {
        final byte[] bytes = ConfigLogCodec.encodeBatch(new OpBatch(TestClusters.config(3).fingerprint(),
            everyKindOfOp()));
        for (int length = 0; length < bytes.length; length += 7) {
            final byte[] truncated = Arrays.copyOf(bytes, length);
            final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ConfigLogCodec.decodeBatch(truncated));
            assertTrue(e.getMessage().startsWith("op batch"), e.getMessage());
        }
        final IllegalArgumentException log = assertThrows(IllegalArgumentException.class,
            () -> ConfigLogCodec.decodeLog(bytes));
        assertTrue(log.getMessage().contains("not a config log"), log.getMessage());
        final byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigLogCodec.decodeBatch(longer))
            .getMessage().contains("3 bytes after the end"));
        final byte[] version = bytes.clone();
        version[11] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigLogCodec.decodeBatch(version))
            .getMessage().contains("format version 9"));
    }
}
