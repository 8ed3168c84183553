package lb.control.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic pcap file (little-endian, microsecond timestamps, Ethernet), the format tcpdump and Wireshark
 * read everywhere; flushed after every batch, so an interrupted capture still leaves a readable file.
 */
final class PcapWriter implements AutoCloseable {
    private static final int MAGIC = 0xa1b2c3d4;
    private static final int LINKTYPE_ETHERNET = 1;

    private final OutputStream out;
    private final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);

    PcapWriter(final Path file, final int snapLength) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file));
        final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(snapLength)
            .putInt(LINKTYPE_ETHERNET);
        out.write(header.array());
    }

    /**
     * @param epochNs        when the frame was seen.
     * @param bytes          its captured bytes.
     * @param originalLength its length on the wire.
     */
    void write(final long epochNs, final byte[] bytes, final int originalLength) throws IOException {
        record.clear();
        record.putInt((int)(epochNs / 1_000_000_000L)).putInt((int)(epochNs % 1_000_000_000L / 1_000))
            .putInt(bytes.length).putInt(Math.max(originalLength, bytes.length));
        out.write(record.array());
        out.write(bytes);
    }

    void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
