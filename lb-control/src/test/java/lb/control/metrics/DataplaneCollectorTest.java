package lb.control.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.api.LatencyBuckets;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dataplane's counters, laid out as in a CnC file, through the collector to the text format a scrape gets.
 */
class DataplaneCollectorTest {
    private final CountersManager file = new CountersManager(
        new UnsafeBuffer(new byte[256 * CountersManager.METADATA_LENGTH]),
        new UnsafeBuffer(new byte[256 * CountersManager.COUNTER_LENGTH]));

    private AtomicCounter add(final int type, final int key, final String label, final long value) {
        final AtomicCounter counter = file.newCounter(label, type, buffer -> buffer.putInt(0, key));
        counter.set(value);
        return counter;
    }

    private String scrape() throws IOException {
        return text(DataplaneCollector.snapshots(DataplaneCollector.read(file), true));
    }

    static String text(final MetricSnapshots snapshots) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, snapshots);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exportsCountersGaugesAndTheirLabels() throws IOException {
        add(CounterTypes.WORKER_RX_PACKETS, 0, "lb worker 0 rx packets from nic", 42);
        add(CounterTypes.VERDICT_INGRESS_BASE, 0, "lb worker 0 ingress accept", 40);
        add(CounterTypes.VERDICT_INGRESS_BASE + 3, 1, "lb worker 1 ingress not_owner", 2);
        add(CounterTypes.PORT_RX_PACKETS, 1, "lb port 1 (net_null1) rx packets", 7);
        add(CounterTypes.POOL_MBUFS_IN_USE, 0, "lb pool lb_pool mbufs in use", 512);
        add(CounterTypes.VIEW_EPOCH, 0, "lb view epoch", 3);
        add(5, 0, "an Aeron counter", 9);

        final String text = scrape();

        assertTrue(text.contains("# TYPE lb_worker_rx_packets_total counter"), text);
        assertTrue(text.contains("lb_worker_rx_packets_total{worker=\"0\"} 42.0"), text);
        assertTrue(text.contains("lb_worker_ingress_frames_total{verdict=\"accept\",worker=\"0\"} 40.0"), text);
        assertTrue(text.contains("lb_worker_ingress_frames_total{verdict=\"not_owner\",worker=\"1\"} 2.0"), text);
        assertTrue(text.contains("lb_port_rx_packets_total{device=\"net_null1\",port=\"1\"} 7.0"), text);
        assertTrue(text.contains("# TYPE lb_pool_mbufs_in_use gauge"), text);
        assertTrue(text.contains("lb_pool_mbufs_in_use{pool=\"lb_pool\"} 512.0"), text);
        assertTrue(text.contains("lb_view_epoch 3.0"), text);
        assertTrue(text.contains("lb_dataplane_counters_up 1.0"), text);
        assertFalse(text.contains("Aeron"), "Aeron's own counters are not lb's: " + text);
    }

    @Test
    void sumsTheBucketsIntoACumulativeHistogramInSeconds() throws IOException {
        add(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE, 0, "lb worker 0 burst latency <= 128 ns", 1);
        for (int b = 1; b < LatencyBuckets.COUNT; b++) {
            add(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE + b, 0, "lb worker 0 " + LatencyBuckets.describe(b),
                b == 4 ? 5 : b == LatencyBuckets.OVERFLOW ? 2 : 0);
        }
        add(CounterTypes.WORKER_BURST_LATENCY_SUM_NS, 0, "lb worker 0 burst latency sum ns", 30_000_000);

        final String text = scrape();

        assertTrue(text.contains("# TYPE lb_worker_burst_latency_seconds histogram"), text);
        assertTrue(text.contains("lb_worker_burst_latency_seconds_bucket{worker=\"0\",le=\"1.28E-7\"} 1"), text);
        assertTrue(text.contains("lb_worker_burst_latency_seconds_bucket{worker=\"0\",le=\"1.024E-6\"} 1"), text);
        assertTrue(text.contains("lb_worker_burst_latency_seconds_bucket{worker=\"0\",le=\"2.048E-6\"} 6"), text);
        assertTrue(text.contains("lb_worker_burst_latency_seconds_bucket{worker=\"0\",le=\"0.008388608\"} 6"), text);
        assertTrue(text.contains("lb_worker_burst_latency_seconds_bucket{worker=\"0\",le=\"+Inf\"} 8"), text);
        assertTrue(text.contains("lb_worker_burst_latency_seconds_count{worker=\"0\"} 8"), text);
        assertTrue(text.contains("lb_worker_burst_latency_seconds_sum{worker=\"0\"} 0.03"), text);
    }

    @Test
    void aLaterRegistrationOfTheSameCounterWins() throws IOException {
        // A previous lbd's counter the driver has not reclaimed yet, and this lbd's.
        // Ids are reused: this lbd's counter may come first in the file, but its registration is the later one.
        final AtomicCounter current = add(CounterTypes.EVENTS_MESSAGES_SKIPPED, 0, "lbd events messages skipped", 1);
        final AtomicCounter stale = add(CounterTypes.EVENTS_MESSAGES_SKIPPED, 0, "lbd events messages skipped", 5);
        file.setCounterRegistrationId(current.id(), 9);
        file.setCounterRegistrationId(stale.id(), 3);

        final String text = scrape();

        assertTrue(text.contains("lb_events_messages_skipped_total 1.0"), text);
        assertFalse(text.contains("lb_events_messages_skipped_total 5.0"), text);
    }

    @Test
    void saysSoWhenThereIsNoCountersFile(@TempDir final Path dir) throws IOException {
        final String text = text(new DataplaneCollector(dir.resolve("dataplane")).collect());

        assertTrue(text.contains("lb_dataplane_counters_up 0.0"), text);
        assertFalse(text.contains("lb_worker"), text);
    }
}
