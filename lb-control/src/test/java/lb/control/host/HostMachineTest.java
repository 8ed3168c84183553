package lb.control.host;

import java.util.List;
import java.util.Set;

import lb.control.convergence.ServingMode;
import lb.control.membership.HostState;
import lb.control.sim.TestClusters;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.RuleState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host state machine driven synchronously over a perfect {@link Wire}: one behaviour per test.
 */
class HostMachineTest {
    private static final int WEB = 0;
    private static final int BUCKETS = 60;
    private static final long DETECTION_MS = TestClusters.PERIOD_MS * TestClusters.LOSS_TOLERANCE;

    private final ClusterConfig config = TestClusters.config(3);
    private final Wire wire = new Wire();

    private void threeConverged() {
        wire.add(config, 1, 1);
        wire.add(config, 2, 1);
        wire.add(config, 3, 1);
        wire.run(DETECTION_MS + 3 * TestClusters.PERIOD_MS);
        for (int i = 0; i < 3; i++) {
            assertTrue(wire.hosts.get(i).status().converged(), "host " + (i + 1) + " converged");
        }
    }

    @Test
    void shouldOwnNothingWhileListeningThenFormClusterOfOne() {
        wire.add(config, 1, 1);
        wire.run(DETECTION_MS - 2 * Wire.TICK_MS);
        assertEquals(0, wire.owned(0, WEB));
        assertTrue(wire.applied.get(0).vips().isEmpty());
        wire.run(3 * Wire.TICK_MS);
        assertEquals(BUCKETS, wire.owned(0, WEB));
        assertEquals(List.of(TestClusters.VIP), wire.applied.get(0).vips());
    }

    @Test
    void shouldGiveEveryBucketExactlyOneOwnerOnceConverged() {
        threeConverged();
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
        assertEquals(20, wire.owned(0, WEB));
        assertEquals(1, wire.hosts.get(2).status().leaderId());
    }

    @Test
    void shouldTakeDeadHostsBucketsAfterLossTolerance() {
        threeConverged();
        wire.silent.add(2);
        final long died = wire.nowMs;
        while (wire.ownedOnce(WEB, 0, 1) < BUCKETS) {
            wire.run(Wire.TICK_MS);
        }
        final long took = wire.nowMs - died;
        System.out.println("a dead host's buckets were served again after " + took + " ms (detection " +
            DETECTION_MS + " ms)");
        assertTrue(took <= DETECTION_MS + TestClusters.PERIOD_MS, "took " + took + " ms");
        assertEquals(30, wire.owned(0, WEB));
    }

