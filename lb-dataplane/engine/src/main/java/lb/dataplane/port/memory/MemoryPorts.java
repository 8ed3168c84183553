package lb.dataplane.port.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lb.dataplane.dpdk.Mbufs;
import lb.dataplane.port.PortIo;
import lb.dataplane.port.PortStatistics;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static lb.dataplane.memory.UncheckedMemory.NATIVE;

/**
 * Ports and an mbuf pool in plain off-heap memory, with no EAL: frames {@linkplain Port#inject injected} into a
 * port come out of {@link #receive} in mbufs laid out as DPDK's (so the packet path reads them with the same code),
 * and frames a port {@link #transmit}s are copied out and their mbufs returned to the pool, as a device does once
 * it has sent them. For tests that drive agents synchronously, and for running the engine in-process.
 *
 * <pre>
 *  arena: [ mbuf 0 ][ mbuf 1 ] ... [ mbuf n-1 ]
 *  mbuf:  [ struct rte_mbuf, padded to 128 B ][ headroom 128 B ][ data room ]
 * </pre>
 *
 * <p>It checks what DPDK would not: freeing an mbuf twice, or one that is not from this pool, throws. One lock
 * guards everything; this is not a dataplane's fast path.
 */
public final class MemoryPorts implements PortIo, AutoCloseable {
    /** Bytes before an mbuf's first data byte, as DPDK's RTE_PKTMBUF_HEADROOM. */
    public static final int HEADROOM = 128;
    private static final long HEADER = 128;

    private final Arena arena = Arena.ofShared();
    private final long base;
    private final long stride;
    private final int count;
    private final int dataRoom;
    private final long[] free;
    private final boolean[] held;
    private int freeCount;
    private final List<Port> ports = new ArrayList<>();

    /**
     * @param mbufs    mbufs in the pool.
     * @param dataRoom bytes each mbuf holds after its headroom.
     */
    public MemoryPorts(final int mbufs, final int dataRoom) {
        if (mbufs < 1 || dataRoom < 64 || dataRoom + HEADROOM > 0xFFFF) {
            throw new IllegalArgumentException("need at least 1 mbuf of 64 to " + (0xFFFF - HEADROOM) +
                " bytes, got " + mbufs + " of " + dataRoom);
        }
        if (Mbufs.SIZE > HEADER) {
            throw new IllegalStateException("struct rte_mbuf has " + Mbufs.SIZE + " bytes, more than " + HEADER);
        }
        this.count = mbufs;
        this.dataRoom = dataRoom;
        this.stride = (HEADER + HEADROOM + dataRoom + 63) & ~63L;
        this.base = arena.allocate(stride * mbufs, 64).address();
        this.free = new long[mbufs];
        this.held = new boolean[mbufs];
        for (int i = mbufs - 1; i >= 0; i--) {
            free[freeCount++] = base + stride * i;
        }
    }

    /**
     * Adds a port; ids count from 0 in the order ports are added.
     *
     * @param name a name for statistics.
     * @param mac  its MAC address, the low 48 bits.
     * @return the port.
     */
    public synchronized Port addPort(final String name, final long mac) {
        final Port port = new Port(ports.size(), name, mac);
        ports.add(port);
        return port;
    }

    /**
     * @param id a port id.
     * @return that port.
     */
    public synchronized Port port(final int id) {
        return ports.get(id);
    }

    /**
     * @return bytes an mbuf holds.
     */
    public int dataRoom() {
        return dataRoom;
    }

    @Override
    public synchronized int receive(final int port, final int queue, final MemorySegment mbufs, final int capacity) {
        final ArrayDeque<Long> rx = ports.get(port).rxQueue(queue);
        int received = 0;
        while (received < capacity && !rx.isEmpty()) {
            NATIVE.set(JAVA_LONG, mbufs.address() + 8L * received++, rx.poll());
        }
        ports.get(port).rxPackets += received;
        return received;
    }

    @Override
    public synchronized int transmit(final int port, final int queue, final MemorySegment mbufs, final int count) {
        final Port p = ports.get(port);
        final int taken = Math.min(count, p.txRoom);
        for (int i = 0; i < taken; i++) {
            final long mbuf = NATIVE.get(JAVA_LONG, mbufs.address() + 8L * i);
            final byte[] frame = new byte[Mbufs.dataLength(mbuf)];
            MemorySegment.copy(NATIVE, JAVA_BYTE, Mbufs.data(mbuf), frame, 0, frame.length);
            p.transmitted.add(frame);
            release(mbuf);
        }
        if (p.txRoom != Integer.MAX_VALUE) {
            p.txRoom -= taken;
        }
        p.txPackets += taken;
        return taken;
    }

