package lb.dataplane.config.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterParameters;
import lb.dataplane.config.ClusterSecret;
import lb.dataplane.config.ConfigValidator;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.RuleKey;
import lb.dataplane.testkit.RandomConfigs;
import lb.dataplane.testkit.Seeds;
import org.junit.jupiter.api.Test;

class ClusterFileRoundTripTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("lb.project.dir", ".."), "config",
        "example-cluster.yaml");

    @Test
    void shouldLoadTheCommittedExampleFile() {
        final ClusterConfig config = ClusterFileLoader.load(EXAMPLE);
        assertEquals("lab", config.parameters().name());
        assertEquals(2, config.vips().size());
        assertEquals(5, config.portRules().size());
        assertEquals(List.of(1, 2, 3), config.members().stream().map(m -> m.hostId()).toList());
        assertEquals(LoadWeight.of(100), config.members().get(2).loadWeight(RuleKey.parse("all:80/tcp")));
    }

    @Test
    void shouldWriteTheExampleBackToAnEqualConfig() {
        final ClusterConfig config = ClusterFileLoader.load(EXAMPLE);
        final String written = ClusterFileWriter.write(config);
        final ClusterConfig reread = ClusterFileParser.parse(written, "written.yaml");
        assertEquals(config, reread, written);
        assertEquals(config.fingerprint(), reread.fingerprint());
        assertEquals(written, ClusterFileWriter.write(reread));
        assertTrue(written.contains("extended-affinity: 15m"), written);
        assertTrue(written.contains("period: 200ms"), written);
    }

    @Test
    void shouldQuoteSecretsThatLookLikeNumbers() {
        final ClusterConfig example = ClusterFileLoader.load(EXAMPLE);
        for (final String hex : List.of("00000000000000000000000000000001", "0000000000000000000000000000e100",
            "000000000000000000000000000000e1", "1234567890123456789012345678901e")) {
            final ClusterConfig config = new ClusterConfig(
                ClusterParameters.defaults("x", ClusterSecret.fromHex(hex)), example.vips(), example.portRules(),
                example.members());
            assertEquals(config, ClusterFileParser.parse(ClusterFileWriter.write(config), "secret.yaml"), hex);
        }
    }

    @Test
    void shouldRoundTripRandomConfigs() {
        final long seed = Seeds.seed("ClusterFileRoundTripTest.shouldRoundTripRandomConfigs");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < 500; n++) {
            final int i = n;
            final ClusterConfig config = RandomConfigs.config(random, 32);
            assertEquals(List.of(), ConfigValidator.validate(config), "seed " + seed + " config " + i);
            final String written = ClusterFileWriter.write(config);
            final ClusterConfig reread;
            try {
                reread = ClusterFileParser.parse(written, "random-" + i + ".yaml");
            } catch (final RuntimeException e) {
                throw new AssertionError("seed " + seed + " config " + i + ":\n" + written, e);
            }
            assertEquals(config, reread, () -> "seed " + seed + " config " + i + ":\n" + written);
        }
    }
}
