package lb.control.lbd;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lbd's {@code --metrics}: a value it cannot use is a usage error (exit 2) that names the option, before lbd starts
 * anything.
 */
class LbdMetricsOptionTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String err) {
    }

    private Run lbd(final String metrics) throws Exception {
        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, """
            cluster: {name: opt, secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"}
            vips: [10.0.0.100]
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:17601"}
            """);
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream before = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            final int code = new CommandLine(new Lbd()).execute("--cluster", cluster.toString(), "--host-id", "1",
                "--run-dir", dir.resolve("run").toString(), "--metrics", metrics);
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }

    @Test
    void aValueThatIsNotAddressAndPortIsAUsageErrorNamingTheOption() throws Exception {
        for (final String bad : new String[] {"9464", "localhost:9464", "127.0.0.1:0", "127.0.0.1:70000", ""}) {
            final Run run = lbd(bad);
            assertEquals(Lbd.EXIT_USAGE, run.exitCode(), bad + ": " + run.err());
            assertTrue(run.err().contains("--metrics") && run.err().contains("address:port"), run.err());
        }
    }

    @Test
    void anEndpointItCannotListenOnIsAUsageErrorNamingTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final Run run = lbd("127.0.0.1:" + taken.getLocalPort());
            assertEquals(Lbd.EXIT_USAGE, run.exitCode(), run.err());
            assertTrue(run.err().contains("--metrics 127.0.0.1:" + taken.getLocalPort() + ": cannot listen there"),
                run.err());
        }
    }
}
