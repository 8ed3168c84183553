package lb.control.lbd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static lb.control.lbd.HostProcesses.await;
import static lb.control.lbd.HostProcesses.awaitLine;
import static lb.control.lbd.HostProcesses.awaitMatch;
import static lb.control.lbd.HostProcesses.pid;

/**
 * A real lbd process supervising a real dataplane on DPDK's net_null devices, driven by signals and observed through
 * its log: it starts the dataplane and gives it the config; kill -9 of the dataplane gets a new one with the config
 * again; SIGTERM of lbd leaves the dataplane forwarding, a new lbd adopts that same process; SIGINT stops both.
 */
class LbdIT {
    private static final Pattern STARTED = Pattern.compile("lbd: started the dataplane, pid (\\d+)");
    private static final Pattern ADOPTED = Pattern.compile("lbd: adopted the running dataplane, pid (\\d+)");
    private static final Pattern TOOK = Pattern.compile("lbd: dataplane pid (\\d+) \\(incarnation \\d+\\) took config");

    @TempDir
    Path dir;

    private HostProcesses hosts;

    @AfterEach
    void cleanUp() {
        if (hosts != null) {
            hosts.keepLogs("LbdIT");
            hosts.close();
        }
    }

    @Test
    void shouldSuperviseItsDataplaneAndLeaveItForwardingWhenLbdAloneStops() throws Exception {
        HostProcesses.assumeCanRun("LbdIT");
        hosts = new HostProcesses(dir);
        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, """
            cluster: {name: lbdit, secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"}
            vips: [10.0.0.100]
            port-rules:
              - {ports: 80, protocol: tcp}
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:17401"}
              - {id: 2, priority: 2, management: "127.0.0.1:17402"}
            """);

        final Path firstLog = dir.resolve("lbd-1.log");
        final Process first = lbd(cluster, firstLog);
        final long dataplane = pid(await(firstLog, STARTED));
        assertEquals(dataplane, pid(await(firstLog, TOOK)), "the dataplane it started took the config");

        ProcessHandle.of(dataplane).orElseThrow().destroyForcibly();
        awaitLine(firstLog, line -> line.contains("dataplane pid " + dataplane + " exited"));
        final long restarted = pid(awaitMatch(firstLog, STARTED, m -> Long.parseLong(m.group(1)) != dataplane));
        assertNotEquals(dataplane, restarted);
        awaitMatch(firstLog, TOOK, m -> Long.parseLong(m.group(1)) == restarted);

        new ProcessBuilder("kill", "-TERM", Long.toString(first.pid())).start().waitFor();
        first.waitFor();
        assertTrue(Files.readString(firstLog).contains("keeps forwarding on its last view"));
        assertTrue(ProcessHandle.of(restarted).map(ProcessHandle::isAlive).orElse(false),
            "SIGTERM of lbd leaves its dataplane running");

        final Path secondLog = dir.resolve("lbd-2.log");
        final Process second = lbd(cluster, secondLog);
        assertEquals(restarted, pid(await(secondLog, ADOPTED)), "the new lbd adopts the running dataplane");
        awaitMatch(secondLog, TOOK, m -> Long.parseLong(m.group(1)) == restarted);
        assertFalse(Files.readString(secondLog).contains("started the dataplane"), "and starts no second one");

        new ProcessBuilder("kill", "-INT", Long.toString(second.pid())).start().waitFor();
        second.waitFor();
        final ProcessHandle stopped = ProcessHandle.of(restarted).orElse(null);
        assertTrue(stopped == null || stopped.onExit().get(java.util.concurrent.TimeUnit.SECONDS.toMillis(30),
            java.util.concurrent.TimeUnit.MILLISECONDS) != null, "SIGINT stops the host's dataplane too");
        awaitLine(hosts.runDir(1).resolve("dataplane.log"), line -> line.contains("mbufs in use at exit: 0"));
    }

    private Process lbd(final Path cluster, final Path log) throws IOException {
        return hosts.start(cluster, 1, log);
    }
}
