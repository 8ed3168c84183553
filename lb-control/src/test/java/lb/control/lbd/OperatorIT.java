package lb.control.lbd;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static lb.control.lbd.HostProcesses.json;
import static lb.control.lbd.HostProcesses.lbctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real lbctl's operator commands (affinity list and flush, explain, capture, errors) against two real hosts,
 * lbd and dataplane each. Host 1's NIC replays a capture of UDP datagrams from 16 clients forever (net_pcap), so its
 * sticky clients come back whenever it serves again (UDP is not tracked: every datagram takes the sticky path); host
 * 2's NIC has no traffic, so the foreign entries it installs when it joins (host 1's clients in the buckets it takes)
 * stay exactly as the handoff left them. Checked by lbctl's exit codes and JSON, and the capture by tcpdump.
 */
class OperatorIT {
    private static final int CLIENTS = 16;

    @TempDir
    Path dir;

    private HostProcesses hosts;

    @AfterEach
    void cleanUp() {
        if (hosts != null) {
            hosts.keepLogs("OperatorIT");
            hosts.close();
        }
    }

    @Test
    void shouldListFlushExplainCaptureAndReportErrorsThroughLbctl() throws Exception {
        HostProcesses.assumeCanRun("OperatorIT");
        hosts = new HostProcesses(dir);
        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, """
            cluster:
              name: operatorit
              secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
              heartbeat: {period: 250ms, loss-tolerance: 20}
            vips: [10.0.0.100]
            port-rules:
              - {vip: 10.0.0.100, ports: 5000, protocol: udp, affinity: single, extended-affinity: 20m}
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:17531"}
              - {id: 2, priority: 2, management: "127.0.0.1:17532"}
            """);
        final Path traffic = dir.resolve("traffic.pcap");
        writeTraffic(traffic);
        hosts.nic(1, "net_pcap0,rx_pcap=" + traffic + ",infinite_rx=1,tx_pcap=" + dir.resolve("nic-out-1.pcap"));
        final String run1 = hosts.runDir(1).toString();
        final String run2 = hosts.runDir(2).toString();

        // Host 2 starts first and is stopped (a dataplane start is slow on a loaded machine; it must not race the
        // handoff), so host 1 serves alone before host 2 joins.
        hosts.start(cluster, 2, dir.resolve("lbd-2.log"));
        hosts.awaitStatus(2, "host 2 up", s -> s.path("dataplane").path("ready").asBoolean() &&
            s.path("appliedView").path("acked").asBoolean());
        assertEquals(0, lbctl("host", "stop", "--run-dir", run2).exitCode());
        hosts.awaitStatus(2, "host 2 stopped", s -> "stopped".equals(s.path("state").asText()) &&
            s.path("appliedView").path("acked").asBoolean());

        hosts.start(cluster, 1, dir.resolve("lbd-1.log"));
        hosts.awaitStatus(1, "served alone", s -> "serving".equals(s.path("mode").asText()) &&
            s.path("appliedView").path("acked").asBoolean());

        // Host 1 alone: every client is its own sticky client.
        JsonNode list = awaitList(run1, 1, l -> l.path("clients").size() == CLIENTS);
        for (final JsonNode client : list.path("clients")) {
            assertEquals("10.0.0.100:5000-5000/udp", client.path("rule").asText());
            assertEquals(1, client.path("ownerHostId").asInt());
            assertFalse(client.path("foreign").asBoolean());
            final long expires = client.path("expiresInMs").asLong();
            assertTrue(expires > 19 * 60_000 && expires <= 20 * 60_000, client.toString());
        }
        final JsonNode one = json(lbctl("affinity", "list", "--client", "10.1.0.3", "-j", "--run-dir", run1));
        assertEquals(1, one.path("clients").size(), one.toString());
        assertEquals("10.1.0.3", one.path("clients").get(0).path("client").asText());
        final HostProcesses.Run badRule = lbctl("affinity", "list", "--rule", "10.0.0.100:5001/udp", "--run-dir", run1);
        assertEquals(2, badRule.exitCode(), badRule.err());
        assertTrue(badRule.err().contains("10.0.0.100:5000-5000/udp"), "names the valid rules: " + badRule.err());
        final HostProcesses.Run notMember = lbctl("affinity", "list", "--host", "9", "--run-dir", run1);
        assertEquals(2, notMember.exitCode(), notMember.err());
        assertTrue(notMember.err().contains("members are [1, 2]"), notMember.err());

