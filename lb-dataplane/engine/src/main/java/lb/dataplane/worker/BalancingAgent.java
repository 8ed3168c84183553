package lb.dataplane.worker;

import java.lang.foreign.Arena;

import lb.dataplane.dpdk.Lcores;
import lb.dataplane.dpdk.Mbufs;
import lb.dataplane.dpdk.PrefetchList;
import lb.dataplane.pipeline.Pipeline;
import lb.dataplane.pipeline.Verdict;
import lb.dataplane.port.MbufBurst;
import lb.dataplane.port.PortIo;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewHolder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import static lb.dataplane.memory.UncheckedMemory.NATIVE;

/**
 * A worker lcore of a cluster host: its queue of the cluster-network port (NIC) and of the exception-path
 * port (kernel). Each duty cycle reads the current view once, then:
 *
 * <pre>
 *  NIC rx ──ingress──┬─ ACCEPT, PASS ──────▶ kernel tx
 *                    ├─ REPLY (ARP/ND) ────▶ NIC tx
 *                    └─ drop ──────────────▶ drop port tx, or freed
 *  kernel rx ─egress─┬─ PASS ──────────────▶ NIC tx
 *  conductor ring ───┘  (worker 0: VIP announcements, checked like the kernel's frames)
 *                    └─ drop ──────────────▶ drop port tx, or freed
 * </pre>
 *
 * Frames are decided in place in their mbufs ({@link Pipeline}); output bursts are arrays of the same
 * mbuf pointers, so nothing is copied or allocated per packet. The ports are a {@link PortIo}: DPDK's in the
 * dataplane, memory's when a test drives {@link #doWork()} with a fake clock.
 */
public final class BalancingAgent implements LcoreAgent {
    private final int workerId;
    private final int nicPort;
    private final int kernelPort;
    private final int dropPort;
    private final int queue;
    private final int cpu;
    private final ViewHolder views;
    private final Pipeline pipeline;
    private final BalancingCounters counters;
    private final EpochClock clock;
    private final Arena arena = Arena.ofShared();
    private final MbufBurst rx;
    private final MbufBurst toKernel;
    private final MbufBurst toNic;
    private final MbufBurst toDrop;
    private final PrefetchList prefetch;
    private final RingBuffer fromConductor;
    private final MessageHandler conductorFrame = this::onConductorFrame;
    private final BurstLatency burstLatency;
    private long bursts;
    private DataplaneView conductorView;
    private long conductorNowMs;
    private int conductorNic;
    private int conductorDrop;
    private long publishedMs = Long.MIN_VALUE;
    private volatile int lcoreId = -1;

    /**
     * @param workerId   worker index: its counters' key and its slot in the view holder.
     * @param nicPort    cluster-network port id.
     * @param kernelPort exception-path port id.
     * @param dropPort   port that receives dropped frames (a capture), or -1 to free them.
     * @param queue      queue id on every port.
     * @param burstSize  mbufs per burst.
     * @param cpu        CPU to pin to, or -1.
     * @param views      where the current view is read.
     * @param pipeline   this worker's packet logic.
     * @param counters   this worker's counters.
     * @param clock      milliseconds, read once per duty cycle.
     * @param fromConductor frames the conductor sends out the NIC through this worker, or null.
     * @param burstLatency where to record each non-empty NIC burst's handling time in ns, or null not to.
     * @param io         the ports and pool.
     */
    public BalancingAgent(final int workerId, final int nicPort, final int kernelPort, final int dropPort,
        final int queue, final int burstSize, final int cpu, final ViewHolder views, final Pipeline pipeline,
        final BalancingCounters counters, final EpochClock clock, final RingBuffer fromConductor,
        final BurstLatency burstLatency, final PortIo io) {
        if (burstSize > Pipeline.MAX_BURST) {
            throw new IllegalArgumentException("burst size must be at most " + Pipeline.MAX_BURST + ", was " +
                burstSize);
        }
        this.workerId = workerId;
        this.nicPort = nicPort;
        this.kernelPort = kernelPort;
        this.dropPort = dropPort;
        this.queue = queue;
        this.cpu = cpu;
        this.views = views;
        this.pipeline = pipeline;
        this.counters = counters;
        this.clock = clock;
        this.fromConductor = fromConductor;
        this.burstLatency = burstLatency;
        this.rx = new MbufBurst(burstSize, arena, io);
        this.toKernel = new MbufBurst(burstSize, arena, io);
        this.toNic = new MbufBurst(burstSize, arena, io);
        this.toDrop = new MbufBurst(burstSize, arena, io);
        this.prefetch = new PrefetchList(2 * burstSize, arena);
    }

    @Override
    public void onStart() {
        lcoreId = Lcores.registerCurrentThread(cpu);
    }

    @Override
    public int doWork() {
        final DataplaneView view = views.current();
        views.observe(workerId, view.version());
        final long nowMs = clock.time();
        final int work = fromNic(view, nowMs) + fromKernel(view, nowMs) + fromConductor(view, nowMs);
        if (nowMs != publishedMs) {
            // At most once a millisecond: publishing stores some 70 counters, each on its own cache line.
            publishedMs = nowMs;
            publishCounters();
        }
        return work;
    }

