package lb.dataplane.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import lb.dataplane.port.MbufBurst;
import lb.dataplane.port.PortIo;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static lb.dataplane.memory.UncheckedMemory.NATIVE;

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
     * @param io     where to take mbufs from and send them through.
     * @param port   port to send on.
     * @param frames frames, each at most an mbuf's data room.
     * @return number of frames sent.
     * @throws DpdkException when the pool runs dry.
     */
    public static int send(final PortIo io, final EthPort port, final List<byte[]> frames) {
        try (Arena arena = Arena.ofConfined()) {
            final MbufBurst burst = new MbufBurst(32, arena, io);
            int sent = 0;
            while (sent < frames.size()) {
                final int count = Math.min(burst.capacity(), frames.size() - sent);
                if (!burst.allocate(count)) {
                    throw new DpdkException("allocating " + count + " mbufs (" + io.mbufsInUse() + " in use)");
                }
                for (int i = 0; i < count; i++) {
                    final byte[] frame = frames.get(sent + i);
                    final long mbuf = burst.mbuf(i);
                    if (frame.length > Mbufs.capacity(mbuf)) {
                        burst.free(count);
                        throw new IllegalArgumentException("frame " + (sent + i) + " has " + frame.length +
                            " bytes; at most " + Mbufs.capacity(mbuf) + " fit an mbuf");
                    }
                    MemorySegment.copy(frame, 0, NATIVE, JAVA_BYTE, Mbufs.data(mbuf), frame.length);
                    Mbufs.setLength(mbuf, frame.length);
                }
                int queued = 0;
                while (queued < count) {
                    queued += io.transmit(port.id(), 0, burst.pointers().asSlice(queued * ADDRESS.byteSize()),
                        count - queued);
                    Thread.onSpinWait();
                }
                sent += count;
            }
            return sent;
        }
    }
}
