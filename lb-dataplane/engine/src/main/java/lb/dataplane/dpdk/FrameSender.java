package lb.dataplane.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import lb.dataplane.ffi.Dpdk;
import lb.dataplane.ffi.rte_mbuf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Copies frames from the heap into fresh mbufs and transmits them: for seeding and test traffic at
 * start-up, not for the packet path (it copies and allocates).
 */
public final class FrameSender {
    private FrameSender() {
    }

    /**
     * Sends every frame on queue 0 of {@code port}, retrying while the TX queue is full.
     *
     * @param pool   where to take mbufs from.
     * @param port   port to send on.
     * @param frames frames, each at most the pool's data room less headroom.
     * @return number of frames sent.
     * @throws DpdkException when the pool runs dry.
     */
    public static int send(final PacketPool pool, final EthPort port, final List<byte[]> frames) {
        final int maxFrame = Dpdk.RTE_MBUF_DEFAULT_BUF_SIZE() - Dpdk.RTE_PKTMBUF_HEADROOM();
        try (Arena arena = Arena.ofConfined()) {
            final MbufBurst burst = new MbufBurst(32, arena);
            int sent = 0;
            while (sent < frames.size()) {
                final int count = Math.min(burst.capacity(), frames.size() - sent);
                if (Dpdk.lb_pktmbuf_alloc_bulk(pool.address(), burst.pointers(), count) != 0) {
                    throw new DpdkException("allocating " + count + " mbufs from " + pool.name() + " (" +
                        pool.available() + " available)");
                }
                for (int i = 0; i < count; i++) {
                    final byte[] frame = frames.get(sent + i);
                    if (frame.length > maxFrame) {
                        burst.free(count);
                        throw new IllegalArgumentException("frame " + (sent + i) + " has " + frame.length +
                            " bytes; at most " + maxFrame + " fit an mbuf");
                    }
                    final MemorySegment mbuf = MemorySegment.ofAddress(burst.mbuf(i)).reinterpret(rte_mbuf.sizeof());
                    final long dataAddress = rte_mbuf.buf_addr(mbuf).address() +
                        Short.toUnsignedInt(rte_mbuf.data_off(mbuf));
                    MemorySegment.copy(frame, 0, MemorySegment.ofAddress(dataAddress).reinterpret(frame.length),
                        JAVA_BYTE, 0, frame.length);
                    rte_mbuf.data_len(mbuf, (short)frame.length);
                    rte_mbuf.pkt_len(mbuf, frame.length);
                }
                int queued = 0;
                while (queued < count) {
                    queued += Short.toUnsignedInt(Dpdk.lb_tx_burst((short)port.id(), (short)0,
                        burst.pointers().asSlice((long)queued * Long.BYTES), (short)(count - queued)));
                    Thread.onSpinWait();
                }
                sent += count;
            }
            return sent;
        }
    }
}
