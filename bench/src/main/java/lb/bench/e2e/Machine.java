package lb.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Facts about the machine a result came from, for the results file. */
final class Machine {
    private Machine() {
    }

    static Map<String, Object> describe() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostname", firstLine(List.of("hostname")));
        m.put("cpu", cpuModel());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("memoryGiB", memoryGiB());
        m.put("kernel", firstLine(List.of("uname", "-r")));
        m.put("dpdk", firstLine(List.of("pkg-config", "--modversion", "libdpdk")));
        m.put("gcc", firstLine(List.of("gcc", "--version")));
        m.put("java", Runtime.version().toString() + " (" + System.getProperty("java.vm.name") + ")");
        m.put("virtualised", firstLine(List.of("systemd-detect-virt")));
        return m;
    }

    private static String cpuModel() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (final IOException ex) {
            return "unknown (" + ex.getMessage() + ")";
        }
        return "unknown";
    }

    private static long memoryGiB() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / (1024 * 1024);
                }
            }
        } catch (final IOException | NumberFormatException ex) {
            return -1;
        }
        return -1;
    }

    static String firstLine(final List<String> command) {
        try {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("").trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (final IOException ex) {
            return "unknown (" + ex.getMessage() + ")";
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
