package lb.control.lbd;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import lb.control.lbd.FakeDataplane.AnnounceVip;
import lb.control.lbd.FakeDataplane.ApplyView;
import lb.control.lbd.FakeDataplane.Request;
import lb.control.lbd.FakeDataplane.Rule;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.sbe.AnnounceVipDecoder;
import lb.dataplane.api.sbe.ApplyConfigDecoder;
import lb.dataplane.api.sbe.ApplyViewDecoder;
import lb.dataplane.api.sbe.RuleState;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.file.ClusterFileLoader;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One host of a one-host cluster as lbd runs it, on real time: its own media driver for the management network and a
 * {@link FakeDataplane} (answering OK, a status a second). The host listens for the detection time, owning nothing,
 * then owns every bucket and announces its VIPs; status.json says so.
 */
class ClusterNodeTest {
    private static final long INCARNATION = 5_000;
    private static final long DETECTION_MS = 100 * 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private MediaDriver driver;
    private Aeron aeron;
    private FakeDataplane fake;
    private ClusterNode node;
    private ClusterConfig config;

    @BeforeEach
    void start() throws IOException {
        final Path file = dir.resolve("cluster.yaml");
        // Port 443 is listed first but indexed after port 80 (canonical order); 80 drains, which the view says.
        Files.writeString(file, """
            cluster:
              name: node
              secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
              buckets: 16
              heartbeat: {period: 100ms, loss-tolerance: 5}
            vips: [10.0.0.100, "2001:db8::100"]
            port-rules:
              - {ports: 443, protocol: tcp}
              - {ports: 80, protocol: tcp, state: draining}
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:%d"}
            """.formatted(freePort()));
        config = ClusterFileLoader.loadForHost(file, 1);
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(dir.resolve("lbd").toString())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .termBufferSparseFile(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        fake = new FakeDataplane(dir.resolve("dataplane")).statusEvery(1_000);
        node = new ClusterNode(config, 1, INCARNATION, aeron, fake.aeronDir(), dir.resolve("status.json"),
            line -> log.add(line));
    }

    @AfterEach
    void close() {
        CloseHelper.closeAll(node, fake, aeron, driver);
    }

    @Test
    void shouldListenOwningNothingThenServeEveryBucketAndAnnounceTheVips() throws IOException {
        node.start(System.currentTimeMillis());
        pump("the config", () -> !fake.requests().isEmpty());
        pump("a view", () -> !fake.requests(ApplyViewDecoder.TEMPLATE_ID).isEmpty());
        final long listeningFrom = System.currentTimeMillis();
        pump("the VIPs announced", () -> fake.requests(AnnounceVipDecoder.TEMPLATE_ID).size() == 2);
        final long servingAfter = System.currentTimeMillis() - listeningFrom;

        final List<Request> requests = fake.requests();
        assertEquals(List.of(ApplyConfigDecoder.TEMPLATE_ID, ApplyViewDecoder.TEMPLATE_ID,
            ApplyViewDecoder.TEMPLATE_ID, AnnounceVipDecoder.TEMPLATE_ID, AnnounceVipDecoder.TEMPLATE_ID),
            requests.stream().map(Request::templateId).toList(), log::toString);
        assertTrue(requests.stream().allMatch(r -> r.incarnation() == INCARNATION));

        final ApplyView listening = requests.get(1).as(ApplyView.class);
        final ApplyView serving = requests.get(2).as(ApplyView.class);
        assertTrue(listening.viewEpoch() > 0 && serving.viewEpoch() > listening.viewEpoch());
        for (final ApplyView view : List.of(listening, serving)) {
            assertEquals(1, view.hostId());
            assertEquals(16, view.bucketCount());
            assertEquals(config.fingerprint().sha256Hex(), java.util.HexFormat.of().formatHex(view.fingerprint()));
            assertEquals(List.of(0, 1, 2), view.rules().stream().map(Rule::ruleIndex).sorted().toList());
            assertEquals(RuleState.DRAINING, rule(view, 0).state(), "port 80 is canonical rule 0");
            assertEquals(RuleState.ENABLED, rule(view, 1).state(), "port 443 is canonical rule 1");
            assertEquals(RuleState.ENABLED, rule(view, 2).state(), "the default rule is last");
        }
        for (final Rule rule : listening.rules()) {
            assertTrue(Arrays.stream(rule.owners()).allMatch(owner -> owner == ControlProtocol.NO_HOST),
                "listening owns nothing: " + Arrays.toString(rule.owners()));
        }
        assertEquals(List.of(), listening.vips());
        for (final Rule rule : serving.rules()) {
            assertTrue(Arrays.stream(rule.owners()).allMatch(owner -> owner == 1),
                "serving owns every bucket: " + Arrays.toString(rule.owners()));
        }
        final List<IpAddress> vips = List.of(IpAddress.parse("10.0.0.100"), IpAddress.parse("2001:db8::100"));
        assertEquals(vips, serving.vips());
        assertEquals(vips, requests.subList(3, 5).stream().map(r -> r.as(AnnounceVip.class).vip()).toList());
        assertEquals(config.parameters().gratuitousArp().count(), requests.get(3).as(AnnounceVip.class).count());
        // Listening lasts the detection time (heartbeat period x loss tolerance) from the dataplane's readiness.
        assertTrue(servingAfter >= DETECTION_MS - 100 && servingAfter < DETECTION_MS + 5_000,
            "served after " + servingAfter + " ms");

        pump("status.json converged", () -> {
            final JsonNode status = readStatus();
            return status != null && status.path("converged").asBoolean() &&
                status.path("appliedView").path("acked").asBoolean();
        });
        final JsonNode status = readStatus();
        assertEquals("serving", status.path("mode").asText(), status::toPrettyString);
        assertTrue(status.path("converged").asBoolean());
        assertEquals(1, status.path("hostId").asInt());
        assertTrue(status.path("dataplane").path("ready").asBoolean());
        assertEquals(fake.pid(), status.path("dataplane").path("pid").asLong());
        assertEquals(serving.viewEpoch(), status.path("appliedView").path("dataplaneEpoch").asLong());
    }

    /** lbd restarted (fail-static): the dataplane forwards by an earlier lbd's view, left alone while listening. */
    @Test
    void shouldKeepTheViewOfAnEarlierLbdWhileListening() {
        fake.appliedViewEpoch(7).controlIncarnation(INCARNATION - 1);
        node.start(System.currentTimeMillis());
        pump("the config", () -> !fake.requests().isEmpty());
        final long readyFrom = System.currentTimeMillis();
        pump("a view", () -> !fake.requests(ApplyViewDecoder.TEMPLATE_ID).isEmpty());
        final long viewAfter = System.currentTimeMillis() - readyFrom;
        pump("the VIPs announced", () -> fake.requests(AnnounceVipDecoder.TEMPLATE_ID).size() == 2);

        assertEquals(List.of(ApplyConfigDecoder.TEMPLATE_ID, ApplyViewDecoder.TEMPLATE_ID,
            AnnounceVipDecoder.TEMPLATE_ID, AnnounceVipDecoder.TEMPLATE_ID),
            fake.requests().stream().map(Request::templateId).toList(), log::toString);
        final ApplyView serving = fake.requests().get(1).as(ApplyView.class);
        assertTrue(serving.viewEpoch() > 7, "above the adopted epoch: " + serving.viewEpoch());
        for (final Rule rule : serving.rules()) {
            assertTrue(Arrays.stream(rule.owners()).allMatch(owner -> owner == 1), Arrays.toString(rule.owners()));
        }
        assertTrue(viewAfter >= DETECTION_MS - 100, "the adopted view stayed while listening; replaced after " +
            viewAfter + " ms");
        assertTrue(log.stream().anyMatch(line -> line.contains("forwarding by an earlier lbd's view")), log::toString);
    }

    private static Rule rule(final ApplyView view, final int index) {
        return view.rules().stream().filter(r -> r.ruleIndex() == index).findFirst().orElseThrow();
    }

    private JsonNode readStatus() {
        try {
            final Path file = dir.resolve("status.json");
            return Files.exists(file) ? JSON.readTree(file.toFile()) : null;
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private void pump(final String what, final BooleanSupplier until) {
        final long deadline = System.nanoTime() + 3_000_000_000L;
        while (!until.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what + "; log " + log);
            }
            final long now = System.currentTimeMillis();
            if (node.doWork(now) + fake.doWork(now) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    private static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