        // Host 2 joins: the clients in the buckets it takes stay with host 1, foreign entries on host 2.
        assertEquals(0, lbctl("host", "start", "2", "--run-dir", run1).exitCode());
        for (final int id : new int[] {1, 2}) {
            hosts.awaitStatus(id, "both converged", s -> s.path("converged").asBoolean() &&
                s.path("members").size() == 2 && s.path("appliedView").path("acked").asBoolean());
        }
        final JsonNode foreign = awaitList(run1, 2, l -> l.path("clients").size() > 0 &&
            allForeignOfHost1(l.path("clients")));
        assertEquals(2, foreign.path("hostId").asInt(), "answered by host 2 through host 1's lbd");
        final String moved = foreign.path("clients").get(0).path("client").asText();
        show("affinity", "list", "--run-dir", run1);
        show("affinity", "list", "--host", "2", "--run-dir", run1);
        show("explain", "udp", moved + ":40000", "10.0.0.100:5000", "--run-dir", run1);

        // Explain: host 1 keeps the moved client; host 2 drops it as sticky elsewhere.
        final HostProcesses.Run explainRun = lbctl("explain", "udp", moved + ":40000", "10.0.0.100:5000", "-j",
            "--run-dir", run1);
        assertEquals(0, explainRun.exitCode(), explainRun.err());
        JsonNode explain = json(explainRun);
        assertEquals("[1]", explain.path("newConnection").path("acceptedBy").toString(), explain.toString());
        assertEquals("[1]", explain.path("ongoing").path("acceptedBy").toString(), explain.toString());
        final JsonNode onHost2 = explain.path("hosts").get(1);
        assertEquals(2, onHost2.path("hostId").asInt());
        assertEquals("sticky_elsewhere", onHost2.path("newConnection").path("verdict").asText(), onHost2.toString());
        assertEquals(2, onHost2.path("bucketOwner").asInt(), "the bucket moved to host 2");
        assertEquals(1, onHost2.path("stickyOwner").asInt());
        assertTrue(onHost2.path("stickyForeign").asBoolean());
        final JsonNode onHost1 = explain.path("hosts").get(0);
        assertEquals(1, onHost1.path("stickyOwner").asInt());
        assertEquals("accept", onHost1.path("newConnection").path("verdict").asText(), onHost1.toString());
        final JsonNode notVip = json(lbctl("explain", "udp", "10.1.0.1:5000", "10.0.0.99:53", "-j", "--run-dir",
            run1));
        assertFalse(notVip.path("hosts").get(0).path("isVip").asBoolean());
        assertEquals(2, lbctl("explain", "sctp", "10.1.0.1:1", "10.0.0.100:80", "--run-dir", run1).exitCode());

        // Capture on host 1: the frames open in tcpdump, their verdicts beside them.
        final Path pcap = dir.resolve("capture.pcap");
        final HostProcesses.Run captureRun = lbctl("capture", "-c", "40", "-w", pcap.toString(), "-j",
            "--run-dir", run1);
        assertEquals(0, captureRun.exitCode(), captureRun.err());
        final JsonNode capture = json(captureRun);
        assertEquals(40, capture.path("frames").asInt(), capture.toString());
        assertEquals(1, capture.path("hostId").asInt());
        final List<String> verdicts = new ArrayList<>();
        capture.path("verdicts").forEach(v -> verdicts.add(v.path("verdict").asText()));
        assertTrue(verdicts.contains("accept"), verdicts.toString());
        assertTrue(verdicts.contains("not_for_host"), "the frame to another MAC: " + verdicts);
        // On host 2 (forwarded), which sees no traffic: the capture ends at its duration, empty.
        final HostProcesses.Run quiet = lbctl("capture", "--host", "2", "-c", "1", "--duration", "2s", "-w",
            dir.resolve("quiet.pcap").toString(), "-j", "--run-dir", run1);
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertEquals(0, json(quiet).path("frames").asInt(), quiet.out());
        assertEquals(2, json(quiet).path("hostId").asInt());
        assertEquals(41, Files.readAllLines(dir.resolve("capture.pcap.verdicts")).size());
        tcpdump(pcap, 40);
        final HostProcesses.Run dropped = lbctl("capture", "--verdict", "dropped", "-c", "5", "-w",
            dir.resolve("dropped.pcap").toString(), "-j", "--run-dir", run1);
        assertEquals(0, dropped.exitCode(), dropped.err());
        json(dropped).path("verdicts").forEach(v -> assertFalse("accept".equals(v.path("verdict").asText()),
            v.toString()));

