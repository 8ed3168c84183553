package lb.dataplane.api;

import java.util.Arrays;

import lb.dataplane.api.sbe.DataplaneStatusDecoder;
import lb.dataplane.api.sbe.DataplaneStatusEncoder;
import lb.dataplane.api.sbe.IpAddressDecoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.VipAnnounceState;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The content of a DataplaneStatus message, reusable: the dataplane's conductor keeps one up to date and sends it;
 * lbd decodes each one it receives into one and keeps it. VIP arrays grow only past their largest size so far.
 */
public final class StatusReport {
    private static final int INITIAL_VIP_CAPACITY = 8;

    private final byte[] fingerprint = new byte[ControlProtocol.FINGERPRINT_LENGTH];
    private final UnsafeBuffer fingerprintView = new UnsafeBuffer(fingerprint);
    private long incarnation;
    private long pid;
    private long startTimeMs;
    private long controlIncarnation;
    private long appliedViewEpoch;
    private int workerCount;
    private long trackedConnections;
    private int vipCount;
    private IpVersion[] vipVersions = new IpVersion[INITIAL_VIP_CAPACITY];
    private long[] vipHighs = new long[INITIAL_VIP_CAPACITY];
    private long[] vipLows = new long[INITIAL_VIP_CAPACITY];
    private VipAnnounceState[] vipStates = new VipAnnounceState[INITIAL_VIP_CAPACITY];
    private int[] announcementsDue = new int[INITIAL_VIP_CAPACITY];

    /**
     * @param pid         the dataplane's process id.
     * @param startTimeMs when it started, epoch milliseconds.
     * @param workerCount worker lcores it runs.
     * @return this.
     */
    public StatusReport process(final long pid, final long startTimeMs, final int workerCount) {
        this.pid = pid;
        this.startTimeMs = startTimeMs;
        this.workerCount = workerCount;
        return this;
    }

    /**
     * @param controlIncarnation the lbd incarnation whose requests the dataplane follows, 0 before any.
     * @return this.
     */
    public StatusReport controlIncarnation(final long controlIncarnation) {
        this.controlIncarnation = controlIncarnation;
        return this;
    }

    /**
     * @param appliedViewEpoch epoch of the view in force, 0 before any.
     * @return this.
     */
    public StatusReport appliedViewEpoch(final long appliedViewEpoch) {
        this.appliedViewEpoch = appliedViewEpoch;
        return this;
    }

    /**
     * @param trackedConnections live entries of the connection table, as its sweep last counted them.
     * @return this.
     */
    public StatusReport trackedConnections(final long trackedConnections) {
        this.trackedConnections = trackedConnections;
        return this;
    }

    /**
     * @param src    where the fingerprint of the config in force is (all zero before any).
     * @param offset its first byte.
     * @return this.
     */
    public StatusReport appliedConfigFingerprint(final DirectBuffer src, final int offset) {
        src.getBytes(offset, fingerprint);
        return this;
    }

    /**
     * Forgets every VIP, before adding the current ones.
     *
     * @return this.
     */
    public StatusReport clearVips() {
        vipCount = 0;
        return this;
    }

    /**
     * @param version          the VIP's IP version.
     * @param high             its first 8 bytes (see {@link Addresses}).
     * @param low              its last 8 bytes.
     * @param state            whether ARP/ND frames for it leave this host.
     * @param announcementsDue gratuitous announcements still to send, 0-65535.
     * @return this.
     */
    public StatusReport addVip(final IpVersion version, final long high, final long low, final VipAnnounceState state,
        final int announcementsDue) {
        if (vipCount == vipVersions.length) {
            grow(vipCount * 2);
        }
        vipVersions[vipCount] = version;
        vipHighs[vipCount] = high;
        vipLows[vipCount] = low;
        vipStates[vipCount] = state;
        this.announcementsDue[vipCount] = announcementsDue;
        vipCount++;
        return this;
    }

    /**
     * Writes the report after the encoder's header, all but the incarnation, which the sender stamps.
     *
     * @param encoder wrapped (and header applied) where the message goes.
     */
    public void encode(final DataplaneStatusEncoder encoder) {
        encoder.pid(pid)
            .startTimeMs(startTimeMs)
            .controlIncarnation(controlIncarnation)
            .appliedViewEpoch(appliedViewEpoch)
            .putAppliedConfigFingerprint(fingerprint, 0, fingerprint.length)
            .workerCount(workerCount)
            .trackedConnections(trackedConnections);
        final DataplaneStatusEncoder.VipsEncoder vips = encoder.vipsCount(vipCount);
        for (int i = 0; i < vipCount; i++) {
            vips.next();
            Addresses.put(vips.vip(), vipVersions[i], vipHighs[i], vipLows[i]);
            vips.state(vipStates[i]).announcementsDue(announcementsDue[i]);
        }
    }

