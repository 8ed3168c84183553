package lb.dataplane.conductor;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import lb.dataplane.api.Addresses;
import lb.dataplane.api.BucketBitmaps;
import lb.dataplane.api.ClientEntries;
import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.DataplaneControlProxy;
import lb.dataplane.api.DataplaneEventsAdapter;
import lb.dataplane.api.DataplaneEventsListener;
import lb.dataplane.api.IpcFixture;
import lb.dataplane.api.MessageScreen;
import lb.dataplane.api.Offers;
import lb.dataplane.api.StatusReport;
import lb.dataplane.api.ViewSource;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.DataplaneStatusDecoder;
import lb.dataplane.api.sbe.DropClientsEncoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.MessageHeaderEncoder;
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
import lb.dataplane.table.EntryMeta;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.table.TableResult;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewHolder;
import org.agrona.concurrent.UnsafeBuffer;
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
    private IpcFixture.Stream requests;
    private DataplaneControlProxy lbd;
    private DataplaneEventsAdapter answers;
    private final List<String> acks = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private final StatusReport lastStatus = new StatusReport();
    private final List<StickyClient> exported = new ArrayList<>();
    private final List<String> pages = new ArrayList<>();
    private final List<String> listed = new ArrayList<>();
    private final List<String> explained = new ArrayList<>();
    private final List<String> captured = new ArrayList<>();
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
        requests = ipc.stream(ControlChannels.channel(), ControlChannels.controlStreamId());
        final IpcFixture.Stream events = ipc.stream(ControlChannels.channel(), ControlChannels.eventsStreamId());
        lbd = new DataplaneControlProxy(requests.publication(), 7);
        answers = new DataplaneEventsAdapter(events.subscription(), new DataplaneEventsListener() {
            @Override
            public void onAck(final long correlationId, final long incarnation, final AckStatus status,
                final String detail) {
                acks.add(correlationId + " " + status);
                details.add(detail);
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
                lastStatus.decode(status);
            }

            @Override
            public void onStickyClientPage(final lb.dataplane.api.sbe.StickyClientPageDecoder page) {
                pages.add(page.nextSlot() + "/" + page.tableSlots());
                for (final lb.dataplane.api.sbe.StickyClientPageDecoder.EntriesDecoder e : page.entries()) {
                    listed.add(e.ruleIndex() + " " + new IpAddress(Addresses.high(e.client()),
                        Addresses.low(e.client())) + " " + (e.foreign() == lb.dataplane.api.sbe.BooleanType.TRUE ?
                        "foreign of " : "own of ") + e.ownerHostId() + " bucket " + e.bucket() + " expires " +
                        e.expiresInMs());
                }
            }

            @Override
            public void onExplanation(final lb.dataplane.api.sbe.ExplanationDecoder explanation) {
                final int stickyOwner = explanation.stickyOwner();
                explanation.skipFiltering();
                explanation.skipConnectionState();
                explained.add(stickyOwner + " " + explanation.startVerdict());
            }

            @Override
            public void onCapturedFrames(final lb.dataplane.api.sbe.CapturedFramesDecoder message) {
                for (final lb.dataplane.api.sbe.CapturedFramesDecoder.FramesDecoder frame : message.frames()) {
                    final int rule = frame.ruleIndex();
                    final int length = frame.originalLength();
                    captured.add(frame.verdict() + " rule " + rule + " " + length + " bytes " + frame.bytesLength());
                    frame.skipBytes();
                }
                if (message.last() == lb.dataplane.api.sbe.BooleanType.TRUE) {
                    captured.add("end: " + message.endReason());
                }
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

    @Test
    void shouldDropOnlyOwnClaimsOfTheRuleInTheBuckets() {
        final IpAddress inBucket = IpAddress.parse("198.51.100.0");
        final IpAddress otherBucket = IpAddress.parse("198.51.101.0");
        final IpAddress foreignInBucket = IpAddress.parse("198.51.102.0");
        final IpAddress v6InBucket = IpAddress.parse("2001:db8:5::");
        own(RULE_443, inBucket, 3);
        own(RULE_443, otherBucket, 4);
        foreign(RULE_443, foreignInBucket, 2, 3);
        own(RULE_443, v6InBucket, 59);
        own(RULE_80, inBucket, 3);
        final UnsafeBuffer buckets = new UnsafeBuffer(new byte[BucketBitmaps.byteLength(60)]);
        BucketBitmaps.set(buckets, 0, 3);
        BucketBitmaps.set(buckets, 0, 59);

        send(() -> lbd.dropClaims(1, RULE_443, buckets, 0, buckets.capacity()));
        pollUntil(() -> acks.size() == 1);

        assertEquals(List.of("1 OK"), acks);
        assertEquals("none", entry(RULE_443, inBucket));
        assertEquals("none", entry(RULE_443, v6InBucket));
        assertEquals("own", entry(RULE_443, otherBucket), "a bucket not in the bitmap");
        assertEquals("foreign of 2", entry(RULE_443, foreignInBucket), "another host's client stays left to it");
        assertEquals("own", entry(RULE_80, inBucket), "another rule");
    }

    @Test
    void shouldDropOnlyTheOwnEntriesOfTheListedClients() {
        final IpAddress listed = IpAddress.parse("198.51.100.0");
        final IpAddress listedV6 = IpAddress.parse("2001:db8:5::");
        final IpAddress listedForeign = IpAddress.parse("198.51.102.0");
        final IpAddress unlisted = IpAddress.parse("198.51.101.0");
        own(RULE_443, listed, 3);
        own(RULE_443, listedV6, 4);
        foreign(RULE_443, listedForeign, 2, 3);
        own(RULE_443, unlisted, 3);
        own(RULE_80, listed, 3);
        final List<IpAddress> clients = List.of(listed, listedForeign, listedV6, IpAddress.parse("192.0.2.0"));

        send(() -> lbd.dropClients(1, RULE_443, clients, 0, clients.size()));
        pollUntil(() -> acks.size() == 1);

        assertEquals(List.of("1 OK"), acks);
        assertEquals("none", entry(RULE_443, listed));
        assertEquals("none", entry(RULE_443, listedV6));
        assertEquals("foreign of 2", entry(RULE_443, listedForeign), "a foreign entry of a listed client stays");
        assertEquals("own", entry(RULE_443, unlisted));
        assertEquals("own", entry(RULE_80, listed), "the same client in another rule");
    }

    @Test
    void shouldReleaseTheForeignEntriesOfOneOwnerInEveryRule() {
        final IpAddress a = IpAddress.parse("198.51.100.0");
        final IpAddress b = IpAddress.parse("198.51.101.0");
        final IpAddress c = IpAddress.parse("2001:db8:5::");
        foreign(RULE_443, a, 2, 3);
        foreign(RULE_80, a, 2, 3);
        foreign(RULE_443, c, 2, 7);
        foreign(RULE_443, b, 3, 3);
        own(RULE_80, b, 3);

        send(() -> lbd.releaseForeign(1, 2));
        pollUntil(() -> acks.size() == 1);

        assertEquals(List.of("1 OK"), acks);
        assertEquals("none", entry(RULE_443, a));
        assertEquals("none", entry(RULE_80, a));
        assertEquals("none", entry(RULE_443, c));
        assertEquals("foreign of 3", entry(RULE_443, b), "another owner's client");
        assertEquals("own", entry(RULE_80, b));

        send(() -> lbd.releaseForeign(2, HOST));
        pollUntil(() -> acks.size() == 2);
        assertEquals("2 OK", acks.get(1));
        assertEquals("own", entry(RULE_80, b), "own entries are this host's, not foreign ones it holds for itself");
    }

    @Test
    void shouldRejectUnknownRulesMalformedBitmapsInconsistentClientsAndHostZeroChangingNothing() {
        final IpAddress client = IpAddress.parse("198.51.100.0");
        own(RULE_443, client, 3);
        foreign(RULE_80, client, 0, 3);
        final UnsafeBuffer bucket3 = new UnsafeBuffer(new byte[BucketBitmaps.byteLength(60)]);
        BucketBitmaps.set(bucket3, 0, 3);
        final UnsafeBuffer tooLong = new UnsafeBuffer(new byte[BucketBitmaps.byteLength(60) + 1]);
        BucketBitmaps.set(tooLong, 0, 3);
        final UnsafeBuffer pastTheEnd = new UnsafeBuffer(new byte[BucketBitmaps.byteLength(60)]);
        BucketBitmaps.set(pastTheEnd, 0, 3);
        BucketBitmaps.set(pastTheEnd, 0, 60);

        send(() -> lbd.dropClaims(1, 200, bucket3, 0, bucket3.capacity()));
        send(() -> lbd.dropClaims(2, RULE_443, tooLong, 0, tooLong.capacity()));
        send(() -> lbd.dropClaims(3, RULE_443, pastTheEnd, 0, pastTheEnd.capacity()));
        send(() -> lbd.dropClients(4, 200, List.of(client), 0, 1));
        send(() -> offerDropClients(5, RULE_443, client, IpVersion.V6));
        send(() -> lbd.releaseForeign(6, 0));
        pollUntil(() -> acks.size() == 6);

        assertEquals(List.of("1 REJECTED_INVALID", "2 REJECTED_INVALID", "3 REJECTED_INVALID", "4 REJECTED_INVALID",
            "5 REJECTED_INVALID", "6 REJECTED_INVALID"), acks);
        assertEquals("rule index 200 is not a rule of the applied view", details.get(0));
        assertEquals("buckets: a 9-byte bitmap does not fit 60 buckets (at most 8 bytes, no bit set at or past " +
            "bucket 60)", details.get(1));
        assertEquals("buckets: a 8-byte bitmap does not fit 60 buckets (at most 8 bytes, no bit set at or past " +
            "bucket 60)", details.get(2));
        assertEquals("rule index 200 is not a rule of the applied view", details.get(3));
        assertEquals("clients[1]: version V6 does not fit address 192.0.2.0 (V4 is held IPv4-mapped, " +
            "::ffff:a.b.c.d; V6 is any other)", details.get(4));
        assertEquals("ownerHostId must be a host id, 1-65535, not 0", details.get(5));
        assertEquals("own", entry(RULE_443, client), "a rejected request changes nothing");
        assertEquals("foreign of 0", entry(RULE_80, client), "a rejected request changes nothing");
    }

    @Test
    void shouldRejectSelectiveDropsFromAStaleIncarnationBeforeLookingAtThem() {
        final IpAddress client = IpAddress.parse("198.51.100.0");
        own(RULE_443, client, 3);
        foreign(RULE_80, client, 2, 3);
        send(() -> lbd.flush(1, false, false, ControlProtocol.ALL_RULES));
        pollUntil(() -> acks.size() == 1);
        final DataplaneControlProxy stale = new DataplaneControlProxy(requests.publication(), 6);
        final UnsafeBuffer bucket3 = new UnsafeBuffer(new byte[BucketBitmaps.byteLength(60)]);
        BucketBitmaps.set(bucket3, 0, 3);

        send(() -> stale.dropClaims(2, RULE_443, bucket3, 0, bucket3.capacity()));
        send(() -> stale.dropClients(3, RULE_443, List.of(client), 0, 1));
        send(() -> stale.releaseForeign(4, 0));
        pollUntil(() -> acks.size() == 4);

        assertEquals(List.of("1 OK", "2 REJECTED_STALE_INCARNATION", "3 REJECTED_STALE_INCARNATION",
            "4 REJECTED_STALE_INCARNATION"), acks);
        assertEquals("incarnation 6 is older than 7", details.get(3));
        assertEquals("own", entry(RULE_443, client));
        assertEquals("foreign of 2", entry(RULE_80, client));
    }

    @Test
    void shouldReportTheConnectionTablesLiveEntriesAsTrackedConnections() {
        pollUntil(() -> lastStatus.pid() != 0);
        assertEquals(0, lastStatus.trackedConnections());
        for (int port = 40000; port < 40003; port++) {
            connections.insert(6, 4, 0, Addresses.ipv4MappedLow(0xc633_6407), port, VIP4.hi(), VIP4.lo(), 80, HOST,
                5, 0, EntryMeta.SYN_SEEN, now);
        }
        affinity.insert(0, 4, 0, Addresses.ipv4MappedLow(0xc633_6407), HOST, 5, now);
        connections.sweep(now, connections.capacity());
        affinity.sweep(now, affinity.capacity());

        now += 1000;
        pollUntil(() -> lastStatus.trackedConnections() != 0);

        assertEquals(3, lastStatus.trackedConnections(), "the connection table's entries, not the affinity table's");
    }

    /** A DropClients of one valid client and then {@code client} claimed to be of {@code version}. */
    private long offerDropClients(final long correlationId, final int ruleIndex, final IpAddress client,
        final IpVersion version) {
        final UnsafeBuffer raw = new UnsafeBuffer(new byte[256]);
        final DropClientsEncoder encoder = new DropClientsEncoder()
            .wrapAndApplyHeader(raw, 0, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .incarnation(7)
            .ruleIndex(ruleIndex);
        final DropClientsEncoder.ClientsEncoder group = encoder.clientsCount(2);
        Addresses.put(group.next().client(), IpVersion.V4, client.hi(), client.lo());
        final IpAddress inconsistent = IpAddress.parse("192.0.2.0");
        Addresses.put(group.next().client(), version, inconsistent.hi(), inconsistent.lo());
        return requests.publication().offer(raw, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    @Test
    void shouldPageThroughTheAffinityTableWithOwnAndForeignClientsTheirOwnerAndExpiry() {
        final IpAddress a = IpAddress.parse("198.51.100.0");
        final IpAddress b = IpAddress.parse("198.51.101.0");
        final IpAddress c = IpAddress.parse("2001:db8::7");
        own(RULE_443, a, 3);
        foreign(RULE_443, b, 2, 4);
        own(RULE_443, c, 5);
        now += 60_000;
        long from = 0;
        for (int page = 1; page <= 10 && !pages.contains(affinity.capacity() + "/" + affinity.capacity()); page++) {
            final long start = from;
            send(() -> lbd.listStickyClients(100 + start, ControlProtocol.ALL_RULES, start, 2, null));
            final int before = pages.size();
            pollUntil(() -> pages.size() > before);
            from = Long.parseLong(pages.getLast().split("/")[0]);
        }
        final long expires = affinity.ruleTimeoutTicks(views.current().slot(RULE_443)) - 60_000;
        assertEquals(java.util.Set.of(RULE_443 + " 198.51.100.0 own of " + HOST + " bucket 3 expires " + expires,
            RULE_443 + " 198.51.101.0 foreign of 2 bucket 4 expires " + expires,
            RULE_443 + " 2001:db8::7 own of " + HOST + " bucket 5 expires " + expires),
            new java.util.HashSet<>(listed), "each client once, over pages of at most 2");
        assertEquals(3, listed.size());

        listed.clear();
        send(() -> lbd.listStickyClients(200, RULE_443, 0, 100, IpAddress.parse("198.51.101.77")));
        pollUntil(() -> !listed.isEmpty());
        assertEquals(List.of(RULE_443 + " 198.51.101.0 foreign of 2 bucket 4 expires " + expires), listed,
            "the client is masked by the rule's network affinity");

        send(() -> lbd.listStickyClients(201, 77, 0, 100, null));
        pollUntil(() -> acks.contains("201 REJECTED_INVALID"));
    }

    @Test
    void shouldFlushOneClientsOwnAndForeignEntriesAndLeaveTheOthers() {
        final IpAddress a = IpAddress.parse("198.51.100.0");
        final IpAddress b = IpAddress.parse("198.51.101.0");
        own(RULE_443, a, 3);
        foreign(RULE_443, b, 2, 4);
        send(() -> lbd.flushClient(1, ControlProtocol.ALL_RULES, IpAddress.parse("198.51.101.9")));
        pollUntil(() -> acks.size() == 1);
        assertEquals(List.of("1 OK"), acks);
        assertEquals("none", entry(RULE_443, b));
        assertEquals("own", entry(RULE_443, a));
        send(() -> lbd.flushClient(2, RULE_443, a));
        pollUntil(() -> acks.size() == 2);
        assertEquals("none", entry(RULE_443, a));
    }

    @Test
    void shouldExplainFromTheLiveTablesWithoutChangingThem() {
        final int client = ownedClient(views.current());
        foreign(RULE_443, IpAddress.ofIpv4(client & 0xFFFF_FF00), 2, 1);
        send(() -> lbd.explain(1, 6, IpAddress.ofIpv4(client), 50000, VIP4, 443));
        pollUntil(() -> !explained.isEmpty());
        assertEquals(List.of("2 sticky_elsewhere"), explained);
        assertEquals("foreign of 2", entry(RULE_443, IpAddress.ofIpv4(client & 0xFFFF_FF00)));
        send(() -> lbd.explain(2, 1, IpAddress.ofIpv4(client), 0, VIP4, 0));
        pollUntil(() -> acks.contains("2 REJECTED_INVALID"));
    }

    @Test
    void shouldCaptureTheFramesTheWorkersHandOverUntilTheCountAndThenDisarmThem() {
        assertEquals(null, views.capture(), "no capture: the workers read null");
        send(() -> lbd.startCapture(1, ControlProtocol.ALL_RULES, lb.dataplane.api.sbe.CaptureVerdicts.ACCEPTED,
            2, 128, 60_000));
        pollUntil(() -> acks.contains("1 OK"));
        final lb.dataplane.worker.CaptureTap tap = views.capture();
        assertTrue(tap != null);
        send(() -> lbd.startCapture(2, ControlProtocol.ALL_RULES, lb.dataplane.api.sbe.CaptureVerdicts.ALL, 2, 128,
            60_000));
        pollUntil(() -> acks.contains("2 REJECTED_BUSY"));

        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            final MemorySegment frame = arena.allocate(200);
            final int slot = views.current().slot(RULE_443);
            tap.commit(0, tap.claim(0, frame.address(), 200), Verdict.DROP_NOT_OWNER, slot, 3);
            tap.commit(0, tap.claim(0, frame.address(), 200), Verdict.ACCEPT, slot, 4);
            tap.commit(0, tap.claim(0, frame.address(), 60), Verdict.ACCEPT, slot, 5);
            tap.commit(0, tap.claim(0, frame.address(), 60), Verdict.ACCEPT, slot, 6);
        }
        pollUntil(() -> captured.stream().anyMatch(line -> line.startsWith("end: ")));
        assertEquals(List.of("accept rule " + RULE_443 + " 200 bytes 128", "accept rule " + RULE_443 + " 60 bytes 60",
            "end: 2 frames captured"), captured, "the drop is not wanted; the count ends it; snap length 128");
        assertEquals(null, views.capture(), "the workers are disarmed");
    }

    private void own(final int ruleIndex, final IpAddress client, final int bucket) {
        assertTrue(TableResult.isCreated(affinity.insert(views.current().slot(ruleIndex), client.isIpv4() ? 4 : 6,
            client.hi(), client.lo(), HOST, bucket, now)));
    }

    private void foreign(final int ruleIndex, final IpAddress client, final int owner, final int bucket) {
        assertTrue(affinity.installForeign(views.current().slot(ruleIndex), client.isIpv4() ? 4 : 6, client.hi(),
            client.lo(), owner, bucket, now) >= 0);
    }

    /** What the affinity table holds for a client of a rule: "none", "own" or "foreign of N". */
    private String entry(final int ruleIndex, final IpAddress client) {
        final long meta = affinity.meta(affinity.lookup(views.current().slot(ruleIndex), client.isIpv4() ? 4 : 6,
            client.hi(), client.lo()));
        return meta < 0 ? "none" : EntryMeta.isForeign(meta) ? "foreign of " + EntryMeta.owner(meta) : "own";
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
