package lb.bench.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

import lb.dataplane.packet.TcpDescriptor;

/**
 * The benchmark's traffic, generated ahead into a pcap file that every contender replays from memory
 * ({@code net_pcap,infinite_rx=1}): the same frames, in the same order, for each.
 *
 * <p>N distinct TCP flows from clients to the VIP's port 80. The sequence has 2N frames: one SYN per flow
 * and N ACKs, shuffled. Uniform: one ACK per flow. Skewed: the ACKs' flows drawn from a Zipf distribution
 * (exponent {@link #ZIPF_EXPONENT}) over the flows, so a few flows carry most packets, as on the Internet.
 * Flow i comes from client 172.16.0.0/12 + (i mod 2^20), port 1024 + i / 2^20: every flow distinct.
 * Frames are 60 bytes (the 64-byte minimum without FCS), IPv4 and TCP checksums valid.
 */
public final class Traffic {
    /** Zipf exponent of the skewed distribution. */
    public static final double ZIPF_EXPONENT = 1.0;
    /** Bytes per frame. */
    public static final int FRAME = 60;
    static final int VIP = 0x0A00_0064; // 10.0.0.100, bench/config/bench-cluster.yaml
    static final long CLUSTER_MAC = 0x02BF_0A00_0064L; // unicast cluster MAC of that VIP
    static final long ROUTER_MAC = 0x0200_0000_0001L;
    private static final int CLIENT_NET = 0xAC10_0000;

    /** How flows are picked. */
    public enum Distribution {
        /** Every flow carries the same number of packets. */
        UNIFORM,
        /** Zipf-distributed popularity. */
        SKEWED
    }

    private Traffic() {
    }

    /**
     * @param flows distinct flows.
     * @return frames in the sequence.
     */
    public static long frames(final long flows) {
        return 2 * flows;
    }

    /**
     * @param flows          distinct flows.
     * @param packetsPerFlow packets of each flow (2: the SYN and ACK sets; 3 or more: whole connections).
     * @return frames in the sequence.
     */
    public static long frames(final long flows, final int packetsPerFlow) {
        return packetsPerFlow * flows;
    }

