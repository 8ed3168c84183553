package lb.control.lbd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import lb.control.lbd.FakeDataplane.Chunk;
import lb.control.lbd.FakeDataplane.Entry;
import lb.control.lbd.FakeDataplane.ExportAnswer;
import lb.dataplane.api.BucketBitmaps;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.sbe.AckStatus;
import lb.dataplane.api.sbe.ApplyConfigDecoder;
import lb.dataplane.api.sbe.ExportStickyClientsDecoder;
import lb.dataplane.api.sbe.ReleaseForeignDecoder;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.file.ClusterFileWriter;
import lb.dataplane.testkit.TestConfigs;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DataplaneLink} against a {@link FakeDataplane} over real Aeron IPC: when the dataplane is ready and lost,
 * how requests and exports go out and come back. The link runs on a clock of the test's (its timeouts); Aeron on
 * real time. The test drives both sides, alternately, on its own thread.
 */
class DataplaneLinkTest {
    private static final long LBD = 5_000;
    private static final long PUMP_TIMEOUT_NS = 2_000_000_000L;
    private static final ClusterConfig CONFIG = TestConfigs.config(1, TestConfigs.rule("all:443/tcp"),
        TestConfigs.rule("all:80/tcp"));
    private static final int RELEASE = ReleaseForeignDecoder.TEMPLATE_ID;
    private static final int EXPORT = ExportStickyClientsDecoder.TEMPLATE_ID;
    private static final int CONFIG_TEMPLATE = ApplyConfigDecoder.TEMPLATE_ID;

    @TempDir
    Path dir;

    private final List<String> events = new ArrayList<>();
    private final List<Exported> exported = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private long now = 1_000_000;
    private FakeDataplane fake;
    private DataplaneLink link;

    private record Exported(Object tag, List<DataplaneLink.ExportedClient> clients) {
    }

    @AfterEach
    void close() {
        CloseHelper.closeAll(link, fake);
    }

    @ParameterizedTest(name = "view epoch {0}, following lbd {1}: forwarding {2}")
    @CsvSource({"7, 4999, true", "7, 5000, false", "0, 4999, false", "0, 0, false"})
    void shouldBeReadyOnlyOnceTheDataplaneTookTheConfig(final long viewEpoch, final long following,
        final boolean forwarding) {
        fake = new FakeDataplane(dir.resolve("dataplane")).appliedViewEpoch(viewEpoch).controlIncarnation(following);
        fake.scriptAcks(CONFIG_TEMPLATE, (AckStatus)null);
        link = link();
        join();
        assertTrue(fake.sendStatus());
        pump("the config", () -> !fake.requests().isEmpty());
        settle();

        assertEquals(1, fake.requests().size(), "the config goes once, first");
        final FakeDataplane.Request config = fake.requests().getFirst();
        assertEquals(CONFIG_TEMPLATE, config.templateId());
        assertEquals(LBD, config.incarnation());
        assertArrayEquals(HexFormat.of().parseHex(CONFIG.fingerprint().sha256Hex()),
            config.as(FakeDataplane.ApplyConfig.class).fingerprint());
        assertEquals(ClusterFileWriter.write(CONFIG), config.as(FakeDataplane.ApplyConfig.class).config());
        assertFalse(link.isReady());
        assertEquals(List.of(), events);

        fake.ack(config, AckStatus.OK);
        pump("ready", link::isReady);
        assertEquals(List.of(ready(viewEpoch, forwarding)), events);
    }

    @Test
    void shouldNotBeReadyWhenTheDataplaneRefusesTheConfig() {
        fake = new FakeDataplane(dir.resolve("dataplane"));
        fake.scriptAcks(CONFIG_TEMPLATE, AckStatus.REJECTED_INVALID);
        link = link();
        join();
        assertTrue(fake.sendStatus());
        pump("the config", () -> !fake.requests().isEmpty());
        settle();
        assertFalse(link.isReady());
        assertEquals(List.of(), events);
        assertTrue(log.stream().anyMatch(line -> line.contains("refused config")), log.toString());
    }

