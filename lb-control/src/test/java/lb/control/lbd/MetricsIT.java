package lb.control.lbd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real lbd with {@code --metrics}, supervising a real dataplane on DPDK's net_null devices: its {@code /metrics}
 * over HTTP passes {@code promtool check metrics}, and a real Prometheus server scraping it every second finds lbd's
 * series and the dataplane's with their labels through its query API.
 */
class MetricsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private HostProcesses hosts;
    private Process prometheus;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (hosts != null) {
            hosts.keepLogs("MetricsIT");
            hosts.close();
        }
    }

    @Test
    void shouldServeMetricsThatPromtoolPassesAndPrometheusScrapes() throws Exception {
        HostProcesses.assumeCanRun("MetricsIT");
        assumeTrue(onPath("promtool") && onPath("prometheus"), "MetricsIT needs Prometheus's prometheus and " +
            "promtool on the PATH (Debian: apt-get install -y prometheus; ./lb test installs it)");
        final long startedMs = System.currentTimeMillis();
        hosts = new HostProcesses(dir);
        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, """
            cluster:
              name: metricsit
              secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
              heartbeat: {period: 100ms, loss-tolerance: 5}
            vips: [10.0.0.100]
            port-rules:
              - {ports: 80, protocol: tcp}
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:17701"}
              - {id: 2, priority: 2, management: "127.0.0.1:17702"}
            """);
        final int metricsPort = freePort();
        final Path log = dir.resolve("lbd-1.log");
        hosts.start(cluster, 1, log, List.of("--metrics", "127.0.0.1:" + metricsPort));
        HostProcesses.awaitLine(log, line -> line.contains("metrics on http://127.0.0.1:" + metricsPort + "/metrics"));
        // Alone, it leads once it has listened for the detection time: a view of cluster epoch 1 or more, acked.
        hosts.awaitStatus(1, "served", s -> "serving".equals(s.path("mode").asText()) &&
            s.path("appliedView").path("clusterEpoch").asLong() >= 1 &&
            s.path("appliedView").path("acked").asBoolean() && s.path("dataplane").path("ready").asBoolean());

        final String text = scrape(metricsPort);
        for (final String expected : new String[] {
            "lb_lbd_info{", "lb_lbd_heartbeats_sent_total ", "lb_lbd_heartbeat_deliveries_total 0.0", "lb_lbd_host_state{state=\"started\"} 1.0",
            "lb_lbd_dataplane_ready 1.0", "lb_dataplane_counters_up 1.0", "lb_view_epoch ",
            "lb_worker_rx_packets_total{worker=\"0\"} ", "lb_worker_ingress_frames_total{verdict=\"accept\",worker=\"0\"}",
            "lb_port_rx_packets_total{device=\"net_null0\",port=\"0\"}", "lb_pool_mbufs_in_use{pool=",
            "lb_worker_burst_latency_seconds_bucket{worker=\"0\",le=\"+Inf\"}", "lb_lbd_convergence_seconds_count 1",
            "jvm_memory_used_bytes"}) {
            assertTrue(text.contains(expected), "no " + expected + " in\n" + text);
        }
        promtool(text);

        final int webPort = freePort();
        final Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: lbd
                static_configs: [{targets: ["127.0.0.1:%d"]}]
            """.formatted(metricsPort));
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" +
            dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + webPort).redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        final JsonNode epoch = awaitSeries(webPort, "lb_view_epoch >= 1");
        assertEquals("lbd", epoch.path("metric").path("job").asText(), epoch.toString());
        final JsonNode accepted = awaitSeries(webPort, "lb_worker_ingress_frames_total{verdict=\"accept\"}");
        assertEquals("0", accepted.path("metric").path("worker").asText(), accepted.toString());
        final JsonNode lbdEpoch = awaitSeries(webPort, "lb_lbd_view_epoch >= 1");
        assertTrue(lbdEpoch.path("value").get(1).asDouble() >= 1, lbdEpoch.toString());
        awaitSeries(webPort, "lb_worker_burst_latency_seconds_bucket{worker=\"0\",le=\"+Inf\"}");
        awaitSeries(webPort, "lb_lbd_host_mode{mode=\"serving\"} == 1");
        System.out.println("MetricsIT: lbd, dataplane, promtool and Prometheus in " +
            (System.currentTimeMillis() - startedMs) + " ms");
    }

    private static String scrape(final int port) throws IOException, InterruptedException {
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
            response.headers().toString());
        return response.body();
    }

    /** promtool check metrics reads the text format on stdin; it exits 0 only when it finds no problem. */
    private void promtool(final String text) throws IOException, InterruptedException {
        final Path scraped = dir.resolve("metrics.txt");
        Files.writeString(scraped, text);
        final Process check = new ProcessBuilder("promtool", "check", "metrics").redirectInput(scraped.toFile())
            .redirectErrorStream(true).start();
        final String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS), "promtool did not end");
        assertEquals(0, check.exitValue(), "promtool check metrics: " + said);
    }

    /** Queries Prometheus until the expression has a result, and returns its first series. */
    private JsonNode awaitSeries(final int port, final String query) throws Exception {
        final long deadline = System.currentTimeMillis() + HostProcesses.TIMEOUT_MS;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            try {
                final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(query,
                        StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
                last = response.body();
                final JsonNode result = JSON.readTree(last).path("data").path("result");
                if (response.statusCode() == 200 && result.isArray() && !result.isEmpty()) {
                    return result.get(0);
                }
            } catch (final IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus never had " + query + "; last answer: " + last + "\n" +
            HostProcesses.read(dir.resolve("prometheus.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean onPath(final String command) {
        for (final String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }
}
