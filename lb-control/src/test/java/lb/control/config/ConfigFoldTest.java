package lb.control.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import lb.control.sim.TestClusters;
import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFoldTest {
    static final ClusterConfig GENESIS = TestClusters.config(3);
    static final RuleKey WEB = TestClusters.WEB.key();
    static final RuleKey HTTPS = RuleKey.parse("all:443/tcp");

    static LoggedOp op(final int origin, final long seq, final long lamport, final ConfigOp op) {
        final TreeMap<Integer, Long> basis = new TreeMap<>();
        if (seq > 1) {
            basis.put(origin, seq - 1);
        }
        return new LoggedOp(new OpId(origin, seq), lamport, new VersionVector(basis), op);
    }

    @Test
    void foldsInTheDeterministicOrderWhateverTheArrivalOrder() {
        final List<LoggedOp> ops = new ArrayList<>(List.of(
            op(1, 1, 1, new ConfigOp.AddRule(PortRule.of(HTTPS))),
            op(2, 1, 1, new ConfigOp.SetHostWeight(2, WEB, LoadWeight.of(20))),
            op(1, 2, 2, new ConfigOp.SetHostWeight(1, HTTPS, LoadWeight.of(70))),
            op(3, 1, 2, new ConfigOp.SetRuleState(WEB, RuleState.DRAINING)),
            op(2, 2, 3, new ConfigOp.SetHostWeight(2, WEB, LoadWeight.of(40))),
            op(3, 2, 3, new ConfigOp.SetRule(HTTPS, Optional.empty(), Optional.of(Affinity.NONE), Optional.empty())),
            op(1, 3, 4, new ConfigOp.RemoveRule(HTTPS))));
        final ConfigFold.Result expected = ConfigFold.fold(GENESIS, ops);
        assertTrue(expected.superseded().isEmpty(), expected.superseded().toString());
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            Collections.shuffle(ops, new java.util.Random(random.nextLong()));
            final ConfigFold.Result result = ConfigFold.fold(GENESIS, ops);
            assertEquals(expected.config(), result.config());
            assertEquals(expected.fingerprint(), result.fingerprint());
            assertEquals(expected.applied(), result.applied());
        }
        assertTrue(expected.config().rule(HTTPS).isEmpty());
        assertEquals(RuleState.DRAINING, expected.config().rule(WEB).orElseThrow().state());
        assertEquals(LoadWeight.of(40), expected.config().member(2).orElseThrow().loadWeight(WEB));
    }

    @Test
    void theSecondOfTwoConcurrentAddsIsSkippedAndReported() {
        final LoggedOp first = op(2, 1, 1, new ConfigOp.AddRule(PortRule.of(HTTPS)));
        final LoggedOp second = op(1, 1, 2, new ConfigOp.AddRule(PortRule.of(HTTPS).withAffinity(Affinity.NONE)));
        final ConfigFold.Result result = ConfigFold.fold(GENESIS, List.of(second, first));
        assertEquals(Affinity.SINGLE, result.config().rule(HTTPS).orElseThrow().affinity());
        assertEquals(List.of(first), result.applied());
        assertEquals(1, result.superseded().size());
        final Superseded superseded = result.superseded().get(0);
        assertEquals(second, superseded.op());
        assertEquals(Superseded.Kind.SKIPPED, superseded.kind());
        assertTrue(superseded.reason().contains("a port rule with this key exists"), superseded.reason());
    }

    @Test
    void aSetOrderedAfterAConcurrentRemoveIsSkipped() {
        final LoggedOp remove = op(1, 1, 1, new ConfigOp.RemoveRule(WEB));
        final LoggedOp set = op(2, 1, 1, new ConfigOp.SetRuleState(WEB, RuleState.DISABLED));
        final ConfigFold.Result result = ConfigFold.fold(GENESIS, List.of(set, remove));
        assertTrue(result.config().rule(WEB).isEmpty());
        assertEquals(set, result.superseded().get(0).op());
        assertTrue(result.superseded().get(0).reason().contains("no port rule is all:80-80/tcp"));
    }

    @Test
    void aReplaceOverwritesTheConcurrentOpsBeforeItAndSaysSo() {
        final LoggedOp weight = op(2, 1, 1, new ConfigOp.SetHostWeight(2, WEB, LoadWeight.of(10)));
        final LoggedOp known = op(3, 1, 1, new ConfigOp.SetRuleState(WEB, RuleState.DRAINING));
        final TreeMap<Integer, Long> basis = new TreeMap<>();
        basis.put(3, 1L);
        final ClusterConfig replacement = TestClusters.config(4);
        final LoggedOp replace = new LoggedOp(new OpId(1, 1), 2, new VersionVector(basis),
            new ConfigOp.Replace(replacement));
        final LoggedOp after = op(2, 2, 3, new ConfigOp.SetHostWeight(2, WEB, LoadWeight.of(30)));
        final ConfigFold.Result result = ConfigFold.fold(GENESIS, List.of(after, replace, known, weight));
        assertEquals(new ConfigOp.SetHostWeight(2, WEB, LoadWeight.of(30)).applyTo(replacement), result.config());
        assertEquals(List.of(known, replace, after), result.applied());
        assertEquals(1, result.superseded().size());
        assertEquals(weight, result.superseded().get(0).op());
        assertEquals(Superseded.Kind.OVERWRITTEN, result.superseded().get(0).kind());
    }

    @Test
    void everyOpIsAppliedOrSupersededExactlyOnce() {
        final SplittableRandom random = new SplittableRandom(11);
        final List<LoggedOp> ops = new ArrayList<>();
        final ConfigOp[] pool = {
            new ConfigOp.AddRule(PortRule.of(HTTPS)), new ConfigOp.RemoveRule(HTTPS), new ConfigOp.RemoveRule(WEB),
            new ConfigOp.AddRule(TestClusters.WEB), new ConfigOp.SetHostWeight(1, HTTPS, LoadWeight.of(5)),
            new ConfigOp.SetRuleState(WEB, RuleState.DISABLED), new ConfigOp.Replace(TestClusters.config(3)),
        };
        final long[] seqs = new long[4];
        for (int i = 0; i < 60; i++) {
            final int origin = 1 + random.nextInt(3);
            ops.add(op(origin, ++seqs[origin], 1 + random.nextInt(20), pool[random.nextInt(pool.length)]));
        }
        final ConfigFold.Result result = ConfigFold.fold(GENESIS, ops);
        assertEquals(ops.size(), result.size());
        final java.util.Set<OpId> seen = new java.util.HashSet<>();
        result.applied().forEach(o -> assertTrue(seen.add(o.id())));
        result.superseded().forEach(s -> assertTrue(seen.add(s.op().id())));
        assertEquals(ops.size(), seen.size());
    }
}
