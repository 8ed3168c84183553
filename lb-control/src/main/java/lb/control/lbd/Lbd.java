package lb.control.lbd;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import lb.control.admin.AdminServer;
import lb.control.config.ConfigReplica;
import lb.control.config.ConfigStore;
import lb.control.health.HealthCheck;
import lb.control.health.HealthChecker;
import lb.control.metrics.DataplaneCollector;
import lb.control.metrics.MetricsServer;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.Endpoint;
import lb.dataplane.config.file.ClusterFileLoader;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * lbd, the control daemon of one host: embeds the media driver of the management network, starts and supervises the
 * host's dataplane (which runs its own media driver, so forwarding and its control endpoint outlive lbd) and keeps it
 * on the cluster's config.
 *
 * <p>Signals: SIGTERM ends lbd alone and leaves the dataplane forwarding on its last view (restart lbd to take it
 * back); SIGINT (Ctrl-C) stops the host: the dataplane too.
 */
@Command(name = "lbd", mixinStandardHelpOptions = true, sortOptions = false,
    description = "The lb control daemon of one host: starts and supervises its dataplane.",
    footer = {"", "Arguments after -- are the dataplane's: EAL arguments, then -- and dataplane options " +
        "(./lb dataplane -- --help); lbd adds --cluster, --host-id, --await-lbd and --aeron-dir itself."})
