package lb.dataplane.pcap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classic pcap files (what tcpdump -w writes and Wireshark reads), Ethernet link type.
 *
 * <pre>
 *  global header (24 bytes)            record header (16 bytes), then incl_len bytes of frame
 *  +-------------------------------+   +------------------+
 *  | magic a1b2c3d4 (us) a1b23c4d  |   | ts_sec           |
 *  |   (ns), either byte order     |   | ts_usec/ts_nsec  |
 *  | version 2.4 | thiszone | sigf |   | incl_len         |
 *  | snaplen     | linktype (1)    |   | orig_len         |
 *  +-------------------------------+   +------------------+
 * </pre>
 */
public final class Pcap {
    /** Link type of Ethernet frames. */
    public static final int LINKTYPE_ETHERNET = 1;
    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int GLOBAL_HEADER_LENGTH = 24;
    private static final int RECORD_HEADER_LENGTH = 16;
    private static final int SNAPLEN = 65535;

    private Pcap() {
    }

    /**
     * Reads every frame of a pcap file.
     *
     * @param file the capture.
     * @return the frames, in file order, as captured (incl_len bytes each).
     * @throws IOException when the file cannot be read or is not a classic pcap file; the message says why.
     */
    public static List<byte[]> read(final Path file) throws IOException {
        final ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() < GLOBAL_HEADER_LENGTH) {
            throw new IOException(file + ": not a pcap file (" + in.remaining() + " bytes, a header needs 24)");
        }
        in.order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                throw new IOException(file + ": not a classic pcap file (magic " + Integer.toHexString(magic) +
                    "); pcapng is not supported, convert it with `editcap -F pcap`");
            }
        }
        final int linkType = in.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IOException(file + ": link type " + linkType + ", only Ethernet (1) is supported");
        }
        in.position(GLOBAL_HEADER_LENGTH);
        final List<byte[]> frames = new ArrayList<>();
        while (in.remaining() >= RECORD_HEADER_LENGTH) {
            final int recordOffset = in.position();
            in.position(recordOffset + 8);
            final int inclLen = in.getInt();
            in.getInt();
            if (inclLen < 0 || inclLen > in.remaining()) {
                throw new IOException(file + ": record at byte " + recordOffset + " claims " +
                    Integer.toUnsignedString(inclLen) + " bytes but " + in.remaining() + " remain (truncated file?)");
            }
            final byte[] frame = new byte[inclLen];
            in.get(frame);
            frames.add(frame);
        }
        if (in.hasRemaining()) {
            throw new IOException(file + ": " + in.remaining() + " stray bytes after the last record");
        }
        return frames;
    }

    /**
     * Writes frames to a new pcap file (microsecond timestamps, one microsecond apart from zero).
     *
     * @param file   destination, replaced if it exists.
     * @param frames Ethernet frames.
     * @throws IOException when the file cannot be written.
     */
    public static void write(final Path file, final List<byte[]> frames) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            final ByteBuffer header = ByteBuffer.allocate(GLOBAL_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC_MICROS).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
                .putInt(SNAPLEN).putInt(LINKTYPE_ETHERNET);
            out.write(header.array());
            int micros = 0;
            for (final byte[] frame : frames) {
                final ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
                record.putInt(0).putInt(micros++).putInt(frame.length).putInt(frame.length);
                out.write(record.array());
                out.write(frame);
            }
        }
    }
}
