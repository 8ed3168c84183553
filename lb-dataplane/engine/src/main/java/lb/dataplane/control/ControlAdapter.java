package lb.dataplane.control;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import lb.dataplane.api.Addresses;
import lb.dataplane.api.MessageScreen;
import lb.dataplane.api.sbe.AnnounceVipDecoder;
import lb.dataplane.api.sbe.ApplyConfigDecoder;
import lb.dataplane.api.sbe.ApplyViewDecoder;
import lb.dataplane.api.sbe.DropClaimsDecoder;
import lb.dataplane.api.sbe.DropClientsDecoder;
import lb.dataplane.api.sbe.ExportStickyClientsDecoder;
import lb.dataplane.api.sbe.FlushDecoder;
import lb.dataplane.api.sbe.FlushTablesDecoder;
import lb.dataplane.api.sbe.InstallForeignEntriesDecoder;
import lb.dataplane.api.sbe.IpAddressDecoder;
import lb.dataplane.api.sbe.MessageHeaderDecoder;
import lb.dataplane.api.sbe.ReleaseForeignDecoder;
import lb.dataplane.api.sbe.WithdrawVipDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The dataplane's side of the control stream: polls lbd's requests, reassembles those that span several fragments
 * (configs, views), decodes them and calls a {@link ControlListener}. Messages this build cannot read are counted
 * and skipped by a {@link MessageScreen}. Decoding allocates nothing; only the conductor's thread may poll.
 */
public final class ControlAdapter implements FragmentHandler {
    private final Subscription subscription;
    private final ControlListener listener;
    private final MessageScreen screen;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ApplyConfigDecoder applyConfig = new ApplyConfigDecoder();
    private final ApplyViewDecoder applyView = new ApplyViewDecoder();
    private final AnnounceVipDecoder announceVip = new AnnounceVipDecoder();
    private final WithdrawVipDecoder withdrawVip = new WithdrawVipDecoder();
    private final ExportStickyClientsDecoder exportStickyClients = new ExportStickyClientsDecoder();
    private final InstallForeignEntriesDecoder installForeignEntries = new InstallForeignEntriesDecoder();
    private final FlushDecoder flush = new FlushDecoder();
    private final DropClaimsDecoder dropClaims = new DropClaimsDecoder();
    private final DropClientsDecoder dropClients = new DropClientsDecoder();
    private final ReleaseForeignDecoder releaseForeign = new ReleaseForeignDecoder();
    private final lb.dataplane.api.sbe.ListStickyClientsDecoder listStickyClients =
        new lb.dataplane.api.sbe.ListStickyClientsDecoder();
    private final lb.dataplane.api.sbe.FlushClientDecoder flushClient = new lb.dataplane.api.sbe.FlushClientDecoder();
    private final lb.dataplane.api.sbe.ExplainDecoder explain = new lb.dataplane.api.sbe.ExplainDecoder();
    private final lb.dataplane.api.sbe.StartCaptureDecoder startCapture = new lb.dataplane.api.sbe.StartCaptureDecoder();
    private final lb.dataplane.api.sbe.StopCaptureDecoder stopCapture = new lb.dataplane.api.sbe.StopCaptureDecoder();
    private final UnsafeBuffer fingerprintView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer dataView = new UnsafeBuffer(0, 0);

    /**
     * @param subscription the control stream (see {@link lb.dataplane.api.ControlChannels}); the caller owns it.
     * @param listener     told each request.
     * @param screen       counts and reports what cannot be read.
     */
    public ControlAdapter(final Subscription subscription, final ControlListener listener,
        final MessageScreen screen) {
        this.subscription = subscription;
        this.listener = listener;
        this.screen = screen;
    }

    /**
     * @param fragmentLimit most fragments to read.
     * @return fragments read, the work count for the duty cycle.
     */
    public int poll(final int fragmentLimit) {
        return subscription.poll(assembler, fragmentLimit);
    }

