package lb.dataplane;

import java.nio.file.Path;

import lb.dataplane.api.CountersFile;
import lb.dataplane.memory.PageMemory;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dataplane's own arguments: those after {@code --}, EAL's being before it.
 */
@Command(
    name = "lb dataplane",
    customSynopsis = "lb dataplane [EAL arguments] -- [options]",
    mixinStandardHelpOptions = true,
    description = {
        "The lb packet engine. EAL arguments (before --) choose cores, memory and devices exactly as for any",
        "DPDK application, e.g. -l 0-1 -a 0000:03:00.0, or --no-huge --no-pci --vdev=net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap.",
        "Options (after --):"})
final class DataplaneOptions {
    @Option(names = {"--nic", "--port"}, paramLabel = "NAME|ID", defaultValue = "0",
        description = "The cluster-network port: a DPDK device name (net_pcap0, 0000:03:00.0) or port id. Default: ${DEFAULT-VALUE}.")
    String nic;

    @Option(names = "--cluster", paramLabel = "FILE.yaml",
        description = "Run as a host of the cluster this static cluster file describes (with --host-id and --kernel). Without it the dataplane only forwards (passthrough).")
    Path cluster;

    @Option(names = "--host-id", defaultValue = "0", description = "This host's id in the cluster file.")
    int hostId;

    @Option(names = "--await-lbd",
        description = "With --cluster: own nothing and answer for no VIP until lbd applies a config and a view over the control interface (how lbd starts its dataplane). Without it the file's members are all taken as live and the dataplane applies that view itself, through the same calls.")
    boolean awaitLbd;

    @Option(names = "--kernel", paramLabel = "NAME|ID",
        description = "With --cluster: the exception-path port to this host's kernel (net_tap), or a net_pcap port whose file receives what the kernel would.")
    String kernel;

    @Option(names = "--drops", paramLabel = "NAME|ID",
        description = "With --cluster: a port that receives every dropped frame (e.g. net_pcap to a file). Default: drops are freed.")
    String drops;

    @Option(names = "--connections", defaultValue = "1048576",
        description = "With --cluster: connection-table capacity, a power of two (64 bytes each); an eighth may be half-open. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--closing-timeout-ms", defaultValue = "0", paramLabel = "MS",
        description = "With --cluster: how long a closed (FIN or RST) connection stays tracked, in milliseconds; 0 for the default (NLB's 60 s). The benchmark shortens it to measure the new-connection rate.")
    long closingTimeoutMs;

    @Option(names = "--sticky-clients", defaultValue = "65536",
        description = "With --cluster: extended-affinity table capacity, a power of two. Default: ${DEFAULT-VALUE}.")
    int stickyClients;

    @Option(names = "--table-pages", defaultValue = "auto", paramLabel = "auto|hugetlb|thp|small",
        description = "With --cluster: where the flow tables' memory comes from: the hugepage pool (hugetlb), transparent huge pages (thp), ordinary pages (small), or the first of these that works (auto). Huge pages spare most lookups a TLB miss. Default: ${DEFAULT-VALUE}.")
    String tablePages;

    @Option(names = "--tx-port", paramLabel = "NAME|ID",
        description = "Passthrough only: a second port; frames from --nic go out here and back (a bump in the wire). Default: frames go back out --nic.")
    String txPort;

    @Option(names = "--burst", defaultValue = "32", description = "Mbufs per RX/TX burst, 1-512. Default: ${DEFAULT-VALUE}.")
    int burst;

    @Option(names = "--rx-desc", defaultValue = "1024", description = "RX descriptors per queue. Default: ${DEFAULT-VALUE}.")
    int rxDesc;

    @Option(names = "--tx-desc", defaultValue = "1024", description = "TX descriptors per queue. Default: ${DEFAULT-VALUE}.")
    int txDesc;

    @Option(names = "--mbufs", defaultValue = "8191", description = "Mbufs in the packet pool (2^n-1 is best). Default: ${DEFAULT-VALUE}.")
    int mbufs;

    @Option(names = "--mbuf-size", defaultValue = "2176", paramLabel = "BYTES",
        description = "Data room per mbuf including the 128-byte headroom, 192-65535 (DPDK's default 2176 holds a 1518-byte frame; small-frame benchmarks with millions of stored frames use less). Default: ${DEFAULT-VALUE}.")
    int mbufSize;

    @Option(names = "--burst-latency", paramLabel = "FILE",
        description = "Record the time each worker spends on one non-empty burst in 16 (from RX returning to the last TX) in a histogram and write it here at exit, as lines '<ns> <count>'. For benchmarks.")
    Path burstLatency;

    @Option(names = "--burst-latency-warmup", defaultValue = "0", paramLabel = "SECONDS",
        description = "With --burst-latency: discard what each worker records in its first SECONDS after its first burst (start-up, JIT compilation). Default: ${DEFAULT-VALUE}.")
    double burstLatencyWarmup;

    @Option(names = "--burst-latency-counters", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Count each worker's timed bursts (one non-empty burst in 16) in fixed log-scale latency buckets in the counters file (types 1800+, lbd's /metrics histogram lb_worker_burst_latency_seconds); --no-burst-latency-counters turns it off. Default: on.")
    boolean burstLatencyCounters;

