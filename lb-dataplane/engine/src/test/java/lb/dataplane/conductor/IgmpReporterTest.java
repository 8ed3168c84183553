package lb.dataplane.conductor;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.file.ClusterFileParser;
import lb.dataplane.pipeline.PipelineFixtures;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.ViewHolder;
import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.view.ViewBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IgmpReporterTest {
    private int reports;
    private int lastGroup;
    private final IgmpReporter reporter = new IgmpReporter(view -> {
        reports++;
        lastGroup = view.igmpGroup();
        return 1;
    }, new ViewHolder(PipelineFixtures.view(true), 1), 0);

    @Test
    void shouldReportTheClusterGroupAtOnceAndEveryMinuteInIgmpMode() {
        final DataplaneView view = igmpView(true);
        reporter.doWork(0, view);
        reporter.doWork(59_999, view);
        assertEquals(1, reports);
        assertEquals(0xEFFF_0064, lastGroup, "239.255.0.100 for VIP 10.0.0.100");
        reporter.doWork(60_000, view);
        assertEquals(2, reports);
    }

    @Test
    void shouldStaySilentInUnicastModeAndWhenNoVipIsAnswerable() {
        reporter.doWork(0, PipelineFixtures.view(true));
        reporter.doWork(0, igmpView(false));
        reporter.doWork(120_000, igmpView(false));
        assertEquals(0, reports);
    }

    private static DataplaneView igmpView(final boolean answerable) {
        final ClusterConfig config = ClusterFileParser.parse(PipelineFixtures.clusterYaml()
            .replace("mode: unicast", "mode: igmp-multicast"), "igmp");
        final ClusterAssignment assignment = ClusterAssignment.compute(config, new TreeSet<>(Set.of(1, 2, 3)),
            ClusterAssignment.NONE);
        final Set<IpAddress> vips = answerable ? new HashSet<>(config.vips()) : Set.of();
        return ViewBuilder.build(config, 1, 1, 1, RuleOwnership.of(config, assignment, ClusterAssignment.NONE), vips,
            0x02_00_00_00_00_01L);
    }
}
