package lb.control.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import lb.control.convergence.ServingMode;
import lb.control.membership.HostState;
import lb.control.sim.TestClusters;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.ClusterParameters;
import lb.dataplane.config.ConfigValidator;
import lb.dataplane.config.Heartbeat;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    // Config changes (docs/membership.md, "Config changes").

    private static final int DNS = 1;
    private static final int HTTPS = 2;

    private ClusterConfig changed(final List<IpAddress> vips, final List<PortRule> rules,
        final List<ClusterMember> members, final ClusterParameters parameters) {
        return ConfigValidator.requireValid(new ClusterConfig(parameters, vips, rules, members), "changed");
    }

    private ClusterConfig withHttps() {
        final List<PortRule> rules = new ArrayList<>(config.portRules());
        rules.add(TestClusters.HTTPS);
        return changed(config.vips(), rules, config.members(), config.parameters());
    }

    private void store(final int index, final ClusterConfig next) {
        wire.hosts.get(index).configStored(wire.nowMs, next);
        wire.flush();
    }

    private void assertNoRefusals() {
        for (int i = 0; i < wire.hosts.size(); i++) {
            assertEquals(List.of(), wire.hosts.get(i).status().refusals(), "host " + (i + 1) + " refuses nobody");
        }
    }

    @Test
    void shouldSwitchToAnAddedRuleOnlyOnceEveryHostStoredItInOneView() {
        threeConverged();
        final ClusterConfig next = withHttps();
        final long epoch = wire.hosts.getFirst().view().epoch();
        final int[][] web = new int[3][];
        for (int i = 0; i < 3; i++) {
            web[i] = wire.applied.get(i).rules().get(WEB).owners();
            wire.taken(i, Output.class);
        }
        // Stored at different times, the leader (host 1) first and host 2 last: nobody switches until all have it.
        for (final int index : new int[] {0, 2}) {
            store(index, next);
            wire.run(3 * TestClusters.PERIOD_MS);
            assertNoRefusals();
            assertEquals(epoch, wire.hosts.getFirst().view().epoch(), "no switch before every host stored it");
            for (int i = 0; i < 3; i++) {
                assertEquals(config, wire.hosts.get(i).config());
                assertTrue(wire.hosts.get(i).status().converged());
            }
        }
        store(1, next);
        wire.run(3 * TestClusters.PERIOD_MS);
        assertNoRefusals();
        for (int i = 0; i < 3; i++) {
            final HostMachine host = wire.hosts.get(i);
            assertEquals(next, host.config(), "host " + (i + 1) + " runs the new config");
            assertTrue(host.status().converged());
            assertEquals(epoch + 1, host.view().epoch(), "exactly one view for the new config");
            assertEquals(next.fingerprint(), host.view().config());
            final List<Output> outputs = new ArrayList<>(wire.outputs.get(i));
            final List<Output> applies = outputs.stream()
                .filter(o -> o instanceof Output.ApplyConfig || o instanceof Output.ApplyView).toList();
            // One ApplyConfig, then the view: first without the buckets this host gains (release before take: a host
            // still on the old config could take the new rule's traffic by the default rule) until every host holds
            // the new view, then with them.
            assertTrue(applies.size() == 2 || applies.size() == 3, "one ApplyConfig, then one or two ApplyView: " +
                applies);
            assertEquals(new Output.ApplyConfig(next), applies.get(0));
            final var view = ((Output.ApplyView)applies.getLast()).view();
            if (applies.size() == 3) {
                final var withheld = ((Output.ApplyView)applies.get(1)).view();
                assertEquals(next.fingerprint(), withheld.config());
                for (int bucket = 0; bucket < BUCKETS; bucket++) {
                    assertFalse(withheld.owns(i + 1, HTTPS, bucket), "the new rule's bucket " + bucket + " waits");
                }
            }
            assertEquals(next.fingerprint(), view.config());
            assertEquals(TestClusters.HTTPS, view.rules().get(HTTPS).rule());
            assertEquals(BUCKETS, view.rules().get(HTTPS).dirty().cardinality(), "a new rule is all dirty");
            org.junit.jupiter.api.Assertions.assertArrayEquals(web[i], view.rules().get(WEB).owners());
        }
        assertEquals(BUCKETS, wire.ownedOnce(HTTPS, 0, 1, 2));
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
    }

    @Test
    void shouldNeverLetTwoDataplanesTakeOneBucketWhileBucketsMoveGracefully() {
        threeConverged();
        wire.neverTwoTakers = true;
        // A weight change that gives the leader (host 1, which computes the view and applies it first) more buckets.
        final List<ClusterMember> members = new ArrayList<>(config.members());
        members.set(0, members.get(0).withLoadWeight(TestClusters.WEB.key(), LoadWeight.of(100)));
        final ClusterConfig heavier = changed(config.vips(), config.portRules(), members, config.parameters());
        for (int i = 0; i < 3; i++) {
            store(i, heavier);
        }
        wire.run(3 * TestClusters.PERIOD_MS);
        assertEquals(30, wire.owned(0, WEB), "weights 100:50:50");
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
        // A drainstop, then the host starting again.
        wire.hosts.get(2).drainstop(wire.nowMs, 60_000);
        wire.run(3 * TestClusters.PERIOD_MS);
        assertEquals(0, wire.owned(2, WEB));
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1));
        wire.hosts.get(2).start(wire.nowMs);
        wire.run(DETECTION_MS + 3 * TestClusters.PERIOD_MS);
        assertEquals(15, wire.owned(2, WEB), "back in");
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
    }

    @Test
    void shouldMoveOnlyWhatAWeightChangeMust() {
        threeConverged();
        final List<ClusterMember> members = new ArrayList<>(config.members());
        members.set(2, members.get(2).withLoadWeight(TestClusters.WEB.key(), LoadWeight.of(100)));
        final ClusterConfig next = changed(config.vips(), config.portRules(), members, config.parameters());
        final int[] before = wire.applied.get(0).rules().get(WEB).owners();
        final int[] dnsBefore = wire.applied.get(0).rules().get(DNS).owners();
        for (int i = 0; i < 3; i++) {
            store(i, next);
        }
        wire.run(3 * TestClusters.PERIOD_MS);
        final int[] after = wire.applied.get(0).rules().get(WEB).owners();
        int moved = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            if (before[bucket] != after[bucket]) {
                moved++;
                assertEquals(3, after[bucket], "a bucket moved elsewhere than to the heavier host");
            }
        }
        assertEquals(30, wire.owned(2, WEB), "weights 50:50:100");
        assertEquals(10, moved, "only the heavier host's gain moved");
        org.junit.jupiter.api.Assertions.assertArrayEquals(dnsBefore, wire.applied.get(0).rules().get(DNS).owners());
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
    }

    @Test
    void shouldGiveTheBucketsOfARuleWhoseServiceFailsOnAHostToTheOthersAndBackWhenHealthy() {
        threeConverged();
        final int[] before = wire.applied.get(0).rules().get(WEB).owners().clone();
        final int[] dnsBefore = wire.applied.get(0).rules().get(DNS).owners().clone();
        final HostMachine two = wire.hosts.get(1);
        two.ruleHealth(wire.nowMs, TestClusters.WEB.key(), false);
        wire.run(3 * TestClusters.PERIOD_MS);
        final int[] unhealthy = wire.applied.get(0).rules().get(WEB).owners();
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            assertNotEquals(2, unhealthy[bucket], "host 2 takes no new connection of the rule");
            if (before[bucket] != 2) {
                assertEquals(before[bucket], unhealthy[bucket], "bucket " + bucket + " was not host 2's: it stays");
            }
        }
        assertEquals(0, wire.owned(1, WEB));
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
        org.junit.jupiter.api.Assertions.assertArrayEquals(dnsBefore, wire.applied.get(1).rules().get(DNS).owners(),
            "its other rules are untouched");
        assertTrue(wire.applied.get(1).rules().get(WEB).dirty().cardinality() > 0 ||
            wire.applied.get(0).rules().get(WEB).dirty().cardinality() > 0, "the moved buckets are dirty: tracked " +
            "connections carry on where they are");
        assertEquals(ServingMode.SERVING, two.status().mode(), "it serves its other rules");

        two.ruleHealth(wire.nowMs, TestClusters.WEB.key(), true);
        wire.run(3 * TestClusters.PERIOD_MS);
        assertEquals(BUCKETS / 3, wire.owned(1, WEB), "healthy again: its share back");
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
    }

    @Test
    void shouldKeepEveryHostOnARuleWhoseServiceFailsEverywhere() {
        threeConverged();
        for (int i = 0; i < 3; i++) {
            wire.hosts.get(i).ruleHealth(wire.nowMs, TestClusters.WEB.key(), false);
        }
        wire.run(3 * TestClusters.PERIOD_MS);
        for (int i = 0; i < 3; i++) {
            assertEquals(BUCKETS / 3, wire.owned(i, WEB), "fail open: host " + (i + 1) + " keeps its share");
        }
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
    }

    @Test
    void shouldKeepAFollowerLackingTheConfigWithdrawnUntilItGetsIt() {
        threeConverged();
        // Host 3 still hears the others but they stop hearing it: they drop it, then switch without it.
        wire.cuts.add(List.of(2, 0));
        wire.cuts.add(List.of(2, 1));
        wire.run(DETECTION_MS + 2 * TestClusters.PERIOD_MS);
        final ClusterConfig next = withHttps();
        store(0, next);
        store(1, next);
        wire.run(3 * TestClusters.PERIOD_MS);
        assertEquals(next, wire.hosts.get(0).config());
        assertEquals(next, wire.hosts.get(1).config());
        wire.cuts.clear();
        wire.run(DETECTION_MS + 3 * TestClusters.PERIOD_MS);
        final HostMachine lagging = wire.hosts.get(2);
        assertEquals(config, lagging.config());
        assertEquals(ServingMode.WITHDRAWN, lagging.status().mode(), "it follows a leader whose view it cannot hold");
        assertEquals(1, lagging.status().leaderId());
        assertEquals(0, wire.owned(2, WEB));
        assertTrue(wire.applied.get(2).vips().isEmpty());
        assertEquals(BUCKETS, wire.ownedOnce(HTTPS, 0, 1));
        assertEquals(BUCKETS, wire.ownedOnce(WEB, 0, 1, 2));
        store(2, next);
        wire.run(3 * TestClusters.PERIOD_MS);
        assertEquals(next, lagging.config());
        assertEquals(ServingMode.SERVING, lagging.status().mode());
        assertTrue(lagging.status().converged());
        assertEquals(20, wire.owned(2, HTTPS));
        assertEquals(BUCKETS, wire.ownedOnce(HTTPS, 0, 1, 2));
        assertNoRefusals();
    }

    @Test
    void shouldWithdrawARemovedVipBeforeTheViewOfTheNewConfig() {
        threeConverged();
        final ClusterConfig next = changed(List.of(TestClusters.SECOND_VIP), config.portRules(), config.members(),
            config.parameters());
        for (int i = 0; i < 3; i++) {
            wire.taken(i, Output.class);
        }
        for (int i = 0; i < 3; i++) {
            store(i, next);
        }
        wire.run(TestClusters.PERIOD_MS);
        for (int i = 0; i < 3; i++) {
            final List<Output> outputs = wire.outputs.get(i).stream().filter(o -> o instanceof Output.WithdrawVip ||
                o instanceof Output.ApplyConfig || o instanceof Output.ApplyView || o instanceof Output.AnnounceVip)
                .toList();
            assertEquals(List.of(new Output.WithdrawVip(TestClusters.VIP), new Output.ApplyConfig(next)),
                outputs.subList(0, 2), "host " + (i + 1));
            assertTrue(outputs.get(2) instanceof Output.ApplyView);
            assertEquals(new Output.AnnounceVip(TestClusters.SECOND_VIP), outputs.get(3));
            assertEquals(List.of(TestClusters.SECOND_VIP), wire.applied.get(i).vips());
        }
    }

    @Test
    void shouldApplyANewHeartbeatPeriodFromTheSwitchOn() {
        threeConverged();
        final ClusterParameters slower = new ClusterParameters(config.parameters().name(),
            config.parameters().bucketCount(), config.parameters().secret(), config.parameters().mode(),
            new Heartbeat(Duration.ofMillis(2 * TestClusters.PERIOD_MS), TestClusters.LOSS_TOLERANCE),
            config.parameters().gratuitousArp(), config.parameters().ipv6NetworkPrefix(),
            config.parameters().maxHosts(), config.parameters().maxPortRules(), config.parameters().udpFlowTimeout());
        final ClusterConfig next = changed(config.vips(), config.portRules(), config.members(), slower);
        store(0, next);
        store(1, next);
        wire.run(TestClusters.PERIOD_MS);
        wire.taken(2, Output.class);
        wire.run(1000);
        assertEquals(10, wire.taken(2, Output.SendHeartbeat.class).size(), "the old period until the switch");
        assertEquals(DETECTION_MS, wire.hosts.get(2).detectionMs());
        store(2, next);
        wire.run(TestClusters.PERIOD_MS);
        assertEquals(next, wire.hosts.get(2).config());
        assertEquals(2 * DETECTION_MS, wire.hosts.get(2).detectionMs());
        wire.taken(2, Output.class);
        wire.run(1000);
        assertEquals(5, wire.taken(2, Output.SendHeartbeat.class).size(), "the new period from the switch on");
        assertTrue(wire.hosts.get(2).status().converged());
    }
}
