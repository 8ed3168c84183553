package lb.control.lbd;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import lb.control.affinity.ClientBuckets;
import lb.control.lbd.FakeDataplane.ApplyView;
import lb.control.lbd.FakeDataplane.Chunk;
import lb.control.lbd.FakeDataplane.DropClaims;
import lb.control.lbd.FakeDataplane.Entry;
import lb.control.lbd.FakeDataplane.Export;
import lb.control.lbd.FakeDataplane.ExportAnswer;
import lb.control.lbd.FakeDataplane.Install;
import lb.control.lbd.FakeDataplane.ReleaseForeign;
import lb.control.lbd.FakeDataplane.Request;
import lb.control.lbd.FakeDataplane.Rule;
import lb.dataplane.api.BucketBitmaps;
import lb.dataplane.api.sbe.AnnounceVipDecoder;
import lb.dataplane.api.sbe.ApplyViewDecoder;
import lb.dataplane.api.sbe.DropClaimsDecoder;
import lb.dataplane.api.sbe.ExportStickyClientsDecoder;
import lb.dataplane.api.sbe.InstallForeignEntriesDecoder;
import lb.dataplane.api.sbe.ReleaseForeignDecoder;
import lb.dataplane.api.sbe.RuleState;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.file.ClusterFileLoader;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Extended affinity across convergence through lbd's real wiring: two {@link ClusterNode}s of a two-host cluster, each
 * with its own lbd media driver (membership over UDP on loopback) and its own {@link FakeDataplane}, on real time.
 * Host 1 serves alone; host 2 joins: host 1's dataplane is asked to export the sticky rule's clients in host 2's
 * buckets (the rule's canonical index), and host 2's dataplane installs exactly the exported clients that are in its
 * buckets as foreign entries of host 1, while host 2, starting to serve, drops its own claims in host 1's buckets. Host
 * 1 dies: host 2 takes every bucket and releases host 1's foreign entries. Host 2 stops: it drops every claim.
 */
class ClusterNodeStickyTest {
    private static final int BUCKETS = 16;
    private static final long DETECTION_MS = 100 * 5;
    /** The sticky rule (port 80) is listed second in the file but is canonical rule 0 (port 80 sorts before 443). */
    private static final int STICKY_RULE = 0;
    private static final int FILE_ORDER_STICKY_RULE = 1;

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private ClusterConfig config;
    private Host one;
    private Host two;

    /** One lbd: its management-network driver, its client, its fake dataplane and its node. */
    private final class Host implements AutoCloseable {
        final int id;
        final MediaDriver driver;
        final Aeron aeron;
        final FakeDataplane fake;
        final ClusterNode node;
        boolean alive = true;

        Host(final int id, final long incarnation) {
            this.id = id;
            final Path home = dir.resolve("host-" + id);
            driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(home.resolve("lbd").toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED)
                .termBufferSparseFile(true));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            fake = new FakeDataplane(home.resolve("dataplane")).statusEvery(1_000);
            node = new ClusterNode(config, id, incarnation, aeron, fake.aeronDir(), home.resolve("status.json"),
                line -> log.add("host " + id + ": " + line));
        }

        int doWork(final long now) {
            return alive ? node.doWork(now) + fake.doWork(now) : 0;
        }

        /** Dies: no departure, its driver (and so its UDP endpoint) gone. */
        void die() {
            alive = false;
            close();
        }

        @Override
        public void close() {
            CloseHelper.quietCloseAll(node, fake, aeron, driver);
        }
    }

    @BeforeEach
    void configure() throws IOException {
        final Path file = dir.resolve("cluster.yaml");
        final int[] ports = freePorts();
        Files.writeString(file, """
            cluster:
              name: sticky
              secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
              buckets: %d
              heartbeat: {period: 100ms, loss-tolerance: 5}
            vips: [10.0.0.100]
            port-rules:
              - {ports: 443, protocol: tcp}
              - {ports: 80, protocol: tcp, affinity: single, extended-affinity: 10m}
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:%d"}
              - {id: 2, priority: 2, management: "127.0.0.1:%d"}
            """.formatted(BUCKETS, ports[0], ports[1]));
        config = ClusterFileLoader.loadForHost(file, 1);
        assertEquals(config, ClusterFileLoader.loadForHost(file, 2));
        assertEquals(STICKY_RULE, config.ruleIndex(stickyRule().key()));
        assertEquals(FILE_ORDER_STICKY_RULE, config.portRules().indexOf(stickyRule()), "file order differs");
    }

    @AfterEach
    void close() {
        CloseHelper.quietCloseAll(two, one);
    }

    @Test
    void shouldHandStickyClientsToTheNewOwnerAndReleaseThemWhenTheOwnerDies() {
        // The buckets host 2 will own once it joins, as the leader computes them (moving little from host 1 alone).
        final ClusterAssignment alone = ClusterAssignment.compute(config, Set.of(1), ClusterAssignment.NONE);
        final int[] predicted = ClusterAssignment.compute(config, Set.of(1, 2), alone).of(stickyRule()).owners();
        final Set<Integer> toTwo = buckets(predicted, 2);
        assertFalse(toTwo.isEmpty() || toTwo.size() == BUCKETS, "both hosts own buckets: " + toTwo);

        // Host 1's sticky clients: some in buckets that move to host 2, some in buckets that stay.
        final ClientBuckets hash = new ClientBuckets(config);
        final Map<IpAddress, Long> moving = new HashMap<>();
        final Map<IpAddress, Long> staying = new HashMap<>();
        for (int i = 1; moving.size() < 6 || staying.size() < 6; i++) {
            final IpAddress client = IpAddress.parse("198.51.100." + i);
            final long expiresInMs = 60_000 + 1_000L * i;
            (toTwo.contains(hash.bucket(stickyRule(), client)) ? moving : staying).put(client, expiresInMs);
        }
        // The fake answers with every client of both kinds, in two chunks: host 2 keeps those in its own buckets.
        final List<Entry> all = new ArrayList<>();
        moving.forEach((client, expires) -> all.add(new Entry(client, expires, 1)));
        staying.forEach((client, expires) -> all.add(new Entry(client, expires, 1)));
        final ExportAnswer answer = new ExportAnswer(null, List.of(new Chunk(0, false, all.subList(0, 5)),
            new Chunk(1, true, all.subList(5, all.size()))));

        // 1. Host 1 alone: it listens, then serves every bucket.
        one = new Host(1, 1_000);
        one.fake.scriptExport(answer, answer, answer); // the same if host 1 is asked to export again
        one.node.start(System.currentTimeMillis());
        pump("host 1 serving alone", () -> one.fake.requests(AnnounceVipDecoder.TEMPLATE_ID).size() == 1);
        assertTrue(Arrays.stream(rule(lastView(one), STICKY_RULE).owners()).allMatch(owner -> owner == 1));
        assertEquals(List.of(), one.fake.requests(ExportStickyClientsDecoder.TEMPLATE_ID), "no one to export to");

        // 2. Host 2 joins; the cluster converges and host 1's clients in host 2's buckets move to host 2.
        // (Built on another thread while host 1 is pumped: a test thread busy launching drivers for longer than the
        // fence gap would pause host 1, which would withdraw and drop its claims.)
        final CompletableFuture<Host> starting = CompletableFuture.supplyAsync(() -> new Host(2, 2_000));
        pump("host 2's drivers", starting::isDone);
        two = starting.join();
        two.node.start(System.currentTimeMillis());
        pump("both serving, host 1's clients installed on host 2", () -> owns(two, 2) && owns(one, 2) &&
            !two.fake.requests(InstallForeignEntriesDecoder.TEMPLATE_ID).isEmpty());
        // Let duplicates (an export again after host 2 dropped claims) and anything wrong arrive too.
        pumpFor(300);

        final int[] owners = rule(lastView(two), STICKY_RULE).owners();
        assertArrayEquals(owners, rule(lastView(one), STICKY_RULE).owners(), "both applied one owner table");
        assertEquals(toTwo, buckets(owners, 2), "host 2 owns the predicted buckets");
        final Set<Integer> ofOne = buckets(owners, 1);

        final List<Request> exports = one.fake.requests(ExportStickyClientsDecoder.TEMPLATE_ID);
        assertFalse(exports.isEmpty(), log::toString);
        for (final Request export : exports) {
            assertEquals(STICKY_RULE, export.as(Export.class).ruleIndex(), "the sticky rule's canonical index");
            assertArrayEquals(bitmap(toTwo), export.as(Export.class).buckets(), "exactly host 2's buckets");
        }

        final List<Request> installs = two.fake.requests(InstallForeignEntriesDecoder.TEMPLATE_ID);
        final Map<IpAddress, Long> installed = new HashMap<>();
        for (final Request install : installs) {
            assertEquals(STICKY_RULE, install.as(Install.class).ruleIndex(), "the sticky rule's canonical index");
            for (final Entry entry : install.as(Install.class).entries()) {
                assertEquals(1, entry.ownerHostId(), "left to host 1");
                installed.put(entry.client(), entry.expiresInMs());
            }
        }
        assertEquals(moving.keySet(), installed.keySet(), "exactly the clients in host 2's buckets");
        moving.forEach((client, expires) -> {
            final long got = installed.get(client);
            assertTrue(got <= expires && got > expires - 1_000, client + " expires in " + got + " of " + expires);
        });
        assertEquals(List.of(), one.fake.requests(InstallForeignEntriesDecoder.TEMPLATE_ID), "host 2 exported none");

        // Host 2 started serving: it dropped its claims in host 1's buckets, before it exported those to host 1.
        final List<Request> atTwo = two.fake.requests();
        final int dropAt = indexOf(atTwo, DropClaimsDecoder.TEMPLATE_ID);
        assertTrue(dropAt >= 0, "host 2 dropped claims: " + templates(atTwo));
        assertEquals(STICKY_RULE, atTwo.get(dropAt).as(DropClaims.class).ruleIndex());
        assertArrayEquals(bitmap(ofOne), atTwo.get(dropAt).as(DropClaims.class).buckets(), "outside its buckets");
        final List<Request> exportsOfTwo = two.fake.requests(ExportStickyClientsDecoder.TEMPLATE_ID);
        assertFalse(exportsOfTwo.isEmpty());
        assertTrue(atTwo.indexOf(exportsOfTwo.get(0)) > dropAt, "the drop lands before the export reads claims");
        for (final Request export : exportsOfTwo) {
            assertEquals(STICKY_RULE, export.as(Export.class).ruleIndex());
            assertArrayEquals(bitmap(ofOne), export.as(Export.class).buckets(), "exactly host 1's buckets");
        }
        assertEquals(List.of(), two.fake.requests(ReleaseForeignDecoder.TEMPLATE_ID), "host 1 is alive");
        assertEquals(List.of(), one.fake.requests(DropClaimsDecoder.TEMPLATE_ID), "host 1 served throughout: " +
            "it never withdrew, so it kept its claims");

        // 3. Host 1 dies: host 2 takes every bucket after the detection time, and takes host 1's clients back.
        final int before = two.fake.requests().size();
        final long diedAt = System.currentTimeMillis();
        one.die();
        pump("host 2 releasing host 1's clients",
            () -> !two.fake.requests(ReleaseForeignDecoder.TEMPLATE_ID).isEmpty());
        final long releasedAfter = System.currentTimeMillis() - diedAt;
        final List<Request> releases = two.fake.requests(ReleaseForeignDecoder.TEMPLATE_ID);
        assertEquals(1, releases.size());
        assertEquals(1, releases.get(0).as(ReleaseForeign.class).ownerHostId());
        assertTrue(releasedAfter >= DETECTION_MS - 200 && releasedAfter < DETECTION_MS + 2_000,
            "released " + releasedAfter + " ms after host 1 died");
        final List<Request> after = two.fake.requests().subList(before, two.fake.requests().size());
        final int viewAt = indexOf(after, ApplyViewDecoder.TEMPLATE_ID);
        assertTrue(viewAt >= 0 && Arrays.stream(rule(after.get(viewAt).as(ApplyView.class), STICKY_RULE).owners())
            .allMatch(owner -> owner == 2), "host 2 owns every bucket: " + templates(after));
        assertTrue(after.indexOf(releases.get(0)) > viewAt, "released with the view without host 1");

        // 4. Host 2 stops: after the view that owns nothing it drops every claim of the sticky rule, so that it takes
        // no new connection through them.
        final int running = two.fake.requests().size();
        two.node.stop(System.currentTimeMillis());
        pump("host 2 dropping its claims", () -> two.fake.requests(DropClaimsDecoder.TEMPLATE_ID).size() == 2);
        pumpFor(100);
        final List<Request> stopping = two.fake.requests().subList(running, two.fake.requests().size());
        final int stoppedAt = indexOf(stopping, ApplyViewDecoder.TEMPLATE_ID);
        assertTrue(stoppedAt >= 0, templates(stopping)::toString);
        final ApplyView stopped = stopping.get(stoppedAt).as(ApplyView.class);
        assertTrue(stopped.vips().isEmpty() && stopped.rules().stream().allMatch(r -> r.state() == RuleState.DISABLED),
            "a stopped view: " + stopped);
        final List<Request> drops = stopping.stream().filter(r -> r.templateId() == DropClaimsDecoder.TEMPLATE_ID)
            .toList();
        assertEquals(1, drops.size(), templates(stopping)::toString);
        assertTrue(stopping.indexOf(drops.get(0)) > stoppedAt, "dropped after the view: " + templates(stopping));
        assertEquals(STICKY_RULE, drops.get(0).as(DropClaims.class).ruleIndex());
        assertArrayEquals(bitmap(buckets(owners, 1, 2)), drops.get(0).as(DropClaims.class).buckets(), "every bucket");
        assertEquals(List.of(), stopping.stream().filter(r -> r.templateId() == ExportStickyClientsDecoder.TEMPLATE_ID)
            .toList(), "a stopped host exports nothing");
    }

    private PortRule stickyRule() {
        return config.portRules().stream().filter(r -> !r.extendedAffinity().isZero()).findFirst().orElseThrow();
    }

    /**
     * Whether the host's dataplane applied (acked) its last view and that view gives host {@code hostId} some, not
     * all, of the sticky rule's buckets.
     */
    private static boolean owns(final Host host, final int hostId) {
        final ApplyView view = lastView(host);
        if (view == null || host.fake.appliedViewEpoch() != view.viewEpoch()) {
            return false;
        }
        final int[] owners = rule(view, STICKY_RULE).owners();
        return Arrays.stream(owners).anyMatch(o -> o == hostId) && Arrays.stream(owners).anyMatch(o -> o != hostId);
    }

    private static ApplyView lastView(final Host host) {
        final List<Request> views = host.fake.requests(ApplyViewDecoder.TEMPLATE_ID);
        return views.isEmpty() ? null : views.get(views.size() - 1).as(ApplyView.class);
    }

    private static Rule rule(final ApplyView view, final int index) {
        return view.rules().stream().filter(r -> r.ruleIndex() == index).findFirst().orElseThrow();
    }

    private static Set<Integer> buckets(final int[] owners, final int... hostIds) {
        final Set<Integer> owned = new TreeSet<>();
        IntStream.range(0, owners.length).filter(b -> Arrays.stream(hostIds).anyMatch(h -> owners[b] == h))
            .forEach(owned::add);
        return owned;
    }

    /** The control interface's bitmap of the buckets: {@code BitSet.toByteArray()}, padded to the full length. */
    private static byte[] bitmap(final Set<Integer> buckets) {
        final BitSet bits = new BitSet();
        buckets.forEach(bits::set);
        return Arrays.copyOf(bits.toByteArray(), BucketBitmaps.byteLength(BUCKETS));
    }

    private static int indexOf(final List<Request> requests, final int templateId) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).templateId() == templateId) {
                return i;
            }
        }
        return -1;
    }

    private static List<Integer> templates(final List<Request> requests) {
        return requests.stream().map(Request::templateId).toList();
    }

    private void pump(final String what, final BooleanSupplier until) {
        final long deadline = System.nanoTime() + 4_000_000_000L;
        while (!until.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what + "; log " + String.join("\n", log));
            }
            pumpOnce();
        }
    }

    private void pumpFor(final long ms) {
        final long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() - end < 0) {
            pumpOnce();
        }
    }

    private void pumpOnce() {
        final long now = System.currentTimeMillis();
        int work = 0;
        for (final Host host : new Host[] {one, two}) {
            work += host == null ? 0 : host.doWork(now);
        }
        if (work == 0) {
            Thread.onSpinWait();
        }
    }

    /** Two distinct free UDP ports (both held while asking, so they differ). */
    private static int[] freePorts() throws IOException {
        try (DatagramSocket first = new DatagramSocket(0); DatagramSocket second = new DatagramSocket(0)) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        }
    }
}
