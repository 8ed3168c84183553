package lb.control.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.Counter;
import lb.dataplane.api.CounterTypes;
import lb.dataplane.api.IpcFixture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lbctl stat against a real counters file, written the way the dataplane writes its counters.
 */
class StatCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldListEveryLbCounterGroupedByWorkerPortAndTables() {
        try (IpcFixture ipc = new IpcFixture(dir)) {
            counter(ipc, CounterTypes.VERDICT_INGRESS_BASE, 0, "lb worker 0 ingress ACCEPT").setRelease(42);
            counter(ipc, CounterTypes.PORT_RX_PACKETS, 1, "lb port 1 (net_tap0) rx packets").setRelease(7);
            counter(ipc, CounterTypes.TABLE_CONNECTIONS_LIVE, 0, "lb connections tracked").setRelease(3);
            counter(ipc, CounterTypes.WORKER_TX_DROPPED, 0, "lb worker 0 tx dropped (queue full)").setRelease(5);
            assertEquals(ExitCodes.OK, run("stat", "--aeron-dir", dir.resolve("aeron").toString()));
        }
        final String text = out.toString();
        assertTrue(text.matches("(?s)worker 0\\n  ingress ACCEPT +42\\n.*"), text);
        assertTrue(text.contains("port 1 (net_tap0)\n  rx packets") && text.contains(" 7\n"), text);
        assertTrue(text.contains("tables\n  connections tracked") && text.contains(" 3\n"), text);
        assertTrue(text.contains("  tx dropped (queue full) "), text);
    }

    @Test
    void shouldPrintStableJsonFieldsAndRatesInWatchMode() throws Exception {
        final String json;
        try (IpcFixture ipc = new IpcFixture(dir)) {
            final Counter rx = counter(ipc, CounterTypes.WORKER_RX_PACKETS, 2, "lb worker 2 rx packets from nic");
            rx.setRelease(100);
            final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            // The counter moves until the watch ended, however slowly the machine runs it.
            final Thread bump = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    rx.getAndAdd(10);
                    try {
                        Thread.sleep(2);
                    } catch (final InterruptedException e) {
                        return;
                    }
                }
            });
            assertEquals(ExitCodes.OK, run("stat", "-j", "--watch", "--delay", "50ms", "--count", "1",
                "--aeron-dir", dir.resolve("aeron").toString()));
            done.set(true);
            bump.join();
            json = out.toString();
        }
        final JsonNode counter = new ObjectMapper().readTree(json).get("counters").get(0);
        assertEquals(CounterTypes.WORKER_RX_PACKETS, counter.get("type").asInt());
        assertEquals(2, counter.get("key").asInt());
        assertEquals("lb worker 2 rx packets from nic", counter.get("label").asText());
        assertTrue(counter.get("value").asLong() > 100, json);
        assertTrue(counter.get("ratePerSecond").asDouble() > 0, json);
    }

    @Test
    void shouldSayTheDataplaneIsUnreachableWhenThereIsNoCountersFile() {
        assertEquals(ExitCodes.UNREACHABLE, run("stat", "--aeron-dir", dir.resolve("none").toString()));
        assertTrue(err.toString().contains("no Aeron CnC file at " + dir.resolve("none")), err.toString());
    }

    @Test
    void shouldNameTheOptionOfABadDelay() {
        assertEquals(ExitCodes.USAGE, run("stat", "--watch", "--delay", "soon"));
        assertTrue(err.toString().contains("--delay"), err.toString());
    }

    private int run(final String... args) {
        final CommandLine cli = Lbctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static Counter counter(final IpcFixture ipc, final int type, final int key, final String label) {
        final UnsafeBuffer keyBuffer = new UnsafeBuffer(new byte[Integer.BYTES]);
        keyBuffer.putInt(0, key);
        final UnsafeBuffer labelBuffer = new UnsafeBuffer(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return ipc.aeron().addCounter(type, keyBuffer, 0, Integer.BYTES, labelBuffer, 0, labelBuffer.capacity());
    }
}
