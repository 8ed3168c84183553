package lb.control.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import lb.control.sim.TestClusters;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigReplicaTest {
    private static final ClusterConfig GENESIS = TestClusters.config(3);
    private static final RuleKey WEB = TestClusters.WEB.key();
    private static final RuleKey HTTPS = RuleKey.parse("all:443/tcp");

    private static List<ConfigOutput> drain(final ConfigReplica replica) {
        final List<ConfigOutput> outputs = new ArrayList<>();
        replica.drainOutputs(outputs::add);
        return outputs;
    }

    private static <T extends ConfigOutput> List<T> only(final List<ConfigOutput> outputs, final Class<T> type) {
        return outputs.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aValidChangeIsAcknowledgedAndAppliedOnlyOncePersisted() {
        final ConfigReplica replica = ConfigReplica.create(GENESIS, 1);
        assertTrue(replica.propose(0, 41, new ConfigOp.SetRuleState(WEB, RuleState.DRAINING)));
        final List<ConfigOutput> asked = drain(replica);
        assertEquals(1, asked.size(), asked.toString());
        final ConfigOutput.Persist persist = assertInstanceOf(ConfigOutput.Persist.class, asked.get(0));
        assertEquals(1, persist.ops().size());
        assertEquals(new OpId(1, 1), persist.ops().get(0).id());
        assertEquals(RuleState.DRAINING, persist.folded().rule(WEB).orElseThrow().state());
        // Not durable yet: nothing visible, nothing in the summary.
        assertEquals(GENESIS, replica.config());
        assertEquals(VersionVector.EMPTY, replica.summary().known());
        assertTrue(replica.persisted(5, persist.token()));
        final List<ConfigOutput> done = drain(replica);
        final ConfigOutput.ConfigChanged changed = assertInstanceOf(ConfigOutput.ConfigChanged.class, done.get(0));
        assertEquals(RuleState.DRAINING, changed.config().rule(WEB).orElseThrow().state());
        final ConfigOutput.Acknowledge ack = assertInstanceOf(ConfigOutput.Acknowledge.class, done.get(1));
        assertEquals(41, ack.requestId());
        assertEquals(1, ack.version());
        assertEquals(Optional.empty(), ack.superseded());
        assertEquals(1, replica.summary().known().get(1));
        assertEquals(changed.fingerprint(), replica.summary().folded());
        assertFalse(replica.persisted(6, persist.token()), "a token answered twice is ignored");
    }

    @Test
    void anInvalidChangeIsRefusedAtOnceNamingTheField() {
        final ConfigReplica replica = ConfigReplica.create(GENESIS, 1);
        assertFalse(replica.propose(0, 7, new ConfigOp.SetHostWeight(2, WEB, LoadWeight.of(300))));
        final ConfigOutput.Refuse refuse = assertInstanceOf(ConfigOutput.Refuse.class, drain(replica).get(0));
        assertEquals(7, refuse.requestId());
        assertTrue(refuse.reason().contains("weights[all:80-80/tcp] = 300: out of range"), refuse.reason());
        assertFalse(replica.writing());
        assertEquals(0, replica.pendingCount());
    }

    @Test
    void changesTakenDuringAWriteGoInTheNextAndMayBuildOnEarlierOnes() {
        final ConfigReplica replica = ConfigReplica.create(GENESIS, 2);
        replica.propose(0, 1, new ConfigOp.AddRule(PortRule.of(HTTPS)));
        final ConfigOutput.Persist first = only(drain(replica), ConfigOutput.Persist.class).get(0);
        assertTrue(replica.propose(1, 2, new ConfigOp.SetHostWeight(2, HTTPS, LoadWeight.of(10))),
            "validated against the rule not yet persisted");
        assertTrue(drain(replica).isEmpty(), "one write at a time");
        replica.persisted(2, first.token());
        final List<ConfigOutput> outputs = drain(replica);
        assertEquals(1, only(outputs, ConfigOutput.Acknowledge.class).size());
        final ConfigOutput.Persist second = only(outputs, ConfigOutput.Persist.class).get(0);
        assertEquals(2, second.ops().size());
        assertEquals(2, second.ops().get(1).lamport());
        assertEquals(1, second.ops().get(1).basis().get(2), "its basis names the op it built on");
        replica.persisted(3, second.token());
        assertEquals(LoadWeight.of(10), replica.config().member(2).orElseThrow().loadWeight(HTTPS));
        assertEquals(2, replica.version());
    }

    @Test
    void aFailedWriteRefusesEverythingNotPersistedAndReusesNothingVisible() {
        final ConfigReplica replica = ConfigReplica.create(GENESIS, 1);
        replica.propose(0, 1, new ConfigOp.AddRule(PortRule.of(HTTPS)));
        final ConfigOutput.Persist write = only(drain(replica), ConfigOutput.Persist.class).get(0);
        replica.propose(1, 2, new ConfigOp.SetHostWeight(1, HTTPS, LoadWeight.of(10)));
        assertTrue(replica.persistFailed(2, write.token(), "No space left on device"));
        final List<ConfigOutput.Refuse> refusals = only(drain(replica), ConfigOutput.Refuse.class);
        assertEquals(List.of(1L, 2L), refusals.stream().map(ConfigOutput.Refuse::requestId).toList());
        assertTrue(refusals.get(0).reason().contains("No space left on device"));
        assertEquals(GENESIS, replica.config());
        assertEquals(0, replica.pendingCount());
        // The next change takes the sequence the failed one had: nobody ever saw it.
        replica.propose(3, 3, new ConfigOp.SetRuleState(WEB, RuleState.DISABLED));
        final ConfigOutput.Persist again = only(drain(replica), ConfigOutput.Persist.class).get(0);
        assertEquals(new OpId(1, 1), again.ops().get(0).id());
        assertEquals(1, again.ops().get(0).lamport());
    }

    @Test
    void peersGetWhatTheyLackAndApplyItOncePersisted() {
        final ConfigReplica a = ConfigReplica.create(GENESIS, 1);
        final ConfigReplica b = ConfigReplica.create(GENESIS, 2);
        a.propose(0, 1, new ConfigOp.AddRule(PortRule.of(HTTPS)));
        a.persisted(1, only(drain(a), ConfigOutput.Persist.class).get(0).token());
        drain(a);
        a.onPeerSummary(2, 2, b.summary());
        final ConfigOutput.SendOps send = only(drain(a), ConfigOutput.SendOps.class).get(0);
        assertEquals(2, send.toHostId());
        assertEquals(1, send.batch().ops().size());
        a.onPeerSummary(3, 2, b.summary());
        assertTrue(drain(a).isEmpty(), "not again within the resend hold-off");
        a.onPeerSummary(2 + ConfigReplica.DEFAULT_RESEND_AFTER_MS, 2, b.summary());
        assertEquals(1, only(drain(a), ConfigOutput.SendOps.class).size(), "again after it");

        assertTrue(b.onOps(4, 1, send.batch()));
        final ConfigOutput.Persist persist = only(drain(b), ConfigOutput.Persist.class).get(0);
        assertEquals(GENESIS, b.config(), "not applied before it is persisted");
        assertTrue(b.onOps(4, 1, send.batch()), "a duplicate is ignored");
        assertTrue(drain(b).isEmpty());
        b.persisted(5, persist.token());
        final List<ConfigOutput> outputs = drain(b);
        assertEquals(a.fingerprint(), only(outputs, ConfigOutput.ConfigChanged.class).get(0).fingerprint());
        assertTrue(only(outputs, ConfigOutput.Acknowledge.class).isEmpty(), "not b's change to acknowledge");
        assertEquals(a.summary(), b.summary());
        a.onPeerSummary(6 + ConfigReplica.DEFAULT_RESEND_AFTER_MS, 2, b.summary());
        assertTrue(drain(a).isEmpty(), "nothing lacking");
    }

    @Test
    void anAcknowledgementSaysWhenAConcurrentChangeOrderedBeforeItSupersededIt() {
        final ConfigReplica a = ConfigReplica.create(GENESIS, 1);
        final ConfigReplica b = ConfigReplica.create(GENESIS, 2);
        b.propose(0, 1, new ConfigOp.RemoveRule(WEB));
        b.persisted(1, only(drain(b), ConfigOutput.Persist.class).get(0).token());
        b.onPeerSummary(1, 1, a.summary());
        final OpBatch removal = only(drain(b), ConfigOutput.SendOps.class).get(0).batch();
        // a disables the rule (lamport 1, host 1: before b's 1:2 in the order, so it applies, then b removes)...
        a.propose(2, 9, new ConfigOp.SetRuleState(WEB, RuleState.DISABLED));
        final ConfigOutput.Persist write = only(drain(a), ConfigOutput.Persist.class).get(0);
        a.onOps(3, 2, removal);
        a.persisted(4, write.token());
        final List<ConfigOutput> outputs = drain(a);
        final ConfigOutput.Acknowledge ack = only(outputs, ConfigOutput.Acknowledge.class).get(0);
        assertEquals(Optional.empty(), ack.superseded(), "host 1 sorts before host 2 at one Lamport clock");
        a.persisted(5, only(outputs, ConfigOutput.Persist.class).get(0).token());
        assertTrue(a.config().rule(WEB).isEmpty());

        // ...while a change of host 3 at the same clock sorts after the removal: acknowledged, and superseded.
        final ConfigReplica c = ConfigReplica.create(GENESIS, 3);
        c.propose(2, 10, new ConfigOp.SetRuleState(WEB, RuleState.DRAINING));
        final ConfigOutput.Persist cWrite = only(drain(c), ConfigOutput.Persist.class).get(0);
        c.onOps(3, 2, removal);
        c.persisted(4, cWrite.token());
        final List<ConfigOutput> cOutputs = drain(c);
        c.persisted(5, only(cOutputs, ConfigOutput.Persist.class).get(0).token());
        final List<ConfigOutput> later = drain(c);
        final ConfigOutput.OpSuperseded superseded = only(later, ConfigOutput.OpSuperseded.class).get(0);
        assertEquals(new OpId(3, 1), superseded.superseded().op().id());
        assertTrue(superseded.superseded().reason().contains("no port rule is all:80-80/tcp"));
        assertEquals(1, c.superseded().size());
    }

    @Test
    void anotherLineageIsNeverMerged() {
        final ConfigReplica a = ConfigReplica.create(GENESIS, 1);
        final ConfigReplica stranger = ConfigReplica.create(TestClusters.config("other", 3), 2);
        stranger.propose(0, 1, new ConfigOp.RemoveRule(WEB));
        stranger.persisted(1, only(drain(stranger), ConfigOutput.Persist.class).get(0).token());
        drain(stranger);
        stranger.onPeerSummary(2, 1, a.summary());
        assertTrue(drain(stranger).isEmpty(), "a summary of another lineage is ignored");
        final OpBatch foreign = new OpBatch(stranger.lineage(), stranger.persistedOps());
        assertFalse(a.onOps(3, 2, foreign));
        assertTrue(drain(a).isEmpty());
        assertEquals(0, a.pendingCount());
        assertEquals(1, a.refusedForeign());
    }

    @Test
    void restoreRebuildsThePersistedStateAndForgetsTheRest() {
        final ConfigReplica replica = ConfigReplica.create(GENESIS, 1);
        replica.propose(0, 1, new ConfigOp.AddRule(PortRule.of(HTTPS)));
        final ConfigOutput.Persist first = only(drain(replica), ConfigOutput.Persist.class).get(0);
        replica.persisted(1, first.token());
        drain(replica);
        replica.propose(2, 2, new ConfigOp.RemoveRule(WEB));
        drain(replica);
        // Crash before the second write landed: the store holds the first.
        final byte[] disk = ConfigLogCodec.encodeLog(first.genesis(), first.ops());
        final ConfigLogCodec.Log log = ConfigLogCodec.decodeLog(disk);
        final ConfigReplica restored = ConfigReplica.restore(log.genesis(), 1, log.ops());
        assertEquals(replica.summary(), restored.summary());
        assertEquals(replica.config(), restored.config());
        assertEquals(replica.persistedOps(), restored.persistedOps());
        assertTrue(restored.config().rule(WEB).isPresent());
        restored.propose(3, 3, new ConfigOp.SetRuleState(WEB, RuleState.DISABLED));
        final LoggedOp next = only(drain(restored), ConfigOutput.Persist.class).get(0).ops().get(1);
        assertEquals(new OpId(1, 2), next.id());
        assertEquals(2, next.lamport());
    }

    @Test
    void divergenceIsReported() {
        final ConfigReplica a = ConfigReplica.create(GENESIS, 1);
        final ConfigSummary lying = new ConfigSummary(a.lineage(), VersionVector.EMPTY, 0,
            TestClusters.config(4).fingerprint());
        a.onPeerSummary(0, 2, lying);
        assertInstanceOf(ConfigOutput.Diverged.class, drain(a).get(0));
    }
}