    @Test
    void shouldHandOverAtOnceWhenHostStopsGracefully() {
        threeConverged();
        wire.hosts.get(2).stop(wire.nowMs);
        wire.flush();
        // The departure heartbeat went out with the stop: the others re-converged within the same instant.
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1));
        assertEquals(0, wire.owned(2, WEB));
        assertEquals(RuleState.DISABLED, wire.applied.get(2).rules().get(WEB).state());
    }

    @Test
    void shouldMoveOnlyTheJoinersShareWhenHostJoins() {
        wire.add(config, 1, 1);
        wire.add(config, 2, 1);
        wire.run(DETECTION_MS + 3 * TestClusters.PERIOD_MS);
        final int[] before = wire.applied.get(0).rules().get(WEB).owners();
        wire.add(config, 3, 1);
        wire.run(3 * TestClusters.PERIOD_MS);
        final int[] after = wire.applied.get(0).rules().get(WEB).owners();
        int moved = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            if (before[bucket] != after[bucket]) {
                moved++;
                assertEquals(3, after[bucket], "a bucket moved to another host than the joiner");
            }
        }
        assertEquals(20, moved);
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
    }

    @Test
    void shouldRefuseHostWithAnotherConfigAndSayWhy() {
        wire.add(config, 1, 1);
        wire.add(TestClusters.config("other", 3), 2, 1);
        wire.run(DETECTION_MS + 3 * TestClusters.PERIOD_MS);
        assertEquals(BUCKETS, wire.owned(0, WEB));
        assertEquals(BUCKETS, wire.owned(1, WEB));
        final String reason = wire.hosts.get(0).status().refusals().getFirst().reason();
        assertTrue(reason.contains("config fingerprint"), reason);
        assertEquals(2, wire.hosts.get(0).status().refusals().getFirst().member().hostId());
        assertFalse(wire.hosts.get(1).status().refusals().isEmpty());
    }

    @Test
    void shouldRefuseNewerIncarnationClaimingTakenHostId() {
        threeConverged();
        wire.add(config, 2, 9);
        wire.run(DETECTION_MS + 3 * TestClusters.PERIOD_MS);
        final HostStatus intruder = wire.hosts.get(3).status();
        assertEquals(ServingMode.STOPPED, intruder.mode());
        assertTrue(intruder.refusals().getFirst().reason().contains("already run by incarnation 1"));
        assertEquals(0, wire.owned(3, WEB));
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
        assertTrue(wire.hosts.get(0).status().refusals().getFirst().reason().contains("duplicate host id 2"));
    }

    @Test
    void shouldWithdrawAtOnceWhenPausedLongerThanOthersWait() {
        threeConverged();
        wire.silent.add(2);
        wire.run(DETECTION_MS + TestClusters.PERIOD_MS);
        wire.silent.remove(2);
        wire.hosts.get(2).tick(wire.nowMs);
        final List<Output.ApplyView> views = wire.taken(2, Output.ApplyView.class);
        assertEquals(0, views.getFirst().view().ownedCount(3), "the first view after the pause owns nothing");
        assertTrue(views.getFirst().view().vips().isEmpty());
        assertTrue(wire.hosts.get(2).status().fenced());
        wire.flush();
        wire.run(3 * TestClusters.PERIOD_MS);
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
        assertEquals(20, wire.owned(2, WEB));
    }

    @Test
    void shouldMoveNothingWhenPausedShorterThanDetection() {
        threeConverged();
        final long epoch = wire.hosts.get(0).view().epoch();
        wire.silent.add(2);
        wire.run(DETECTION_MS - 2 * TestClusters.PERIOD_MS);
        wire.silent.remove(2);
        wire.run(2 * TestClusters.PERIOD_MS);
        assertEquals(epoch, wire.hosts.get(0).view().epoch());
        assertEquals(20, wire.owned(2, WEB));
    }

    @Test
    void shouldIgnoreEveryCommandButResumeWhenSuspended() {
        threeConverged();
        final HostMachine host = wire.hosts.get(2);
        assertTrue(host.suspend(wire.nowMs));
        assertFalse(host.start(wire.nowMs));
        assertFalse(host.stop(wire.nowMs));
        assertFalse(host.drainstop(wire.nowMs, 1000));
        assertEquals(HostState.SUSPENDED, host.status().state());
        wire.flush();
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1));
        assertTrue(host.resume(wire.nowMs));
        assertEquals(HostState.STOPPED, host.status().state());
        assertTrue(host.start(wire.nowMs));
        wire.flush();
        wire.run(3 * TestClusters.PERIOD_MS);
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
    }

    @Test
    void shouldDrainWithoutNewConnectionsThenStopAtTimeout() {
        threeConverged();
        final HostMachine host = wire.hosts.get(2);
        host.drainstop(wire.nowMs, 300);
        wire.flush();
        assertEquals(RuleState.DRAINING, wire.applied.get(2).rules().get(WEB).state());
        assertEquals(List.of(TestClusters.VIP), wire.applied.get(2).vips(), "keeps answering for its connections");
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1), "the others take new connections at once");
        wire.run(310);
        assertEquals(HostState.STOPPED, host.status().state());
        assertTrue(wire.applied.get(2).vips().isEmpty());
    }

    @Test
    void shouldStopDrainingWhenLastConnectionEnds() {
        threeConverged();
        final HostMachine host = wire.hosts.get(2);
        host.drainstop(wire.nowMs, 60_000);
        host.connectionsDrained(wire.nowMs);
        assertEquals(HostState.STOPPED, host.status().state());
    }

    @Test
    void shouldStopClaimingAtOnceWhenDataplaneDiesAndRejoinWhenBack() {
        threeConverged();
        wire.hosts.get(2).dataplaneDown(wire.nowMs);
        wire.flush();
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1));
        wire.hosts.get(2).dataplaneUp(wire.nowMs, 7);
        wire.flush();
        assertTrue(wire.applied.get(2).dataplaneEpoch() > 7, "continues above the epoch the dataplane reports");
        wire.run(3 * TestClusters.PERIOD_MS);
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
    }

    @Test
    void shouldMergeSplitBrainAboveBothEpochsAndReannounce() {
        threeConverged();
        wire.split(Set.of(2));
        wire.run(DETECTION_MS + 3 * TestClusters.PERIOD_MS);
        assertEquals(BUCKETS, wire.owned(2, WEB), "a cut-off host takes every bucket, as NLB does");
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1));
        final long highest = Math.max(wire.hosts.get(0).view().epoch(), wire.hosts.get(2).view().epoch());
        wire.taken(0, Output.AnnounceVip.class);
        wire.cuts.clear();
        wire.run(3 * TestClusters.PERIOD_MS);
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
        assertTrue(wire.hosts.get(0).view().epoch() > highest);
        assertTrue(wire.hosts.get(0).view().healed());
        assertEquals(List.of(new Output.AnnounceVip(TestClusters.VIP)), wire.taken(0, Output.AnnounceVip.class),
            "the winner re-announces though it kept the VIP");
    }

    @Test
    void shouldExportStickyClientsOfMovedBucketsToTheirNewOwner() {
        wire.add(config, 1, 1);
        wire.run(DETECTION_MS + TestClusters.PERIOD_MS);
        wire.taken(0, Output.ExportStickyClients.class);
        wire.add(config, 2, 1);
        wire.run(3 * TestClusters.PERIOD_MS);
        final List<Output.ExportStickyClients> exports = wire.taken(0, Output.ExportStickyClients.class);
        assertEquals(1, exports.size());
        assertEquals(TestClusters.WEB.key(), exports.getFirst().rule());
        assertEquals(2, exports.getFirst().toHostId());
        assertEquals(30, exports.getFirst().buckets().cardinality());
    }

    @Test
    void shouldLeaveAdoptedDataplaneForwardingWhenLbdRestartsWithinDetection() {
        threeConverged();
        wire.silent.add(2);
        wire.run(DETECTION_MS / 2);
        wire.silent.remove(2);
        wire.restart(2, config, 2, true);
        for (int step = 0; step < (DETECTION_MS + 5 * TestClusters.PERIOD_MS) / Wire.TICK_MS; step++) {
            wire.run(Wire.TICK_MS);
            assertEquals(20, wire.owned(2, WEB), "host 3 keeps its buckets at " + wire.nowMs + " ms");
            assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2), "every bucket once at " + wire.nowMs + " ms");
        }
        assertTrue(wire.hosts.get(2).status().converged(), "the new run converged");
        assertEquals(2, wire.hosts.get(2).view().members().stream()
            .filter(m -> m.hostId() == 3).findFirst().orElseThrow().incarnation());
    }

    @Test
    void shouldWithdrawRestartedLbdsDataplaneWhileListeningWhenNotForwarding() {
        threeConverged();
        wire.silent.add(2);
        wire.run(DETECTION_MS / 2);
        wire.silent.remove(2);
        wire.restart(2, config, 2, false);
        assertEquals(0, wire.owned(2, WEB), "a dataplane without a view of its own is given nothing while listening");
        wire.run(DETECTION_MS + 5 * TestClusters.PERIOD_MS);
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
    }

    @Test
    void shouldRejoinAtOnceWhenClusterMovedOnWhileLbdWasDown() {
        threeConverged();
        wire.silent.add(2);
        wire.run(DETECTION_MS + 3 * TestClusters.PERIOD_MS);
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1), "the others took host 3's buckets");
        wire.silent.remove(2);
        wire.restart(2, config, 2, true);
        wire.run(TestClusters.PERIOD_MS);
        assertTrue(wire.hosts.get(2).status().converged(), "the leader takes the new run in at once");
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
        assertEquals(20, wire.owned(2, WEB));
    }

    @Test
    void shouldKeepMovedBucketsDirtyInTheViewsThatFollow() {
        threeConverged();
        final int[] before = wire.applied.get(0).rules().get(WEB).owners().clone();
        wire.silent.add(2);
        wire.run(DETECTION_MS + 3 * TestClusters.PERIOD_MS);
        final lb.control.convergence.RuleView gained = wire.applied.get(0).rules().get(WEB);
        final List<Integer> taken = new java.util.ArrayList<>();
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            if (before[bucket] == 3 && gained.owners()[bucket] == 1) {
                taken.add(bucket);
            }
        }
        assertFalse(taken.isEmpty(), "host 1 took some of host 3's buckets");
        taken.forEach(b -> assertTrue(gained.dirty().contains(b), "bucket " + b + " dirty where it moved"));
        wire.hosts.get(1).drainstop(wire.nowMs, 60_000);
        wire.run(3 * TestClusters.PERIOD_MS);
        final lb.control.convergence.RuleView later = wire.applied.get(0).rules().get(WEB);
        assertTrue(later != gained && wire.owned(0, WEB) == BUCKETS, "host 1 took host 2's buckets in a later view");
        taken.forEach(b -> assertTrue(later.dirty().contains(b), "bucket " + b + " still dirty a view later"));
    }
}
