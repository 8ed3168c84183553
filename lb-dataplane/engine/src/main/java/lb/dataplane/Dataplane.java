package lb.dataplane;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import lb.dataplane.aeron.AeronHost;
import lb.dataplane.conductor.DataplaneConductor;
import lb.dataplane.conductor.StatsSampler;
import lb.dataplane.dpdk.DpdkException;
import lb.dataplane.dpdk.DpdkPorts;
import lb.dataplane.dpdk.Eal;
import lb.dataplane.dpdk.EthPort;
import lb.dataplane.dpdk.PacketPool;
import lb.dataplane.port.MbufBurst;
import lb.dataplane.port.PortIo;
import lb.dataplane.worker.BurstLatency;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine;

/**
 * The dataplane process: {@code lb dataplane [EAL arguments] -- [options]}.
 *
 * <p>Two modes share one lifecycle (EAL, Aeron counters, the packet pool, ports, worker lcores, the
 * conductor, a clean stop): with {@code --cluster} it is a cluster host ({@link BalanceMode}); without,
 * it forwards frames untouched ({@link PassthroughMode}), the bring-up path and the benchmark's ceiling.
 *
 * <p>Exit status: 0 after a clean stop; 1 when DPDK or the environment fails; 2 on a usage or
 * configuration error; 3 when mbufs were still in use after the ports closed (a leak).
 */
public final class Dataplane {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_LEAK = 3;

    static final PrintStream OUT = System.out;

    private Dataplane() {
    }

    /**
     * @param args EAL arguments, then {@code --}, then the dataplane's options.
     */
    public static void main(final String[] args) {
        System.exit(run(args));
    }

    static int run(final String[] args) {
        final int split = Arrays.asList(args).indexOf("--");
        final List<String> ealArgs = Arrays.asList(args).subList(0, split < 0 ? args.length : split);
        final String[] appArgs = split < 0 ? new String[0] : Arrays.copyOfRange(args, split + 1, args.length);

        final DataplaneOptions options = new DataplaneOptions();
        final CommandLine cli = new CommandLine(options);
        final Mode mode;
        try {
            cli.parseArgs(appArgs);
            if (cli.isUsageHelpRequested()) {
                cli.usage(OUT);
                return EXIT_OK;
            }
            options.validate();
            mode = options.cluster != null ? BalanceMode.load(options) : new PassthroughMode(options);
        } catch (final CommandLine.ParameterException | IllegalArgumentException ex) {
            System.err.println("lb dataplane: " + ex.getMessage());
            System.err.println("usage: lb dataplane [EAL arguments] -- [options]; lb dataplane -- --help lists the options");
            return EXIT_USAGE;
        }

        try {
            return runDataplane(ealArgs, options, mode);
        } catch (final DpdkException | IllegalStateException | IllegalArgumentException | IOException ex) {
            System.err.println("lb dataplane: " + ex.getMessage());
            return EXIT_FAILURE;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return EXIT_FAILURE;
        }
    }

