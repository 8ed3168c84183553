package lb.control.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import lb.dataplane.config.Endpoint;

/**
 * lbd's {@code /metrics} (option {@code --metrics ADDR:PORT}): the Prometheus text format, served by the Prometheus
 * client's HTTP server on a thread of its own, so a scrape never runs on, or waits for, lbd's duty cycle. Every
 * collector reads what it exports at scrape time: the dataplane's counters file ({@link DataplaneCollector}), lbd's
 * own metrics, and the JVM's.
 */
public final class MetricsServer implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExecutorService executor;
    private final HTTPServer server;

    private MetricsServer(final Endpoint endpoint) throws IOException {
        executor = Executors.newSingleThreadExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "lbd-metrics");
            thread.setDaemon(true);
            return thread;
        });
        try {
            server = HTTPServer.builder().inetAddress(address(endpoint)).port(endpoint.port()).registry(registry)
                .executorService(executor).buildAndStart();
        } catch (final IOException | RuntimeException ex) {
            executor.shutdownNow();
            throw ex;
        }
        JvmMetrics.builder().register(registry);
    }

    /**
     * Listens on the endpoint at once (so a port in use is known before anything else starts).
     *
     * @param endpoint where, e.g. 127.0.0.1:9464.
     * @return the running server, with the JVM's metrics registered.
     * @throws IOException when it cannot listen there.
     */
    public static MetricsServer start(final Endpoint endpoint) throws IOException {
        return new MetricsServer(endpoint);
    }

    /**
     * Adds a collector; its series are in the next scrape.
     */
    public void register(final MultiCollector collector) {
        registry.register(collector);
    }

    /**
     * @return the port it listens on.
     */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
        executor.shutdownNow();
    }

    private static InetAddress address(final Endpoint endpoint) throws UnknownHostException {
        // A literal address: getByName does no lookup.
        return InetAddress.getByName(endpoint.address().toString());
    }
}