    @Test
    void shouldDropRequestsUntilReadyThenSendInOrderAndCallBackOnOkOnly() {
        fake = new FakeDataplane(dir.resolve("dataplane"));
        fake.scriptAcks(CONFIG_TEMPLATE, (AckStatus)null);
        link = link();
        link.submit("before joining", release(101));
        join();
        link.submit("before any status", release(102));
        assertTrue(fake.sendStatus());
        pump("the config", () -> !fake.requests().isEmpty());
        link.submit("while configuring", release(103));
        settle();
        fake.ack(fake.requests().getFirst(), AckStatus.OK);
        pump("ready", link::isReady);

        fake.scriptAcks(RELEASE, AckStatus.OK, AckStatus.REJECTED_INVALID, AckStatus.OK);
        final List<Integer> acked = new ArrayList<>();
        for (int host = 1; host <= 3; host++) {
            final int id = host;
            link.submit("ReleaseForeign " + host, release(host), ackedMs -> acked.add(id));
        }
        pump("three answers", () -> acked.size() == 2 && link.requestsRefused() == 1);
        settle();

        assertEquals(List.of(1, 2, 3), releasedHosts(), "nothing submitted before ready, the rest in order");
        assertEquals(List.of(1, 3), acked, "called back on OK only");
        assertEquals(3, link.requestsSent());
        assertEquals(List.of(ready(0, false)), events, "a rejection of another kind does not lose the dataplane");
        assertEquals(3, fake.requests(RELEASE).stream().mapToLong(FakeDataplane.Request::correlationId).distinct()
            .count());
    }

    @ParameterizedTest
    @EnumSource(value = AckStatus.class, names = {"REJECTED_NO_CONFIG", "REJECTED_FINGERPRINT_MISMATCH"})
    void shouldSendTheConfigAgainWhenTheDataplaneLostIt(final AckStatus rejection) {
        fake = new FakeDataplane(dir.resolve("dataplane"));
        link = link();
        ready();
        fake.scriptAcks(RELEASE, rejection);
        link.submit("ReleaseForeign 1", release(1));
        pump("ready again", () -> events.size() == 3);

        assertEquals(List.of(ready(0, false), "lost", ready(0, false)), events);
        final List<FakeDataplane.Request> configs = fake.requests(CONFIG_TEMPLATE);
        assertEquals(2, configs.size());
        assertNotEquals(configs.get(0).correlationId(), configs.get(1).correlationId());
        assertEquals(List.of(CONFIG_TEMPLATE, RELEASE, CONFIG_TEMPLATE),
            fake.requests().stream().map(FakeDataplane.Request::templateId).toList());

        final List<Integer> acked = new ArrayList<>();
        link.submit("ReleaseForeign 2", release(2), ackedMs -> acked.add(2));
        pump("the next request acked", () -> acked.size() == 1);
        assertEquals(List.of(1, 2), releasedHosts());
    }

    @Test
    void shouldConfigureAgainADataplaneThatReportsAnotherConfig() {
        fake = new FakeDataplane(dir.resolve("dataplane"));
        link = link();
        ready();
        // Another lbd's config (all zeros would be a dataplane that applied no view yet, which is not astray).
        final byte[] another = new byte[ControlProtocol.FINGERPRINT_LENGTH];
        java.util.Arrays.fill(another, (byte)7);
        fake.appliedFingerprint(another);
        assertTrue(fake.sendStatus());
        pump("ready again", () -> events.size() == 3);
        assertEquals(List.of(ready(0, false), "lost", ready(0, false)), events);
        assertEquals(2, fake.requests(CONFIG_TEMPLATE).size(), "lbd's config sent again");
    }