    private static int runDataplane(final List<String> ealArgs, final DataplaneOptions options, final Mode mode)
        throws IOException, InterruptedException {
        final ShutdownSignals signals = new ShutdownSignals();
        final List<AutoCloseable> resources = new ArrayList<>();
        say("initialising DPDK EAL with " + String.join(" ", ealArgs));
        final Eal eal = Eal.init("lb-dataplane", ealArgs);
        say(JvmReport.describe());
        final JvmReport jvm = new JvmReport();
        AeronHost aeron = null;
        PacketPool pool = null;
        final List<EthPort> ports = new ArrayList<>();
        final List<AgentRunner> workerRunners = new ArrayList<>();
        AgentRunner conductorRunner = null;
        try {
            aeron = AeronHost.connect(options.aeronDirOrDefault());
            say((aeron.embedsDriver() ? "embedded Aeron media driver" : "joined Aeron media driver") +
                ", counters in " + aeron.aeronDir());
            if (eal.portCount() == 0) {
                throw new IllegalArgumentException("DPDK found no ports: give a device with EAL's --vdev or -a " +
                    "(e.g. --vdev=net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap)");
            }
            pool = PacketPool.create("lb_pkt_pool", options.mbufs, options.mbufCache,
                options.mbufSize, Eal.socketId());

            for (final EthPort port : mode.openPorts()) {
                ports.add(port);
                final String spread = port.configure(options.workers, options.workers, options.rxDesc,
                    options.txDesc, pool);
                if (options.promiscuous && port.enablePromiscuous() != 0) {
                    say("port " + port.name() + " has no promiscuous mode; continuing without it");
                }
                port.start();
                say("port " + port.id() + " (" + port.name() + ") started as " + mode.role(port) + ", mac " +
                    port.macAddress() + ", link " + (port.linkUp() ? "up" : "down") + ", " + spread);
            }

            final PortIo io = new DpdkPorts(pool);
            final StatsSampler stats = new StatsSampler(aeron, ports, pool.name(), io);
            resources.add(stats);
            final Mode.Workers workers = mode.start(aeron, io, resources);
            for (int w = 0; w < options.workers; w++) {
                final AgentRunner runner = new AgentRunner(options.idleStrategy(), Dataplane::agentError, null,
                    workers.agent(w));
                workerRunners.add(runner);
                AgentRunner.startOnThread(runner);
                awaitRegistration(w, workers, runner);
                jvm.addWorker(runner.thread());
                say("worker " + w + " is lcore " + workers.agent(w).lcoreId() + (options.workerCpu(w) >= 0 ?
                    " pinned to cpu " + options.workerCpu(w) : " (not pinned)") + ", " + workers.describe(w) +
                    " on queue " + w + ", burst " + options.burst + ", idle " + options.idle);
            }
            say("running; SIGINT or SIGTERM stops");

            conductorRunner = new AgentRunner(new SleepingMillisIdleStrategy(1), Dataplane::agentError, null,
                new DataplaneConductor(stats, workers.conductorDuties(),
                    seconds -> workers.statsLine(seconds) + " worker-heap-alloc " + jvm.workerAllocatedBytes() +
                        " gc-collections " + JvmReport.collectionCount(),
                    new SystemNanoClock(), new SystemEpochClock(),
                    OUT, (long)(options.statsInterval * 1e9)));
            AgentRunner.startOnThread(conductorRunner);
            awaitStop(options, signals);
            say("stopping (" + signals.reason() + ")");

            // The conductor first: it hands frames to worker 0, which frees what is left when it closes.
            CloseHelper.close(conductorRunner);
            conductorRunner = null;
            final long allocated = jvm.workerAllocatedBytes();
            CloseHelper.closeAll(workerRunners);
            workerRunners.clear();
            say("worker threads allocated " + allocated + " bytes on the heap in all; " + JvmReport.collections());
            if (options.burstLatency != null) {
                final List<Histogram> histograms = new ArrayList<>();
                for (int w = 0; w < options.workers; w++) {
                    histograms.add(workers.agent(w).burstLatency().histogram());
                }
                final long bursts = BurstLatency.write(histograms, options.burstLatency);
                say("burst latency of " + bursts + " bursts written to " + options.burstLatency);
            }
            final long drained = drain(ports, pool, io);
            workers.summary().forEach(Dataplane::say);
            say("drained " + drained + " from rx queues");
        } finally {
            CloseHelper.close(conductorRunner);
            CloseHelper.closeAll(workerRunners);
            for (final EthPort port : ports) {
                port.close();
            }
            final int leaked = pool == null ? 0 : pool.inUse();
            CloseHelper.closeAll(resources);
            CloseHelper.closeAll(pool, aeron);
            eal.close();
            if (pool != null) {
                say("mbufs in use at exit: " + leaked);
                if (leaked != 0) {
                    System.err.println("lb dataplane: " + leaked + " mbufs were not returned to the pool");
                    return EXIT_LEAK;
                }
            }
        }
        return EXIT_OK;
    }

    /** Waits for SIGINT, SIGTERM or the end of --duration. */
    private static void awaitStop(final DataplaneOptions options, final ShutdownSignals signals)
        throws InterruptedException {
        final long stopAtNs = options.duration > 0 ? System.nanoTime() + (long)(options.duration * 1e9) : 0;
        while (!signals.await(20)) {
            if (stopAtNs != 0 && System.nanoTime() - stopAtNs >= 0) {
                signals.request("--duration reached");
            }
        }
    }

    /** Waits for a worker thread to become an lcore, so a failure to register or pin stops start-up. */
    private static void awaitRegistration(final int workerId, final Mode.Workers workers, final AgentRunner runner)
        throws InterruptedException {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (workers.agent(workerId).lcoreId() < 0) {
            final Thread thread = runner.thread();
            final boolean died = thread == AgentRunner.TOMBSTONE || thread != null && !thread.isAlive();
            if (died || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("worker " + workerId + " did not register with EAL (see the error above)");
            }
            Thread.sleep(1);
        }
    }

    /**
     * Frees whatever is still waiting in the RX queues after the workers stopped, so that every mbuf is
     * back in the pool before the ports close. A device that never runs dry (net_null, a busy NIC) is
     * drained of at most a pool's worth per queue: what it holds beyond that it releases when it stops.
     */
    private static long drain(final List<EthPort> ports, final PacketPool pool, final PortIo io) {
        long drained = 0;
        try (Arena arena = Arena.ofConfined()) {
            final MbufBurst burst = new MbufBurst(32, arena, io);
            for (final EthPort port : ports) {
                for (int queue = 0; queue < port.rxQueueCount(); queue++) {
                    long fromQueue = 0;
                    int n;
                    while (fromQueue < pool.size() && (n = burst.receive(port.id(), queue)) > 0) {
                        burst.free(n);
                        fromQueue += n;
                    }
                    drained += fromQueue;
                }
            }
        }
        return drained;
    }

    private static void agentError(final Throwable error) {
        System.err.println("lb dataplane: agent error: " + error);
        error.printStackTrace(System.err);
    }

    static void say(final String message) {
        OUT.println("lb-dataplane: " + message);
        OUT.flush();
    }
}