    /**
     * Replaces the report's content with a received message's. A version 1 message has no tracked connections: they
     * decode as 0, as does the field's null value.
     *
     * @param decoder wrapped at a DataplaneStatus message.
     * @return this.
     */
    public StatusReport decode(final DataplaneStatusDecoder decoder) {
        incarnation = decoder.incarnation();
        pid = decoder.pid();
        startTimeMs = decoder.startTimeMs();
        controlIncarnation = decoder.controlIncarnation();
        appliedViewEpoch = decoder.appliedViewEpoch();
        decoder.getAppliedConfigFingerprint(fingerprint, 0, fingerprint.length);
        workerCount = decoder.workerCount();
        final long tracked = decoder.trackedConnections();
        trackedConnections = tracked == DataplaneStatusDecoder.trackedConnectionsNullValue() ? 0 : tracked;
        clearVips();
        for (final DataplaneStatusDecoder.VipsDecoder vips : decoder.vips()) {
            final IpAddressDecoder vip = vips.vip();
            addVip(vip.version(), Addresses.high(vip), Addresses.low(vip), vips.state(), vips.announcementsDue());
        }
        return this;
    }

    /**
     * @return the sender's incarnation, as decoded; differs each time the dataplane starts.
     */
    public long incarnation() {
        return incarnation;
    }

    /**
     * @return the dataplane's process id.
     */
    public long pid() {
        return pid;
    }

    /**
     * @return when the dataplane started, epoch milliseconds.
     */
    public long startTimeMs() {
        return startTimeMs;
    }

    /**
     * @return the lbd incarnation whose requests the dataplane follows, 0 before any.
     */
    public long controlIncarnation() {
        return controlIncarnation;
    }

    /**
     * @return epoch of the view in force, 0 before any.
     */
    public long appliedViewEpoch() {
        return appliedViewEpoch;
    }

    /**
     * @return the fingerprint of the config in force (32 bytes, all zero before any); a view of this report.
     */
    public DirectBuffer appliedConfigFingerprint() {
        return fingerprintView;
    }

    /**
     * @return worker lcores the dataplane runs.
     */
    public int workerCount() {
        return workerCount;
    }

    /**
     * @return live entries of the dataplane's connection table, as its sweep last counted them: up to one sweep pass
     *     (about a second) behind, 0 before the first pass ends, and 0 from a dataplane older than this field.
     */
    public long trackedConnections() {
        return trackedConnections;
    }

    /**
     * @return VIPs reported.
     */
    public int vipCount() {
        return vipCount;
    }

    /**
     * @param vip 0 to {@link #vipCount()} - 1.
     * @return the VIP's IP version.
     */
    public IpVersion vipVersion(final int vip) {
        return vipVersions[vip];
    }

    /**
     * @param vip 0 to {@link #vipCount()} - 1.
     * @return the VIP's first 8 bytes.
     */
    public long vipHigh(final int vip) {
        return vipHighs[vip];
    }

    /**
     * @param vip 0 to {@link #vipCount()} - 1.
     * @return the VIP's last 8 bytes.
     */
    public long vipLow(final int vip) {
        return vipLows[vip];
    }

    /**
     * @param vip 0 to {@link #vipCount()} - 1.
     * @return whether ARP/ND frames for the VIP leave the host.
     */
    public VipAnnounceState vipState(final int vip) {
        return vipStates[vip];
    }

    /**
     * @param vip 0 to {@link #vipCount()} - 1.
     * @return gratuitous announcements still to send for the VIP.
     */
    public int announcementsDue(final int vip) {
        return announcementsDue[vip];
    }

    private void grow(final int capacity) {
        vipVersions = Arrays.copyOf(vipVersions, capacity);
        vipHighs = Arrays.copyOf(vipHighs, capacity);
        vipLows = Arrays.copyOf(vipLows, capacity);
        vipStates = Arrays.copyOf(vipStates, capacity);
        announcementsDue = Arrays.copyOf(announcementsDue, capacity);
    }
}
