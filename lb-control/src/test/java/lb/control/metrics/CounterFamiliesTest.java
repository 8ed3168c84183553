package lb.control.metrics;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import lb.dataplane.api.CounterTypes;
import lb.dataplane.api.LatencyBuckets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterFamiliesTest {
    @Test
    void everySingleCounterTypeIsNamedForItsConstant() throws IllegalAccessException {
        final Set<String> names = new HashSet<>();
        for (final Field field : CounterTypes.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != int.class) {
                continue;
            }
            final int type = field.getInt(null);
            final String constant = field.getName();
            if (constant.endsWith("_BASE") || constant.startsWith("WORKER_BURST_LATENCY")) {
                continue;
            }
            final CounterFamilies.Series series = CounterFamilies.series(type, 0, "lb something");
            assertNotNull(series, constant + " (" + type + ") has no Prometheus family");
            assertEquals("lb_" + constant.toLowerCase(), series.family().name(), constant);
            assertTrue(series.family().name().matches("lb_[a-z0-9_]+"), series.family().name());
            assertFalse(series.family().name().endsWith("_total"), "the writer adds _total");
            names.add(series.family().name());
        }
        assertEquals(22, names.size(), "one family per single type, no two alike: " + names);
    }

    @Test
    void labelsSayWhatStatGroupsBy() {
        final CounterFamilies.Series rx = CounterFamilies.series(CounterTypes.WORKER_RX_PACKETS, 1,
            "lb worker 1 rx packets from nic");
        assertEquals(List.of("worker"), rx.family().labelNames());
        assertEquals(List.of("1"), rx.labels());
        assertEquals(CounterFamilies.Kind.COUNTER, rx.family().kind());

        final CounterFamilies.Series port = CounterFamilies.series(CounterTypes.PORT_RX_MISSED, 2,
            "lb port 2 (net_tap0) rx missed");
        assertEquals("lb_port_rx_missed", port.family().name());
        assertEquals(List.of("port", "device"), port.family().labelNames());
        assertEquals(List.of("2", "net_tap0"), port.labels());

        final CounterFamilies.Series pool = CounterFamilies.series(CounterTypes.POOL_MBUFS_IN_USE, 0,
            "lb pool lb_pool mbufs in use");
        assertEquals(CounterFamilies.Kind.GAUGE, pool.family().kind());
        assertEquals(List.of("lb_pool"), pool.labels());

        final CounterFamilies.Series epoch = CounterFamilies.series(CounterTypes.VIEW_EPOCH, 0, "lb view epoch");
        assertEquals("lb_view_epoch", epoch.family().name());
        assertEquals(List.of(), epoch.labels());
        assertEquals(CounterFamilies.Kind.GAUGE, epoch.family().kind());
    }

    @Test
    void rangesTakeTheirMemberFromTheCounterLabel() {
        final CounterFamilies.Series ingress = CounterFamilies.series(CounterTypes.VERDICT_INGRESS_BASE + 3, 0,
            "lb worker 0 ingress not_owner");
        assertEquals("lb_worker_ingress_frames", ingress.family().name());
        assertEquals(List.of("worker", "verdict"), ingress.family().labelNames());
        assertEquals(List.of("0", "not_owner"), ingress.labels());

        final CounterFamilies.Series egress = CounterFamilies.series(CounterTypes.VERDICT_EGRESS_BASE + 14, 1,
            "lb worker 1 egress stale_vip_claim");
        assertEquals("lb_worker_egress_frames", egress.family().name());
        assertEquals(List.of("1", "stale_vip_claim"), egress.labels());

        final CounterFamilies.Series malformed = CounterFamilies.series(CounterTypes.PARSE_DROP_BASE + 7, 0,
            "lb worker 0 malformed truncated_ipv4");
        assertEquals("lb_worker_malformed_frames", malformed.family().name());
        assertEquals(List.of("worker", "reason"), malformed.family().labelNames());
        assertEquals(List.of("0", "truncated_ipv4"), malformed.labels());

        final CounterFamilies.Series odd = CounterFamilies.series(CounterTypes.VERDICT_INGRESS_BASE + 9, 0,
            "lb worker 0 something Else");
        assertEquals(List.of("0", "code_9"), odd.labels(), "a label it cannot read still makes a valid value");
    }

    @Test
    void latencyCountersAndUnknownTypesHaveNoSeries() {
        assertTrue(CounterFamilies.isBurstLatency(CounterTypes.WORKER_BURST_LATENCY_SUM_NS));
        assertTrue(CounterFamilies.isBurstLatency(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE));
        assertTrue(CounterFamilies.isBurstLatency(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE +
            LatencyBuckets.OVERFLOW));
        assertFalse(CounterFamilies.isBurstLatency(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE +
            LatencyBuckets.COUNT));
        assertEquals(LatencyBuckets.OVERFLOW, CounterFamilies.bucketOf(CounterTypes.WORKER_BURST_LATENCY_BUCKET_BASE +
            LatencyBuckets.OVERFLOW));
        assertNull(CounterFamilies.series(CounterTypes.WORKER_BURST_LATENCY_SUM_NS, 0, "lb worker 0 burst latency"));
        assertNull(CounterFamilies.series(1999, 0, "lb from a newer dataplane"));
        assertNull(CounterFamilies.series(2, 0, "Aeron's own"));
    }
}
