package lb.dataplane.api;

import java.util.List;

import io.aeron.Publication;
import lb.dataplane.api.sbe.AnnounceVipEncoder;
import lb.dataplane.api.sbe.ApplyConfigEncoder;
import lb.dataplane.api.sbe.ApplyViewEncoder;
import lb.dataplane.api.sbe.DropClaimsEncoder;
import lb.dataplane.api.sbe.DropClientsEncoder;
import lb.dataplane.api.sbe.ExportStickyClientsEncoder;
import lb.dataplane.api.sbe.FlushEncoder;
import lb.dataplane.api.sbe.InstallForeignEntriesEncoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.MessageHeaderEncoder;
import lb.dataplane.api.sbe.ReleaseForeignEncoder;
import lb.dataplane.api.sbe.BooleanType;
import lb.dataplane.api.sbe.CaptureVerdicts;
import lb.dataplane.api.sbe.ExplainEncoder;
import lb.dataplane.api.sbe.FlushClientEncoder;
import lb.dataplane.api.sbe.ListStickyClientsEncoder;
import lb.dataplane.api.sbe.StartCaptureEncoder;
import lb.dataplane.api.sbe.StopCaptureEncoder;
import lb.dataplane.api.sbe.WithdrawVipEncoder;
import lb.dataplane.config.IpAddress;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * lbd's side of the control interface: encodes each request to the dataplane and offers it once to the control
 * publication, stamped with lbd's incarnation.
 *
 * <p>Every send returns what {@link Publication#offer} returned, or {@link Offers#MESSAGE_TOO_LARGE}; it never
 * retries or waits, so lbd's duty cycle retries what {@link Offers#isRetryable} says it may. Buffers and encoders
 * are reused: sending allocates nothing once the buffer has grown to the largest message. Not thread safe.
 */
public final class DataplaneControlProxy {
    private static final int INITIAL_CAPACITY = 4096;

    private final Publication publication;
    private final long incarnation;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(INITIAL_CAPACITY);
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(INITIAL_CAPACITY);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ApplyConfigEncoder applyConfig = new ApplyConfigEncoder();
    private final ApplyViewEncoder applyView = new ApplyViewEncoder();
    private final AnnounceVipEncoder announceVip = new AnnounceVipEncoder();
    private final WithdrawVipEncoder withdrawVip = new WithdrawVipEncoder();
    private final ExportStickyClientsEncoder exportStickyClients = new ExportStickyClientsEncoder();
    private final InstallForeignEntriesEncoder installForeignEntries = new InstallForeignEntriesEncoder();
    private final FlushEncoder flush = new FlushEncoder();
    private final DropClaimsEncoder dropClaims = new DropClaimsEncoder();
    private final DropClientsEncoder dropClients = new DropClientsEncoder();
    private final ReleaseForeignEncoder releaseForeign = new ReleaseForeignEncoder();
    private final ListStickyClientsEncoder listStickyClients = new ListStickyClientsEncoder();
    private final FlushClientEncoder flushClient = new FlushClientEncoder();
    private final ExplainEncoder explain = new ExplainEncoder();
    private final StartCaptureEncoder startCapture = new StartCaptureEncoder();
    private final StopCaptureEncoder stopCapture = new StopCaptureEncoder();

    /**
     * @param publication the control stream (see {@link ControlChannels}); the caller owns it.
     * @param incarnation this lbd's incarnation: greater than any earlier lbd's on this host (e.g. its start time in
     *                    epoch milliseconds), so the dataplane can tell a stale sender.
     */
    public DataplaneControlProxy(final Publication publication, final long incarnation) {
        this.publication = publication;
        this.incarnation = incarnation;
    }

    /**
     * Sends the whole cluster config.
     *
     * @param correlationId     identifies the request in its Ack.
     * @param configFingerprint SHA-256 of the canonical config, {@link ControlProtocol#FINGERPRINT_LENGTH} bytes.
     * @param config            the canonical config text.
     * @param offset            its first byte.
     * @param length            its length in bytes.
     * @return the offer's result.
     */
    public long applyConfig(final long correlationId, final byte[] configFingerprint, final DirectBuffer config,
        final int offset, final int length) {
        checkFingerprint(configFingerprint);
        final int encodedLength = MessageHeaderEncoder.ENCODED_LENGTH + ApplyConfigEncoder.BLOCK_LENGTH +
            ApplyConfigEncoder.configHeaderLength() + length;
        if (encodedLength > publication.maxMessageLength()) {
            return Offers.MESSAGE_TOO_LARGE;
        }
        applyConfig.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .putConfigFingerprint(configFingerprint, 0, ControlProtocol.FINGERPRINT_LENGTH)
            .putConfig(config, offset, length);
        return offer(applyConfig.encodedLength());
    }

    /**
     * Sends a view: bucket ownership of every rule and the VIPs this host may answer for.
     *
     * @param correlationId     identifies the request in its Ack.
     * @param viewEpoch         greater than every epoch sent before.
     * @param configFingerprint fingerprint of the config the view was computed from.
     * @param hostId            this host's id.
     * @param bucketCount       buckets per rule, 1 to 65536.
     * @param view              the rules and VIPs, read while encoding.
     * @return the offer's result.
     */
    public long applyView(final long correlationId, final long viewEpoch, final byte[] configFingerprint,
        final int hostId, final int bucketCount, final ViewSource view) {
        checkFingerprint(configFingerprint);
        if (bucketCount < 1) {
            throw new IllegalArgumentException("bucketCount must be at least 1, was " + bucketCount);
        }
        applyView.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .viewEpoch(viewEpoch)
            .putConfigFingerprint(configFingerprint, 0, ControlProtocol.FINGERPRINT_LENGTH)
            .bucketCount(bucketCount)
            .hostId(hostId);
        final int ownersLength = bucketCount * ControlProtocol.OWNER_LENGTH;
        final int bitmapLength = BucketBitmaps.byteLength(bucketCount);
        final ApplyViewEncoder.RulesEncoder rules = applyView.rulesCount(view.ruleCount());
        for (int rule = 0; rule < view.ruleCount(); rule++) {
            rules.next().ruleIndex(view.ruleIndex(rule)).state(view.ruleState(rule));
            for (int bucket = 0; bucket < bucketCount; bucket++) {
                scratch.putShort(bucket * ControlProtocol.OWNER_LENGTH, (short)view.owner(rule, bucket),
                    ApplyViewEncoder.BYTE_ORDER);
            }
            rules.putOwners(scratch, 0, ownersLength);
            scratch.setMemory(0, bitmapLength, (byte)0);
            for (int bucket = 0; bucket < bucketCount; bucket++) {
                if (view.isDirty(rule, bucket)) {
                    BucketBitmaps.set(scratch, 0, bucket);
                }
            }
            rules.putDirtyBuckets(scratch, 0, bitmapLength);
        }
        final ApplyViewEncoder.VipsEncoder vips = applyView.vipsCount(view.vipCount());
        for (int vip = 0; vip < view.vipCount(); vip++) {
            Addresses.put(vips.next().vip(), view.vipVersion(vip), view.vipHigh(vip), view.vipLow(vip));
        }
        return offer(applyView.encodedLength());
    }

    /**
     * Asks for gratuitous ARP (request and reply forms) or unsolicited NA for a VIP the current view lets this host
     * answer for.
     *
     * @param correlationId identifies the request in its Ack.
     * @param version       the VIP's IP version.
     * @param vipHigh       its first 8 bytes (see {@link Addresses}).
     * @param vipLow        its last 8 bytes.
     * @param count         announcements to send, 0-65535.
     * @param spacingMs     milliseconds between them.
     * @return the offer's result.
     */
    public long announceVip(final long correlationId, final IpVersion version, final long vipHigh, final long vipLow,
        final int count, final long spacingMs) {
        announceVip.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation);
        Addresses.put(announceVip.vip(), version, vipHigh, vipLow);
        announceVip.count(count).spacingMs(spacingMs);
        return offer(announceVip.encodedLength());
    }

    /**
     * Stops every ARP/ND frame for a VIP at once, until a later view lists it again.
     *
     * @param correlationId identifies the request in its Ack.
     * @param version       the VIP's IP version.
     * @param vipHigh       its first 8 bytes (see {@link Addresses}).
     * @param vipLow        its last 8 bytes.
     * @return the offer's result.
     */
    public long withdrawVip(final long correlationId, final IpVersion version, final long vipHigh, final long vipLow) {
        withdrawVip.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation);
        Addresses.put(withdrawVip.vip(), version, vipHigh, vipLow);
        return offer(withdrawVip.encodedLength());
    }

    /**
     * Asks for the sticky clients this host holds in some buckets of a rule; answered by StickyClients chunks.
     *
     * @param correlationId identifies the request in the answers.
     * @param ruleIndex     the rule.
     * @param buckets       bitmap of the buckets to export (see {@link BucketBitmaps}).
     * @param offset        its first byte.
     * @param length        its length in bytes.
     * @return the offer's result.
     */
    public long exportStickyClients(final long correlationId, final int ruleIndex, final DirectBuffer buckets,
        final int offset, final int length) {
        exportStickyClients.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .ruleIndex(ruleIndex)
            .putBuckets(buckets, offset, length);
        return offer(exportStickyClients.encodedLength());
    }

    /**
     * Hands over clients another host keeps sticky, so this host leaves them alone until they expire.
     *
     * @param correlationId identifies the request in its Ack.
     * @param ruleIndex     the rule.
     * @param entries       the clients.
     * @param from          first entry to send.
     * @param count         entries to send, at most {@link #maxEntriesPerMessage()}.
     * @return the offer's result; {@link Offers#MESSAGE_TOO_LARGE} when count is too many for one message.
     */
    public long installForeignEntries(final long correlationId, final int ruleIndex, final ClientEntries entries,
        final int from, final int count) {
        if (from < 0 || count < 0 || from + count > entries.size()) {
            throw new IndexOutOfBoundsException("entries " + from + ".." + (from + count) + " of " + entries.size());
        }
        if (count > maxEntriesPerMessage()) {
            return Offers.MESSAGE_TOO_LARGE;
        }
        installForeignEntries.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .ruleIndex(ruleIndex);
        final InstallForeignEntriesEncoder.EntriesEncoder group = installForeignEntries.entriesCount(count);
        for (int i = from; i < from + count; i++) {
            group.next();
            Addresses.put(group.client(), entries.version(i), entries.high(i), entries.low(i));
            group.expiresInMs(entries.expiresInMs(i)).ownerHostId(entries.owner(i));
        }
        return offer(installForeignEntries.encodedLength());
    }

    /**
     * Forgets tracked connections, extended-affinity entries (own and foreign), or both.
     *
     * @param correlationId identifies the request in its Ack.
     * @param connections   flush tracked connections.
     * @param affinity      flush extended-affinity entries.
     * @param ruleIndex     one rule, or {@link ControlProtocol#ALL_RULES}.
     * @return the offer's result.
     */
    public long flush(final long correlationId, final boolean connections, final boolean affinity,
        final int ruleIndex) {
        flush.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation);
        flush.tables().clear().connections(connections).affinity(affinity);
        flush.ruleIndex(ruleIndex);
        return offer(flush.encodedLength());
    }

    /**
     * Forgets this host's own sticky clients (not the foreign entries it holds for other hosts) of a rule whose client
     * falls in some buckets.
     *
     * @param correlationId identifies the request in its Ack.
     * @param ruleIndex     the rule.
     * @param buckets       bitmap of the buckets whose own clients go (see {@link BucketBitmaps}).
     * @param offset        its first byte.
     * @param length        its length in bytes.
     * @return the offer's result.
     */
    public long dropClaims(final long correlationId, final int ruleIndex, final DirectBuffer buckets,
        final int offset, final int length) {
        dropClaims.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .ruleIndex(ruleIndex)
            .putBuckets(buckets, offset, length);
        return offer(dropClaims.encodedLength());
    }

    /**
     * Forgets this host's own sticky entries of some clients of a rule; foreign entries of those clients stay. Large
     * sets go as several messages of at most {@link #maxClientsPerMessage()} clients.
     *
     * @param correlationId identifies the request in its Ack.
     * @param ruleIndex     the rule.
     * @param clients       the affinity-masked client addresses; read by index, so a random-access list.
     * @param from          first client to send.
     * @param count         clients to send, at most {@link #maxClientsPerMessage()}.
     * @return the offer's result; {@link Offers#MESSAGE_TOO_LARGE} when count is too many for one message.
     */
    public long dropClients(final long correlationId, final int ruleIndex, final List<IpAddress> clients,
        final int from, final int count) {
        if (from < 0 || count < 0 || from + count > clients.size()) {
            throw new IndexOutOfBoundsException("clients " + from + ".." + (from + count) + " of " + clients.size());
        }
        if (count > maxClientsPerMessage()) {
            return Offers.MESSAGE_TOO_LARGE;
        }
        dropClients.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .ruleIndex(ruleIndex);
        final DropClientsEncoder.ClientsEncoder group = dropClients.clientsCount(count);
        for (int i = from; i < from + count; i++) {
            final IpAddress client = clients.get(i);
            Addresses.put(group.next().client(), client.isIpv4() ? IpVersion.V4 : IpVersion.V6, client.hi(),
                client.lo());
        }
        return offer(dropClients.encodedLength());
    }

    /**
     * Forgets every foreign entry (of every rule) that leaves a client to one host, so those clients fall back to
     * bucket hashing.
     *
     * @param correlationId identifies the request in its Ack.
     * @param ownerHostId   the host whose clients are released, 1-65535.
     * @return the offer's result.
     */
    public long releaseForeign(final long correlationId, final int ownerHostId) {
        releaseForeign.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .ownerHostId(ownerHostId);
        return offer(releaseForeign.encodedLength());
    }

    /**
     * Asks for one page of the affinity table (own and foreign entries), answered by a StickyClientPage.
     *
     * @param correlationId identifies the request in its answer.
     * @param ruleIndex     one rule, or {@link ControlProtocol#ALL_RULES}.
     * @param fromSlot      the table slot to start at: 0, then the previous page's {@code nextSlot}.
     * @param maxEntries    most entries the page may carry.
     * @param client        only this client (unmasked; the dataplane masks it per rule), or null for all.
     * @return the offer's result.
     */
    public long listStickyClients(final long correlationId, final int ruleIndex, final long fromSlot,
        final int maxEntries, final IpAddress client) {
        listStickyClients.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .ruleIndex(ruleIndex)
            .fromSlot(fromSlot)
            .maxEntries(maxEntries)
            .hasClient(client == null ? BooleanType.FALSE : BooleanType.TRUE);
        final IpAddress address = client == null ? IpAddress.ofIpv4(0) : client;
        Addresses.put(listStickyClients.client(), address.isIpv4() ? IpVersion.V4 : IpVersion.V6, address.hi(),
            address.lo());
        return offer(listStickyClients.encodedLength());
    }

    /**
     * Forgets one client's extended-affinity entries, own and foreign, of one rule or every rule.
     *
     * @param correlationId identifies the request in its Ack.
     * @param ruleIndex     one rule, or {@link ControlProtocol#ALL_RULES}.
     * @param client        the client, unmasked (the dataplane masks it per rule's affinity).
     * @return the offer's result.
     */
    public long flushClient(final long correlationId, final int ruleIndex, final IpAddress client) {
        flushClient.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .ruleIndex(ruleIndex);
        Addresses.put(flushClient.client(), client.isIpv4() ? IpVersion.V4 : IpVersion.V6, client.hi(), client.lo());
        return offer(flushClient.encodedLength());
    }

    /**
     * Asks how this host decides a flow's packets now (read-only), answered by an Explanation.
     *
     * @param correlationId identifies the request in its answer.
     * @param protocol      IP protocol number (6 TCP, 17 UDP).
     * @return the offer's result.
     */
    public long explain(final long correlationId, final int protocol, final IpAddress client, final int clientPort,
        final IpAddress vip, final int vipPort) {
        explain.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .protocol((short)protocol)
            .clientPort(clientPort)
            .vipPort(vipPort);
        Addresses.put(explain.client(), client.isIpv4() ? IpVersion.V4 : IpVersion.V6, client.hi(), client.lo());
        Addresses.put(explain.vip(), vip.isIpv4() ? IpVersion.V4 : IpVersion.V6, vip.hi(), vip.lo());
        return offer(explain.encodedLength());
    }

    /**
     * Starts a capture of the frames from the cluster network with their verdicts: acked, then answered by
     * CapturedFrames messages carrying this correlation id, the last flagged.
     *
     * @param correlationId names the capture.
     * @param ruleIndex     one rule, or {@link ControlProtocol#ALL_RULES}.
     * @param verdicts      which frames to keep.
     * @param maxFrames     it ends after this many.
     * @param snapLength    bytes kept of each frame.
     * @param durationMs    it ends after this long at the latest.
     * @return the offer's result.
     */
    public long startCapture(final long correlationId, final int ruleIndex, final CaptureVerdicts verdicts,
        final long maxFrames, final int snapLength, final long durationMs) {
        startCapture.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .ruleIndex(ruleIndex)
            .verdicts(verdicts)
            .maxFrames(maxFrames)
            .snapLength(snapLength)
            .durationMs(durationMs);
        return offer(startCapture.encodedLength());
    }

    /**
     * Ends a capture now; its last CapturedFrames follows.
     *
     * @param correlationId identifies the request in its Ack.
     * @param captureId     the StartCapture's correlation id.
     * @return the offer's result.
     */
    public long stopCapture(final long correlationId, final long captureId) {
        stopCapture.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .incarnation(incarnation)
            .captureId(captureId);
        return offer(stopCapture.encodedLength());
    }

    /**
     * @return most entries one InstallForeignEntries can carry on this publication.
     */
    public int maxEntriesPerMessage() {
        final int room = publication.maxMessageLength() - MessageHeaderEncoder.ENCODED_LENGTH -
            InstallForeignEntriesEncoder.BLOCK_LENGTH - InstallForeignEntriesEncoder.EntriesEncoder.sbeHeaderSize();
        return Math.min(room / InstallForeignEntriesEncoder.EntriesEncoder.sbeBlockLength(),
            InstallForeignEntriesEncoder.EntriesEncoder.countMaxValue());
    }

    /**
     * @return most clients one DropClients can carry on this publication.
     */
    public int maxClientsPerMessage() {
        final int room = publication.maxMessageLength() - MessageHeaderEncoder.ENCODED_LENGTH -
            DropClientsEncoder.BLOCK_LENGTH - DropClientsEncoder.ClientsEncoder.sbeHeaderSize();
        return Math.min(room / DropClientsEncoder.ClientsEncoder.sbeBlockLength(),
            DropClientsEncoder.ClientsEncoder.countMaxValue());
    }

    /**
     * @return this lbd's incarnation, stamped on every request.
     */
    public long incarnation() {
        return incarnation;
    }

    private long offer(final int bodyLength) {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        if (length > publication.maxMessageLength()) {
            return Offers.MESSAGE_TOO_LARGE;
        }
        return publication.offer(buffer, 0, length);
    }

    private static void checkFingerprint(final byte[] configFingerprint) {
        if (configFingerprint.length != ControlProtocol.FINGERPRINT_LENGTH) {
            throw new IllegalArgumentException("a config fingerprint has " + ControlProtocol.FINGERPRINT_LENGTH +
                " bytes (SHA-256), not " + configFingerprint.length);
        }
    }
}
