package lb.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import lb.bench.cref.ViewExport;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.file.ClusterFileLoader;

/** Builds the C reference load balancer and exports the benchmark cluster's view for it. */
final class CrefSupport {
    private CrefSupport() {
    }

    /**
     * @param root repository root.
     * @param work the harness's work directory.
     * @return the view file of host 1 of bench/config/bench-cluster.yaml.
     */
    static Path prepare(final Path root, final Path work) throws IOException, InterruptedException {
        final Process make = new ProcessBuilder("make", "-s", "-C", root.resolve("bench/cref").toString())
            .inheritIO().start();
        if (make.waitFor() != 0) {
            throw new IllegalStateException("building the C reference (make -C bench/cref) failed");
        }
        final Path cluster = root.resolve("bench/config/bench-cluster.yaml");
        final ClusterConfig config = ClusterFileLoader.load(cluster);
        final Path view = work.resolve("bench-cluster-host1.view");
        Files.writeString(view, ViewExport.export(config, 1, cluster.toString()), StandardCharsets.US_ASCII);
        return view;
    }
}
