package lb.control.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import lb.control.convergence.LocalView;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How soon the others take a host's buckets for new connections, over a network with 1-10 ms delays: at once when it
 * stops gracefully (target 50 ms), after the detection time when it dies (target detection + 100 ms).
 */
class HandoverTimeTest {
    private static final int HOSTS = 5;

    @Test
    void shouldHandOverWithinFiftyMillisWhenHostStops() {
        long worst = 0;
        for (long seed = 0; seed < 20; seed++) {
            final SimCluster cluster = converged(seed);
            final SimHost leaving = cluster.hosts.get((int)(seed % HOSTS));
            final long stopped = cluster.now();
            cluster.call(leaving, m -> m.stop(stopped));
            worst = Math.max(worst, untilServedWithout(cluster, leaving) - stopped);
        }
        System.out.println("graceful stop: the others took its buckets after at most " + worst + " ms");
        assertTrue(worst <= 50, worst + " ms");
    }

    @Test
    void shouldServeDeadHostsBucketsWithinDetectionAndOneHundredMillis() {
        long worst = 0;
        for (long seed = 0; seed < 20; seed++) {
            final SimCluster cluster = converged(seed);
            final SimHost dying = cluster.hosts.get((int)(seed % HOSTS));
            final long died = cluster.now();
            dying.crashed = true;
            worst = Math.max(worst, untilServedWithout(cluster, dying) - died);
        }
        final long detection = TestClusters.PERIOD_MS * TestClusters.LOSS_TOLERANCE;
        System.out.println("dead host: the others took its buckets after at most " + worst + " ms (detection " +
            detection + " ms)");
        assertTrue(worst <= detection + 100, worst + " ms");
    }

    private static SimCluster converged(final long seed) {
        final List<SimHost> hosts = new ArrayList<>();
        for (int slot = 0; slot < HOSTS; slot++) {
            hosts.add(new SimHost(slot, slot + 1, TestClusters.config(HOSTS), true, 1));
        }
        final SimCluster cluster = new SimCluster(new SplittableRandom(seed), hosts, null);
        cluster.network.faults(0, 0, 10);
        for (final SimHost host : hosts) {
            cluster.call(host, m -> m.dataplaneUp(0, 0));
            cluster.call(host, m -> m.start(0));
        }
        while (!cluster.converged()) {
            cluster.runUntil(cluster.now() + 10);
        }
        cluster.runUntil(cluster.now() + 37);
        return cluster;
    }

    private static long untilServedWithout(final SimCluster cluster, final SimHost gone) {
        while (!servedWithout(cluster, gone)) {
            cluster.runUntil(cluster.now() + 1);
        }
        return cluster.now();
    }

    private static boolean servedWithout(final SimCluster cluster, final SimHost gone) {
        for (int bucket = 0; bucket < 60; bucket++) {
            int takers = 0;
            for (final SimHost host : cluster.hosts) {
                final LocalView view = host.dataplane.view();
                takers += host != gone && view != null && view.owns(host.hostId, SimDataplane.STICKY_SLOT, bucket) ? 1 : 0;
            }
            if (takers != 1) {
                return false;
            }
        }
        return true;
    }
}
