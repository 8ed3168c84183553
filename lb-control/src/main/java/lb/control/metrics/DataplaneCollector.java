package lb.control.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.api.CountersFile;
import lb.dataplane.api.LatencyBuckets;
import org.agrona.concurrent.status.CountersReader;

/**
 * The dataplane's counters as Prometheus series, read from its counters file at each scrape, on the scraping thread
 * (the HTTP server's, never lbd's duty cycle): the file is mapped, read and unmapped each time, so a dataplane that
 * restarted (a new file) is read as it is now, and nothing polls between scrapes. Names and labels:
 * {@link CounterFamilies}. Also {@code lb_dataplane_counters_up}: 1 when the file could be read.
 */
public final class DataplaneCollector implements MultiCollector {
    /** 1 when the counters file could be read at this scrape. */
    public static final String UP = "lb_dataplane_counters_up";

    private final Path aeronDir;

    /**
     * One counter as read.
     *
     * @param typeId         its type.
     * @param key            its key.
     * @param label          its label.
     * @param value          its value.
     * @param registrationId its registration id: when two allocated counters say the same (a previous lbd's client
     *                       counter the driver has not reclaimed yet), the later registration is the one that counts
     *                       (with equal ids, the later in the file).
     */
    public record Reading(int typeId, int key, String label, long value, long registrationId) {
    }

    /**
     * @param aeronDir the dataplane's Aeron directory (under lbd: RUN/dataplane).
     */
    public DataplaneCollector(final Path aeronDir) {
        this.aeronDir = aeronDir;
    }

    @Override
    public MetricSnapshots collect() {
        List<Reading> readings;
        boolean up;
        try (CountersFile file = CountersFile.open(aeronDir)) {
            readings = read(file.reader());
            up = true;
        } catch (final RuntimeException notThere) {
            // No dataplane yet, a dataplane starting (its driver creating the file), or one just gone.
            readings = List.of();
            up = false;
        }
        return snapshots(readings, up);
    }

    /**
     * @return every allocated lb counter (type id 1000 and above) of the reader.
     */
    public static List<Reading> read(final CountersReader reader) {
        final List<Reading> readings = new ArrayList<>();
        reader.forEach((counterId, typeId, keyBuffer, label) -> {
            if (typeId >= 1000) {
                readings.add(new Reading(typeId, keyBuffer.capacity() >= Integer.BYTES ? keyBuffer.getInt(0) : 0,
                    label, reader.getCounterValue(counterId), reader.getCounterRegistrationId(counterId)));
            }
        });
        return readings;
    }

    /**
     * The Prometheus families of a set of readings.
     *
     * @param readings what the counters file holds.
     * @param up       whether it could be read.
     * @return one snapshot per family, in {@link CounterFamilies#all()} order, then the burst-latency histogram and
     *         {@value #UP}.
     */
    public static MetricSnapshots snapshots(final List<Reading> readings, final boolean up) {
        final Map<CounterFamilies.Family, Map<List<String>, Reading>> byFamily = new LinkedHashMap<>();
        for (final CounterFamilies.Family family : CounterFamilies.all()) {
            byFamily.put(family, new LinkedHashMap<>());
        }
        final Map<Integer, long[]> latency = new LinkedHashMap<>();
        final Map<List<Integer>, Long> latencyRegistration = new LinkedHashMap<>();
        for (final Reading reading : readings) {
            if (CounterFamilies.isBurstLatency(reading.typeId())) {
                // Per worker: the buckets, then the sum at index COUNT.
                final int slot = reading.typeId() == CounterTypes.WORKER_BURST_LATENCY_SUM_NS ? LatencyBuckets.COUNT :
                    CounterFamilies.bucketOf(reading.typeId());
                final List<Integer> id = List.of(reading.key(), slot);
                if (latencyRegistration.getOrDefault(id, Long.MIN_VALUE) <= reading.registrationId()) {
                    latencyRegistration.put(id, reading.registrationId());
                    latency.computeIfAbsent(reading.key(), k -> new long[LatencyBuckets.COUNT + 1])[slot] =
                        reading.value();
                }
                continue;
            }
            final CounterFamilies.Series series = CounterFamilies.series(reading.typeId(), reading.key(),
                reading.label());
            if (series == null) {
                continue;
            }
            final Map<List<String>, Reading> points = byFamily.get(series.family());
            final Reading before = points.get(series.labels());
            if (before == null || before.registrationId() <= reading.registrationId()) {
                points.put(series.labels(), reading);
            }
        }
        final MetricSnapshots.Builder all = MetricSnapshots.builder();
        byFamily.forEach((family, points) -> {
            if (!points.isEmpty()) {
                all.metricSnapshot(snapshot(family, points));
            }
        });
        if (!latency.isEmpty()) {
            all.metricSnapshot(burstLatency(latency));
        }
        all.metricSnapshot(GaugeSnapshot.builder().name(UP)
            .help("1 when lbd could read the dataplane's counters file at this scrape, 0 when there is none yet")
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(up ? 1 : 0).build()).build());
        return all.build();
    }

    private static MetricSnapshot snapshot(final CounterFamilies.Family family,
        final Map<List<String>, Reading> points) {
        final List<String> names = family.labelNames();
        if (family.kind() == CounterFamilies.Kind.COUNTER) {
            final CounterSnapshot.Builder counter = CounterSnapshot.builder().name(family.name()).help(family.help());
            points.forEach((labels, reading) -> counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of(names, labels)).value(reading.value()).build()));
            return counter.build();
        }
        final GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(family.name()).help(family.help());
        points.forEach((labels, reading) -> gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
            .labels(Labels.of(names, labels)).value(reading.value()).build()));
        return gauge.build();
    }

    private static HistogramSnapshot burstLatency(final Map<Integer, long[]> byWorker) {
        final double[] bounds = new double[LatencyBuckets.COUNT];
        for (int b = 0; b < LatencyBuckets.COUNT; b++) {
            bounds[b] = LatencyBuckets.upperBoundSeconds(b);
        }
        final HistogramSnapshot.Builder histogram = HistogramSnapshot.builder()
            .name(CounterFamilies.BURST_LATENCY)
            .help("How long a worker took over a non-empty NIC burst, from RX returning to the last TX; one burst " +
                "in 16 is timed");
        byWorker.forEach((worker, values) -> histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot
            .builder()
            .labels(Labels.of("worker", Integer.toString(worker)))
            .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, java.util.Arrays.copyOf(values,
                LatencyBuckets.COUNT)))
            .sum(values[LatencyBuckets.COUNT] / 1e9)
            .build()));
        return histogram.build();
    }
}
