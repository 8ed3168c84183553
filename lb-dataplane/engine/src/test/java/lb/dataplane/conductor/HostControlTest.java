package lb.dataplane.conductor;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import lb.dataplane.api.Addresses;
import lb.dataplane.api.ClientEntries;
import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.DataplaneControlProxy;
import lb.dataplane.api.DataplaneEventsAdapter;
import lb.dataplane.api.DataplaneEventsListener;
import lb.dataplane.api.IpcFixture;
import lb.dataplane.api.MessageScreen;
import lb.dataplane.api.Offers;
import lb.dataplane.api.ViewSource;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.DataplaneStatusDecoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.RuleState;
import lb.dataplane.api.sbe.StickyClientsDecoder;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.control.ControlAdapter;
import lb.dataplane.config.RuleKey;
import lb.dataplane.control.DataplaneEventsProxy;
import lb.dataplane.host.HostState;
import lb.dataplane.host.StaticClusterFeed;
import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.packet.TestFrames;
import lb.dataplane.pipeline.Classifier;
import lb.dataplane.pipeline.PipelineFixtures;
import lb.dataplane.pipeline.Verdict;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conductor's control listener driven through real Aeron IPC by lbd's proxy, synchronously: the
 * test polls the conductor's duty cycle and plays the workers by recording the views they observe.
 */
class HostControlTest {
    private static final IpAddress VIP4 = IpAddress.parse("10.0.0.100");
    private static final int HOST = PipelineFixtures.HOST;
    private static final ClusterConfig CONFIG = PipelineFixtures.config();
    /** Rule indexes are canonical (by rule key), not the file's order: 443 is the file's second rule, index 2. */
    private static final int RULE_25 = CONFIG.ruleIndex(RuleKey.parse("all:25/tcp"));
    private static final int RULE_80 = CONFIG.ruleIndex(RuleKey.parse("all:80/tcp"));
    private static final int RULE_443 = CONFIG.ruleIndex(RuleKey.parse("all:443/tcp"));
    private static final int RULE_8443 = CONFIG.ruleIndex(RuleKey.parse("all:8443/tcp"));

    @TempDir
    Path dir;

    private IpcFixture ipc;
    private DataplaneControlProxy lbd;
    private DataplaneEventsAdapter answers;
    private final List<String> acks = new ArrayList<>();
    private final List<StickyClient> exported = new ArrayList<>();
    private final ConnectionTable connections = new ConnectionTable(new ConnectionTableContext().capacity(1 << 12));
    private final AffinityTable affinity = new AffinityTable(new AffinityTableContext().capacity(1 << 12));
    private final FragmentTable fragments = new FragmentTable(1 << 10, 1000);
    private final List<String> announced = new ArrayList<>();
    private ClusterConfig config;
    private ViewHolder views;
    private HostControl control;
    private long now = 1_000_000;

    private record StickyClient(long low, int owner, long expiresInMs) {
    }

    @BeforeEach
    void start() {
        ipc = new IpcFixture(dir);
        final IpcFixture.Stream requests = ipc.stream(ControlChannels.channel(), ControlChannels.controlStreamId());
        final IpcFixture.Stream events = ipc.stream(ControlChannels.channel(), ControlChannels.eventsStreamId());
        lbd = new DataplaneControlProxy(requests.publication(), 7);
        answers = new DataplaneEventsAdapter(events.subscription(), new DataplaneEventsListener() {
            @Override
            public void onAck(final long correlationId, final long incarnation, final AckStatus status,
                final String detail) {
                acks.add(correlationId + " " + status);
            }

            @Override
            public void onStickyClients(final StickyClientsDecoder chunk) {
                for (final StickyClientsDecoder.EntriesDecoder entry : chunk.entries()) {
                    exported.add(new StickyClient(Addresses.low(entry.client()), entry.ownerHostId(),
                        entry.expiresInMs()));
                }
            }

            @Override
            public void onDataplaneStatus(final DataplaneStatusDecoder status) {
            }
        }, new MessageScreen("test", ipc.counter("skipped events"), ipc.errorHandler()));

        config = CONFIG;
        final HostState host = new HostState(HOST, PipelineFixtures.NIC_MAC, 1, connections, affinity,
            ipc.counter("epoch"));
        StaticClusterFeed.apply(config, host);
        views = host.views();
        control = new HostControl(host, connections, affinity, new VipAnnouncer((view, vip) -> {
            announced.add(vip.toString());
            return 1;
        }), new DataplaneEventsProxy(events.publication(), 99), now, 1);
        control.adapter(new ControlAdapter(requests.subscription(), control,
            new MessageScreen("test control", ipc.counter("skipped"), ipc.errorHandler())));
    }