    @Test
    void shouldConfigureARestartedDataplaneAgain() {
        fake = new FakeDataplane(dir.resolve("dataplane")).incarnation(1_000).pid(111);
        link = link();
        ready();
        assertEquals(111, link.dataplanePid());

        fake.incarnation(2_000).pid(222).controlIncarnation(0).appliedViewEpoch(0);
        assertTrue(fake.sendStatus());
        pump("ready again", () -> events.size() == 3);

        assertEquals(List.of(ready(0, false), "lost", ready(0, false)), events);
        assertEquals(222, link.dataplanePid());
        assertEquals(2, fake.requests(CONFIG_TEMPLATE).size());
    }

    @Test
    void shouldLoseADataplaneThatSendsNoStatusAndTakeItBackWhenItAnswers() {
        fake = new FakeDataplane(dir.resolve("dataplane"));
        link = link();
        ready();
        final long lastStatus = now;

        now = lastStatus + DataplaneLink.STATUS_TIMEOUT_MS - 1;
        link.doWork(now);
        assertTrue(link.isReady());
        now = lastStatus + DataplaneLink.STATUS_TIMEOUT_MS;
        link.doWork(now);
        assertFalse(link.isReady());
        assertEquals(List.of(ready(0, false), "lost"), events);
        assertTrue(log.stream().anyMatch(line -> line.contains("sent no status")), log.toString());

        // The config goes again at once, but the dataplane is ready only once it answers again.
        pump("the config again", () -> fake.requests(CONFIG_TEMPLATE).size() == 2);
        settle();
        assertFalse(link.isReady());
        link.submit("while lost", release(9));

        assertTrue(fake.sendStatus());
        pump("ready again", link::isReady);
        assertEquals(List.of(ready(0, false), "lost", ready(0, false)), events);
        settle();
        assertEquals(List.of(), releasedHosts());
    }

    @Test
    void shouldJoinTheDriverAgainAfterADisconnect() {
        fake = new FakeDataplane(dir.resolve("dataplane"));
        link = link();
        ready();
        link.disconnect();
        assertFalse(link.connected());
        assertFalse(link.isReady());
        assertEquals(-1, link.dataplanePid());
        assertEquals(List.of(ready(0, false), "lost"), events);

        now += 1_000;
        pump("joined again", link::connected);
        // A status the new subscription misses is lost, as a real dataplane's would be: offer until one is heard.
        pump("a status heard", () -> fake.sendStatus() && link.dataplanePid() == fake.pid());
        pump("ready again", link::isReady);
        assertEquals(List.of(ready(0, false), "lost", ready(0, false)), events);
        assertEquals(2, fake.requests(CONFIG_TEMPLATE).size());
    }

    @Test
    void shouldRunOneExportAtATimeAndAssembleItsChunks() {
        fake = new FakeDataplane(dir.resolve("dataplane"));
        link = link();
        ready();
        fake.scriptExport(ExportAnswer.never());
        link.export(new DataplaneLink.Export(0, bitmap(0, 3), "first"));
        link.export(new DataplaneLink.Export(1, bitmap(5), "second"));
        pump("the first export", () -> !fake.requests(EXPORT).isEmpty());
        settle();
        assertEquals(1, fake.requests(EXPORT).size(), "one export at a time");
        final FakeDataplane.Request first = fake.requests(EXPORT).getFirst();
        assertEquals(0, first.as(FakeDataplane.Export.class).ruleIndex());
        assertArrayEquals(bitmap(0, 3), first.as(FakeDataplane.Export.class).buckets());

        final List<Entry> clients = IntStream.range(0, 5)
            .mapToObj(i -> new Entry(IpAddress.parse("198.51.100." + i), 60_000 + i, 1)).toList();
        fake.answerExport(first, ExportAnswer.chunked(clients, 2));
        pump("both exports", () -> exported.size() == 2);

        assertEquals(3, ExportAnswer.chunked(clients, 2).chunks().size());
        assertEquals(new Exported("first", clients.stream()
            .map(e -> new DataplaneLink.ExportedClient(e.client(), e.expiresInMs())).toList()), exported.get(0));
        assertEquals(new Exported("second", List.of()), exported.get(1));
        assertEquals(1, fake.requests(EXPORT).get(1).as(FakeDataplane.Export.class).ruleIndex());
    }