        // Flush the moved client everywhere: its bucket's owner, host 2, takes it as a new client.
        show("affinity", "flush", "--rule", "10.0.0.100:5000/udp", "--client", "10.1.0.200", "--run-dir", run1);
        final HostProcesses.Run flush = lbctl("affinity", "flush", "--client", moved, "-j", "--run-dir", run1);
        assertEquals(0, flush.exitCode(), flush.err());
        assertEquals(2, json(flush).path("hosts").size());
        assertEquals(0, json(lbctl("affinity", "list", "--host", "2", "--client", moved, "-j", "--run-dir", run1))
            .path("clients").size(), "host 2 holds no entry of it any more");
        explain = awaitExplain(run1, moved, e -> "[2]".equals(e.path("newConnection").path("acceptedBy").toString()));
        assertEquals(0, explain.path("hosts").get(1).path("stickyOwner").asInt(), explain.toString());

        // Errors: a capture whose lbctl died leaves answers lbd could not deliver (host 2's, relayed by host 1's lbd,
        // which go on every 500 ms: host 2 sees no traffic, so its capture runs to its duration).
        final Process abandoned = new ProcessBuilder(lbctlCommand("capture", "--host", "2", "-c", "100000",
            "--duration", "25s", "-w", dir.resolve("abandoned.pcap").toString(), "--run-dir", run1)).start();
        Thread.sleep(2_000);
        abandoned.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        final long deadline = System.currentTimeMillis() + 30_000;
        JsonNode errors;
        do {
            Thread.sleep(500);
            final HostProcesses.Run errorsRun = lbctl("errors", "-j", "--run-dir", run1);
            assertEquals(0, errorsRun.exitCode(), errorsRun.err());
            errors = json(errorsRun);
        } while (!errors.toString().contains("not delivered") && System.currentTimeMillis() < deadline);
        assertTrue(errors.toString().contains("not delivered"), errors.toString());
        final JsonNode first = errors.path("errors").get(0);
        assertTrue(first.path("count").asLong() >= 1 && first.path("lastMs").asLong() > 0, first.toString());
        assertEquals(0, lbctl("errors", "--host", "2", "--run-dir", run1).exitCode());
        show("errors", "--run-dir", run1);
        show("explain", "udp", moved + ":40000", "10.0.0.100:5000", "--run-dir", run1);
        show("capture", "-c", "6", "-w", dir.resolve("doc.pcap").toString(), "--run-dir", run1);
        System.out.println(Files.readString(dir.resolve("doc.pcap.verdicts")));
    }

    /** Prints what an lbctl command printed, for docs/cli.md's examples. */
    private static void show(final String... args) throws Exception {
        final HostProcesses.Run run = lbctl(args);
        System.out.println("$ lbctl " + String.join(" ", args).replaceAll(" --run-dir \\S+", "") + "\n" + run.out() +
            run.err() + "(exit " + run.exitCode() + ")");
    }

    private static boolean allForeignOfHost1(final JsonNode clients) {
        boolean any = false;
        for (final JsonNode client : clients) {
            if (client.path("foreign").asBoolean() && client.path("ownerHostId").asInt() == 1) {
                any = true;
            }
        }
        return any;
    }

    private static JsonNode awaitList(final String runDir, final int host,
        final java.util.function.Predicate<JsonNode> wanted) throws Exception {
        final long deadline = System.currentTimeMillis() + 30_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            final HostProcesses.Run run = lbctl("affinity", "list", "--host", Integer.toString(host), "-j",
                "--run-dir", runDir);
            if (run.exitCode() == 0) {
                last = json(run);
                if (wanted.test(last)) {
                    return last;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("affinity list of host " + host + " never became what was wanted: " + last);
    }

    private static JsonNode awaitExplain(final String runDir, final String client,
        final java.util.function.Predicate<JsonNode> wanted) throws Exception {
        final long deadline = System.currentTimeMillis() + 20_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            final HostProcesses.Run run = lbctl("explain", "udp", client + ":40000", "10.0.0.100:5000", "-j",
                "--run-dir", runDir);
            if (run.exitCode() == 0) {
                last = json(run);
                if (wanted.test(last)) {
                    return last;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("explain never became what was wanted: " + last);
    }

    /** tcpdump reads the capture, when it is installed; otherwise the check says what it skipped. */
    private static void tcpdump(final Path pcap, final int frames) throws Exception {
        final Path tcpdump = Path.of("/usr/bin/tcpdump").toFile().canExecute() ? Path.of("/usr/bin/tcpdump") :
            Path.of("/usr/sbin/tcpdump");
        if (!tcpdump.toFile().canExecute()) {
            System.err.println("OperatorIT: tcpdump is not installed (apt-get install tcpdump): the capture's pcap " +
                "was not read by it");
            return;
        }
        final Process process = new ProcessBuilder(tcpdump.toString(), "-nn", "-r", pcap.toString())
            .redirectErrorStream(true).start();
        final String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        System.out.println("$ tcpdump -nn -r capture.pcap\n" + out);
        final long lines = out.lines().filter(l -> l.contains(" IP ")).count();
        assertEquals(frames, lines, out);
        assertTrue(out.contains("10.0.0.100.5000"), out);
    }

    private static List<String> lbctlCommand(final String... args) {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            "lb.control.cli.Lbctl"));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * A datagram from each of the clients 10.1.0.1-16 (port 40000 + n) to 10.0.0.100:5000 at the cluster MAC, and one
     * frame to another host's MAC, which every host drops as not for it.
     */
    static void writeTraffic(final Path file) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.write(header.array());
        for (int n = 1; n <= CLIENTS; n++) {
            record(out, udp(new byte[] {2, (byte)0xbf, 10, 0, 0, 100}, new byte[] {10, 1, 0, (byte)n},
                new byte[] {10, 0, 0, 100}, 40000 + n, 5000), n);
        }
        record(out, udp(new byte[] {2, 0, 0, 0, 0, 0x63}, new byte[] {10, 1, 0, 1}, new byte[] {10, 0, 0, 99}, 40000,
            5000), CLIENTS + 1);
        Files.write(file, out.toByteArray());
    }

    private static void record(final ByteArrayOutputStream out, final byte[] frame, final int n) throws Exception {
        final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(1_700_000_000 + n).putInt(0).putInt(frame.length).putInt(frame.length);
        out.write(record.array());
        out.write(frame);
    }

    private static byte[] udp(final byte[] dstMac, final byte[] src, final byte[] dst, final int srcPort,
        final int dstPort) {
        final ByteBuffer frame = ByteBuffer.allocate(60);
        frame.put(dstMac).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short)0x0800);
        final int ip = frame.position();
        frame.put((byte)0x45).put((byte)0).putShort((short)(20 + 8 + 16)).putShort((short)1).putShort((short)0x4000)
            .put((byte)64).put((byte)17).putShort((short)0).put(src).put(dst);
        int sum = 0;
        for (int i = ip; i < ip + 20; i += 2) {
            sum += (frame.get(i) & 0xFF) << 8 | frame.get(i + 1) & 0xFF;
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        frame.putShort(ip + 10, (short)~sum);
        frame.putShort((short)srcPort).putShort((short)dstPort).putShort((short)(8 + 16)).putShort((short)0)
            .put("lbctl capture IT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return frame.array();
    }
}
