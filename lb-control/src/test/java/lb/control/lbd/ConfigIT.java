package lb.control.lbd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static lb.control.lbd.HostProcesses.json;
import static lb.control.lbd.HostProcesses.lbctl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Changing a live three-host cluster through the real lbctl and lbd (dataplanes on DPDK's net_null devices,
 * heartbeats on loopback): every rule, host-setting, VIP and whole-config operation, checked on every host (the
 * config it runs, the view its dataplane acked); invalid changes refused with the field named; two changes at once
 * on two hosts both kept; a restart of all three brings back exactly the acknowledged config.
 */
class ConfigIT {
    private static final String RULE = "all:9000-9000/tcp";

    @TempDir
    Path dir;

    private HostProcesses hosts;
    private final List<Process> lbds = new ArrayList<>(List.of());

    @AfterEach
    void cleanUp() {
        if (hosts != null) {
            hosts.keepLogs("ConfigIT");
            hosts.close();
        }
    }

    private String run(final int host) {
        return hosts.runDir(host).toString();
    }

    private HostProcesses.Run ctl(final int host, final String... args) throws Exception {
        final List<String> all = new ArrayList<>(List.of(args));
        all.add("--run-dir");
        all.add(run(host));
        return lbctl(all.toArray(String[]::new));
    }

