package lb.dataplane.conductor;

import java.lang.foreign.Arena;

import lb.dataplane.config.IpAddress;
import lb.dataplane.dpdk.Mbufs;
import lb.dataplane.packet.ArpWriter;
import lb.dataplane.packet.IgmpWriter;
import lb.dataplane.packet.NdWriter;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.port.MbufBurst;
import lb.dataplane.port.PortIo;
import lb.dataplane.view.DataplaneView;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import static lb.dataplane.memory.UncheckedMemory.NATIVE;

/**
 * Writes gratuitous ARP (request and reply forms, RFC 5227) or an unsolicited neighbor advertisement
 * (override set) into fresh mbufs and hands them to worker 0 through a one-to-one ring buffer of mbuf
 * addresses. The worker owns the NIC's TX queue and sends each frame through its egress check against
 * the view it is using, like every frame claiming a VIP, so a frame written before a withdrawal cannot
 * leave after it.
 */
public final class AnnouncementFrames implements VipAnnouncer.Sender, AutoCloseable {
    /** Message type of an mbuf address in the ring. */
    public static final int MBUF_MESSAGE = 1;

    private final RingBuffer toWorker;
    private final Arena arena = Arena.ofShared();
    private final MbufBurst burst;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);

    /**
     * @param io       where mbufs come from.
     * @param toWorker the ring worker 0 drains.
     */
    public AnnouncementFrames(final PortIo io, final RingBuffer toWorker) {
        this.burst = new MbufBurst(2, arena, io);
        this.toWorker = toWorker;
    }

    @Override
    public int announce(final DataplaneView view, final IpAddress vip) {
        final int frames = vip.isIpv4() ? 2 : 1;
        if (!burst.allocate(frames)) {
            return 0;
        }
        int handed = 0;
        for (int i = 0; i < frames; i++) {
            final long mbuf = burst.mbuf(i);
            final long data = Mbufs.data(mbuf);
            final int capacity = Mbufs.capacity(mbuf);
            final int length;
            if (!vip.isIpv4()) {
                length = NdWriter.unsolicitedAdvertisement(NATIVE, data, capacity, view.sourceMac(),
                    view.clusterMac(), vip.hi(), vip.lo(), ParsedPacket.NONE);
            } else if (i == 0) {
                length = ArpWriter.gratuitousRequest(NATIVE, data, capacity, view.sourceMac(), view.clusterMac(),
                    vip.ipv4(), ParsedPacket.NONE);
            } else {
                length = ArpWriter.gratuitousReply(NATIVE, data, capacity, view.sourceMac(), view.clusterMac(),
                    vip.ipv4(), ParsedPacket.NONE);
            }
            Mbufs.setLength(mbuf, length);
            message.putLong(0, mbuf);
            if (toWorker.write(MBUF_MESSAGE, message, 0, Long.BYTES)) {
                handed++;
            } else {
                burst.set(0, mbuf);
                burst.free(1);
            }
        }
        return handed;
    }

    /**
     * Hands worker 0 an IGMPv2 membership report for the view's group, from the primary IPv4 VIP.
     *
     * @param view the current view (IGMP multicast mode).
     * @return frames handed over.
     */
    public int report(final DataplaneView view) {
        if (!burst.allocate(1)) {
            return 0;
        }
        final long mbuf = burst.mbuf(0);
        Mbufs.setLength(mbuf, IgmpWriter.membershipReport(NATIVE, Mbufs.data(mbuf), Mbufs.capacity(mbuf),
            view.sourceMac(), view.igmpSource(), view.igmpGroup(), ParsedPacket.NONE));
        message.putLong(0, mbuf);
        if (toWorker.write(MBUF_MESSAGE, message, 0, Long.BYTES)) {
            return 1;
        }
        burst.free(1);
        return 0;
    }

    @Override
    public void close() {
        arena.close();
    }
}
