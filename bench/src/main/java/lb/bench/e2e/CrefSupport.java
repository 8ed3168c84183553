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
        build(root);
        return view(root.resolve("bench/config/bench-cluster.yaml"), work, 0);
    }

    /** Builds lb-cref (make -C bench/cref). */
    static void build(final Path root) throws IOException, InterruptedException {
        final Process make = new ProcessBuilder("make", "-s", "-C", root.resolve("bench/cref").toString())
            .inheritIO().start();
        if (make.waitFor() != 0) {
            throw new IllegalStateException("building the C reference (make -C bench/cref) failed");
        }
    }

    /**
     * @param cluster          a cluster file.
     * @param work             the harness's work directory.
     * @param closingTimeoutMs the closing linger given to both balancers, 0 for the default.
     * @return the view file of host 1 of the cluster.
     */
    static Path view(final Path cluster, final Path work, final long closingTimeoutMs) throws IOException {
        final ClusterConfig config = ClusterFileLoader.load(cluster);
        final String name = cluster.getFileName().toString().replaceFirst("\\.yaml$", "");
        final Path view = work.resolve(name + "-host1" + (closingTimeoutMs > 0 ? "-closing" + closingTimeoutMs : "") +
            ".view");
        Files.writeString(view, ViewExport.export(config, 1, cluster.toString(), closingTimeoutMs),
            StandardCharsets.US_ASCII);
        return view;
    }
}