    /** Every host runs the config and its dataplane acked a view of it; the statuses. */
    private List<JsonNode> awaitEveryHostRuns(final String fingerprint, final String what) throws Exception {
        final List<JsonNode> statuses = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            statuses.add(hosts.awaitStatus(id, what, s -> fingerprint.equals(s.path("configFingerprint").asText()) &&
                "serving".equals(s.path("appliedView").path("mode").asText()) &&
                s.path("appliedView").path("acked").asBoolean() && s.path("converged").asBoolean()));
        }
        return statuses;
    }

    private static JsonNode rule(final JsonNode status, final String key) {
        for (final JsonNode rule : status.path("appliedView").path("rules")) {
            if (key.equals(rule.path("rule").asText())) {
                return rule;
            }
        }
        return null;
    }

    private static int[] owners(final JsonNode rule) {
        final int[] owners = new int[rule.path("owners").size()];
        for (int i = 0; i < owners.length; i++) {
            owners[i] = rule.path("owners").get(i).asInt();
        }
        return owners;
    }

    private static JsonNode change(final HostProcesses.Run run) throws Exception {
        final JsonNode answer = json(run);
        assertEquals("ok", answer.path("status").asText(), answer.toString());
        assertEquals(List.of(), list(answer.path("waiting")), "lbctl waited for every host: " + answer);
        assertEquals(List.of(1, 2, 3), list(answer.path("running")), answer.toString());
        return answer;
    }

    private static List<Integer> list(final JsonNode array) {
        final List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }

    @Test
    void shouldChangeTheLiveClusterOnEveryHostAndKeepItAcrossARestartOfAll() throws Exception {
        HostProcesses.assumeCanRun("ConfigIT");
        hosts = new HostProcesses(dir);
        final Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, """
            cluster:
              name: configit
              secret: "1f1e2d3c4b5a69788796a5b4c3d2e1f0"
              heartbeat: {period: 100ms, loss-tolerance: 5}
            vips: [10.0.0.100]
            port-rules:
              - {ports: 80, protocol: tcp}
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:17531"}
              - {id: 2, priority: 2, management: "127.0.0.1:17532"}
              - {id: 3, priority: 3, management: "127.0.0.1:17533"}
            """);
        for (int id = 1; id <= 3; id++) {
            lbds.add(hosts.start(cluster, id, dir.resolve("lbd-" + id + ".log")));
        }
        final String genesis = json(lbctl("config", "check", "-j", cluster.toString())).path("fingerprint").asText();
        awaitEveryHostRuns(genesis, "serving the file's config");

        // rule add, answered once durable on host 1, waited for until every host runs it.
        JsonNode answer = change(ctl(1, "rule", "add", RULE, "--affinity", "single", "--extended-affinity", "5m",
            "-j"));
        String fingerprint = answer.path("fingerprint").asText();
        assertNotEquals(genesis, fingerprint);
        List<JsonNode> statuses = awaitEveryHostRuns(fingerprint, "running the added rule");
        final int[] added = owners(rule(statuses.get(0), RULE));
        int total = 0;
        for (final JsonNode status : statuses) {
            final JsonNode rule = rule(status, RULE);
            assertArrayEquals(added, owners(rule), "every host holds the same owners");
            assertEquals("enabled", rule.path("state").asText());
            total += rule.path("ownedBuckets").asInt();
        }
        assertEquals(60, total, "the new rule's 60 buckets are owned once");
        final JsonNode listed = json(ctl(2, "rule", "list", "-j"));
        assertEquals(fingerprint, listed.path("fingerprint").asText(), "host 2 holds the change too");
        assertEquals("5m", listed.path("rules").get(1).path("extendedAffinity").asText());
        assertEquals(300, listed.path("rules").get(1).path("extendedAffinitySeconds").asInt());

        // A host's weight, changed through host 3: only host 2's buckets move.
        answer = change(ctl(3, "rule", "set", RULE, "--host", "2", "--weight", "0", "-j"));
        statuses = awaitEveryHostRuns(answer.path("fingerprint").asText(), "running host 2's weight 0");
        final int[] weighted = owners(rule(statuses.get(0), RULE));
        for (int bucket = 0; bucket < 60; bucket++) {
            assertNotEquals(2, weighted[bucket], "host 2 owns nothing at weight 0");
            if (added[bucket] != 2) {
                assertEquals(added[bucket], weighted[bucket], "bucket " + bucket + " was not host 2's: it stays");
            }
        }
        assertEquals(0, rule(statuses.get(1), RULE).path("ownedBuckets").asInt());

        // Rule states: drain, disable, enable reach every host's dataplane.
        for (final String[] step : new String[][]{{"drain", "draining"}, {"disable", "disabled"},
            {"enable", "enabled"}}) {
            answer = change(ctl(2, "rule", step[0], RULE, "-j"));
            statuses = awaitEveryHostRuns(answer.path("fingerprint").asText(), "rule " + step[1]);
            long lastAck = 0;
            for (final JsonNode status : statuses) {
                assertEquals(step[1], rule(status, RULE).path("state").asText(), status.toString());
                lastAck = Math.max(lastAck, status.path("appliedView").path("ackedAtMs").asLong());
            }
            System.out.println("ConfigIT: rule " + step[0] + " in effect on every host's dataplane " +
                (lastAck - answeredAt(dir.resolve("lbd-2.log"))) + " ms after host 2 answered it (heartbeat 100 ms)");
        }

        // VIPs: one added is answered, one removed falls silent on every host.
        answer = change(ctl(1, "vip", "add", "10.0.0.200", "-j"));
        statuses = awaitEveryHostRuns(answer.path("fingerprint").asText(), "with the added VIP");
        for (final JsonNode status : statuses) {
            assertTrue(status.path("appliedView").path("vips").toString().contains("10.0.0.200"), status.toString());
        }
        answer = change(ctl(3, "vip", "remove", "10.0.0.200", "-j"));
        statuses = awaitEveryHostRuns(answer.path("fingerprint").asText(), "without the removed VIP");
        for (final JsonNode status : statuses) {
            assertFalse(status.path("appliedView").path("vips").toString().contains("10.0.0.200"), status.toString());
        }
        assertEquals(List.of("10.0.0.100"), textList(json(ctl(2, "vip", "list", "-j")).path("vips")));

        // Invalid changes: refused (exit 4) with the field and what is valid; nothing changes.
        final String before = answer.path("fingerprint").asText();
        HostProcesses.Run refused = ctl(1, "rule", "add", "all:80-80/tcp");
        assertEquals(4, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("a port rule with this key exists"), refused.err());
        refused = ctl(2, "rule", "set", "all:7-7/udp", "--affinity", "none");
        assertEquals(4, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("all:7-7/udp"), refused.err());
        refused = ctl(1, "vip", "remove", "10.9.9.9");
        assertEquals(4, refused.exitCode(), refused.err());
        assertEquals(2, ctl(1, "rule", "set", RULE, "--weight", "80").exitCode(), "--weight needs --host");
        assertEquals(2, ctl(1, "rule", "add", "nonsense").exitCode());
        assertEquals(before, json(ctl(3, "rule", "list", "-j")).path("fingerprint").asText(), "nothing changed");

        // Two changes at once on two hosts: both are kept, every host ends on one config.
        final CompletableFuture<HostProcesses.Run> onOne = CompletableFuture.supplyAsync(() -> quietly(() ->
            ctl(1, "rule", "add", "all:9100-9100/udp", "-j")));
        final CompletableFuture<HostProcesses.Run> onTwo = CompletableFuture.supplyAsync(() -> quietly(() ->
            ctl(2, "rule", "add", "all:9200-9200/udp", "-j")));
        assertEquals(0, onOne.get().exitCode(), onOne.get().err());
        assertEquals(0, onTwo.get().exitCode(), onTwo.get().err());
        final JsonNode afterBoth = json(ctl(3, "rule", "list", "-j"));
        final Set<String> keys = new TreeSet<>(textList(afterBoth.path("rules").findValues("rule")));
        assertTrue(keys.containsAll(Set.of("all:9100-9100/udp", "all:9200-9200/udp", RULE)), keys.toString());
        statuses = awaitEveryHostRuns(afterBoth.path("fingerprint").asText(), "running both concurrent changes");

        // save, restore, save: byte-identical; restore of an edited file reaches every host.
        final Path saved = dir.resolve("saved.yaml");
        assertEquals(0, ctl(1, "config", "save", saved.toString()).exitCode());
        final String savedText = Files.readString(saved);
        assertEquals(0, lbctl("config", "check", saved.toString()).exitCode(), "a saved config is valid");
        assertEquals(0, ctl(2, "config", "restore", saved.toString(), "-j").exitCode());
        final Path again = dir.resolve("again.yaml");
        assertEquals(0, ctl(3, "config", "save", again.toString()).exitCode());
        assertEquals(savedText, Files.readString(again), "save -> restore -> save is byte-identical");
        final Path edited = dir.resolve("edited.yaml");
        Files.writeString(edited, savedText.replace("10.0.0.100", "10.0.0.101"));
        answer = change(ctl(2, "config", "restore", edited.toString(), "-j"));
        final String acknowledged = answer.path("fingerprint").asText();
        statuses = awaitEveryHostRuns(acknowledged, "running the restored file");
        assertTrue(statuses.get(0).path("appliedView").path("vips").toString().contains("10.0.0.101"));

        // config check: every error of a bad file at once, exit 4.
        final Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, savedText.replace("buckets: 60", "buckets: 0").replace("period: 100ms",
            "period: 1ms"));
        final HostProcesses.Run checked = lbctl("config", "check", bad.toString(), "-j");
        assertEquals(4, checked.exitCode(), checked.err() + checked.out());
        assertTrue(HostProcesses.JSON.readTree(checked.out()).path("errors").size() >= 2, checked.out());

        // A restart of all three lbd (and dataplanes) brings back exactly the acknowledged config.
        final String acknowledgedText = ctl(1, "config", "save").out();
        for (final Process lbd : lbds) {
            HostProcesses.signal(lbd.pid(), "INT");
        }
        for (final Process lbd : lbds) {
            HostProcesses.awaitExit(lbd.pid());
        }
        lbds.clear();
        for (int id = 1; id <= 3; id++) {
            lbds.add(hosts.start(cluster, id, dir.resolve("lbd-" + id + ".log")));
        }
        awaitEveryHostRuns(acknowledged, "running the acknowledged config after the restart of all");
        for (int id = 1; id <= 3; id++) {
            assertEquals(acknowledgedText, ctl(id, "config", "save").out(), "host " + id + " after the restart");
        }
        final JsonNode query = json(ctl(3, "cluster", "query", "-j"));
        for (final JsonNode host : query.path("hosts")) {
            assertEquals(acknowledged, host.path("runningConfig").asText(), query.toString());
            assertEquals(acknowledged, host.path("latestConfig").asText(), query.toString());
        }
    }

    /** When the host's lbd last answered a config change OK (its log line's time). */
    private static long answeredAt(final Path log) {
        final List<String> lines = HostProcesses.read(log).lines()
            .filter(line -> line.contains("lbd: config change ") && line.contains(": ok,")).toList();
        final String stamp = lines.getLast().substring(0, "yyyy-MM-dd HH:mm:ss.SSS".length());
        return java.time.LocalDateTime.parse(stamp, java.time.format.DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm:ss.SSS")).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    }

    private static List<String> textList(final Iterable<JsonNode> nodes) {
        final List<String> values = new ArrayList<>();
        nodes.forEach(node -> values.add(node.asText()));
        return values;
    }

    private interface Call {
        HostProcesses.Run run() throws Exception;
    }

    private static HostProcesses.Run quietly(final Call call) {
        try {
            return call.run();
        } catch (final Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
