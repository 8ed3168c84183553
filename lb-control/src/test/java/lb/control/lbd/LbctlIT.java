package lb.control.lbd;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static lb.control.lbd.HostProcesses.json;
import static lb.control.lbd.HostProcesses.lbctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real lbctl against a real lbd (and its dataplane on DPDK's net_null devices): host commands and the cluster
 * query through the admin API, checked by their exit codes, their JSON and the host's status.json.
 */
class LbctlIT {
    @TempDir
    Path dir;

    private HostProcesses hosts;

    @AfterEach
    void cleanUp() {
        if (hosts != null) {
            hosts.keepLogs("LbctlIT");
            hosts.close();
        }
    }

    @Test
    void shouldControlTheHostAndQueryTheClusterThroughLbctl() throws Exception {
        HostProcesses.assumeCanRun("LbctlIT");
        hosts = new HostProcesses(dir);
        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, """
            cluster:
              name: lbctlit
              secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
              heartbeat: {period: 100ms, loss-tolerance: 5}
            vips: [10.0.0.100]
            port-rules:
              - {ports: 80, protocol: tcp}
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:17521"}
              - {id: 2, priority: 2, management: "127.0.0.1:17522"}
            """);
        final String runDir = hosts.runDir(1).toString();
        assertEquals(3, lbctl("cluster", "query", "--run-dir", runDir).exitCode(), "no lbd yet: not reachable");

        hosts.start(cluster, 1, dir.resolve("lbd-1.log"));
        hosts.awaitStatus(1, "served alone", s -> "serving".equals(s.path("mode").asText()) &&
            s.path("converged").asBoolean());
        JsonNode query = json(lbctl("cluster", "query", "-j", "--run-dir", runDir));
        assertEquals(1, query.path("hostId").asInt());
        assertEquals(1, query.path("leaderId").asInt());
        assertTrue(query.path("converged").asBoolean());
        assertEquals(2, query.path("hosts").size(), "every member of the config is listed");
        final JsonNode self = query.path("hosts").get(0);
        assertEquals("serving", self.path("mode").asText());
        assertEquals(60, self.path("rules").get(0).path("ownedBuckets").asInt(), "a host alone owns every bucket");
        assertEquals("unknown", query.path("hosts").get(1).path("state").asText(), "host 2 is not heard");

        JsonNode answer = json(lbctl("host", "stop", "-j", "--run-dir", runDir));
        assertEquals("ok", answer.path("status").asText());
        hosts.awaitStatus(1, "stopped", s -> "stopped".equals(s.path("state").asText()) &&
            "stopped".equals(s.path("appliedView").path("mode").asText()) &&
            s.path("appliedView").path("acked").asBoolean());
        assertEquals("stopped", json(lbctl("cluster", "query", "-j", "--run-dir", runDir)).path("hosts").get(0)
            .path("state").asText());

        assertEquals(0, lbctl("host", "start", "--run-dir", runDir).exitCode());
        hosts.awaitStatus(1, "serving again", s -> "serving".equals(s.path("mode").asText()));

        // Drainstop: no tracked connection, so the host stops once its dataplane's count covers the drain.
        // With --wait, lbctl returns once the host stopped (exit 0), and says so and after how long.
        final HostProcesses.Run drain = lbctl("host", "drainstop", "--timeout", "1m", "--wait", "-j", "--run-dir",
            runDir);
        assertEquals(0, drain.exitCode(), drain.err());
        answer = json(drain);
        assertEquals("ok", answer.path("status").asText(), answer.toString());
        assertEquals("stopped", answer.path("state").asText(), answer.toString());
        assertTrue(answer.path("waitedMs").asLong() >= 0, answer.toString());
        assertEquals("stopped", json(lbctl("cluster", "query", "-j", "--run-dir", runDir)).path("hosts").get(0)
            .path("state").asText(), "stopped when lbctl returned");
        hosts.awaitStatus(1, "stopped at the end of the drain", s -> "stopped".equals(s.path("state").asText()));
        assertTrue(HostProcesses.read(dir.resolve("lbd-1.log")).contains("tracks no connection any more"));

        // Suspended: only resume is taken.
        assertEquals(0, lbctl("host", "suspend", "--run-dir", runDir).exitCode());
        final HostProcesses.Run refused = lbctl("host", "start", "--run-dir", runDir);
        assertEquals(4, refused.exitCode(), "a suspended host refuses start");
        assertTrue(refused.err().contains("suspended"), refused.err());
        assertEquals(0, lbctl("host", "resume", "--run-dir", runDir).exitCode());
        assertEquals(0, lbctl("host", "start", "--run-dir", runDir).exitCode());
        hosts.awaitStatus(1, "serving after resume and start", s -> "serving".equals(s.path("mode").asText()));

        // Another host: not a member is a usage error; a member whose lbd does not answer is not reachable.
        final HostProcesses.Run notMember = lbctl("host", "stop", "7", "--run-dir", runDir);
        assertEquals(2, notMember.exitCode());
        assertTrue(notMember.err().contains("members are [1, 2]"), notMember.err());
        final HostProcesses.Run silent = lbctl("host", "stop", "2", "--run-dir", runDir);
        assertEquals(3, silent.exitCode(), silent.err());
        assertTrue(silent.err().contains("did not answer"), silent.err());
    }
}
