package lb.control.health;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import lb.dataplane.config.Durations;
import lb.dataplane.config.RuleKey;

/**
 * A check of this host's own service for one port rule, as keepalived and HAProxy name its settings: every
 * {@code interval} a TCP connect ({@code tcp://HOST:PORT}) or an HTTP GET ({@code http://HOST:PORT/PATH}, healthy on a
 * 2xx or 3xx answer) that must succeed within {@code timeout}; {@code fall} failures in a row make the rule unhealthy
 * here, {@code rise} successes in a row healthy again. A host starts healthy (HAProxy's default).
 *
 * @param rule     the port rule it guards.
 * @param target   what it checks.
 * @param interval between checks.
 * @param timeout  how long one check may take.
 * @param rise     successes in a row that make an unhealthy rule healthy.
 * @param fall     failures in a row that make a healthy rule unhealthy.
 */
public record HealthCheck(RuleKey rule, URI target, Duration interval, Duration timeout, int rise, int fall) {
    /** HAProxy's defaults: inter 2s, rise 2, fall 3; the timeout is half the interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;
    /** The forms {@link #parse} takes, for error messages. */
    public static final String FORM = "RULE=tcp://HOST:PORT or RULE=http://HOST:PORT/PATH, then optionally " +
        ",interval=2s,timeout=1s,rise=2,fall=3 (e.g. all:80/tcp=http://127.0.0.1:80/healthz,interval=1s)";

    public HealthCheck {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(target, "target");
        if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("interval " + Durations.format(interval) + ": valid: 10ms..1h");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("timeout " + Durations.format(timeout) + ": valid: above 0 and at most " +
                "the interval " + Durations.format(interval));
        }
        if (rise < 1 || rise > 100 || fall < 1 || fall > 100) {
            throw new IllegalArgumentException("rise " + rise + ", fall " + fall + ": valid: 1..100 each");
        }
        final String scheme = target.getScheme();
        if (!"tcp".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("target " + target + ": valid: tcp://HOST:PORT or http://HOST:PORT/PATH");
        }
        if (target.getHost() == null || target.getPort() < 1 || target.getPort() > 65535) {
            throw new IllegalArgumentException("target " + target + ": give a host and a port 1..65535");
        }
    }

    /** Whether it is an HTTP GET (else a TCP connect). */
    public boolean http() {
        return "http".equals(target.getScheme());
    }

    /**
     * {@code RULE=URL[,interval=D][,timeout=D][,rise=N][,fall=N]}.
     *
     * @throws IllegalArgumentException naming the part and what is valid.
     */
    public static HealthCheck parse(final String text) {
        final int equals = text.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("'" + text + "': valid: " + FORM);
        }
        final RuleKey rule;
        try {
            rule = RuleKey.parse(text.substring(0, equals));
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException("rule " + text.substring(0, equals) + ": " + ex.getMessage());
        }
        final String[] parts = text.substring(equals + 1).split(",");
        final URI target;
        try {
            target = URI.create(parts[0]);
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException("target " + parts[0] + ": " + ex.getMessage() + "; valid: " + FORM);
        }
        Duration interval = DEFAULT_INTERVAL;
        Duration timeout = null;
        int rise = DEFAULT_RISE;
        int fall = DEFAULT_FALL;
        for (int i = 1; i < parts.length; i++) {
            final String[] setting = parts[i].split("=", 2);
            if (setting.length != 2) {
                throw new IllegalArgumentException("'" + parts[i] + "': valid: interval=D, timeout=D, rise=N, fall=N");
            }
            try {
                switch (setting[0].toLowerCase(Locale.ROOT)) {
                    case "interval" -> interval = Durations.parse(setting[1]);
                    case "timeout" -> timeout = Durations.parse(setting[1]);
                    case "rise" -> rise = Integer.parseInt(setting[1]);
                    case "fall" -> fall = Integer.parseInt(setting[1]);
                    default -> throw new IllegalArgumentException("unknown setting; valid: interval, timeout, rise, " +
                        "fall");
                }
            } catch (final IllegalArgumentException ex) {
                throw new IllegalArgumentException(setting[0] + "=" + setting[1] + ": " + ex.getMessage());
            }
        }
        return new HealthCheck(rule, target, interval, timeout != null ? timeout : interval.dividedBy(2), rise, fall);
    }

    @Override
    public String toString() {
        return rule + "=" + target + ",interval=" + Durations.format(interval) + ",timeout=" +
            Durations.format(timeout) + ",rise=" + rise + ",fall=" + fall;
    }
}
