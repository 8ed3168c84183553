package lb.dataplane.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        final List<byte[]> frames = List.of(new byte[60], frame(61, 7), frame(1514, 9));
        final Path file = dir.resolve("f.pcap");
        Pcap.write(file, frames);

        final List<byte[]> read = Pcap.read(file);
        assertEquals(3, read.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(frames.get(i), read.get(i));
        }
        assertEquals(24 + 3 * 16 + 60 + 61 + 1514, Files.size(file));
    }

    @Test
    void shouldReadBigEndianNanosecondFiles() throws IOException {
        final ByteBuffer file = ByteBuffer.allocate(24 + 16 + 4).order(ByteOrder.BIG_ENDIAN);
        file.putInt(0xa1b23c4d).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(1);
        file.putInt(1).putInt(2).putInt(4).putInt(4).put(new byte[] {1, 2, 3, 4});
        final Path path = dir.resolve("be.pcap");
        Files.write(path, file.array());

        assertArrayEquals(new byte[] {1, 2, 3, 4}, Pcap.read(path).getFirst());
    }

    @Test
    void shouldRejectPcapngNamingTheFix() throws IOException {
        final Path path = dir.resolve("x.pcapng");
        Files.write(path, new byte[] {0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        final IOException ex = assertThrows(IOException.class, () -> Pcap.read(path));
        assertTrue(ex.getMessage().contains("editcap -F pcap"), ex.getMessage());
    }

    @Test
    void shouldRejectATruncatedRecordSayingWhere() throws IOException {
        final Path file = dir.resolve("t.pcap");
        Pcap.write(file, List.of(frame(100, 1)));
        final byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));

        final IOException ex = assertThrows(IOException.class, () -> Pcap.read(file));
        assertTrue(ex.getMessage().contains("record at byte 24 claims 100 bytes but 90 remain"), ex.getMessage());
    }

    private static byte[] frame(final int length, final int fill) {
        final byte[] frame = new byte[length];
        Arrays.fill(frame, (byte)fill);
        return frame;
    }
}