    @Option(names = "--mbuf-cache", defaultValue = "256", description = "Per-lcore mbuf cache, 0-512. Default: ${DEFAULT-VALUE}.")
    int mbufCache;

    @Option(names = "--workers", defaultValue = "1",
        description = "Worker lcores; each polls its own RX queue of every port. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--worker-cpus", split = ",", paramLabel = "CPU[,CPU...]",
        description = "CPU to pin each worker to, one per worker, e.g. 2,3. Default: workers are not pinned.")
    int[] workerCpus;

    @Option(names = "--idle", defaultValue = "backoff", paramLabel = "busy|yield|backoff|sleep",
        description = "What a worker does when a burst is empty: busy (dedicated cores), yield, backoff (shared cores), sleep. Default: ${DEFAULT-VALUE}.")
    String idle;

    @Option(names = "--promiscuous", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Put the ports in promiscuous mode (NLB unicast mode needs it); --no-promiscuous turns it off. Default: on.")
    boolean promiscuous;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Aeron directory holding the counters (CnC file); joined if a driver runs there, else created. Default: the Aeron default dir + '-lb'.")
    String aeronDir;

    @Option(names = "--stats-interval", defaultValue = "0", paramLabel = "SECONDS",
        description = "Print a stats line this often; 0 never. Default: ${DEFAULT-VALUE}.")
    double statsInterval;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
        description = "Stop by itself after this long; 0 runs until SIGINT or SIGTERM. Default: ${DEFAULT-VALUE}.")
    double duration;

    @Option(names = "--inject", paramLabel = "FILE.pcap",
        description = "Transmit the frames of this pcap file once on the TX port at start (seeds a loopback ring, or sends test traffic).")
    Path inject;

    /**
     * Checks ranges; the message names the option and what is valid.
     *
     * @throws IllegalArgumentException on the first invalid option.
     */
    void validate() {
        require(burst >= 1 && burst <= 512, "--burst must be 1-512, was " + burst);
        require(mbufSize >= 192 && mbufSize <= 65535, "--mbuf-size must be 192-65535 bytes (128 of headroom), was " + mbufSize);
        try {
            PageMemory.Policy.parse(tablePages);
        } catch (final IllegalArgumentException e) {
            require(false, "--table-pages must be one of auto, hugetlb, thp, small; was '" + tablePages + "'");
        }
        require(burstLatencyWarmup >= 0 && burstLatencyWarmup <= 86400,
            "--burst-latency-warmup must be 0-86400 seconds, was " + burstLatencyWarmup);
        require(rxDesc >= 1 && rxDesc <= 65535, "--rx-desc must be 1-65535, was " + rxDesc);
        require(txDesc >= 1 && txDesc <= 65535, "--tx-desc must be 1-65535, was " + txDesc);
        final int needed = workers * (2 * burst + rxDesc + txDesc) + (mbufCache + burst) * workers;
        require(mbufs >= needed, "--mbufs must be at least --workers x (2 x --burst + --rx-desc + --tx-desc + " +
            "--mbuf-cache + --burst) (" + needed + "), was " + mbufs);
        require(mbufCache >= 0 && mbufCache <= 512 && mbufCache * 1.5 <= mbufs,
            "--mbuf-cache must be 0-512 and at most --mbufs / 1.5, was " + mbufCache);
        require(workers >= 1 && workers <= 64, "--workers must be 1-64, was " + workers);
        require(Integer.bitCount(connections) == 1 && connections >= 1024,
            "--connections must be a power of two of at least 1024, was " + connections);
        require(closingTimeoutMs >= 0, "--closing-timeout-ms must be at least 0, was " + closingTimeoutMs);
        require(Integer.bitCount(stickyClients) == 1 && stickyClients >= 1024,
            "--sticky-clients must be a power of two of at least 1024, was " + stickyClients);
        require(cluster != null || (kernel == null && drops == null && hostId == 0),
            "--host-id, --kernel and --drops need --cluster");
        require(cluster == null || txPort == null, "--tx-port is for passthrough; with --cluster use --kernel");
        if (workerCpus != null) {
            require(workerCpus.length == workers, "--worker-cpus must name one CPU per worker (" + workers +
                "), named " + workerCpus.length);
            for (final int cpu : workerCpus) {
                require(cpu >= 0, "--worker-cpus must be CPU numbers (0 or more), had " + cpu);
            }
        }
        require(statsInterval >= 0, "--stats-interval must be >= 0 seconds, was " + statsInterval);
        require(duration >= 0, "--duration must be >= 0 seconds, was " + duration);
        idleStrategy();
    }

    IdleStrategy idleStrategy() {
        return switch (idle) {
            case "busy" -> new BusySpinIdleStrategy();
            case "yield" -> new YieldingIdleStrategy();
            case "backoff" -> new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
            case "sleep" -> new SleepingMillisIdleStrategy(1);
            default -> throw new IllegalArgumentException("--idle must be busy, yield, backoff or sleep, was '" +
                idle + "'");
        };
    }

    int workerCpu(final int worker) {
        return workerCpus == null ? -1 : workerCpus[worker];
    }

    String aeronDirOrDefault() {
        return aeronDir != null ? aeronDir : CountersFile.defaultAeronDir();
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
