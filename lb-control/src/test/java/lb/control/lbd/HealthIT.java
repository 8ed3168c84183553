package lb.control.lbd;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static lb.control.lbd.HostProcesses.json;
import static lb.control.lbd.HostProcesses.lbctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local service health through two real hosts: host 2 checks a TCP port of its own "service" (a socket this test
 * opens and closes); while it fails, host 2 takes none of the rule's buckets and host 1 takes them all, and the query
 * shows why; when it answers again host 2 takes its share back. Its other rule is untouched throughout.
 */
class HealthIT {
    private static final String WEB = "all:80-80/tcp";
    private static final String OTHER = "all:443-443/tcp";

    @TempDir
    Path dir;

    private HostProcesses hosts;

    @AfterEach
    void cleanUp() {
        if (hosts != null) {
            hosts.keepLogs("HealthIT");
            hosts.close();
        }
    }

    private static int owned(final JsonNode status, final String key) {
        for (final JsonNode rule : status.path("appliedView").path("rules")) {
            if (key.equals(rule.path("rule").asText())) {
                return rule.path("ownedBuckets").asInt();
            }
        }
        return -1;
    }

    private static boolean settled(final JsonNode s) {
        return s.path("converged").asBoolean() && s.path("appliedView").path("acked").asBoolean() &&
            "serving".equals(s.path("appliedView").path("mode").asText());
    }

    /** The host's "service": accepts and closes every connection (a full backlog would time the checks out). */
    private static ServerSocket serve(final int port) throws java.io.IOException {
        final ServerSocket service = new ServerSocket();
        service.setReuseAddress(true);
        service.bind(new InetSocketAddress("127.0.0.1", port));
        final Thread acceptor = new Thread(() -> {
            while (!service.isClosed()) {
                try {
                    service.accept().close();
                } catch (final java.io.IOException closed) {
                    return;
                }
            }
        }, "health-it-service");
        acceptor.setDaemon(true);
        acceptor.start();
        return service;
    }

    @Test
    void shouldMoveARulesBucketsOffAHostWhoseServiceFailsAndBackWhenItAnswers() throws Exception {
        HostProcesses.assumeCanRun("HealthIT");
        hosts = new HostProcesses(dir);
        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, """
            cluster:
              name: healthit
              secret: "2f1e2d3c4b5a69788796a5b4c3d2e1f0"
              heartbeat: {period: 100ms, loss-tolerance: 5}
            vips: [10.0.0.100]
            port-rules:
              - {ports: 80, protocol: tcp}
              - {ports: 443, protocol: tcp}
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:17541"}
              - {id: 2, priority: 2, management: "127.0.0.1:17542"}
            """);
        ServerSocket service = serve(0);
        final int port = service.getLocalPort();
        hosts.start(cluster, 1, dir.resolve("lbd-1.log"));
        hosts.start(cluster, 2, dir.resolve("lbd-2.log"), List.of("--health-check",
            WEB + "=tcp://127.0.0.1:" + port + ",interval=200ms,timeout=200ms,rise=2,fall=2"));
        hosts.awaitStatus(2, "sharing the rule", s -> settled(s) && owned(s, WEB) == 30 && owned(s, OTHER) == 30);

        service.close();
        final long failedAt = System.currentTimeMillis();
        final JsonNode failing = hosts.awaitStatus(2, "taking none of the rule's buckets", s -> settled(s) &&
            owned(s, WEB) == 0);
        System.out.println("HealthIT: host 2's buckets of " + WEB + " moved " + (System.currentTimeMillis() -
            failedAt) + " ms after its service closed (checks every 200 ms, fall 2)");
        assertEquals(30, owned(failing, OTHER), "its other rule is untouched");
        assertEquals(WEB, failing.path("unhealthyRules").get(0).path("rule").asText());
        assertTrue(failing.path("unhealthyRules").get(0).path("reason").asText().contains("connect to 127.0.0.1:" +
            port), failing.toString());
        hosts.awaitStatus(1, "taking the whole rule", s -> settled(s) && owned(s, WEB) == 60);
        final JsonNode query = json(lbctl("cluster", "query", "-j", "--run-dir", hosts.runDir(1).toString()));
        assertEquals(WEB, query.path("hosts").get(1).path("unhealthyRules").get(0).path("rule").asText(),
            "host 1's query shows host 2's unhealthy rule: " + query);

        service = serve(port);
        try {
            final JsonNode healthy = hosts.awaitStatus(2, "taking its share back", s -> settled(s) &&
                owned(s, WEB) == 30);
            assertEquals(0, healthy.path("unhealthyRules").size());
            assertEquals(30, owned(healthy, OTHER));
        } finally {
            service.close();
        }
    }
}
