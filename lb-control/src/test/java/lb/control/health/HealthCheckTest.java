package lb.control.health;

import java.time.Duration;

import lb.dataplane.config.RuleKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthCheckTest {
    @Test
    void shouldParseEveryFormAndTakeHaproxysDefaults() {
        final HealthCheck tcp = HealthCheck.parse("all:80/tcp=tcp://127.0.0.1:80");
        assertEquals(RuleKey.parse("all:80/tcp"), tcp.rule());
        assertFalse(tcp.http());
        assertEquals(Duration.ofSeconds(2), tcp.interval());
        assertEquals(Duration.ofSeconds(1), tcp.timeout());
        assertEquals(2, tcp.rise());
        assertEquals(3, tcp.fall());
        final HealthCheck http = HealthCheck.parse("10.0.0.100:8000-8099/both=http://127.0.0.1:8080/healthz," +
            "interval=500ms,timeout=200ms,rise=1,fall=5");
        assertTrue(http.http());
        assertEquals("/healthz", http.target().getPath());
        assertEquals(Duration.ofMillis(500), http.interval());
        assertEquals(Duration.ofMillis(200), http.timeout());
        assertEquals(1, http.rise());
        assertEquals(5, http.fall());
    }

    @Test
    void shouldNameWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HealthCheck.parse("tcp://127.0.0.1:80"))
            .getMessage().contains("RULE=tcp://HOST:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HealthCheck.parse("all:80/tcp=udp://1.2.3.4:5"))
            .getMessage().contains("valid: tcp://HOST:PORT or http://HOST:PORT/PATH"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HealthCheck.parse("all:80/tcp=tcp://h:80,rise=0"))
            .getMessage().contains("valid: 1..100"));
        assertTrue(assertThrows(IllegalArgumentException.class, () ->
            HealthCheck.parse("all:80/tcp=tcp://h:80,interval=1s,timeout=2s")).getMessage().contains("at most"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HealthCheck.parse("all:80/tcp=tcp://h:80,x=1"))
            .getMessage().contains("valid: interval, timeout, rise, fall"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HealthCheck.parse("all:80/tcp=tcp://h"))
            .getMessage().contains("port"));
    }

    @Test
    void shouldFallAfterFallFailuresInARowAndRiseAfterRiseSuccesses() {
        final HealthState state = new HealthState(2, 3);
        assertTrue(state.healthy(), "starts healthy");
        assertFalse(state.result("refused"));
        assertFalse(state.result("refused"));
        assertFalse(state.result(null), "a success breaks the row");
        assertFalse(state.result("refused"));
        assertFalse(state.result("refused"));
        assertTrue(state.result("timed out"), "three in a row");
        assertFalse(state.healthy());
        assertEquals("timed out", state.lastFailure());
        assertFalse(state.result(null));
        assertFalse(state.result("refused"), "a failure breaks the row");
        assertFalse(state.result(null));
        assertTrue(state.result(null), "two in a row");
        assertTrue(state.healthy());
    }
}