    @Test
    void shouldRetryAnExportTheDataplaneIsTooBusyFor() {
        fake = new FakeDataplane(dir.resolve("dataplane"));
        link = link();
        ready();
        fake.scriptExport(ExportAnswer.refused(AckStatus.REJECTED_BUSY),
            ExportAnswer.of(new Chunk(0, true, List.of(new Entry(IpAddress.parse("198.51.100.7"), 1_000, 1)))));
        link.export(new DataplaneLink.Export(1, bitmap(2), "busy"));
        pump("the export", () -> !fake.requests(EXPORT).isEmpty());
        final long refusedAt = now;
        settle();
        assertEquals(1, fake.requests(EXPORT).size(), "not again on the next cycles");
        now = refusedAt + DataplaneLink.EXPORT_RETRY_MS - 1;
        settle();
        assertEquals(1, fake.requests(EXPORT).size(), "not again before the retry time");
        now = refusedAt + DataplaneLink.EXPORT_RETRY_MS;
        pump("the export", () -> exported.size() == 1);

        final List<FakeDataplane.Request> exports = fake.requests(EXPORT);
        assertEquals(2, exports.size());
        assertArrayEquals(bitmap(2), exports.get(1).as(FakeDataplane.Export.class).buckets());
        assertEquals(new Exported("busy", List.of(new DataplaneLink.ExportedClient(IpAddress.parse("198.51.100.7"),
            1_000))), exported.getFirst());
        assertEquals(List.of(ready(0, false)), events);
    }

    @Test
    void shouldGiveUpAnExportWhoseChunksComeOutOfOrder() {
        fake = new FakeDataplane(dir.resolve("dataplane"));
        link = link();
        ready();
        final Entry client = new Entry(IpAddress.parse("198.51.100.1"), 1_000, 1);
        fake.scriptExport(ExportAnswer.of(new Chunk(0, false, List.of(client)), new Chunk(2, true, List.of(client))));
        link.export(new DataplaneLink.Export(0, bitmap(1), "skipped a chunk"));
        link.export(new DataplaneLink.Export(0, bitmap(2), "next"));
        pump("the next export", () -> exported.size() == 1);

        assertEquals(new Exported("next", List.of()), exported.getFirst());
        assertEquals(2, fake.requests(EXPORT).size());
        assertTrue(log.stream().anyMatch(line -> line.contains("chunk 2 came for 1")), log.toString());
    }

    @Test
    void shouldGiveUpAnExportWithoutALastChunkAfterTheTimeout() {
        fake = new FakeDataplane(dir.resolve("dataplane"));
        link = link();
        ready();
        fake.scriptExport(ExportAnswer.of(new Chunk(0, false, List.of(new Entry(IpAddress.parse("198.51.100.1"),
            1_000, 1)))));
        link.export(new DataplaneLink.Export(0, bitmap(1), "unfinished"));
        link.export(new DataplaneLink.Export(0, bitmap(2), "next"));
        pump("the first export", () -> !fake.requests(EXPORT).isEmpty());
        final long started = now;

        // Statuses keep coming meanwhile: only the export times out.
        while (now < started + DataplaneLink.EXPORT_TIMEOUT_MS) {
            now = Math.min(now + 1_000, started + DataplaneLink.EXPORT_TIMEOUT_MS);
            assertTrue(fake.sendStatus());
            settle();
        }
        assertEquals(1, fake.requests(EXPORT).size(), "the export still runs at its timeout");
        now++;
        pump("the next export", () -> exported.size() == 1);

        assertEquals(new Exported("next", List.of()), exported.getFirst());
        assertEquals(List.of(ready(0, false)), events);
        assertTrue(log.stream().anyMatch(line -> line.contains("had no last chunk")), log.toString());
    }

