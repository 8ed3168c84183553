package lb.dataplane.api;

import java.nio.file.Files;
import java.nio.file.Path;

import io.aeron.CncFileDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader that polls for the dataplane's counters meets the CnC file while the media driver is still
 * creating it: each stage must read as "not ready yet", which pollers retry, and never as a crash.
 */
class CountersFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldCallACncFileNotYetSizedNotReady() throws Exception {
        Files.createFile(dir.resolve(CncFileDescriptor.CNC_FILE));

        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> CountersFile.open(dir));
        assertTrue(error.getMessage().contains("not ready yet"), error.getMessage());
    }

    @Test
    void shouldCallACncFileWithoutItsVersionNotReady() throws Exception {
        Files.write(dir.resolve(CncFileDescriptor.CNC_FILE), new byte[CncFileDescriptor.END_OF_METADATA_OFFSET]);

        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> CountersFile.open(dir));
        assertTrue(error.getMessage().contains("not ready yet"), error.getMessage());
    }

    @Test
    void shouldSayWhenThereIsNoCncFile() {
        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> CountersFile.open(dir));
        assertTrue(error.getMessage().contains("no Aeron CnC file"), error.getMessage());
    }
}