    @Override
    public synchronized boolean allocate(final MemorySegment mbufs, final int count) {
        if (count > freeCount) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            NATIVE.set(JAVA_LONG, mbufs.address() + 8L * i, take());
        }
        return true;
    }

    @Override
    public synchronized void free(final MemorySegment mbufs, final int count) {
        for (int i = 0; i < count; i++) {
            release(NATIVE.get(JAVA_LONG, mbufs.address() + 8L * i));
        }
    }

    @Override
    public synchronized int mbufsInUse() {
        return count - freeCount;
    }

    @Override
    public void close() {
        arena.close();
    }

    private long take() {
        final long mbuf = free[--freeCount];
        held[index(mbuf)] = true;
        Mbufs.format(mbuf, mbuf + HEADER, HEADROOM + dataRoom, HEADROOM);
        return mbuf;
    }

    private void release(final long mbuf) {
        final int index = index(mbuf);
        if (!held[index]) {
            throw new IllegalStateException("mbuf 0x" + Long.toHexString(mbuf) + " freed twice");
        }
        held[index] = false;
        free[freeCount++] = mbuf;
    }

    private int index(final long mbuf) {
        final long offset = mbuf - base;
        if (offset < 0 || offset >= stride * count || offset % stride != 0) {
            throw new IllegalStateException("0x" + Long.toHexString(mbuf) + " is not an mbuf of this pool");
        }
        return (int)(offset / stride);
    }

    /** A port: RX queues to inject frames into, and the frames it transmitted. */
    public final class Port implements PortStatistics {
        private final int id;
        private final String name;
        private final long mac;
        private final Map<Integer, ArrayDeque<Long>> rx = new HashMap<>();
        private final List<byte[]> transmitted = new ArrayList<>();
        private int txRoom = Integer.MAX_VALUE;
        private long rxPackets;
        private long txPackets;
        private long rxNoMbuf;
        private final long[] stats = new long[3];

        private Port(final int id, final String name, final long mac) {
            this.id = id;
            this.name = name;
            this.mac = mac;
        }

        /**
         * Copies a frame into a fresh mbuf at the tail of an RX queue.
         *
         * @param queue RX queue.
         * @param frame the frame, at most {@link #dataRoom()} bytes.
         * @return false when the pool is empty (counted as rx no mbuf).
         */
        public boolean inject(final int queue, final byte[] frame) {
            if (frame.length > dataRoom) {
                throw new IllegalArgumentException("frame of " + frame.length + " bytes; an mbuf holds " + dataRoom);
            }
            synchronized (MemoryPorts.this) {
                if (freeCount == 0) {
                    rxNoMbuf++;
                    return false;
                }
                final long mbuf = take();
                MemorySegment.copy(frame, 0, NATIVE, JAVA_BYTE, Mbufs.data(mbuf), frame.length);
                Mbufs.setLength(mbuf, frame.length);
                rxQueue(queue).add(mbuf);
                return true;
            }
        }

        /**
         * @return the frames transmitted since the last call, in order; they are forgotten.
         */
        public List<byte[]> takeTransmitted() {
            synchronized (MemoryPorts.this) {
                final List<byte[]> frames = List.copyOf(transmitted);
                transmitted.clear();
                return frames;
            }
        }

        /**
         * Limits how many more frames the port takes, as a full TX ring does; the rest of a burst stays the caller's.
         *
         * @param frames frames it takes from now on, in all.
         */
        public void txRoom(final int frames) {
            synchronized (MemoryPorts.this) {
                txRoom = frames;
            }
        }

        /**
         * @return the port's MAC, the low 48 bits.
         */
        public long mac() {
            return mac;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void refreshStats() {
            synchronized (MemoryPorts.this) {
                stats[0] = rxPackets;
                stats[1] = txPackets;
                stats[2] = rxNoMbuf;
            }
        }

        @Override
        public long rxPackets() {
            return stats[0];
        }

        @Override
        public long txPackets() {
            return stats[1];
        }

        @Override
        public long rxMissed() {
            return 0;
        }

        @Override
        public long rxErrors() {
            return 0;
        }

        @Override
        public long txErrors() {
            return 0;
        }

        @Override
        public long rxNoMbuf() {
            return stats[2];
        }

        private ArrayDeque<Long> rxQueue(final int queue) {
            return rx.computeIfAbsent(queue, q -> new ArrayDeque<>());
        }
    }
}