    @AfterEach
    void close() {
        ipc.close();
        connections.close();
        affinity.close();
        fragments.close();
    }

    @Test
    void shouldApplyANewViewAndAckItOnlyOnceTheWorkersUseIt() {
        final int[] owners = new int[60];
        java.util.Arrays.fill(owners, 2);
        owners[7] = HOST;
        send(() -> lbd.applyView(1, 5, fingerprint(), HOST, 60, new Source(owners, 7)));
        pollUntil(() -> views.current().epoch() == 5);

        final DataplaneView applied = views.current();
        final int slot = applied.slot(RULE_80);
        assertTrue(applied.owns(slot, 7));
        assertFalse(applied.owns(slot, 8));
        assertTrue(applied.isDirty(slot, 7));
        cycles(20);
        assertEquals(List.of(), acks, "acked before the worker observed the view");

        views.observe(0, applied.version());
        pollUntil(() -> acks.size() == 1);
        assertEquals(List.of("1 OK"), acks);
    }

    @Test
    void shouldRejectAStaleEpochAndAForeignFingerprint() {
        final int[] owners = new int[60];
        send(() -> lbd.applyView(1, 1, fingerprint(), HOST, 60, new Source(owners, -1)));
        pollUntil(() -> acks.size() == 1);
        final byte[] other = fingerprint();
        other[0] ^= 1;
        send(() -> lbd.applyView(2, 9, other, HOST, 60, new Source(owners, -1)));
        pollUntil(() -> acks.size() == 2);
        assertEquals(List.of("1 REJECTED_STALE_EPOCH", "2 REJECTED_FINGERPRINT_MISMATCH"), acks);
        assertEquals(1, views.current().epoch());
    }

    @Test
    void shouldStopAnsweringAndAnnouncingAWithdrawnVipBeforeAcking() {
        send(() -> lbd.announceVip(1, IpVersion.V4, VIP4.hi(), VIP4.lo(), 3, 1000));
        pollUntil(() -> acks.size() == 1 && announced.size() == 1);

        send(() -> lbd.withdrawVip(2, IpVersion.V4, VIP4.hi(), VIP4.lo()));
        pollUntil(() -> !views.current().mayAnswerFor(views.current().vipIndex(VIP4.hi(), VIP4.lo())));
        cycles(20);
        assertEquals(List.of("1 OK"), acks, "the withdrawal is acked only when no worker can still claim the VIP");
        views.observe(0, views.current().version());
        pollUntil(() -> acks.size() == 2);
        assertEquals("2 OK", acks.get(1));

        now += 10_000;
        cycles(20);
        assertEquals(1, announced.size(), "no announcement after the withdrawal");
        send(() -> lbd.announceVip(3, IpVersion.V4, VIP4.hi(), VIP4.lo(), 3, 1000));
        pollUntil(() -> acks.size() == 3);
        assertEquals("3 REJECTED_INVALID", acks.get(2));
    }

