package lb.dataplane.control;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

import lb.dataplane.api.Addresses;
import lb.dataplane.api.BucketBitmaps;
import lb.dataplane.api.ClientEntries;
import lb.dataplane.api.ControlChannels;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.DataplaneControlProxy;
import lb.dataplane.api.IpcFixture;
import lb.dataplane.api.MessageScreen;
import lb.dataplane.api.Offers;
import lb.dataplane.api.ViewSource;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.RuleState;
import lb.dataplane.config.IpAddress;
import lb.dataplane.control.RecordingControlListener.AnnounceVip;
import lb.dataplane.control.RecordingControlListener.ApplyConfig;
import lb.dataplane.control.RecordingControlListener.ApplyView;
import lb.dataplane.control.RecordingControlListener.DropClaims;
import lb.dataplane.control.RecordingControlListener.DropClients;
import lb.dataplane.control.RecordingControlListener.Entry;
import lb.dataplane.control.RecordingControlListener.ExportStickyClients;
import lb.dataplane.control.RecordingControlListener.Flush;
import lb.dataplane.control.RecordingControlListener.InstallForeignEntries;
import lb.dataplane.control.RecordingControlListener.ReleaseForeign;
import lb.dataplane.control.RecordingControlListener.Rule;
import lb.dataplane.control.RecordingControlListener.Vip;
import lb.dataplane.control.RecordingControlListener.WithdrawVip;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request from {@link DataplaneControlProxy} through real Aeron IPC, on the default control channel, to
 * {@link ControlAdapter}, compared field by field with what was sent.
 */
class ControlRoundTripTest {
    private static final long INCARNATION = 1_700_000_000_123L;
    private static final Vip VIP4 = new Vip(IpVersion.V4, 0, Addresses.ipv4MappedLow(0x0a00_0064));
    private static final Vip VIP6 = new Vip(IpVersion.V6, 0x2001_0db8_0000_0000L, 0x0000_0000_0000_0001L);
    private static final byte[] FINGERPRINT = IntStream.range(0, 32).collect(
        () -> new byte[32], (bytes, i) -> bytes[i] = (byte)(0xa0 + i), (a, b) -> { });
    private static final String FINGERPRINT_HEX = HexFormat.of().formatHex(FINGERPRINT);

    @TempDir
    Path dir;

    private IpcFixture ipc;
    private final RecordingControlListener listener = new RecordingControlListener();
    private DataplaneControlProxy proxy;
    private ControlAdapter adapter;

    @BeforeEach
    void connect() {
        ipc = new IpcFixture(dir);
        final IpcFixture.Stream stream = ipc.stream(ControlChannels.channel(), ControlChannels.controlStreamId());
        proxy = new DataplaneControlProxy(stream.publication(), INCARNATION);
        final AtomicCounter skipped = ipc.counter("skipped");
        adapter = new ControlAdapter(stream.subscription(), listener,
            new MessageScreen("test adapter", skipped, ipc.errorHandler()));
    }

    @AfterEach
    void close() {
        ipc.close();
    }

    @Test
    void shouldRoundTripApplyConfigLargerThanOneFragment() {
        final String text = "cluster:\n" + "  # padding to force fragmentation\n".repeat(3000);
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length > 64 * 1024, "config spans many IPC fragments");

        send(() -> proxy.applyConfig(11, FINGERPRINT, new UnsafeBuffer(bytes), 0, bytes.length));

