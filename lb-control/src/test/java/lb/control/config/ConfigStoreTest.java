package lb.control.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lb.control.sim.TestClusters;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.file.ClusterFileParser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigStoreTest {
    private static final ClusterConfig GENESIS = TestClusters.config(3);

    @TempDir
    Path dir;

    private static List<LoggedOp> ops() {
        return ConfigLogCodecTest.everyKindOfOp().subList(0, 4).stream().sorted(LoggedOp.ORDER).toList();
    }

    @Test
    void writesTheLogAndAHumanCopyAndReadsTheLogBack() throws Exception {
        final ConfigStore store = new ConfigStore(dir.resolve("state"));
        assertEquals(Optional.empty(), store.read(), "no store before the first write");
        final ClusterConfig folded = TestClusters.config(4);
        final ConfigStore.Written written = store.write(GENESIS, ops(), folded);
        assertEquals(Optional.empty(), written.humanCopyError());
        final ConfigLogCodec.Log log = store.read().orElseThrow();
        assertEquals(GENESIS, log.genesis());
        assertEquals(ops(), log.ops());
        final String yaml = Files.readString(dir.resolve("state").resolve(ConfigStore.CONFIG_FILE));
        assertEquals(folded, ClusterFileParser.parse(yaml, "config.yaml"));
        try (var files = Files.list(dir.resolve("state"))) {
            assertEquals(List.of(ConfigStore.LOG_FILE, ConfigStore.CONFIG_FILE),
                files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
        store.write(GENESIS, ops().subList(0, 2), GENESIS);
        assertEquals(ops().subList(0, 2), store.read().orElseThrow().ops(), "the newest write replaces the log");
    }

    @Test
    void aFailedWriteSaysWhyAndLeavesThePreviousLogIntact() throws Exception {
        final ConfigStore store = new ConfigStore(dir);
        store.write(GENESIS, ops(), GENESIS);
        final byte[] before = Files.readAllBytes(dir.resolve(ConfigStore.LOG_FILE));
        // The temporary file cannot be made (a directory is in the way): fails before the rename.
        Files.createDirectory(dir.resolve(ConfigStore.LOG_FILE + ".tmp"));
        Files.writeString(dir.resolve(ConfigStore.LOG_FILE + ".tmp").resolve("x"), "x");
        final ConfigStore.StoreException e = assertThrows(ConfigStore.StoreException.class,
            () -> store.write(GENESIS, List.of(), GENESIS));
        assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve(ConfigStore.LOG_FILE)), e.getMessage());
        assertTrue(e.getMessage().endsWith("(the previous file is unchanged)"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(ConfigStore.LOG_FILE)));
        assertEquals(ops(), store.read().orElseThrow().ops());
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAClearError() throws Exception {
        final Path file = dir.resolve("a-file");
        Files.writeString(file, "not a directory");
        final ConfigStore store = new ConfigStore(file.resolve("state"));
        final ConfigStore.StoreException e = assertThrows(ConfigStore.StoreException.class,
            () -> store.write(GENESIS, ops(), GENESIS));
        assertTrue(e.getMessage().contains("cannot create the directory"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
    }

    @Test
    void aReadOnlyDirectoryIsAClearErrorAndChangesNothing() throws Exception {
        final ConfigStore store = new ConfigStore(dir);
        store.write(GENESIS, ops(), GENESIS);
        final byte[] before = Files.readAllBytes(dir.resolve(ConfigStore.LOG_FILE));
        // As root, permissions do not stop writes; an immutable directory does (where chattr works).
        final boolean root = "root".equals(System.getProperty("user.name"));
        final boolean readOnly = root ? run("chattr", "+i", dir.toString()) : dir.toFile().setWritable(false);
        Assumptions.assumeTrue(readOnly, "cannot make " + dir + " read-only here");
        try {
            final ConfigStore.StoreException e = assertThrows(ConfigStore.StoreException.class,
                () -> store.write(GENESIS, List.of(), GENESIS));
            assertTrue(e.getMessage().contains("(the previous file is unchanged)"), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(dir.resolve(ConfigStore.LOG_FILE)));
        } finally {
            if (root) {
                run("chattr", "-i", dir.toString());
            } else {
                dir.toFile().setWritable(true);
            }
        }
    }

    @Test
    void aDamagedLogIsAnErrorNotAnEmptyStore() throws Exception {
        Files.write(dir.resolve(ConfigStore.LOG_FILE), "garbage".getBytes(StandardCharsets.UTF_8));
        final ConfigStore.StoreException e = assertThrows(ConfigStore.StoreException.class,
            () -> new ConfigStore(dir).read());
        assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
    }

    private static boolean run(final String... command) {
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