    @Test
    void shouldMakeAClientStickyElsewhereWithForeignEntriesAndExportItsOwn() {
        final DataplaneView view = views.current();
        final int client = ownedClient(view);
        final ClientEntries foreign = new ClientEntries(4);
        foreign.add(IpVersion.V4, 0, Addresses.ipv4MappedLow(client & 0xFFFF_FF00), 3, 600_000);
        send(() -> lbd.installForeignEntries(1, RULE_443, foreign, 0, 1));
        pollUntil(() -> acks.size() == 1);
        assertEquals("1 OK", acks.get(0));

        final Classifier classifier = new Classifier(connections, affinity, fragments);
        assertEquals(Verdict.name(Verdict.DROP_STICKY_ELSEWHERE),
            Verdict.name(classifier.classify(parse(TestFrames.tcp4(client, 40000, PipelineFixtures.VIP4, 443, 0x02)),
                view, now)));

        final int mine = ownedClient(view, TestFrames.ip4("203.0.113.0"));
        assertEquals(Verdict.name(Verdict.ACCEPT), Verdict.name(classifier.classify(
            parse(TestFrames.tcp4(mine, 40000, PipelineFixtures.VIP4, 443, 0x02)), view, now)));
        final int bucket = classifier.lastBucket();
        final org.agrona.concurrent.UnsafeBuffer buckets = new org.agrona.concurrent.UnsafeBuffer(new byte[8]);
        lb.dataplane.api.BucketBitmaps.set(buckets, 0, bucket);
        send(() -> lbd.exportStickyClients(2, RULE_443, buckets, 0, 8));
        pollUntil(() -> !exported.isEmpty());
        assertEquals(1, exported.size(), "only the host's own sticky client, not the foreign one");
        assertEquals(Addresses.ipv4MappedLow(mine & 0xFFFF_FF00), exported.get(0).low());
        assertEquals(HOST, exported.get(0).owner());
        assertTrue(exported.get(0).expiresInMs() > 14 * 60_000, "15 minutes less what passed");
    }

    private static int ownedClient(final DataplaneView view) {
        return ownedClient(view, TestFrames.ip4("198.51.100.0"));
    }

    /** A client of the /24s from {@code base} whose 443 bucket (network affinity) this host owns. */
    private static int ownedClient(final DataplaneView view, final int base) {
        for (int x = 0; x < 4096; x++) {
            final int client = base + (x << 8) + 7;
            final int bucket = lb.dataplane.hash.FlowHasher.bucket(view.hasher().hashIpv4(client, 0,
                view.affinity(view.slot(RULE_443))), view.bucketCount());
            if (view.owns(view.slot(RULE_443), bucket)) {
                return client;
            }
        }
        throw new IllegalStateException("no owned client");
    }

    private static ParsedPacket parse(final byte[] frame) {
        final ParsedPacket parsed = new ParsedPacket();
        new PacketParser().parse(MemorySegment.ofArray(frame), 0, frame.length, parsed);
        return parsed;
    }

    private byte[] fingerprint() {
        return HexFormat.of().parseHex(config.fingerprint().sha256Hex());
    }

    private void send(final java.util.function.LongSupplier request) {
        assertTrue(Offers.isSent(IpcFixture.sendDraining(request, () -> control.doWork(now))));
    }

    private void cycles(final int count) {
        for (int i = 0; i < count; i++) {
            control.doWork(now);
            answers.poll(10);
        }
    }

    private void pollUntil(final java.util.function.BooleanSupplier done) {
        IpcFixture.pollUntil("the dataplane's answer", done, () -> control.doWork(now) + answers.poll(10));
    }

    /** lbd's view: port 80 with the given owners and one dirty bucket, port 25 on nobody, 8443 disabled, every other
     * rule on host 1. */
    private final class Source implements ViewSource {
        private final int[] owners;
        private final int dirty;

        Source(final int[] owners, final int dirty) {
            this.owners = owners;
            this.dirty = dirty;
        }

        @Override
        public int ruleCount() {
            return config.portRules().size() + 1;
        }

        @Override
        public int ruleIndex(final int rule) {
            return rule;
        }

        @Override
        public RuleState ruleState(final int rule) {
            return rule == RULE_8443 ? RuleState.DISABLED : RuleState.ENABLED;
        }

        @Override
        public int owner(final int rule, final int bucket) {
            return rule == RULE_80 ? owners[bucket] : rule == RULE_25 ? 0 : HOST;
        }

        @Override
        public boolean isDirty(final int rule, final int bucket) {
            return rule == RULE_80 && bucket == dirty;
        }

        @Override
        public int vipCount() {
            return config.vips().size();
        }

        @Override
        public IpVersion vipVersion(final int vip) {
            return config.vips().get(vip).isIpv4() ? IpVersion.V4 : IpVersion.V6;
        }

        @Override
        public long vipHigh(final int vip) {
            return config.vips().get(vip).hi();
        }

        @Override
        public long vipLow(final int vip) {
            return config.vips().get(vip).lo();
        }
    }
}
