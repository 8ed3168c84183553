package lb.control.lbd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import lb.control.convergence.ServingMode;
import lb.control.host.HostMachine;
import lb.control.host.HostStatus;
import lb.control.membership.HostState;
import lb.control.membership.MemberId;
import lb.control.membership.Refusal;
import lb.control.protocol.HeartbeatMessage;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigFingerprint;
import lb.dataplane.testkit.TestConfigs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LbdMetricsTest {
    private static final ClusterConfig CONFIG = TestConfigs.config(3, TestConfigs.rule("all:80/tcp"));
    private static final MemberId SELF = new MemberId(1, 100);
    private static final long DETECTION_MS = 500;

    private final LbdMetrics metrics = new LbdMetrics(CONFIG, SELF, DETECTION_MS);

    private static HeartbeatMessage heartbeat(final MemberId sender, final int priority, final long sequence,
        final HostState state, final ConfigFingerprint fingerprint) {
        return new HeartbeatMessage(sender, priority, sequence, state, state == HostState.STARTED, false, fingerprint, fingerprint,
            List.of(), 0, 0, 0, Optional.empty(), 0);
    }

    private static HostStatus status(final long epoch, final List<Refusal> refusals) {
        return new HostStatus(SELF, HostState.STARTED, ServingMode.SERVING, false, false, 1, epoch, 7, true,
            new TreeSet<>(List.of(SELF)), refusals);
    }

    @Test
    void aPeerSilentForTheDetectionTimeHasTimedOutUnlessItDeparted() {
        final MemberId two = new MemberId(2, 200);
        final MemberId three = new MemberId(3, 300);
        metrics.heartbeatReceived(0, heartbeat(two, 2, 1, HostState.STARTED, CONFIG.fingerprint()));
        metrics.heartbeatReceived(0, heartbeat(three, 3, 1, HostState.STOPPED, CONFIG.fingerprint()));
        metrics.heartbeatReceived(0, heartbeat(SELF, 1, 1, HostState.STARTED, CONFIG.fingerprint()));
        assertEquals(2, metrics.heartbeatsReceived(), "this host's own (multicast loops it back) is not counted");

        metrics.tick(DETECTION_MS - 1);
        assertEquals(0, metrics.peersTimedOut());
        metrics.tick(DETECTION_MS + 20);
        assertEquals(1, metrics.peersTimedOut(), "host 2 went silent; host 3 said it stopped");
        metrics.tick(DETECTION_MS * 4);
        assertEquals(1, metrics.peersTimedOut(), "counted once");

        metrics.heartbeatReceived(DETECTION_MS * 5, heartbeat(two, 2, 2, HostState.STARTED, CONFIG.fingerprint()));
        metrics.tick(DETECTION_MS * 7);
        assertEquals(2, metrics.peersTimedOut(), "heard again, silent again");
    }

    @Test
    void aConvergenceRunsFromTheNewEpochToTheFirstAckOfIt() throws IOException {
        metrics.status(1_000, status(0, List.of()));
        assertEquals(0, metrics.viewChanges(), "no view yet");
        metrics.status(1_000, status(3, List.of()));
        metrics.status(1_010, status(3, List.of()));
        assertEquals(1, metrics.viewChanges(), "the same epoch again is no change");
        metrics.viewAcked(2, 1_020);
        assertEquals(0, metrics.convergences(), "an ack of an older view ends nothing");
        metrics.viewAcked(3, 1_040);
        metrics.viewAcked(3, 1_300);
        assertEquals(1, metrics.convergences(), "the first ack of the epoch ends it");

        final String text = text();
        assertTrue(text.contains("lb_lbd_convergence_seconds_bucket{le=\"0.025\"} 0"), text);
        assertTrue(text.contains("lb_lbd_convergence_seconds_bucket{le=\"0.05\"} 1"), text);
        assertTrue(text.contains("lb_lbd_convergence_seconds_count 1"), text);
        assertTrue(text.contains("lb_lbd_convergence_seconds_sum 0.04"), text);
        assertTrue(text.contains("lb_lbd_views_applied_total 3.0"), text);
        assertTrue(text.contains("lb_lbd_view_changes_total 1.0"), text);
        assertTrue(text.contains("lb_lbd_view_epoch 3.0"), text);
    }

    @Test
    void stateAndModeAreOneSeriesPerValue() throws IOException {
        metrics.status(0, status(4, List.of()));
        metrics.dataplaneReady(true);
        metrics.heartbeatsSent(2);

        final String text = text();
        assertTrue(text.contains("lb_lbd_host_state{state=\"started\"} 1.0"), text);
        assertTrue(text.contains("lb_lbd_host_state{state=\"draining\"} 0.0"), text);
        assertTrue(text.contains("lb_lbd_host_mode{mode=\"serving\"} 1.0"), text);
        assertTrue(text.contains("lb_lbd_host_mode{mode=\"withdrawn\"} 0.0"), text);
        assertTrue(text.contains("lb_lbd_dataplane_ready 1.0"), text);
        assertTrue(text.contains("lb_lbd_heartbeats_sent_total 1.0"), text);
        assertTrue(text.contains("lb_lbd_heartbeat_deliveries_total 2.0"), text);
        assertTrue(text.contains("lb_lbd_info{cluster=\"test\",config=\"" +
            CONFIG.fingerprint().sha256Hex().substring(0, 16) + "\",host_id=\"1\",incarnation=\"100\"} 1.0"), text);
    }

    @Test
    void refusedHostsAreCountedByAShortReasonFromTheMachinesOwnWords() throws IOException {
        // The machine's own refusals, so that a change of its wording fails here.
        final HostMachine machine = new HostMachine(CONFIG, 1, 100);
        machine.start(0);
        machine.dataplaneUp(0, 0);
        final ConfigFingerprint other = TestConfigs.config(3).fingerprint();
        machine.onHeartbeat(1, heartbeat(new MemberId(2, 200), 2, 1, HostState.STARTED, other));
        machine.onHeartbeat(1, heartbeat(new MemberId(3, 300), 9, 1, HostState.STARTED, CONFIG.fingerprint()));
        machine.onHeartbeat(1, heartbeat(new MemberId(7, 700), 7, 1, HostState.STARTED, CONFIG.fingerprint()));
        machine.tick(2);
        final List<Refusal> refusals = machine.status().refusals();
        assertEquals(3, refusals.size(), refusals::toString);
        for (final Refusal refusal : refusals) {
            final String expected = switch (refusal.member().hostId()) {
                case 2 -> "config_fingerprint";
                case 3 -> "host_priority";
                default -> "not_member";
            };
            assertEquals(expected, LbdMetrics.reason(refusal), refusal.reason());
        }
        assertEquals("duplicate_host_id", LbdMetrics.reason(new Refusal(SELF, "duplicate host id 1: incarnation 5 " +
            "is live; this newer run is refused until that one has been silent for 500 ms")));
        assertEquals("other", LbdMetrics.reason(new Refusal(SELF, "something new")));

        metrics.status(2, status(1, refusals));
        final String text = text();
        assertTrue(text.contains("lb_lbd_refused_hosts{reason=\"config_fingerprint\"} 1.0"), text);
        assertTrue(text.contains("lb_lbd_refused_hosts{reason=\"host_priority\"} 1.0"), text);
        assertTrue(text.contains("lb_lbd_refused_hosts{reason=\"not_member\"} 1.0"), text);
        assertTrue(text.contains("lb_lbd_refused_hosts{reason=\"duplicate_host_id\"} 0.0"), text);
    }

    private String text() throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.collect());
        return out.toString(StandardCharsets.UTF_8);
    }
}
