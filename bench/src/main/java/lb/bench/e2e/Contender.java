package lb.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A program the harness measures. All of them get the same EAL set-up: the traffic pcap replayed from
 * memory as port {@code net_pcap0}, a {@code net_null0} sink (no RX) as the second port, one forwarding
 * core (cpu {@link Setup#workerCpu}) and the main thread on cpu 0.
 */
public enum Contender {
    /** dpdk-testpmd io forwarding: the ceiling, no packet is read. */
    TESTPMD_IO("testpmd-io"),
    /** dpdk-testpmd 5tswap: reads and rewrites every frame's L2-L4 addresses. */
    TESTPMD_5TSWAP("testpmd-5tswap"),
    /** The C reference load balancer (bench/cref): our per-packet logic written in C. */
    CREF("c-ref"),
    /** The C reference before issue 14 tuned it ({@code make -C bench/cref untuned}): for the record only. */
    CREF_UNTUNED("c-ref-untuned"),
    /** The Java dataplane forwarding without looking at frames. */
    JAVA_PASSTHROUGH("java-passthrough"),
    /** The Java dataplane as a cluster host: the whole decision per packet. */
    JAVA_FULL("java-full");

    private final String label;

    Contender(final String label) {
        this.label = label;
    }

    /**
     * @return the name in reports.
     */
    public String label() {
        return label;
    }

    /**
     * @param label a name as in reports.
     * @return the contender.
     */
    public static Contender byLabel(final String label) {
        for (final Contender c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown contender '" + label + "'; valid: testpmd-io, testpmd-5tswap, " +
            "c-ref, c-ref-untuned, java-passthrough, java-full");
    }

    /**
     * @return true when the contender runs the load-balancing decision (reports verdicts).
     */
    public boolean balances() {
        return this == CREF || this == CREF_UNTUNED || this == JAVA_FULL;
    }

    /**
     * What every contender of one run shares.
     *
     * @param root        repository root.
     * @param pcap        the traffic.
     * @param frames      frames in it.
     * @param burst       RX/TX burst size.
     * @param workerCpu   the forwarding core.
     * @param connections connection table entries (power of two).
     * @param prefix      EAL file prefix (unique per run).
     * @param latencyFile where the burst histogram goes.
     * @param viewFile    the C reference's exported view.
     * @param latencyWarmupSeconds burst times recorded in this many seconds after the first burst are discarded.
     * @param cluster     the cluster file of the Java dataplane (the C reference's view is exported from it).
     * @param closingTimeoutMs the connection table's closing linger, 0 for the default (60 s).
     */
    public record Setup(Path root, Path pcap, long frames, int burst, int workerCpu, int connections, String prefix,
        Path latencyFile, Path viewFile, double latencyWarmupSeconds, Path cluster, long closingTimeoutMs) {
        /** Data room per mbuf: headroom plus a 64-byte frame. */
        static final int MBUF_SIZE = 192;

        long mbufs() {
            return frames + 16384;
        }

        long memoryMb() {
            // Per mbuf: object header, the 128-byte rte_mbuf, the data room, rounded up to cache lines and
            // spread over memory channels by the mempool (up to 512 bytes); then the pcap driver's ring of all
            // frames, descriptor rings and heap overhead.
            return mbufs() * (512 + 8) / (1024 * 1024) + 1024;
        }

        List<String> eal(final String lcores) {
            return List.of("--no-huge", "-m", Long.toString(memoryMb()), "--no-pci", "-l", lcores,
                "--file-prefix", prefix, "--log-level", "lib.eal:warning",
                "--vdev=net_pcap0,rx_pcap=" + pcap + ",infinite_rx=1", "--vdev=net_null0,no-rx=1");
        }
    }

    /**
     * @param s the run's set-up.
     * @return the command line.
     */
    public List<String> command(final Setup s) {
        final List<String> c = new ArrayList<>();
        switch (this) {
            case TESTPMD_IO, TESTPMD_5TSWAP -> {
                // Line-buffered: testpmd prints with stdio, block-buffered into a pipe.
                c.addAll(List.of("stdbuf", "-oL", "dpdk-testpmd"));
                c.addAll(s.eal("0," + s.workerCpu()));
                c.addAll(List.of("--", "--forward-mode=" + (this == TESTPMD_IO ? "io" : "5tswap"), "--nb-cores=1",
                    "--burst=" + s.burst(), "--rxd=1024", "--txd=1024", "--total-num-mbufs=" + s.mbufs(),
                    "--mbuf-size=" + Setup.MBUF_SIZE, "--stats-period=1", "--no-lsc-interrupt", "--no-rmv-interrupt"));
            }
            case CREF, CREF_UNTUNED -> {
                c.add(s.root().resolve(this == CREF ? "bench/cref/build/lb-cref" : "bench/cref/build/lb-cref-untuned")
                    .toString());
                c.addAll(s.eal("0," + s.workerCpu()));
                c.addAll(List.of("--", "--view", s.viewFile().toString(), "--nic", "net_pcap0", "--kernel", "net_null0",
                    "--burst", Integer.toString(s.burst()), "--mbufs", Long.toString(s.mbufs()), "--mbuf-size",
                    Integer.toString(Setup.MBUF_SIZE), "--connections", Integer.toString(s.connections()),
                    "--stats-interval", "1", "--latency-out", s.latencyFile().toString(),
                    "--latency-warmup", Double.toString(s.latencyWarmupSeconds())));
            }
            case JAVA_PASSTHROUGH, JAVA_FULL -> {
                c.add(s.root().resolve("lb").toString());
                c.add("dataplane");
                c.addAll(s.eal("0"));
                c.addAll(List.of("--", "--burst", Integer.toString(s.burst()), "--mbufs", Long.toString(s.mbufs()),
                    "--mbuf-size", Integer.toString(Setup.MBUF_SIZE), "--worker-cpus", Integer.toString(s.workerCpu()),
                    "--idle", "busy", "--stats-interval", "1", "--burst-latency", s.latencyFile().toString(),
                    "--burst-latency-warmup", Double.toString(s.latencyWarmupSeconds()),
                    "--aeron-dir", "/dev/shm/lb-bench-" + s.prefix()));
                if (this == JAVA_PASSTHROUGH) {
                    c.addAll(List.of("--port", "net_pcap0", "--tx-port", "net_null0"));
                } else {
                    c.addAll(List.of("--cluster", s.cluster().toString(),
                        "--host-id", "1", "--nic", "net_pcap0", "--kernel", "net_null0", "--connections",
                        Integer.toString(s.connections())));
                    if (s.closingTimeoutMs() > 0) {
                        c.addAll(List.of("--closing-timeout-ms", Long.toString(s.closingTimeoutMs())));
                    }
                }
            }
            default -> throw new IllegalStateException(name());
        }
        return c;
    }
}
