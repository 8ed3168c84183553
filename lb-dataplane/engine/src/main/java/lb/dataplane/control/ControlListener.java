package lb.dataplane.control;

import lb.dataplane.api.BucketBitmaps;
import lb.dataplane.api.ControlProtocol;
import lb.dataplane.api.sbe.ApplyViewDecoder;
import lb.dataplane.api.sbe.DropClientsDecoder;
import lb.dataplane.api.sbe.InstallForeignEntriesDecoder;
import lb.dataplane.api.sbe.IpVersion;
import org.agrona.DirectBuffer;

/**
 * What the dataplane's conductor does with each request from lbd, as decoded by {@link ControlAdapter}.
 *
 * <p>Buffers and decoders passed in are views of the received message, valid only during the call: copy what must
 * outlive it. Deciding whether to act (incarnation, epoch, fingerprint) and acknowledging through
 * {@link DataplaneEventsProxy} are the listener's job; docs/control-interface.md gives the rules.
 */
public interface ControlListener {
    /**
     * @param correlationId     request id, echoed in the Ack.
     * @param incarnation       the sending lbd's incarnation.
     * @param configFingerprint SHA-256 of the canonical config, {@link ControlProtocol#FINGERPRINT_LENGTH} bytes.
     * @param config            the canonical config text, a view whose capacity is its length.
     */
    void onApplyConfig(long correlationId, long incarnation, DirectBuffer configFingerprint, DirectBuffer config);

    /**
     * @param view the message, positioned after its fixed fields: read {@code rules()} (and, in each, owners then
     *             dirtyBuckets, for instance with {@code wrapOwners}) before {@code vips()}, each once.
     */
    void onApplyView(ApplyViewDecoder view);

    /**
     * @param correlationId request id, echoed in the Ack.
     * @param incarnation   the sending lbd's incarnation.
     * @param version       the VIP's IP version ({@code SBE_UNKNOWN} from a confused sender).
     * @param vipHigh       its first 8 bytes (see {@link lb.dataplane.api.Addresses}).
     * @param vipLow        its last 8 bytes.
     * @param count         gratuitous announcements to send.
     * @param spacingMs     milliseconds between them.
     */
    void onAnnounceVip(long correlationId, long incarnation, IpVersion version, long vipHigh, long vipLow, int count,
        long spacingMs);

    /**
     * @param correlationId request id, echoed in the Ack.
     * @param incarnation   the sending lbd's incarnation.
     * @param version       the VIP's IP version.
     * @param vipHigh       its first 8 bytes.
     * @param vipLow        its last 8 bytes.
     */
    void onWithdrawVip(long correlationId, long incarnation, IpVersion version, long vipHigh, long vipLow);

    /**
     * @param correlationId request id, echoed in every StickyClients chunk.
     * @param incarnation   the sending lbd's incarnation.
     * @param ruleIndex     the rule.
     * @param buckets       bitmap of the buckets to export ({@link BucketBitmaps}), a view whose capacity is its
     *                      length.
     */
    void onExportStickyClients(long correlationId, long incarnation, int ruleIndex, DirectBuffer buckets);

    /**
     * @param entries the message, positioned after its fixed fields: iterate {@code entries()} once.
     */
    void onInstallForeignEntries(InstallForeignEntriesDecoder entries);

    /**
     * @param correlationId request id, echoed in the Ack.
     * @param incarnation   the sending lbd's incarnation.
     * @param connections   flush tracked connections.
     * @param affinity      flush extended-affinity entries, own and foreign.
     * @param ruleIndex     one rule, or {@link ControlProtocol#ALL_RULES}.
     */
    void onFlush(long correlationId, long incarnation, boolean connections, boolean affinity, int ruleIndex);

    /**
     * @param correlationId request id, echoed in the Ack.
     * @param incarnation   the sending lbd's incarnation.
     * @param ruleIndex     the rule.
     * @param buckets       bitmap of the buckets whose own sticky clients go ({@link BucketBitmaps}), a view whose
     *                      capacity is its length.
     */
    void onDropClaims(long correlationId, long incarnation, int ruleIndex, DirectBuffer buckets);

    /**
     * @param clients the message, positioned after its fixed fields: iterate {@code clients()}; {@code sbeRewind()}
     *                starts the message over, to read them again.
     */
    void onDropClients(DropClientsDecoder clients);

    /**
     * @param correlationId request id, echoed in the Ack.
     * @param incarnation   the sending lbd's incarnation.
     * @param ownerHostId   the host whose foreign entries go (0 from a confused sender).
     */
    void onReleaseForeign(long correlationId, long incarnation, int ownerHostId);

    /**
     * ListStickyClients (since version 3): one page of the affinity table, answered by a StickyClientPage.
     *
     * @param request positioned after its fixed fields.
     */
    default void onListStickyClients(lb.dataplane.api.sbe.ListStickyClientsDecoder request) {
    }

    /**
     * FlushClient (since version 3): forget one client's affinity entries, own and foreign.
     *
     * @param request positioned after its fixed fields.
     */
    default void onFlushClient(lb.dataplane.api.sbe.FlushClientDecoder request) {
    }

    /**
     * Explain (since version 3): how this host decides a flow now, answered by an Explanation.
     *
     * @param request positioned after its fixed fields.
     */
    default void onExplain(lb.dataplane.api.sbe.ExplainDecoder request) {
    }

    /**
     * StartCapture (since version 3): acked, then answered by CapturedFrames.
     *
     * @param request positioned after its fixed fields.
     */
    default void onStartCapture(lb.dataplane.api.sbe.StartCaptureDecoder request) {
    }

    /**
     * StopCapture (since version 3).
     *
     * @param request positioned after its fixed fields.
     */
    default void onStopCapture(lb.dataplane.api.sbe.StopCaptureDecoder request) {
    }
}
