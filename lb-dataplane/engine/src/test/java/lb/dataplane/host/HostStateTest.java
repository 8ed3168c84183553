package lb.dataplane.host;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;
import lb.dataplane.config.file.ClusterFileParser;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.RuleSlots;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's one owner of view state: rule slots that survive config changes, removed rules' entries flushed only
 * once no worker can still add any, the epoch counter, and refusals that change nothing.
 */
class HostStateTest {
    private static final String HEAD = """
        cluster: {name: slots, secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", buckets: 8}
        vips: [10.0.0.100]
        hosts:
          - {id: 1, priority: 1}
        port-rules:
        """;
    private static final String RULE_80 = "  - {vip: all, ports: 80, protocol: tcp, affinity: single, extended-affinity: 10m}\n";
    private static final String RULE_443 = "  - {vip: all, ports: 443, protocol: tcp, affinity: single, extended-affinity: 20m}\n";
    private static final String RULE_25 = "  - {vip: all, ports: 25, protocol: tcp}\n";
    private static final int CLIENT = 0x0A_01_02_03;

    private final ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 10));
    private final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 10));
    private final AtomicCounter epochCounter = new AtomicCounter(new UnsafeBuffer(ByteBuffer.allocateDirect(128)), 0);
    private final HostState host = new HostState(1, 0x02_00_00_00_00_01L, 1, connections, affinity, epochCounter);

    @AfterEach
    void close() {
        connections.close();
        affinity.close();
    }

    @Test
    void shouldOwnNothingAndAnswerForNoVipBeforeTheFirstView() {
        final DataplaneView view = host.views().current();
        assertEquals(0, view.epoch());
        assertEquals(0, view.vipCount());
        assertTrue(host.config().isEmpty());
        assertEquals(-1, host.slot(0));
    }

    @Test
    void shouldKeepARulesSlotAndItsStickyClientsWhenARuleIsAddedBeforeIt() {
        apply(HEAD + RULE_80 + RULE_443, 1);
        final int slot443 = host.slot(1);
        affinity.insert(slot443, 4, 0, CLIENT, 1, 3, 0);

        apply(HEAD + RULE_25 + RULE_443 + RULE_80, 2);
        final DataplaneView view = host.views().current();
        assertEquals(2, view.ruleIndex(slot443), "all:25 sorts first, so 443's index moved from 1 to 2");
        assertEquals(slot443, host.slot(2), "its slot did not");
        assertTrue(affinity.lookup(slot443, 4, 0, CLIENT) >= 0, "nor did its sticky client");
        assertEquals(20 * 60_000, affinity.ruleTimeoutTicks(slot443));
    }

    @Test
    void shouldFlushARemovedRulesEntriesOnlyOnceEveryWorkerUsesTheViewWithoutIt() {
        apply(HEAD + RULE_80 + RULE_443, 1);
        final int slot443 = host.slot(1);
        affinity.insert(slot443, 4, 0, CLIENT, 1, 3, 0);

        final long version = apply(HEAD + RULE_80 + RULE_25, 2);
        host.doWork();
        assertTrue(affinity.lookup(slot443, 4, 0, CLIENT) >= 0, "a worker may still be deciding with the old view");
        assertFalse(host.views().current().ruleIndex(slot443) >= 0);
        assertTrue(host.slot(0) != slot443 && host.slot(1) != slot443, "the new rule does not inherit the slot");

        host.views().observe(0, version);
        assertEquals(1, host.doWork());
        assertTrue(affinity.lookup(slot443, 4, 0, CLIENT) < 0, "flushed once no worker can insert for it");
        assertEquals(0, affinity.ruleTimeoutTicks(slot443));

        apply(HEAD + RULE_80 + RULE_25 + RULE_443, 3);
        assertEquals(slot443, host.slot(2), "a freed slot is given again, empty");
    }

    @Test
    void shouldPublishTheAppliedEpochToItsCounter() {
        apply(HEAD + RULE_80, 1);
        assertEquals(1, epochCounter.get());
        apply(HEAD + RULE_80, 7);
        assertEquals(7, epochCounter.get());
    }

    @Test
    void shouldChangeNothingWhenAViewIsRefused() {
        apply(HEAD + RULE_80, 3);
        final DataplaneView before = host.views().current();
        final ClusterConfig config = parse(HEAD + RULE_80);
        final String fingerprint = config.fingerprint().sha256Hex();
        final HostStateException stale = assertThrows(HostStateException.class, () -> host.applyView(3, fingerprint,
            ownership(config), List.of(RuleState.ENABLED), Set.of()));
        assertEquals(HostStateException.Reason.STALE_EPOCH, stale.reason());
        final HostStateException foreignVip = assertThrows(HostStateException.class, () -> host.applyView(4,
            fingerprint, ownership(config), List.of(RuleState.ENABLED), Set.of(IpAddress.parse("10.9.9.9"))));
        assertEquals(HostStateException.Reason.INVALID, foreignVip.reason());
        assertTrue(foreignVip.getMessage().contains("10.9.9.9"), foreignVip.getMessage());
        final HostStateException unknown = assertThrows(HostStateException.class, () -> host.applyView(4,
            "00".repeat(32), ownership(config), List.of(RuleState.ENABLED), Set.of()));
        assertEquals(HostStateException.Reason.FINGERPRINT_MISMATCH, unknown.reason());
        assertEquals(before, host.views().current());
        assertEquals(3, epochCounter.get());
    }

    @Test
    void shouldRefuseAConfigThisHostIsNotAMemberOf() {
        final ClusterConfig config = parse(HEAD.replace("{id: 1, priority: 1}", "{id: 2, priority: 1}") + RULE_80);
        final HostStateException refused = assertThrows(HostStateException.class,
            () -> host.offerConfig(config, config.fingerprint().sha256Hex()));
        assertTrue(refused.getMessage().contains("host 1 is not a member"), refused.getMessage());
    }

    @Test
    void shouldKeepTheDefaultRuleInItsOwnSlot() {
        apply(HEAD + RULE_80 + RULE_443, 1);
        assertEquals(RuleSlots.DEFAULT_SLOT, host.slot(2));
        assertEquals(RuleSlots.DEFAULT_SLOT, host.views().current().ruleSlot(0, 6, 9999));
    }

    @Test
    void shouldSilenceAVipTheConfigDropsUntilAConfigHasItAgain() {
        final IpAddress removed = IpAddress.parse("10.0.0.100");
        final IpAddress kept = IpAddress.parse("10.0.0.101");
        final String two = HEAD.replace("vips: [10.0.0.100]", "vips: [10.0.0.100, 10.0.0.101]");
        final String one = HEAD.replace("vips: [10.0.0.100]", "vips: [10.0.0.101]");
        apply(two + RULE_80, 1);
        assertFalse(host.views().current().isRetiredVip(removed.hi(), removed.lo()));

        apply(one + RULE_80, 2);
        DataplaneView view = host.views().current();
        assertTrue(view.isRetiredVip(removed.hi(), removed.lo()), "removed: no frame may claim it");
        assertFalse(view.isRetiredVip(kept.hi(), kept.lo()));
        assertEquals(-1, view.vipIndex(removed.hi(), removed.lo()), "and it is no VIP of the view");
        apply(one + RULE_80 + RULE_25, 3);
        assertTrue(host.views().current().isRetiredVip(removed.hi(), removed.lo()), "later views keep it silent");
        assertEquals(List.of(removed), host.retiredVips());

        apply(two + RULE_80, 4);
        view = host.views().current();
        assertFalse(view.isRetiredVip(removed.hi(), removed.lo()), "added again: a VIP like any other");
        assertTrue(view.vipIndex(removed.hi(), removed.lo()) >= 0);
        assertEquals(List.of(), host.retiredVips());
    }

    private long apply(final String yaml, final long epoch) {
        final ClusterConfig config = parse(yaml);
        final String fingerprint = config.fingerprint().sha256Hex();
        host.offerConfig(config, fingerprint);
        return host.applyView(epoch, fingerprint, ownership(config),
            config.canonicalRules().stream().map(PortRule::state).toList(), Set.copyOf(config.vips()));
    }

    private static List<RuleOwnership> ownership(final ClusterConfig config) {
        return RuleOwnership.of(config, ClusterAssignment.compute(config, Set.of(1), ClusterAssignment.NONE),
            ClusterAssignment.NONE);
    }

    private static ClusterConfig parse(final String yaml) {
        return ClusterFileParser.parse(yaml, "test");
    }
}
