package lb.control.lbd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real lbd process supervising a real dataplane on DPDK's net_null devices, driven by signals and observed through
 * its log: it starts the dataplane and gives it the config; kill -9 of the dataplane gets a new one with the config
 * again; SIGTERM of lbd leaves the dataplane forwarding, a new lbd adopts that same process; SIGINT stops both.
 */
class LbdIT {
    private static final Path PROJECT = Path.of(System.getProperty("lb.project.dir", "..")).toAbsolutePath();
    private static final long TIMEOUT_MS = 60_000;
    private static final Pattern STARTED = Pattern.compile("lbd: started the dataplane, pid (\\d+)");
    private static final Pattern ADOPTED = Pattern.compile("lbd: adopted the running dataplane, pid (\\d+)");
    private static final Pattern TOOK = Pattern.compile("lbd: dataplane pid (\\d+) \\(incarnation \\d+\\) took config");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (final Process lbd : processes) {
            lbd.destroyForcibly();
        }
        ProcessHandle.allProcesses()
            .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir.toString())).orElse(false))
            .forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void shouldSuperviseItsDataplaneAndLeaveItForwardingWhenLbdAloneStops() throws Exception {
        assumeTrue("0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim()),
            "LbdIT needs root (DPDK on virtual devices)");
        assumeTrue(Files.isRegularFile(PROJECT.resolve("native/build/liblbshim.so")) &&
            Files.isRegularFile(PROJECT.resolve("lb-dataplane/engine/target/classpath.txt")),
            "LbdIT needs the native shim and the engine built (mvn verify from the project root does both)");
        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, """
            cluster: {name: lbdit, secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"}
            vips: [10.0.0.100]
            port-rules:
              - {ports: 80, protocol: tcp}
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:17401"}
              - {id: 2, priority: 2, management: "127.0.0.1:17402"}
            """);

        final Path firstLog = dir.resolve("lbd-1.log");
        final Process first = lbd(cluster, firstLog);
        final long dataplane = pid(await(firstLog, STARTED));
        assertEquals(dataplane, pid(await(firstLog, TOOK)), "the dataplane it started took the config");

        ProcessHandle.of(dataplane).orElseThrow().destroyForcibly();
        awaitLine(firstLog, line -> line.contains("dataplane pid " + dataplane + " exited"));
        final long restarted = pid(awaitMatch(firstLog, STARTED, m -> Long.parseLong(m.group(1)) != dataplane));
        assertNotEquals(dataplane, restarted);
        awaitMatch(firstLog, TOOK, m -> Long.parseLong(m.group(1)) == restarted);

        new ProcessBuilder("kill", "-TERM", Long.toString(first.pid())).start().waitFor();
        first.waitFor();
        assertTrue(Files.readString(firstLog).contains("keeps forwarding on its last view"));
        assertTrue(ProcessHandle.of(restarted).map(ProcessHandle::isAlive).orElse(false),
            "SIGTERM of lbd leaves its dataplane running");

        final Path secondLog = dir.resolve("lbd-2.log");
        final Process second = lbd(cluster, secondLog);
        assertEquals(restarted, pid(await(secondLog, ADOPTED)), "the new lbd adopts the running dataplane");
        awaitMatch(secondLog, TOOK, m -> Long.parseLong(m.group(1)) == restarted);
        assertFalse(Files.readString(secondLog).contains("started the dataplane"), "and starts no second one");

        new ProcessBuilder("kill", "-INT", Long.toString(second.pid())).start().waitFor();
        second.waitFor();
        final ProcessHandle stopped = ProcessHandle.of(restarted).orElse(null);
        assertTrue(stopped == null || stopped.onExit().get(java.util.concurrent.TimeUnit.SECONDS.toMillis(30),
            java.util.concurrent.TimeUnit.MILLISECONDS) != null, "SIGINT stops the host's dataplane too");
        awaitLine(dir.resolve("run/dataplane.log"), line -> line.contains("mbufs in use at exit: 0"));
    }

    private Process lbd(final Path cluster, final Path log) throws IOException {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final String flags = "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED";
        final String engine = PROJECT.resolve("lb-dataplane/engine/target/classes") + ":" +
            Files.readString(PROJECT.resolve("lb-dataplane/engine/target/classpath.txt")).trim();
        final String dataplane = java + " " + flags + " -XX:TieredStopAtLevel=1 -Dlb.native.lib=" +
            PROJECT.resolve("native/build/liblbshim.so") + " -cp " + engine + " lb.dataplane.Dataplane";
        final List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(flags.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "lb.control.lbd.Lbd",
            "--cluster", cluster.toString(), "--host-id", "1", "--run-dir", dir.resolve("run").toString(),
            "--dataplane-command", dataplane, "--",
            "--no-huge", "-m", "256", "--no-pci", "--vdev=net_null0", "--vdev=net_null1", "-l", "0",
            "--file-prefix", "lbdit-" + ProcessHandle.current().pid(), "--", "--nic", "0", "--kernel", "1",
            "--connections", "65536", "--sticky-clients", "4096", "--mbufs", "4096"));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    private static Matcher await(final Path log, final Pattern pattern) throws Exception {
        return awaitMatch(log, pattern, m -> true);
    }

    private static Matcher awaitMatch(final Path log, final Pattern pattern, final Predicate<Matcher> wanted)
        throws Exception {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            final Optional<Matcher> found = matches(log, pattern).stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matching " + pattern + " in " + log + ":\n" + read(log));
    }

    private static void awaitLine(final Path log, final Predicate<String> wanted) throws Exception {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (read(log).lines().anyMatch(wanted)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the line did not come in " + log + ":\n" + read(log));
    }

    private static List<Matcher> matches(final Path log, final Pattern pattern) {
        final List<Matcher> found = new ArrayList<>();
        read(log).lines().forEach(line -> {
            final Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                found.add(matcher);
            }
        });
        return found;
    }

    private static String read(final Path log) {
        try {
            return Files.isRegularFile(log) ? Files.readString(log) : "";
        } catch (final IOException e) {
            return "";
        }
    }

    private static long pid(final Matcher matcher) {
        return Long.parseLong(matcher.group(1));
    }
}