    /**
     * Whole connections, for the new-connection rate and the packets-per-flow option: every flow's packets in
     * order, one after the other (SYN, then {@code packetsPerFlow - 2} ACKs, then FIN+ACK), the flows in a random
     * order. Replayed, each flow comes back only after all the others: once its entry has expired (the harness
     * shortens the closing linger for it), its SYN is a new connection again.
     *
     * @param dir            cache directory.
     * @param flows          distinct flows.
     * @param packetsPerFlow 3 or more.
     * @param seed           order seed.
     * @return the file.
     * @throws IOException when it cannot be written.
     */
    public static Path connections(final Path dir, final int flows, final int packetsPerFlow, final long seed)
        throws IOException {
        if (packetsPerFlow < 3) {
            throw new IllegalArgumentException("a whole connection takes at least 3 packets (SYN, ACK, FIN), was " +
                packetsPerFlow);
        }
        Files.createDirectories(dir);
        final Path file = dir.resolve("connections-" + flows + "-ppf" + packetsPerFlow + "-" + seed + ".pcap");
        final long size = 24 + frames(flows, packetsPerFlow) * (16 + FRAME);
        if (Files.exists(file) && Files.size(file) == size) {
            return file;
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] order = new int[flows];
        for (int f = 0; f < flows; f++) {
            order[f] = f;
        }
        for (int i = flows - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        final Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            buffer.order(ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(0xA1B2_C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535)
                .putInt(1);
            final byte[] frame = new byte[FRAME];
            int i = 0;
            for (final int flow : order) {
                for (int k = 0; k < packetsPerFlow; k++, i++) {
                    if (buffer.remaining() < 16 + FRAME) {
                        flush(out, buffer);
                    }
                    final int flags = k == 0 ? TcpDescriptor.SYN : k == packetsPerFlow - 1 ?
                        TcpDescriptor.FIN | TcpDescriptor.ACK : TcpDescriptor.ACK;
                    frame(frame, flow, flags, i);
                    buffer.putInt(i / 1_000_000).putInt(i % 1_000_000).putInt(FRAME).putInt(FRAME).put(frame);
                }
            }
            flush(out, buffer);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /**
     * The pcap for (flows, distribution, seed) in {@code dir}, generated unless already there.
     *
     * @param dir          cache directory.
     * @param flows        distinct flows, 1..2^30.
     * @param distribution uniform or skewed.
     * @param seed         shuffle and sampling seed.
     * @return the file.
     * @throws IOException when it cannot be written.
     */
    public static Path pcap(final Path dir, final int flows, final Distribution distribution, final long seed)
        throws IOException {
        Files.createDirectories(dir);
        final Path file = dir.resolve("flows-" + flows + "-" + distribution.name().toLowerCase() + "-" + seed + ".pcap");
        final long size = 24 + frames(flows) * (16 + FRAME);
        if (Files.exists(file) && Files.size(file) == size) {
            return file;
        }
        final int[] sequence = sequence(flows, distribution, seed);
        final Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            buffer.order(ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(0xA1B2_C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535)
                .putInt(1);
            final byte[] frame = new byte[FRAME];
            for (int i = 0; i < sequence.length; i++) {
                if (buffer.remaining() < 16 + FRAME) {
                    flush(out, buffer);
                }
                final int entry = sequence[i];
                frame(frame, entry >>> 1, (entry & 1) == 0 ? TcpDescriptor.SYN : TcpDescriptor.ACK, i);
                buffer.putInt(i / 1_000_000).putInt(i % 1_000_000).putInt(FRAME).putInt(FRAME).put(frame);
            }
            flush(out, buffer);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /**
     * The frame sequence: entries {@code flow << 1 | ack}.
     *
     * @param flows        distinct flows.
     * @param distribution how the ACKs' flows are chosen.
     * @param seed         random seed.
     * @return 2 x flows entries.
     */
    static int[] sequence(final int flows, final Distribution distribution, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] sequence = new int[2 * flows];
        for (int f = 0; f < flows; f++) {
            sequence[f] = f << 1;
        }
        if (distribution == Distribution.UNIFORM) {
            for (int f = 0; f < flows; f++) {
                sequence[flows + f] = f << 1 | 1;
            }
        } else {
            final double[] cdf = new double[flows];
            double sum = 0;
            for (int r = 0; r < flows; r++) {
                sum += 1.0 / Math.pow(r + 1, ZIPF_EXPONENT);
                cdf[r] = sum;
            }
            for (int i = 0; i < flows; i++) {
                final double u = random.nextDouble() * sum;
                int lo = 0;
                int hi = flows - 1;
                while (lo < hi) {
                    final int mid = (lo + hi) >>> 1;
                    if (cdf[mid] < u) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                sequence[flows + i] = lo << 1 | 1;
            }
        }
        for (int i = sequence.length - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = sequence[i];
            sequence[i] = sequence[j];
            sequence[j] = t;
        }
        return sequence;
    }

    /**
     * @param flows the sequence.
     * @return distinct flows that carry a packet (all of them, since every flow has its SYN).
     */
    static int distinct(final int[] flows) {
        final java.util.BitSet seen = new java.util.BitSet();
        for (final int e : flows) {
            seen.set(e >>> 1);
        }
        return seen.cardinality();
    }

    /**
     * Writes flow {@code flow}'s frame with the given TCP flags.
     */
    static void frame(final byte[] f, final int flow, final int tcpFlags, final int sequenceNumber) {
        final ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.BIG_ENDIAN);
        putMac(b, CLUSTER_MAC);
        putMac(b, ROUTER_MAC);
        b.putShort((short)0x0800);
        final int src = CLIENT_NET | (flow & 0xF_FFFF);
        final int sport = 1024 + (flow >>> 20);
        // IPv4: 20 bytes, DF, TTL 64, TCP.
        b.put((byte)0x45).put((byte)0).putShort((short)40).putShort((short)flow).putShort((short)0x4000)
            .put((byte)64).put((byte)6).putShort((short)0).putInt(src).putInt(VIP);
        b.putShort(24, (short)checksum(f, 14, 20, 0));
        // TCP: 20 bytes.
        b.putShort((short)sport).putShort((short)80).putInt(sequenceNumber).putInt((tcpFlags & TcpDescriptor.ACK) != 0 ? 1 : 0)
            .put((byte)0x50).put((byte)tcpFlags).putShort((short)65535).putShort((short)0).putShort((short)0);
        final long pseudo = (src >>> 16) + (src & 0xFFFF) + (VIP >>> 16) + (VIP & 0xFFFF) + 6 + 20;
        b.putShort(50, (short)checksum(f, 34, 20, pseudo));
        for (int i = 54; i < FRAME; i++) {
            f[i] = 0;
        }
    }

    private static void putMac(final ByteBuffer b, final long mac) {
        b.putShort((short)(mac >>> 32)).putInt((int)mac);
    }

    private static int checksum(final byte[] f, final int at, final int length, final long initial) {
        long sum = initial;
        for (int i = 0; i < length; i += 2) {
            sum += (f[at + i] & 0xFF) << 8 | f[at + i + 1] & 0xFF;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)~sum & 0xFFFF;
    }

    private static void flush(final FileChannel out, final ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }
}