public final class Lbd implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    private static final PrintStream OUT = System.out;
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    /** A dataplane that dies at start-up is started again after 0.5 s, then 1 s, 2 s… up to 30 s. */
    private static final long RESTART_BACKOFF_MS = 500;
    private static final long MAX_RESTART_BACKOFF_MS = 30_000;
    /** After the departure heartbeat, how long lbd keeps its publications open so that it leaves the host. */
    private static final long DEPARTURE_LINGER_MS = 100;
    private static final List<String> OWN_OPTIONS = List.of("--cluster", "--host-id", "--await-lbd", "--aeron-dir");

    @Option(names = "--cluster", required = true, paramLabel = "FILE.yaml", description = "The cluster file.")
    Path cluster;

    @Option(names = "--host-id", required = true, description = "This host's id in the cluster file.")
    int hostId;

    @Option(names = "--run-dir", paramLabel = "DIR",
        description = "Aeron directories and the dataplane's log. Default: /dev/shm/lb-host-<host id>.")
    Path runDir;

    @Option(names = "--state-dir", paramLabel = "DIR",
        description = "Where the host keeps what must survive a reboot: the replicated config's store (config/). " +
            "Default: /var/lib/lb/host-<host id>.")
    Path stateDir;

    @Option(names = "--dataplane-command", paramLabel = "COMMAND", defaultValue = "lb dataplane",
        description = "How to start the dataplane, split at spaces. Default: ${DEFAULT-VALUE}.")
    String dataplaneCommand;

    @Option(names = "--stop-grace", paramLabel = "MS", defaultValue = "10000",
        description = "On SIGINT: how long the dataplane has to drain and exit before it is killed. Default: " +
            "${DEFAULT-VALUE}.")
    long stopGraceMs;

    @Option(names = "--metrics", paramLabel = "ADDR:PORT",
        description = "Serve Prometheus metrics at http://ADDR:PORT/metrics: lbd's own and every dataplane counter " +
            "(docs/metrics.md), e.g. 127.0.0.1:9464, 0.0.0.0:9464 or [::]:9464. Default: off.")
    String metrics;

    @Option(names = "--health-check", paramLabel = "RULE=URL[,SETTINGS]",
        description = "Check this host's own service for a port rule; while it fails, the host takes no new " +
            "connections of the rule (the others take its buckets; its tracked connections carry on). " +
            HealthCheck.FORM + ". Repeatable. Default: none.")
    List<String> healthChecks = new ArrayList<>();

    @Parameters(paramLabel = "DATAPLANE-ARGS", description = "EAL arguments [-- dataplane options].")
    List<String> dataplaneArgs = new ArrayList<>();

    private volatile String signal;

    /**
     * Runs lbd until a signal.
     */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new Lbd()).setExitCodeExceptionMapper(ex -> EXIT_USAGE).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        final ClusterConfig config;
        final List<String> command;
        final ConfigStore store = new ConfigStore((stateDir != null ? stateDir :
            Path.of("/var/lib/lb/host-" + hostId)).resolve("config"));
        final ConfigReplica replica;
        final Endpoint metricsAt;
        final List<HealthCheck> checks = new ArrayList<>();
        try {
            for (final String check : healthChecks) {
                try {
                    checks.add(HealthCheck.parse(check));
                } catch (final IllegalArgumentException ex) {
                    throw new IllegalArgumentException("--health-check " + check + ": " + ex.getMessage(), ex);
                }
            }
            final ClusterConfig fileConfig = loadCluster();
            command = dataplaneCommand();
            metricsAt = metricsEndpoint();
            replica = ConfigService.open(store, fileConfig, hostId, Lbd::say);
            // The host runs the config its store holds: the file's on first start, the cluster's since.
            config = replica.config();
        } catch (final IllegalArgumentException ex) {
            System.err.println("lbd: " + ex.getMessage());
            return EXIT_USAGE;
        } catch (final ConfigStore.StoreException ex) {
            System.err.println("lbd: --state-dir: " + ex.getMessage());
            return EXIT_FAILURE;
        }
        final Path dir = runDir != null ? runDir : Path.of("/dev/shm/lb-host-" + hostId);
        try {
            Files.createDirectories(dir);
        } catch (final IOException ex) {
            System.err.println("lbd: --run-dir " + dir + ": " + ex.getMessage());
            return EXIT_USAGE;
        }
        final String dataplaneDir = dir.resolve("dataplane").toString();
        MetricsServer metricsServer = null;
        if (metricsAt != null) {
            try {
                metricsServer = MetricsServer.start(metricsAt);
            } catch (final IOException | RuntimeException ex) {
                System.err.println("lbd: --metrics " + metricsAt + ": cannot listen there: " + ex.getMessage());
                return EXIT_USAGE;
            }
            metricsServer.register(new DataplaneCollector(Path.of(dataplaneDir)));
        }
        command.addAll(List.of("--cluster", cluster.toAbsolutePath().toString(), "--host-id",
            Integer.toString(hostId), "--await-lbd", "--aeron-dir", dataplaneDir));
        final long incarnation = System.currentTimeMillis();
        for (final String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), s -> signal = "SIG" + s.getName());
        }

        final SystemEpochClock clock = new SystemEpochClock();
        MediaDriver driver = null;
        Aeron aeron = null;
        ClusterNode node = null;
        AdminServer admin = null;
        ConfigService configs = null;
        HealthChecker health = null;
        try {
            driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir.resolve("lbd").toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000))
                .termBufferSparseFile(true)
                .warnIfDirectoryExists(false));
            say("host " + hostId + " of cluster " + config.parameters().name() + " (" + cluster + "), incarnation " +
                incarnation + ", config " + config.fingerprint().sha256Hex().substring(0, 16) + "; media driver in " +
                driver.aeronDirectoryName());
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())
                .errorHandler(error -> say("management network: " + error)));
            final ClusterNode host = new ClusterNode(config, hostId, incarnation, aeron, dataplaneDir,
                dir.resolve("status.json"), Lbd::say);
            node = host;
            node.errors(ERRORS);
            final DataplaneLink link = node.link();
            if (metricsServer != null) {
                metricsServer.register(node.metrics());
                say("metrics on http://" + metricsAt + "/metrics");
            }
            admin = new AdminServer(aeron, config, hostId, node, Lbd::say);
            configs = new ConfigService(replica, store, new ConfigTransport(aeron, config, hostId, Lbd::say),
                config.parameters().heartbeat().period().toMillis(), Lbd::say,
                (now, changed, fingerprint, version) -> host.configStored(now, changed));
            node.configs(configs);
            final DataplaneSupervisor supervisor = new DataplaneSupervisor(command, dir.resolve("dataplane.log"),
                DataplaneSupervisor.detached(), new DataplaneSupervisor.Listener() {
                    @Override
                    public void onDataplaneUp(final long pid, final boolean adopted) {
                        say((adopted ? "adopted the running dataplane, pid " : "started the dataplane, pid ") + pid +
                            (adopted ? "" : ": " + String.join(" ", command) + " (log " +
                                dir.resolve("dataplane.log") + ")"));
                    }

                    @Override
                    public void onDataplaneDown(final long pid, final String why) {
                        say("dataplane" + (pid > 0 ? " pid " + pid : "") + " " + why);
                        link.disconnect();
                        if (pid > 0) {
                            // Its driver died with it, but its CnC file looks alive for a second or so: remove it,
                            // so neither this lbd nor the next dataplane joins a dead driver.
                            IoUtil.delete(new File(dataplaneDir), true);
                        }
                    }
                }, RESTART_BACKOFF_MS, MAX_RESTART_BACKOFF_MS);
            node.start(clock.time());
            adoptRunning(node, supervisor, clock);
            for (final HealthCheck check : checks) {
                if (config.rule(check.rule()).isEmpty()) {
                    say("health check " + check + ": the config has no rule " + check.rule() + " (yet): it counts " +
                        "once the cluster runs a config with it");
                } else {
                    say("health check " + check);
                }
            }
            health = checks.isEmpty() ? null : new HealthChecker(checks);
            // At most 1 ms asleep: a departure or a new view crosses several duty cycles (two hosts and a dataplane).
            final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
            while (signal == null) {
                final long now = clock.time();
                int work = 0;
                try {
                    work = node.doWork(now);
                    work += admin.doWork(now);
                    work += configs.doWork(now);
                    for (HealthChecker.Change change = health == null ? null : health.poll(); change != null;
                        change = health.poll()) {
                        node.ruleHealth(now, change.rule(), change.healthy(), change.reason());
                        work++;
                    }
                    // A dataplane answers that the supervisor does not hold (its status came late at start-up):
                    // adopt it rather than start a second one on the same ports.
                    final long reported = link.isAnswering() ? link.dataplanePid() : -1;
                    final boolean unheld = !supervisor.holdsProcess() && reported > 0 &&
                        ProcessHandle.of(reported).map(ProcessHandle::isAlive).orElse(false);
                    if (unheld) {
                        supervisor.adopt(ProcessHandle.of(reported).orElseThrow(), now);
                    }
                    work += supervisor.doWork(now);
                } catch (final RuntimeException ex) {
                    // One bad cycle must not end lbd: it would leave the dataplane unsupervised.
                    say("error in the duty cycle: " + ex);
                    ex.printStackTrace(System.err);
                }
                idle.idle(work);
            }
            if ("SIGINT".equals(signal)) {
                say("SIGINT: stopping the host; its departure goes to the cluster");
                node.stop(clock.time());
                // Let the media driver put the departure on the wire before the publications close.
                final long until = clock.time() + DEPARTURE_LINGER_MS;
                while (clock.time() - until < 0) {
                    idle.idle(node.doWork(clock.time()));
                }
                supervisor.stop(stopGraceMs);
            } else {
                say(signal + ": lbd exits; the dataplane" + (supervisor.pid() > 0 ? " (pid " + supervisor.pid() +
                    ")" : "") + " keeps forwarding on its last view");
                supervisor.release();
            }
            return EXIT_OK;
        } catch (final UncheckedIOException | IllegalStateException ex) {
            System.err.println("lbd: " + ex.getMessage());
            return EXIT_FAILURE;
        } finally {
            CloseHelper.closeAll(health, metricsServer, configs, admin, node, aeron, driver);
        }
    }

    /**
     * A dataplane an earlier lbd started still runs its driver: wait for its status (it sends one a second) and adopt
     * its process rather than start a second dataplane on the same ports.
     */
    private static void adoptRunning(final ClusterNode node, final DataplaneSupervisor supervisor,
        final SystemEpochClock clock) throws InterruptedException {
        final DataplaneLink link = node.link();
        node.doWork(clock.time());
        // The first attempt to join a dataplane's driver decides whether one runs here.
        final long joinDeadline = clock.time() + 2 * DataplaneLink.STATUS_TIMEOUT_MS;
        while (link.joining() && clock.time() - joinDeadline < 0) {
            node.doWork(clock.time());
            Thread.sleep(1);
        }
        if (!link.connected()) {
            return;
        }
        // A driver runs there: wait for its dataplane's status, up to twice the status timeout, since a loaded host
        // may take a while to start this JVM and join the driver.
        final long deadline = clock.time() + 2 * DataplaneLink.STATUS_TIMEOUT_MS;
        while (link.dataplanePid() < 0 && clock.time() - deadline < 0) {
            // The whole node runs meanwhile: heartbeats go out and the host listens to the cluster.
            node.doWork(clock.time());
            Thread.sleep(1);
        }
        final long pid = link.dataplanePid();
        if (pid > 0) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> supervisor.adopt(p, clock.time()));
        }
        if (supervisor.pid() < 0) {
            link.disconnect();
        }
    }

    private ClusterConfig loadCluster() {
        final ClusterConfig config = ClusterFileLoader.loadForHost(cluster, hostId);
        final List<ClusterMember> members = config.members();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).management().isEmpty()) {
                throw new IllegalArgumentException(cluster + ": hosts[" + i + "] (host " + members.get(i).hostId() +
                    ").management is missing; lbd needs every host's management endpoint, address:port, e.g. " +
                    "management: \"10.99.0.1:7400\"");
            }
        }
        return config;
    }

    /** The --metrics endpoint, or null when off. */
    private Endpoint metricsEndpoint() {
        if (metrics == null) {
            return null;
        }
        try {
            return Endpoint.parse(metrics.trim());
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException("--metrics: " + ex.getMessage() + "; it takes address:port, an IP " +
                "address (not a name; 0.0.0.0 or [::] for every interface) and a port 1..65535, e.g. 127.0.0.1:9464");
        }
    }

    private List<String> dataplaneCommand() {
        final List<String> full = new ArrayList<>(List.of(dataplaneCommand.trim().split(" +")));
        final int split = dataplaneArgs.indexOf("--");
        final List<String> eal = split < 0 ? dataplaneArgs : dataplaneArgs.subList(0, split);
        final List<String> options = split < 0 ? List.of() : dataplaneArgs.subList(split + 1, dataplaneArgs.size());
        for (final String option : options) {
            for (final String own : OWN_OPTIONS) {
                if (option.equals(own) || option.startsWith(own + "=")) {
                    throw new IllegalArgumentException("the dataplane option " + own + " is lbd's to set; leave it " +
                        "out (lbd sets " + String.join(", ", OWN_OPTIONS) + ")");
                }
            }
        }
        full.addAll(eal);
        full.add("--");
        full.addAll(options);
        return full;
    }

    /** lbd's errors and warnings, as its log says them, for lbctl errors. */
    private static final ErrorBook ERRORS = new ErrorBook("lbd");

    private static void say(final String message) {
        ERRORS.offer(System.currentTimeMillis(), message);
        OUT.println(TIME.format(Instant.now()) + " lbd: " + message);
        OUT.flush();
    }
}
