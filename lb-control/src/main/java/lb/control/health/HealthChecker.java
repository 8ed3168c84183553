package lb.control.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import lb.dataplane.config.RuleKey;

/**
 * Runs the host's health checks on threads of their own (a check blocks up to its timeout) and queues each change of a
 * rule's health for lbd's duty cycle, which hands it to the membership machine. Nothing here touches the machine.
 */
public final class HealthChecker implements AutoCloseable {
    /**
     * A rule's local service became healthy or unhealthy.
     *
     * @param rule    the rule.
     * @param healthy its state now.
     * @param reason  why it failed (the last failure), or what passed.
     */
    public record Change(RuleKey rule, boolean healthy, String reason) {
    }

    private final Queue<Change> changes = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService threads;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public HealthChecker(final List<HealthCheck> checks) {
        this.threads = Executors.newScheduledThreadPool(Math.max(1, Math.min(4, checks.size())), runnable -> {
            final Thread thread = new Thread(runnable, "lbd-health");
            thread.setDaemon(true);
            return thread;
        });
        for (final HealthCheck check : checks) {
            final HealthState state = new HealthState(check.rise(), check.fall());
            threads.scheduleWithFixedDelay(() -> {
                final String failure = probe(check);
                if (state.result(failure)) {
                    changes.add(new Change(check.rule(), state.healthy(), state.healthy() ? check.rise() +
                        " checks of " + check.target() + " passed" : check.fall() + " checks of " + check.target() +
                        " failed, the last: " + failure));
                }
            }, 0, check.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The next change, or null. */
    public Change poll() {
        return changes.poll();
    }

    /** One check: null when it passed, else why not. */
    String probe(final HealthCheck check) {
        final int timeoutMs = (int)Math.max(1, check.timeout().toMillis());
        if (!check.http()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(check.target().getHost(), check.target().getPort()), timeoutMs);
                return null;
            } catch (final IOException ex) {
                return "connect to " + check.target().getHost() + ":" + check.target().getPort() + ": " +
                    ex.getMessage();
            }
        }
        try {
            final HttpResponse<Void> response = http.send(HttpRequest.newBuilder(check.target()).GET()
                .timeout(check.timeout()).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() >= 200 && response.statusCode() < 400 ? null :
                "GET " + check.target() + ": HTTP " + response.statusCode();
        } catch (final IOException ex) {
            return "GET " + check.target() + ": " + ex;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
