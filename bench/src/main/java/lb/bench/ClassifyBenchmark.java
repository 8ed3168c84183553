package lb.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import lb.dataplane.config.IpAddress;
import lb.dataplane.hash.FlowHasher;
import lb.dataplane.net.IpProtocol;
import lb.dataplane.net.Ipv4Mapped;
import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParseResult;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.packet.TcpDescriptor;
import lb.dataplane.pipeline.Classifier;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.AffinityTableContext;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.table.ConnectionTableContext;
import lb.dataplane.table.EntryMeta;
import lb.dataplane.table.FragmentTable;
import lb.dataplane.table.TableResult;
import lb.dataplane.view.DataplaneView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Classifier#classify} alone, on packets parsed ahead (so parsing is not in the score; {@link
 * PipelineBenchmark} measures both), for the three outcomes a TCP packet to a multiple-host rule of {@link
 * BenchCluster} can have, with a connection table of {@code entries} tracked connections (1000 to 10^7, sized as in
 * {@link TableBenchmark}):
 * <ul>
 * <li>{@code trackedHit}: an ACK of a tracked connection this host owns (lookup, touch, accept);</li>
 * <li>{@code newConnectionThenRemove}: a SYN of a new flow in a bucket this host owns (lookup miss, hash, bucket,
 * insert, accept), then the conductor's removal of the entry so the table keeps its size (about a {@code trackedHit}
 * of extra work);</li>
 * <li>{@code notOwnedDrop}: a SYN of a new flow in a bucket another host owns (lookup miss, hash, bucket, drop).</li>
 * </ul>
 * Each case cycles through its own packets, one object each, {@code min(entries, 2^20)} of them: beyond a million
 * flows the table's working set is far larger than the cache either way. {@code bucketLookup} is the view's part
 * alone: VIP match, rule search among the five rules, owned and moved bits of a given bucket (no hash; see {@link
 * HashBenchmark}). Not measured: sticky clients (extended affinity), fragments, ICMP errors, other workers writing the
 * same table. Run: {@code ./lb bench ClassifyBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=3g", "--enable-native-access=ALL-UNNAMED"})
public class ClassifyBenchmark {
    /** Most packets a case cycles through. */
    static final int MAX_PACKETS = 1 << 20;

    private static final int TCP = IpProtocol.TCP;
    private static final long VIP = Ipv4Mapped.low(BenchCluster.VIP);

    /**
     * A classifier over a connection table filled with {@code entries} random tracked connections to the HTTP rule,
     * owned by this host, and the packets of one case.
     */
    @State(Scope.Thread)
    public abstract static class Flows {
        /** Which packets a case sends. */
        enum Case { TRACKED, OWNED, NOT_OWNED }

        /** Tracked connections in the table. */
        @Param({"1000", "100000", "1000000", "10000000"})
        public int entries;

        ConnectionTable connections;
        private final Case kind;
        private DataplaneView view;
        private Classifier classifier;
        private AffinityTable affinity;
        private FragmentTable fragments;
        private ParsedPacket[] packets;
        private int next;
        private long now;

        Flows(final Case kind) {
            this.kind = kind;
        }

        @Setup(Level.Trial)
        public void setUp() {
            view = BenchCluster.view();
            connections = new ConnectionTable(new ConnectionTableContext().capacity(NumberedTable.capacityFor(entries))
                .hashSeed(BenchCluster.TABLE_SEED));
            affinity = new AffinityTable(new AffinityTableContext().capacity(1024).hashSeed(BenchCluster.TABLE_SEED));
            fragments = new FragmentTable(1024, 1000);
            classifier = new Classifier(connections, affinity, fragments);
            final Random random = new Random(42);
            final int[] clients = new int[Math.min(entries, MAX_PACKETS)];
            final int[] ports = new int[clients.length];
            for (int i = 0; i < entries; ) {
                final int client = random.nextInt();
                final int port = randomPort(random);
                final long handle = connections.insert(TCP, 4, Ipv4Mapped.HIGH, Ipv4Mapped.low(client), port,
                    Ipv4Mapped.HIGH, VIP, BenchCluster.HTTP_PORT, BenchCluster.HOST_ID, bucket(client, port), rule(),
                    EntryMeta.ESTABLISHED, 0);
                if (!TableResult.isCreated(handle)) {
                    continue;
                }
                if (i < clients.length) {
                    clients[i] = client;
                    ports[i] = port;
                }
                i++;
            }
            packets = new ParsedPacket[clients.length];
            try (Arena arena = Arena.ofConfined()) {
                final MemorySegment frame = arena.allocate(64);
                final PacketParser parser = new PacketParser();
                for (int i = 0; i < packets.length; i++) {
                    packets[i] = switch (kind) {
                        case TRACKED -> parse(clients[i], ports[i], TcpDescriptor.ACK, frame, parser);
                        case OWNED -> newFlow(true, random, frame, parser);
                        case NOT_OWNED -> newFlow(false, random, frame, parser);
                    };
                }
            }
        }

        /**
         * @return a parsed TCP packet from the client to the HTTP rule of the VIP.
         * @throws IllegalStateException if the parser refuses the frame.
         */
        private static ParsedPacket parse(final int client, final int port, final int flags, final MemorySegment frame,
            final PacketParser parser) {
            final int length = Frames.tcp(frame, 0, client, port, BenchCluster.VIP, BenchCluster.HTTP_PORT, flags);
            final ParsedPacket packet = new ParsedPacket();
            final int result = parser.parse(frame, 0, length, packet);
            if (result != ParseResult.OK) {
                throw new IllegalStateException("bench frame refused by the parser: result " + result);
            }
            return packet;
        }

        /**
         * @return a parsed SYN of a flow the table does not hold, whose bucket this host owns or not, as asked.
         */
        private ParsedPacket newFlow(final boolean owned, final Random random, final MemorySegment frame,
            final PacketParser parser) {
            while (true) {
                final int client = random.nextInt();
                final int port = randomPort(random);
                if (view.owns(rule(), bucket(client, port)) == owned && connections.lookup(TCP, 4, Ipv4Mapped.HIGH,
                    Ipv4Mapped.low(client), port, Ipv4Mapped.HIGH, VIP, BenchCluster.HTTP_PORT) < 0) {
                    return parse(client, port, TcpDescriptor.SYN, frame, parser);
                }
            }
        }

        private static int randomPort(final Random random) {
            return 1024 + random.nextInt(64512);
        }

        private int rule() {
            return view.ruleSlot(view.vipIndex(Ipv4Mapped.HIGH, VIP), TCP, BenchCluster.HTTP_PORT);
        }

        private int bucket(final int client, final int port) {
            return FlowHasher.bucket(view.hasher().hashIpv4(client, port, view.affinity(rule())), view.bucketCount());
        }

        /**
         * @return the next packet of the case, cycling.
         */
        ParsedPacket nextPacket() {
            final int i = next;
            next = i + 1 == packets.length ? 0 : i + 1;
            // As if parsed again: the classifier memoises the connection key's hash in the packet, and the
            // dataplane hashes each frame once.
            packets[i].connectionHash(0, null);
            return packets[i];
        }

        /**
         * @return the classifier's verdict on the packet, a millisecond after the previous one.
         */
        int classify(final ParsedPacket packet) {
            return classifier.classify(packet, view, ++now);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            connections.close();
            affinity.close();
            fragments.close();
        }
    }

    /** ACKs of tracked connections. */
    public static class Tracked extends Flows {
        public Tracked() {
            super(Case.TRACKED);
        }
    }

    /** SYNs of new flows in owned buckets. */
    public static class Owned extends Flows {
        public Owned() {
            super(Case.OWNED);
        }
    }

    /** SYNs of new flows in buckets other hosts own. */
    public static class NotOwned extends Flows {
        public NotOwned() {
            super(Case.NOT_OWNED);
        }
    }

    /** Destinations and buckets for the view lookups: 1024 random picks (fixed seed), so they stay in L1. */
    @State(Scope.Thread)
    public static class Lookups {
        private static final int COUNT = 1024;
        private static final int[] PORTS = {22, 53, 80, 443, 8080, 8999, 9000, 3389};

        DataplaneView view;
        final long[] vipHi = new long[COUNT];
        final long[] vipLo = new long[COUNT];
        final int[] protocols = new int[COUNT];
        final int[] ports = new int[COUNT];
        final int[] buckets = new int[COUNT];
        private int next;

        @Setup(Level.Trial)
        public void setUp() {
            view = BenchCluster.view();
            final List<IpAddress> vips = BenchCluster.config().vips();
            final Random random = new Random(42);
            for (int i = 0; i < COUNT; i++) {
                final IpAddress vip = vips.get(random.nextInt(vips.size()));
                vipHi[i] = vip.hi();
                vipLo[i] = vip.lo();
                protocols[i] = random.nextInt(4) == 0 ? 17 : TCP;
                ports[i] = PORTS[random.nextInt(PORTS.length)];
                buckets[i] = random.nextInt(view.bucketCount());
            }
        }

        int next() {
            final int i = next;
            next = (i + 1) & (COUNT - 1);
            return i;
        }
    }

    /** @return ACCEPT. */
    @Benchmark
    public int trackedHit(final Tracked flows) {
        return flows.classify(flows.nextPacket());
    }

    /** @return ACCEPT, or -1 if the classifier did not track the flow. */
    @Benchmark
    public int newConnectionThenRemove(final Owned flows) {
        final ParsedPacket p = flows.nextPacket();
        final int verdict = flows.classify(p);
        final boolean removed = flows.connections.remove(TCP, 4, p.srcHi(), p.srcLo(), p.srcPort(), p.dstHi(),
            p.dstLo(), p.dstPort());
        return removed ? verdict : -1;
    }

    /** @return DROP_NOT_OWNER. */
    @Benchmark
    public int notOwnedDrop(final NotOwned flows) {
        return flows.classify(flows.nextPacket());
    }

    /**
     * @return for a multiple-host rule, bit 0 owned and bit 1 moved; for a single-host rule, whether this host is the
     * owner; otherwise 0.
     */
    @Benchmark
    public int bucketLookup(final Lookups lookups) {
        final int i = lookups.next();
        final DataplaneView view = lookups.view;
        final int slot = view.ruleSlot(view.vipIndex(lookups.vipHi[i], lookups.vipLo[i]), lookups.protocols[i],
            lookups.ports[i]);
        final byte filtering = view.filtering(slot);
        if (filtering == DataplaneView.MULTIPLE) {
            final int bucket = lookups.buckets[i];
            return (view.owns(slot, bucket) ? 1 : 0) | (view.isDirty(slot, bucket) ? 2 : 0);
        }
        return filtering == DataplaneView.SINGLE && view.singleOwner(slot) == view.hostId() ? 1 : 0;
    }
}