    private int fromNic(final DataplaneView view, final long nowMs) {
        final int received = rx.receive(nicPort, queue);
        if (received == 0) {
            return 0;
        }
        final long startNs =
            burstLatency != null && (++bursts & BurstLatency.SAMPLE_MASK) == 0 ? System.nanoTime() : 0;
        final BalancingCounters counters = this.counters;
        int kernel = 0;
        int nic = 0;
        int drop = 0;
        // Two passes: parse every frame and prefetch the connection slots all of them will read, then decide each
        // (see Pipeline.prepare).
        for (int i = 0; i < received; i++) {
            final long mbuf = rx.mbuf(i);
            pipeline.prepare(i, NATIVE, Mbufs.data(mbuf), Mbufs.dataLength(mbuf));
        }
        prefetch.prefetch(pipeline.prefetchAddresses(received, prefetch.address()));
        // lbctl capture: null unless a capture runs, then each frame is copied before its decision rewrites it.
        final CaptureTap capture = views.capture();
        for (int i = 0; i < received; i++) {
            final long mbuf = rx.mbuf(i);
            final int claim = capture == null ? -1 : capture.claim(workerId, Mbufs.data(mbuf), Mbufs.dataLength(mbuf));
            final int verdict = pipeline.decide(i, NATIVE, Mbufs.data(mbuf), Mbufs.dataLength(mbuf),
                Mbufs.capacity(mbuf), view, nowMs);
            if (claim >= 0) {
                capture.commit(workerId, claim, verdict, pipeline.classifier().lastRuleSlot(),
                    pipeline.classifier().lastBucket());
            }
            counters.ingress[verdict]++;
            if (verdict == Verdict.ACCEPT || verdict == Verdict.PASS) {
                toKernel.set(kernel++, mbuf);
            } else if (verdict == Verdict.REPLY) {
                Mbufs.setLength(mbuf, pipeline.lastLength());
                toNic.set(nic++, mbuf);
            } else {
                if (verdict == Verdict.DROP_MALFORMED) {
                    counters.parse[pipeline.lastParseResult()]++;
                }
                toDrop.set(drop++, mbuf);
            }
        }
        counters.rxFromNic += received;
        send(kernel, nic, drop);
        if (startNs != 0) {
            burstLatency.record(startNs);
        }
        return received;
    }

    private int fromKernel(final DataplaneView view, final long nowMs) {
        final int received = rx.receive(kernelPort, queue);
        if (received == 0) {
            return 0;
        }
        final BalancingCounters counters = this.counters;
        int nic = 0;
        int drop = 0;
        for (int i = 0; i < received; i++) {
            final long mbuf = rx.mbuf(i);
            final int verdict = pipeline.egress(NATIVE, Mbufs.data(mbuf), Mbufs.dataLength(mbuf), view, nowMs);
            counters.egress[verdict]++;
            if (verdict == Verdict.PASS) {
                toNic.set(nic++, mbuf);
            } else {
                if (verdict == Verdict.DROP_MALFORMED) {
                    counters.parse[pipeline.lastParseResult()]++;
                }
                toDrop.set(drop++, mbuf);
            }
        }
        counters.rxFromKernel += received;
        send(0, nic, drop);
        return received;
    }

    private int fromConductor(final DataplaneView view, final long nowMs) {
        if (fromConductor == null) {
            return 0;
        }
        conductorView = view;
        conductorNowMs = nowMs;
        conductorNic = 0;
        conductorDrop = 0;
        final int read = fromConductor.read(conductorFrame, toNic.capacity());
        if (read > 0) {
            send(0, conductorNic, conductorDrop);
        }
        return read;
    }

    private void onConductorFrame(final int type, final MutableDirectBuffer buffer, final int index, final int length) {
        final long mbuf = buffer.getLong(index);
        final int verdict = pipeline.egress(NATIVE, Mbufs.data(mbuf), Mbufs.dataLength(mbuf), conductorView,
            conductorNowMs);
        counters.egress[verdict]++;
        if (verdict == Verdict.PASS) {
            toNic.set(conductorNic++, mbuf);
        } else {
            toDrop.set(conductorDrop++, mbuf);
        }
    }

    private void send(final int kernel, final int nic, final int drop) {
        int dropped = 0;
        if (kernel > 0) {
            dropped += kernel - toKernel.transmitOrFree(kernelPort, queue, kernel);
        }
        if (nic > 0) {
            dropped += nic - toNic.transmitOrFree(nicPort, queue, nic);
        }
        if (drop > 0) {
            toDrop.transmitOrFreeAll(dropPort, queue, drop);
        }
        counters.txDropped += dropped;
    }

    private void publishCounters() {
        counters.statelessFallbacks = pipeline.classifier().statelessFallbacks();
        counters.halfOpenRefusals = pipeline.classifier().halfOpenRefusals();
        counters.publish();
    }

    @Override
    public void onClose() {
        if (fromConductor != null) {
            // Frames the conductor handed over but nobody will send go back to the pool.
            fromConductor.read((type, buffer, index, length) -> {
                toDrop.set(0, buffer.getLong(index));
                toDrop.free(1);
            });
        }
        publishCounters();
        if (lcoreId >= 0) {
            Lcores.unregisterCurrentThread();
        }
        arena.close();
    }

    @Override
    public BurstLatency burstLatency() {
        return burstLatency;
    }

    @Override
    public int lcoreId() {
        return lcoreId;
    }

    @Override
    public String roleName() {
        return "lb-worker-" + workerId;
    }
}