    /**
     * Decodes one whole message; the assembler calls it, and tests may.
     */
    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader) {
        if (!screen.accept(header, buffer, offset, length)) {
            return;
        }
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId()) {
            case ApplyConfigDecoder.TEMPLATE_ID -> {
                applyConfig.wrap(buffer, bodyOffset, blockLength, version);
                applyConfig.wrapConfigFingerprint(fingerprintView);
                applyConfig.wrapConfig(dataView);
                listener.onApplyConfig(applyConfig.correlationId(), applyConfig.incarnation(), fingerprintView,
                    dataView);
            }
            case ApplyViewDecoder.TEMPLATE_ID -> listener.onApplyView(applyView.wrap(buffer, bodyOffset, blockLength,
                version));
            case AnnounceVipDecoder.TEMPLATE_ID -> {
                announceVip.wrap(buffer, bodyOffset, blockLength, version);
                final IpAddressDecoder vip = announceVip.vip();
                listener.onAnnounceVip(announceVip.correlationId(), announceVip.incarnation(), vip.version(),
                    Addresses.high(vip), Addresses.low(vip), announceVip.count(), announceVip.spacingMs());
            }
            case WithdrawVipDecoder.TEMPLATE_ID -> {
                withdrawVip.wrap(buffer, bodyOffset, blockLength, version);
                final IpAddressDecoder vip = withdrawVip.vip();
                listener.onWithdrawVip(withdrawVip.correlationId(), withdrawVip.incarnation(), vip.version(),
                    Addresses.high(vip), Addresses.low(vip));
            }
            case ExportStickyClientsDecoder.TEMPLATE_ID -> {
                exportStickyClients.wrap(buffer, bodyOffset, blockLength, version);
                final long correlationId = exportStickyClients.correlationId();
                final long incarnation = exportStickyClients.incarnation();
                final int ruleIndex = exportStickyClients.ruleIndex();
                exportStickyClients.wrapBuckets(dataView);
                listener.onExportStickyClients(correlationId, incarnation, ruleIndex, dataView);
            }
            case InstallForeignEntriesDecoder.TEMPLATE_ID -> listener.onInstallForeignEntries(
                installForeignEntries.wrap(buffer, bodyOffset, blockLength, version));
            case FlushDecoder.TEMPLATE_ID -> {
                flush.wrap(buffer, bodyOffset, blockLength, version);
                final FlushTablesDecoder tables = flush.tables();
                listener.onFlush(flush.correlationId(), flush.incarnation(), tables.connections(), tables.affinity(),
                    flush.ruleIndex());
            }
            case DropClaimsDecoder.TEMPLATE_ID -> {
                dropClaims.wrap(buffer, bodyOffset, blockLength, version);
                final long correlationId = dropClaims.correlationId();
                final long incarnation = dropClaims.incarnation();
                final int ruleIndex = dropClaims.ruleIndex();
                dropClaims.wrapBuckets(dataView);
                listener.onDropClaims(correlationId, incarnation, ruleIndex, dataView);
            }
            case DropClientsDecoder.TEMPLATE_ID -> listener.onDropClients(
                dropClients.wrap(buffer, bodyOffset, blockLength, version));
            case ReleaseForeignDecoder.TEMPLATE_ID -> {
                releaseForeign.wrap(buffer, bodyOffset, blockLength, version);
                listener.onReleaseForeign(releaseForeign.correlationId(), releaseForeign.incarnation(),
                    releaseForeign.ownerHostId());
            }
            case lb.dataplane.api.sbe.ListStickyClientsDecoder.TEMPLATE_ID -> listener.onListStickyClients(
                listStickyClients.wrap(buffer, bodyOffset, blockLength, version));
            case lb.dataplane.api.sbe.FlushClientDecoder.TEMPLATE_ID -> listener.onFlushClient(
                flushClient.wrap(buffer, bodyOffset, blockLength, version));
            case lb.dataplane.api.sbe.ExplainDecoder.TEMPLATE_ID -> listener.onExplain(
                explain.wrap(buffer, bodyOffset, blockLength, version));
            case lb.dataplane.api.sbe.StartCaptureDecoder.TEMPLATE_ID -> listener.onStartCapture(
                startCapture.wrap(buffer, bodyOffset, blockLength, version));
            case lb.dataplane.api.sbe.StopCaptureDecoder.TEMPLATE_ID -> listener.onStopCapture(
                stopCapture.wrap(buffer, bodyOffset, blockLength, version));
            default -> screen.unknownTemplate(header.templateId());
        }
    }
}
