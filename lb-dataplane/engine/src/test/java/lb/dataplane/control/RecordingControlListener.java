package lb.dataplane.control;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import lb.dataplane.api.Addresses;
import lb.dataplane.api.BucketBitmaps;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.sbe.ApplyViewDecoder;
import lb.dataplane.api.sbe.DropClientsDecoder;
import lb.dataplane.api.sbe.InstallForeignEntriesDecoder;
import lb.dataplane.api.sbe.IpAddressDecoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.RuleState;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Copies every request it is told into plain records, so tests compare what was decoded by value.
 */
final class RecordingControlListener implements ControlListener {
    record Vip(IpVersion version, long high, long low) {
    }

    record ApplyConfig(long correlationId, long incarnation, String fingerprintHex, String config) {
    }

    record Rule(int ruleIndex, RuleState state, List<Integer> owners, List<Integer> dirtyBuckets) {
    }

    record ApplyView(long correlationId, long incarnation, long viewEpoch, String fingerprintHex, long bucketCount,
        int hostId, List<Rule> rules, List<Vip> vips) {
    }

    record AnnounceVip(long correlationId, long incarnation, Vip vip, int count, long spacingMs) {
    }

    record WithdrawVip(long correlationId, long incarnation, Vip vip) {
    }

    record ExportStickyClients(long correlationId, long incarnation, int ruleIndex, List<Integer> buckets) {
    }

    record Entry(Vip client, int ownerHostId, long expiresInMs) {
    }

    record InstallForeignEntries(long correlationId, long incarnation, int ruleIndex, List<Entry> entries) {
    }

    record Flush(long correlationId, long incarnation, boolean connections, boolean affinity, int ruleIndex) {
    }

    record DropClaims(long correlationId, long incarnation, int ruleIndex, List<Integer> buckets) {
    }

    record DropClients(long correlationId, long incarnation, int ruleIndex, List<Vip> clients) {
    }

    record ReleaseForeign(long correlationId, long incarnation, int ownerHostId) {
    }

    final List<Object> received = new ArrayList<>();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    @Override
    public void onApplyConfig(final long correlationId, final long incarnation, final DirectBuffer configFingerprint,
        final DirectBuffer config) {
        received.add(new ApplyConfig(correlationId, incarnation, hex(configFingerprint),
            config.getStringWithoutLengthUtf8(0, config.capacity())));
    }

    @Override
    public void onApplyView(final ApplyViewDecoder message) {
        final long correlationId = message.correlationId();
        final long bucketCount = message.bucketCount();
        final List<Rule> rules = new ArrayList<>();
        for (final ApplyViewDecoder.RulesDecoder rule : message.rules()) {
            final int ruleIndex = rule.ruleIndex();
            final RuleState state = rule.state();
            rule.wrapOwners(view);
            final List<Integer> owners = new ArrayList<>();
            for (int i = 0; i < view.capacity() / ControlProtocol.OWNER_LENGTH; i++) {
                owners.add(view.getShort(i * ControlProtocol.OWNER_LENGTH, ApplyViewDecoder.BYTE_ORDER) & 0xffff);
            }
            rule.wrapDirtyBuckets(view);
            rules.add(new Rule(ruleIndex, state, owners, setBuckets(view, (int)bucketCount)));
        }
        final List<Vip> vips = new ArrayList<>();
        for (final ApplyViewDecoder.VipsDecoder vip : message.vips()) {
            vips.add(vip(vip.vip()));
        }
        final byte[] fingerprint = new byte[ControlProtocol.FINGERPRINT_LENGTH];
        message.getConfigFingerprint(fingerprint, 0, fingerprint.length);
        received.add(new ApplyView(correlationId, message.incarnation(), message.viewEpoch(),
            HexFormat.of().formatHex(fingerprint), bucketCount, message.hostId(), rules, vips));
    }

    @Override
    public void onAnnounceVip(final long correlationId, final long incarnation, final IpVersion version,
        final long vipHigh, final long vipLow, final int count, final long spacingMs) {
        received.add(new AnnounceVip(correlationId, incarnation, new Vip(version, vipHigh, vipLow), count, spacingMs));
    }

    @Override
    public void onWithdrawVip(final long correlationId, final long incarnation, final IpVersion version,
        final long vipHigh, final long vipLow) {
        received.add(new WithdrawVip(correlationId, incarnation, new Vip(version, vipHigh, vipLow)));
    }

    @Override
    public void onExportStickyClients(final long correlationId, final long incarnation, final int ruleIndex,
        final DirectBuffer buckets) {
        received.add(new ExportStickyClients(correlationId, incarnation, ruleIndex,
            setBuckets(buckets, buckets.capacity() * Byte.SIZE)));
    }

    @Override
    public void onInstallForeignEntries(final InstallForeignEntriesDecoder message) {
        final long correlationId = message.correlationId();
        final long incarnation = message.incarnation();
        final int ruleIndex = message.ruleIndex();
        final List<Entry> entries = new ArrayList<>();
        for (final InstallForeignEntriesDecoder.EntriesDecoder entry : message.entries()) {
            entries.add(new Entry(vip(entry.client()), entry.ownerHostId(), entry.expiresInMs()));
        }
        received.add(new InstallForeignEntries(correlationId, incarnation, ruleIndex, entries));
    }

    @Override
    public void onFlush(final long correlationId, final long incarnation, final boolean connections,
        final boolean affinity, final int ruleIndex) {
        received.add(new Flush(correlationId, incarnation, connections, affinity, ruleIndex));
    }

    @Override
    public void onDropClaims(final long correlationId, final long incarnation, final int ruleIndex,
        final DirectBuffer buckets) {
        received.add(new DropClaims(correlationId, incarnation, ruleIndex,
            setBuckets(buckets, buckets.capacity() * Byte.SIZE)));
    }

    @Override
    public void onDropClients(final DropClientsDecoder message) {
        final long correlationId = message.correlationId();
        final long incarnation = message.incarnation();
        final int ruleIndex = message.ruleIndex();
        final List<Vip> clients = new ArrayList<>();
        for (final DropClientsDecoder.ClientsDecoder client : message.clients()) {
            clients.add(vip(client.client()));
        }
        received.add(new DropClients(correlationId, incarnation, ruleIndex, clients));
    }

    @Override
    public void onReleaseForeign(final long correlationId, final long incarnation, final int ownerHostId) {
        received.add(new ReleaseForeign(correlationId, incarnation, ownerHostId));
    }

    static Vip vip(final IpAddressDecoder address) {
        return new Vip(address.version(), Addresses.high(address), Addresses.low(address));
    }

    private static List<Integer> setBuckets(final DirectBuffer bitmap, final int bucketCount) {
        final List<Integer> set = new ArrayList<>();
        for (int bucket = 0; bucket < bucketCount; bucket++) {
            if (BucketBitmaps.isSet(bitmap, bucket)) {
                set.add(bucket);
            }
        }
        return set;
    }

    private static String hex(final DirectBuffer buffer) {
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