        assertEquals(List.of(new ApplyConfig(11, INCARNATION, FINGERPRINT_HEX, text)), listener.received);
    }

    @Test
    void shouldRoundTripApplyViewWithOwnersDirtyBucketsAndVips() {
        final int bucketCount = 60;
        final TestView view = new TestView(bucketCount);
        view.rule(0, RuleState.ENABLED, b -> 1 + b % 3, List.of(0, 7, 59));
        view.rule(5, RuleState.DRAINING, b -> b < 30 ? 2 : ControlProtocol.NO_HOST, List.of());
        view.vips.add(VIP4);
        view.vips.add(VIP6);

        send(() -> proxy.applyView(12, 42, FINGERPRINT, 2, bucketCount, view));

        final List<Integer> owners0 = IntStream.range(0, bucketCount).map(b -> 1 + b % 3).boxed().toList();
        final List<Integer> owners5 = IntStream.range(0, bucketCount).map(b -> b < 30 ? 2 : 0).boxed().toList();
        assertEquals(List.of(new ApplyView(12, INCARNATION, 42, FINGERPRINT_HEX, bucketCount, 2,
            List.of(new Rule(0, RuleState.ENABLED, owners0, List.of(0, 7, 59)),
                new Rule(5, RuleState.DRAINING, owners5, List.of())),
            List.of(VIP4, VIP6))), listener.received);
    }

    @Test
    void shouldRoundTripApplyViewWith65536BucketsAcrossFragments() {
        final int bucketCount = 65_536;
        final TestView view = new TestView(bucketCount);
        view.rule(0, RuleState.ENABLED, b -> 1 + (b & 0x1f), List.of(0, 65_535));

        send(() -> proxy.applyView(13, 43, FINGERPRINT, 1, bucketCount, view));

        final ApplyView received = (ApplyView)listener.received.getFirst();
        assertEquals(bucketCount, received.bucketCount());
        assertEquals(IntStream.range(0, bucketCount).map(b -> 1 + (b & 0x1f)).boxed().toList(),
            received.rules().getFirst().owners());
        assertEquals(List.of(0, 65_535), received.rules().getFirst().dirtyBuckets());
    }

    @Test
    void shouldRoundTripVipAnnounceAndWithdraw() {
        send(() -> proxy.announceVip(14, IpVersion.V6, VIP6.high(), VIP6.low(), 5, 5_000));
        send(() -> proxy.withdrawVip(15, IpVersion.V4, VIP4.high(), VIP4.low()));

        assertEquals(List.of(new AnnounceVip(14, INCARNATION, VIP6, 5, 5_000),
            new WithdrawVip(15, INCARNATION, VIP4)), listener.received);
    }

    @Test
    void shouldRoundTripExportStickyClientsBucketBitmap() {
        final UnsafeBuffer bitmap = new UnsafeBuffer(new byte[BucketBitmaps.byteLength(60)]);
        BucketBitmaps.set(bitmap, 0, 3);
        BucketBitmaps.set(bitmap, 0, 59);

        send(() -> proxy.exportStickyClients(16, 2, bitmap, 0, bitmap.capacity()));

        assertEquals(List.of(new ExportStickyClients(16, INCARNATION, 2, List.of(3, 59))), listener.received);
    }

    @Test
    void shouldRoundTripInstallForeignEntriesInChunksOfTheMaximumSize() {
        final int total = proxy.maxEntriesPerMessage() + 10;
        final ClientEntries entries = new ClientEntries(total);
        final List<Entry> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            final Vip client = i % 2 == 0 ? new Vip(IpVersion.V4, 0, Addresses.ipv4MappedLow(0xc0a8_0000 + i)) :
                new Vip(IpVersion.V6, 0x2001_0db8_0000_0000L + i, 0);
            entries.add(client.version(), client.high(), client.low(), 1 + i % 4, 1_200_000L + i);
            expected.add(new Entry(client, 1 + i % 4, 1_200_000L + i));
        }
        assertEquals(Offers.MESSAGE_TOO_LARGE, proxy.installForeignEntries(17, 1, entries, 0, total));

        final int first = proxy.maxEntriesPerMessage();
        send(() -> proxy.installForeignEntries(17, 1, entries, 0, first));
        send(() -> proxy.installForeignEntries(18, 1, entries, first, total - first));

        assertEquals(List.of(new InstallForeignEntries(17, INCARNATION, 1, expected.subList(0, first)),
            new InstallForeignEntries(18, INCARNATION, 1, expected.subList(first, total))), listener.received);
    }

    @Test
    void shouldRoundTripFlushOfOneTableOrEveryRule() {
        send(() -> proxy.flush(19, false, true, 3));
        send(() -> proxy.flush(20, true, true, ControlProtocol.ALL_RULES));

        assertEquals(List.of(new Flush(19, INCARNATION, false, true, 3),
            new Flush(20, INCARNATION, true, true, ControlProtocol.ALL_RULES)), listener.received);
    }

    @Test
    void shouldRoundTripDropClaimsBucketBitmap() {
        final UnsafeBuffer bitmap = new UnsafeBuffer(new byte[BucketBitmaps.byteLength(60)]);
        BucketBitmaps.set(bitmap, 0, 0);
        BucketBitmaps.set(bitmap, 0, 17);
        BucketBitmaps.set(bitmap, 0, 59);
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);

        send(() -> proxy.dropClaims(21, 4, bitmap, 0, bitmap.capacity()));
        send(() -> proxy.dropClaims(22, 0, empty, 0, 0));

        assertEquals(List.of(new DropClaims(21, INCARNATION, 4, List.of(0, 17, 59)),
            new DropClaims(22, INCARNATION, 0, List.of())), listener.received);
    }

    @Test
    void shouldRoundTripDropClientsInChunksOfTheMaximumSize() {
        final int total = proxy.maxClientsPerMessage() + 7;
        final List<IpAddress> clients = new ArrayList<>();
        final List<Vip> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            final IpAddress client = i % 2 == 0 ? IpAddress.ofIpv4(0xc0a8_0000 + (i << 8)) :
                new IpAddress(0x2001_0db8_0000_0000L + i, 0);
            clients.add(client);
            expected.add(new Vip(i % 2 == 0 ? IpVersion.V4 : IpVersion.V6, client.hi(), client.lo()));
        }
        assertEquals(Offers.MESSAGE_TOO_LARGE, proxy.dropClients(23, 2, clients, 0, total));

        final int first = proxy.maxClientsPerMessage();
        send(() -> proxy.dropClients(23, 2, clients, 0, first));
        send(() -> proxy.dropClients(24, 2, clients, first, total - first));

        assertEquals(List.of(new DropClients(23, INCARNATION, 2, expected.subList(0, first)),
            new DropClients(24, INCARNATION, 2, expected.subList(first, total))), listener.received);
    }

    @Test
    void shouldRoundTripReleaseForeignOfTheHighestHostId() {
        send(() -> proxy.releaseForeign(25, 3));
        send(() -> proxy.releaseForeign(26, 65_535));

        assertEquals(List.of(new ReleaseForeign(25, INCARNATION, 3), new ReleaseForeign(26, INCARNATION, 65_535)),
            listener.received);
    }

    private void send(final LongSupplier send) {
        final int before = listener.received.size();
        assertTrue(Offers.isSent(IpcFixture.sendDraining(send, () -> adapter.poll(10))));
        IpcFixture.pollUntil("the request to arrive", () -> listener.received.size() > before,
            () -> adapter.poll(10));
    }

    /** A view held in lists, as lbd's model would hold it in its own shape. */
    private static final class TestView implements ViewSource {
        private final int bucketCount;
        private final List<int[]> rules = new ArrayList<>();
        private final List<RuleState> states = new ArrayList<>();
        private final List<int[]> owners = new ArrayList<>();
        private final List<List<Integer>> dirty = new ArrayList<>();
        final List<Vip> vips = new ArrayList<>();

        TestView(final int bucketCount) {
            this.bucketCount = bucketCount;
        }

        void rule(final int ruleIndex, final RuleState state, final IntUnaryOperator owner,
            final List<Integer> dirtyBuckets) {
            rules.add(new int[] {ruleIndex});
            states.add(state);
            owners.add(IntStream.range(0, bucketCount).map(owner).toArray());
            dirty.add(dirtyBuckets);
        }

        @Override
        public int ruleCount() {
            return rules.size();
        }

        @Override
        public int ruleIndex(final int rule) {
            return rules.get(rule)[0];
        }

        @Override
        public RuleState ruleState(final int rule) {
            return states.get(rule);
        }

        @Override
        public int owner(final int rule, final int bucket) {
            return owners.get(rule)[bucket];
        }

        @Override
        public boolean isDirty(final int rule, final int bucket) {
            return dirty.get(rule).contains(bucket);
        }

        @Override
        public int vipCount() {
            return vips.size();
        }

        @Override
        public IpVersion vipVersion(final int vip) {
            return vips.get(vip).version();
        }

        @Override
        public long vipHigh(final int vip) {
            return vips.get(vip).high();
        }

        @Override
        public long vipLow(final int vip) {
            return vips.get(vip).low();
        }
    }
}
