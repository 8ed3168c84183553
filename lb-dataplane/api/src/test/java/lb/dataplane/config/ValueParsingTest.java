package lb.dataplane.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValueParsingTest {
    @ParameterizedTest
    @CsvSource({
        "10.0.0.1, 10.0.0.1",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "::ffff:192.0.2.1, 192.0.2.1",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "::, ::",
        "::1, ::1",
        "fe80:0:0:1::, fe80:0:0:1::",
        "2001:db8:1:2:3:4:5:6, 2001:db8:1:2:3:4:5:6",
    })
    void shouldParseAndPrintAddressesCanonically(final String text, final String printed) {
        assertEquals(printed, IpAddress.parse(text).toString());
        assertEquals(IpAddress.parse(text), IpAddress.parse(printed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0", "10.0.0.256", "1.2.3.4.5", "host.example", "01234.1.1.1", "fe80::1%eth0",
        "[::1]", "1:2:3:4:5:6:7:8:9", ""})
    void shouldRejectWhatIsNotAnAddressLiteral(final String text) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e::getMessage);
    }

    @Test
    void shouldHoldIpv4AsIpv4Mapped() {
        final IpAddress address = IpAddress.parse("192.0.2.1");
        assertTrue(address.isIpv4());
        assertEquals(0, address.hi());
        assertEquals(0x0000_ffff_c000_0201L, address.lo());
        assertEquals(0xc000_0201, address.ipv4());
        assertFalse(IpAddress.parse("2001:db8::1").isIpv4());
    }

    @ParameterizedTest
    @CsvSource({
        "all:80/tcp, all:80-80/tcp",
        "ALL:0-65535/Both, all:0-65535/both",
        "10.0.0.1:443-444/udp, 10.0.0.1:443-444/udp",
        "[2001:db8::1]:53/udp, [2001:db8::1]:53-53/udp",
    })
    void shouldParseAndPrintRuleKeys(final String text, final String printed) {
        assertEquals(printed, RuleKey.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"all:80", "80/tcp", "all:80/sctp", "all:x/tcp", "2001:db8::1:80/tcp", "[::1:80/tcp"})
    void shouldRejectMalformedRuleKeys(final String text) {
        assertThrows(IllegalArgumentException.class, () -> RuleKey.parse(text));
    }

    @Test
    void shouldTellOverlapsBetweenKeys() {
        final RuleKey all = new RuleKey(Optional.empty(), new PortRange(80, 90), Protocol.BOTH);
        assertTrue(all.overlaps(RuleKey.parse("10.0.0.1:90-100/tcp")));
        assertFalse(all.overlaps(RuleKey.parse("10.0.0.1:91-100/tcp")));
        assertFalse(RuleKey.parse("10.0.0.1:80/tcp").overlaps(RuleKey.parse("10.0.0.2:80/tcp")));
        assertFalse(RuleKey.parse("all:80/tcp").overlaps(RuleKey.parse("all:80/udp")));
    }

    @ParameterizedTest
    @CsvSource({
        "900, PT15M, 15m",
        "0.2, PT0.2S, 200ms",
        "200ms, PT0.2S, 200ms",
        "15m, PT15M, 15m",
        "90s, PT1M30S, 90s",
        "2h, PT2H, 2h",
        "1d, PT24H, 1d",
        "0, PT0S, 0s",
        "1.5m, PT1M30S, 90s",
    })
    void shouldParseDurationsAndPrintThemWithUnits(final String text, final Duration expected, final String printed) {
        assertEquals(expected, Durations.parse(text));
        assertEquals(printed, Durations.format(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "15 minutes", "1e3", "m", "0.0001"})
    void shouldRejectMalformedDurations(final String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    }

    @Test
    void shouldReadSecretAsSipHashKeyWordsAndNeverPrintIt() {
        final ClusterSecret secret = ClusterSecret.fromHex("000102030405060708090A0B0C0D0E0F");
        assertEquals(0x0706050403020100L, secret.k0());
        assertEquals(0x0f0e0d0c0b0a0908L, secret.k1());
        assertEquals("000102030405060708090a0b0c0d0e0f", secret.toHex());
        assertFalse(secret.toString().contains("0001"));
        assertThrows(IllegalArgumentException.class, () -> ClusterSecret.fromHex("0011"));
        assertThrows(IllegalArgumentException.class, () -> ClusterSecret.fromHex("g00102030405060708090a0b0c0d0e0f"));
    }
}