    @Test
    void shouldOfferTheConfigAgainUntilTheDataplaneSubscribes() {
        fake = new FakeDataplane(dir.resolve("dataplane"), false, 0);
        link = link();
        join();
        assertTrue(fake.sendStatus());
        settle();
        assertEquals(fake.pid(), link.dataplanePid(), "the status came, so the config was offered");
        assertFalse(link.isReady());

        fake.subscribe();
        pump("ready", link::isReady);
        assertEquals(1, fake.requests(CONFIG_TEMPLATE).size());
    }

    @Test
    void shouldKeepRequestsInOrderThroughBackPressure() {
        fake = new FakeDataplane(dir.resolve("dataplane"), true, 64 * 1024);
        link = link();
        ready();
        fake.pause(true);
        final int count = 3_000;
        for (int host = 1; host <= count; host++) {
            link.submit("ReleaseForeign " + host, release(host));
        }
        for (int cycle = 0; cycle < 200; cycle++) {
            link.doWork(now);
        }
        final long sentWhilePaused = link.requestsSent();
        assertTrue(sentWhilePaused > 0 && sentWhilePaused < count, "back pressure after " + sentWhilePaused);

        fake.pause(false);
        pump("every request", () -> fake.requests(RELEASE).size() == count);
        assertEquals(IntStream.rangeClosed(1, count).boxed().toList(), releasedHosts());
        assertEquals(count, link.requestsSent());
    }

    private DataplaneLink link() {
        return new DataplaneLink(fake.aeronDir(), LBD, CONFIG, log::add, new DataplaneLink.Events() {
            @Override
            public void onDataplaneReady(final long nowMs, final long appliedViewEpoch, final boolean forwarding) {
                events.add(ready(appliedViewEpoch, forwarding));
            }

            @Override
            public void onDataplaneLost(final long nowMs) {
                events.add("lost");
            }

            @Override
            public void onExported(final long nowMs, final DataplaneLink.Export export,
                final List<DataplaneLink.ExportedClient> clients) {
                exported.add(new Exported(export.tag(), clients));
            }
        });
    }

    private static String ready(final long viewEpoch, final boolean forwarding) {
        return "ready at view epoch " + viewEpoch + (forwarding ? ", forwarding" : "");
    }

    /** The link joins the fake's driver and subscribes to its events. */
    private void join() {
        pump("the link joins the dataplane's driver", () -> link.connected() && fake.eventsConnected());
    }

    /** Joins, and a status makes the fake (answering OK) configured and the link ready. */
    private void ready() {
        join();
        assertTrue(fake.sendStatus());
        pump("ready", link::isReady);
    }

    /** Runs both sides until the condition holds, failing after a (real) while. */
    private void pump(final String what, final BooleanSupplier until) {
        final long deadline = System.nanoTime() + PUMP_TIMEOUT_NS;
        while (!until.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what + "; log " + log + ", events " + events);
            }
            if (link.doWork(now) + fake.doWork(now) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /** Runs both sides a little, for what must not happen. */
    private void settle() {
        final long until = System.nanoTime() + 30_000_000L;
        pump("nothing", () -> System.nanoTime() - until > 0);
    }

    private List<Integer> releasedHosts() {
        return fake.requests(RELEASE).stream().map(r -> r.as(FakeDataplane.ReleaseForeign.class).ownerHostId())
            .toList();
    }

    private static DataplaneLink.Request release(final int hostId) {
        return (proxy, correlationId) -> proxy.releaseForeign(correlationId, hostId);
    }

    private static byte[] bitmap(final int... buckets) {
        final byte[] bytes = new byte[BucketBitmaps.byteLength(CONFIG.parameters().bucketCount())];
        for (final int bucket : buckets) {
            BucketBitmaps.set(new UnsafeBuffer(bytes), 0, bucket);
        }
        return bytes;
    }
}
