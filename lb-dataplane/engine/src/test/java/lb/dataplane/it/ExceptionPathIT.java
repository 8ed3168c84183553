package lb.dataplane.it;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import lb.dataplane.api.CounterTypes;
import lb.dataplane.pcap.Pcap;
import lb.dataplane.pipeline.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The exception path with real parts: a client's TCP connections to a VIP cross the real dataplane (a
 * cluster host in balance mode, its NIC a veth through net_af_packet, its kernel port a net_tap), are
 * answered by a server in the host's own kernel, and the answers leave through the dataplane again.
 *
 * <pre>
 *   ns client                      ns host
 *   client0 10.99.1.10/24 ==veth== nic0 ─ net_af_packet0 ─ dataplane ─ net_tap0 ─ lbk0 10.99.1.1/24,
 *   TcpEcho call                                                                   VIP 10.99.1.100/32
 *                                                                                  TcpEcho serve VIP:8080
 * </pre>
 *
 * Run once with the kernel's default {@code arp_announce=0} on lbk0, where the kernel asks for the
 * client's MAC from the VIP and the dataplane must rewrite that claim to the cluster MAC on its way
 * out, and once with {@code arp_announce=2}, where it asks from the dedicated IP and that passes as is.
 *
 * <p>A third run has two worker lcores, each owning one queue of both ports ({@code qpairs=2} on
 * af_packet, two tun queues on the tap): af_packet's {@code PACKET_FANOUT_HASH} spreads the client's flows
 * (which differ in source port) over the NIC's queues, and tun sends the kernel's answers of a flow back on
 * the queue that flow's packets were written on. Both workers' ACCEPT counters must then be non-zero.
 *
 * <p>Needs root, iproute2, ethtool and tcpdump: without root it skips, saying what is missing; as root
 * (CI) a missing tool fails it.
 */
class ExceptionPathIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CLIENT_IP = "10.99.1.10";
    private static final String HOST_IP = "10.99.1.1";
    private static final String VIP = "10.99.1.100";
    private static final int PORT = 8080;
    private static final byte[] CLUSTER_MAC = mac("02:bf:0a:63:01:64");
    private static final byte[] SOURCE_MAC = mac("02:01:0a:63:01:64");
    /** Sequential connections per run with one worker; with several, {@link #CONNECTIONS_PER_WORKER} each. */
    private static final int CONNECTIONS = 20;
    private static final int CONNECTIONS_PER_WORKER = 20;
    private static final int REQUEST_BYTES = 64 * 1024;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_ARP = 0x0806;
    private static final int ARP_REQUEST = 1;
    private static final int ARP_REPLY = 2;
    private static final String CLUSTER_YAML = """
        cluster:
          name: exception-path
          secret: "4f1c9a7e2b3d58c60e7fa1b2c3d4e5f6"
          mode: unicast
        vips:
          - %s
        port-rules:
          - vip: %s
            ports: %d
            protocol: tcp
            filtering: multiple
            affinity: none
        hosts:
          - id: 1
            priority: 1
        """.formatted(VIP, VIP, PORT);

    @TempDir
    Path dir;

    private Namespaces namespaces;
    private DataplaneProcess dataplane;

    @BeforeEach
    void needsRootAndTools() throws IOException {
        final List<String> missingTools = Stream.of("ip", "ethtool", "tcpdump").filter(t -> !onPath(t)).toList();
        final String uid = uid();
        assumeTrue("0".equals(uid), "ExceptionPathIT needs root (network namespaces, veth, DPDK net_tap); " +
            "running as uid " + uid + (missingTools.isEmpty() ? "" : "; also missing: " + missingTools));
        assertTrue(missingTools.isEmpty(), "ExceptionPathIT needs " + missingTools + " on the PATH: " +
            "apt-get install -y iproute2 ethtool tcpdump");
        namespaces = new Namespaces();
    }

    @AfterEach
    void removeNamespaces() throws Exception {
        if (dataplane != null) {
            dataplane.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @ParameterizedTest(name = "arp_announce={0}, workers={1}")
    @CsvSource({"0, 1", "2, 1", "0, 2"})
    void shouldServeVipConnectionsFromTheHostKernelThroughTheDataplane(final int arpAnnounce, final int workers)
        throws Exception {
        final long started = System.nanoTime();
        final int connections = workers == 1 ? CONNECTIONS : CONNECTIONS_PER_WORKER * workers;
        final String client = namespaces.add("c");
        final String host = namespaces.add("h");
        wire(client, host);
        final Path capture = dir.resolve("client0.pcap");
        final Process tcpdump = capture(client, capture);

        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, CLUSTER_YAML);
        dataplane = DataplaneProcess.startInNamespace(dir, host,
            List.of("--vdev=net_af_packet0,iface=nic0,qpairs=" + workers, "--vdev=net_tap0,iface=lbk0"),
            List.of("--cluster", cluster.toString(), "--host-id", "1", "--nic", "net_af_packet0", "--kernel",
                "net_tap0", "--connections", "65536", "--idle", "backoff", "--workers", Integer.toString(workers)));
        dataplane.awaitOutput("running;", TIMEOUT);
        final byte[] tapMac = exposeVip(host, arpAnnounce);

        final Path serverLog = dir.resolve("server.log");
        final Process server = namespaces.start(host, serverLog, java("serve", VIP, Integer.toString(PORT)));
        Namespaces.awaitLog(server, serverLog, "listening " + VIP + ":" + PORT, TIMEOUT);
        final long seed = Long.getLong("lb.seed", System.nanoTime());
        System.out.println("ExceptionPathIT seed " + seed + " (replay with -Dlb.seed=" + seed + ")");
        final Path clientLog = dir.resolve("client.log");
        final Process caller = namespaces.start(client, clientLog, java("call", VIP, Integer.toString(PORT),
            Integer.toString(connections), Integer.toString(REQUEST_BYTES), Long.toString(seed)));
        if (!caller.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            fail("the client did not finish within " + TIMEOUT + ":\n" + Namespaces.read(clientLog) +
                "\ndataplane:\n" + dataplane.output());
        }
        final String calls = Namespaces.read(clientLog);
        assertTrue(calls.contains("summary " + connections + " 0"), "every connection must be answered, " +
            "with the bytes sent:\n" + calls + "\nserver:\n" + Namespaces.read(serverLog) + "\ndataplane:\n" +
            dataplane.output());
        assertEquals(0, caller.exitValue(), calls);
        assertEquals(digests(calls, "ok "), digests(Namespaces.read(serverLog), "request "),
            "the server must have received exactly the requests the client sent");

        // With arp_announce=0 the kernel's own request from the VIP updates this entry too: it stays the
        // cluster MAC only because the dataplane rewrites that claim on its way out.
        final String neighbour = Namespaces.run("ip", "-n", client, "neigh", "show", VIP, "dev", "client0");
        assertTrue(neighbour.contains("lladdr " + HexFormat.ofDelimiter(":").formatHex(CLUSTER_MAC)),
            "the client must reach the VIP at the cluster MAC: " + neighbour);
        // Each worker counts its own verdicts: with several, every one must have accepted some of the flows
        // (af_packet's fanout hash spreads them over the NIC's queues), and together at least 3 per connection.
        final long[] acceptedBy = dataplane.awaitCounters(CounterTypes.VERDICT_INGRESS_BASE + Verdict.ACCEPT,
            workers, n -> Arrays.stream(n).allMatch(a -> a >= 1) && Arrays.stream(n).sum() >= 3L * connections,
            TIMEOUT);
        final long accepted = Arrays.stream(acceptedBy).sum();
        // What the kernel sent through the tap, by the queue it picked (tun steers a flow's transmit to the
        // queue its packets were last written on, or by the flow hash for a flow it has not seen).
        final long[] fromKernelBy = dataplane.awaitCounters(CounterTypes.WORKER_RX_KERNEL_PACKETS, workers,
            n -> Arrays.stream(n).sum() >= 2L * connections, TIMEOUT);
        final long answered = Arrays.stream(dataplane.awaitCounters(CounterTypes.VERDICT_INGRESS_BASE + Verdict.REPLY,
            workers, n -> Arrays.stream(n).sum() >= 1, TIMEOUT)).sum();

        assertTrue(Namespaces.stop(tcpdump), "tcpdump did not stop on SIGTERM");
        final ClientView seen = ClientView.of(Pcap.read(capture), tapMac);
        assertEquals(List.of(), seen.problems(), "frames the client received");
        assertTrue(seen.fromVip() >= 2 * connections, "IPv4 frames from the VIP seen by the client: " + seen);
        assertTrue(seen.vipAnswers() >= 1, "the dataplane's ARP answer for the VIP must reach the client: " + seen);
        if (arpAnnounce == 0) {
            assertTrue(seen.vipRequests() >= 1, "with arp_announce=0 the kernel asks for the client's MAC " +
                "from the VIP: " + seen);
        } else {
            assertEquals(0, seen.vipRequests(), "with arp_announce=2 the kernel never asks from the VIP: " + seen);
            assertTrue(seen.hostRequests() >= 1, "with arp_announce=2 the kernel asks from its dedicated IP: " +
                seen);
        }

        assertEquals(0, dataplane.stop("TERM"), dataplane.output());
        final String log = dataplane.output();
        assertTrue(log.contains("mbufs in use at exit: 0"), log);
        for (int w = 0; w < workers; w++) {
            assertTrue(log.contains("worker " + w + " is lcore") && log.contains("on queue " + w), log);
        }
        log.lines().filter(l -> l.contains("started as") || l.contains("stopped: worker"))
            .forEach(l -> System.out.println("ExceptionPathIT dataplane: " + l));
        System.out.printf("ExceptionPathIT arp_announce=%d, workers=%d: %d connections of %d bytes answered; " +
                "dataplane accepted %d packets (per worker %s), took %s from the kernel per worker, answered %d " +
                "ARP requests; the client saw %s; %.1f s%n", arpAnnounce, workers, connections, REQUEST_BYTES,
            accepted, Arrays.toString(acceptedBy), Arrays.toString(fromKernelBy), answered, seen, (System.nanoTime() - started) / 1e9);
    }

    /** The veth between client and host, and what each side needs for the dataplane to sit between them. */
    private static void wire(final String client, final String host) throws IOException, InterruptedException {
        Namespaces.run("ip", "link", "add", "client0", "netns", client, "type", "veth", "peer", "name", "nic0",
            "netns", host);
        Namespaces.run("ip", "-n", client, "addr", "add", CLIENT_IP + "/24", "dev", "client0");
        Namespaces.run("ip", "-n", client, "link", "set", "client0", "up");
        Namespaces.run("ip", "-n", host, "link", "set", "nic0", "up");
        // af_packet hands DPDK a veth's frames with their TCP checksums left partial, as offloaded: the
        // client's "NIC" must finish them, as real hardware does, or the host's kernel drops every segment.
        Namespaces.exec(client, "ethtool", "-K", "client0", "tx", "off");
        // The host's kernel still sees nic0: it must not answer ARP there (it would claim the VIP with
        // nic0's MAC), nor take IP from it directly (every such packet would arrive twice), nor send there.
        Namespaces.exec(host, "sysctl", "-q", "-w", "net.ipv4.conf.nic0.arp_ignore=8",
            "net.ipv4.conf.nic0.rp_filter=1", "net.ipv6.conf.nic0.disable_ipv6=1");
    }

    /** Starts tcpdump on the client's interface, writing ARP and IPv4 frames to {@code file}. */
    private Process capture(final String client, final Path file) throws IOException, InterruptedException {
        final Path log = dir.resolve("tcpdump.log");
        // --immediate-mode: frames still waiting in libpcap's ring when tcpdump stops would be lost.
        final Process tcpdump = namespaces.start(client, log, List.of("tcpdump", "-i", "client0", "-n",
            "--immediate-mode", "-U", "-Z", "root", "-w", file.toString(), "arp or ip"));
        Namespaces.awaitLog(tcpdump, log, "listening on client0", TIMEOUT);
        return tcpdump;
    }

    /**
     * Gives the host's kernel its addresses on the tap the dataplane made: the /24 on the dedicated IP
     * routes replies to the subnet's clients out of lbk0; the VIP is a /32, so the kernel owns it (accepts
     * it, lets the server bind it) without another route.
     *
     * @return the tap's MAC.
     */
    private static byte[] exposeVip(final String host, final int arpAnnounce) throws IOException, InterruptedException {
        Namespaces.run("ip", "-n", host, "addr", "add", HOST_IP + "/24", "dev", "lbk0");
        Namespaces.run("ip", "-n", host, "addr", "add", VIP + "/32", "dev", "lbk0");
        Namespaces.exec(host, "sysctl", "-q", "-w", "net.ipv4.conf.lbk0.arp_announce=" + arpAnnounce);
        Namespaces.run("ip", "-n", host, "link", "set", "lbk0", "up");
        return mac(Namespaces.exec(host, "cat", "/sys/class/net/lbk0/address").strip());
    }

    /**
     * What the client received, checked frame by frame: IPv4 from the VIP must come from the masked source
     * MAC; ARP claiming the VIP (the dataplane's answers, the kernel's requests it rewrote) must name the
     * cluster MAC and come from the masked MAC; the kernel's requests from its dedicated IP name the tap.
     */
    private record ClientView(int fromVip, int vipAnswers, int vipRequests, int hostRequests, int announcements,
        List<String> problems) {
        static ClientView of(final List<byte[]> frames, final byte[] tapMac) {
            final List<String> problems = new ArrayList<>();
            int fromVip = 0;
            int vipAnswers = 0;
            int vipRequests = 0;
            int hostRequests = 0;
            int announcements = 0;
            for (final byte[] frame : frames) {
                final ByteBuffer f = ByteBuffer.wrap(frame);
                final int etherType = Short.toUnsignedInt(f.getShort(12));
                final boolean arp = etherType == ETHERTYPE_ARP;
                if (etherType == ETHERTYPE_IPV4 && ip(frame, 26).equals(VIP)) {
                    fromVip++;
                    expect(problems, frame, 6, SOURCE_MAC, "an IPv4 frame from the VIP has source MAC");
                } else if (arp && ip(frame, 28).equals(VIP)) {
                    final int op = Short.toUnsignedInt(f.getShort(20));
                    // Gratuitous (target = sender = VIP): the dataplane's own announcements on gaining the VIP.
                    final boolean gratuitous = ip(frame, 38).equals(VIP);
                    announcements += gratuitous ? 1 : 0;
                    vipAnswers += op == ARP_REPLY && !gratuitous ? 1 : 0;
                    vipRequests += op == ARP_REQUEST && !gratuitous ? 1 : 0;
                    expect(problems, frame, 6, SOURCE_MAC, "an ARP frame claiming the VIP has source MAC");
                    expect(problems, frame, 22, CLUSTER_MAC, "an ARP frame claiming the VIP names");
                } else if (arp && ip(frame, 28).equals(HOST_IP) && Short.toUnsignedInt(f.getShort(20)) == ARP_REQUEST) {
                    hostRequests++;
                    expect(problems, frame, 22, tapMac, "the kernel's ARP request from its dedicated IP names");
                }
            }
            return new ClientView(fromVip, vipAnswers, vipRequests, hostRequests, announcements, problems);
        }

        @Override
        public String toString() {
            return fromVip + " IPv4 frames from the VIP, " + vipAnswers + " ARP answers and " + vipRequests +
                " ARP requests from the VIP, " + hostRequests + " ARP requests from the dedicated IP, " + announcements +
                " gratuitous announcements";
        }
    }

    /** A TcpEcho command: a JVM on this test's classpath (it needs no native access). */
    private static List<String> java(final String... args) {
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command()
            .orElse("java"), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
            TcpEcho.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** The SHA-256 digests in the lines starting with {@code prefix} (each line's last field). */
    private static Set<String> digests(final String log, final String prefix) {
        final Set<String> digests = new TreeSet<>();
        log.lines().filter(l -> l.startsWith(prefix)).forEach(l -> digests.add(l.substring(l.lastIndexOf(' ') + 1)));
        return digests;
    }

    private static void expect(final List<String> problems, final byte[] frame, final int offset,
        final byte[] expected, final String what) {
        final byte[] actual = Arrays.copyOfRange(frame, offset, offset + expected.length);
        if (!Arrays.equals(expected, actual)) {
            problems.add(what + " " + HexFormat.ofDelimiter(":").formatHex(actual) + ", not " +
                HexFormat.ofDelimiter(":").formatHex(expected) + ": " + HexFormat.of().formatHex(frame));
        }
    }

    private static String ip(final byte[] frame, final int offset) {
        return frame.length < offset + 4 ? "" : Byte.toUnsignedInt(frame[offset]) + "." +
            Byte.toUnsignedInt(frame[offset + 1]) + "." + Byte.toUnsignedInt(frame[offset + 2]) + "." +
            Byte.toUnsignedInt(frame[offset + 3]);
    }

    private static byte[] mac(final String text) {
        final byte[] mac = HexFormat.ofDelimiter(":").parseHex(text);
        if (mac.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        return mac;
    }

    /** Whether ProcessBuilder finds the tool, which looks where this does. */
    private static boolean onPath(final String tool) {
        final String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** The real user id, from /proc (Linux only, as is everything this test needs). */
    private static String uid() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[1]).findFirst().orElse("unknown");
    }
}
