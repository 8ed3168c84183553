package lb.dataplane.api;

import lb.dataplane.api.sbe.DataplaneStatusDecoder;
import lb.dataplane.api.sbe.DataplaneStatusEncoder;
import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.MessageHeaderDecoder;
import lb.dataplane.api.sbe.MessageHeaderEncoder;
import lb.dataplane.api.sbe.VipAnnounceState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link StatusReport} encoded and decoded in a buffer: every field, and the fields a version 1 sender lacks.
 */
class StatusReportTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    @Test
    void shouldDecodeWhatItEncodedIncludingTrackedConnections() {
        final StatusReport sent = new StatusReport()
            .process(4242, 1_700_000_000_000L, 3)
            .controlIncarnation(99)
            .appliedViewEpoch(12)
            .trackedConnections(1L << 40)
            .addVip(IpVersion.V4, 0, Addresses.ipv4MappedLow(0x0a00_0064), VipAnnounceState.ANSWERING, 0);
        sent.encode(new DataplaneStatusEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .incarnation(77));

        final StatusReport received = new StatusReport().decode(decoder());

        assertEquals(77, received.incarnation());
        assertEquals(4242, received.pid());
        assertEquals(3, received.workerCount());
        assertEquals(12, received.appliedViewEpoch());
        assertEquals(1L << 40, received.trackedConnections());
        assertEquals(1, received.vipCount());
        assertEquals(VipAnnounceState.ANSWERING, received.vipState(0));
    }

    @Test
    void shouldDecodeTheNullValueOfTrackedConnectionsAsZero() {
        final DataplaneStatusEncoder encoder = new DataplaneStatusEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .incarnation(77);
        new StatusReport().process(1, 2, 1).encode(encoder);
        encoder.trackedConnections(DataplaneStatusEncoder.trackedConnectionsNullValue());
        final StatusReport received = new StatusReport().trackedConnections(5);

        received.decode(decoder());

        assertEquals(0, received.trackedConnections());
    }

    @Test
    void shouldDecodeAVersion1StatusAsNoTrackedConnections() {
        final StatusReport previous = new StatusReport().trackedConnections(5);
        new StatusReport().process(1, 2, 1).trackedConnections(9).encode(new DataplaneStatusEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .incarnation(77));
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);

        // Acting version 1: the decoder does not read the field, whatever the bytes hold.
        previous.decode(new DataplaneStatusDecoder().wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), 1));

        assertEquals(0, previous.trackedConnections());
        assertEquals(77, previous.incarnation());
    }

    private DataplaneStatusDecoder decoder() {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        return new DataplaneStatusDecoder().wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }
}
