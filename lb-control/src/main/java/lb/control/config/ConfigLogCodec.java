package lb.control.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import lb.dataplane.config.Affinity;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigFingerprint;
import lb.dataplane.config.FilteringMode;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.LoadWeight;
import lb.dataplane.config.PortRange;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.Protocol;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;
import lb.dataplane.config.file.ClusterFileParser;
import lb.dataplane.config.file.ClusterFileWriter;

/**
 * The bytes of the op log, for the store and for the wire: pure, and deterministic (one value, one encoding), so two
 * hosts holding the same ops write the same bytes.
 *
 * <p>Big-endian; strings (enum names, cluster-file text) are a 4-byte length and UTF-8; addresses 16 bytes
 * (IPv4-mapped for IPv4); durations seconds (8) and nanoseconds (4); optionals a presence byte; maps a count and
 * their entries in key order. Whole configs ({@link ConfigOp.Replace}, the genesis) are the canonical cluster-file
 * text of {@link ClusterFileWriter}, which {@link ClusterFileParser} reads back to an equal config. The log and a
 * batch start with a magic and a format version; decoding anything else fails with a message naming the offset.
 */
public final class ConfigLogCodec {
    /** Changes with any change to the encoding. */
    public static final int FORMAT_VERSION = 1;
    private static final byte[] LOG_MAGIC = "LBCFGLOG".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH_MAGIC = "LBCFGOPS".getBytes(StandardCharsets.US_ASCII);

    private static final int ADD_RULE = 1;
    private static final int SET_RULE = 2;
    private static final int REMOVE_RULE = 3;
    private static final int SET_RULE_STATE = 4;
    private static final int SET_HOST_WEIGHT = 5;
    private static final int SET_HANDLING_PRIORITY = 6;
    private static final int ADD_VIP = 7;
    private static final int REMOVE_VIP = 8;
    private static final int REPLACE = 9;

    /** A decoded log: the genesis and the ops. */
    public record Log(ClusterConfig genesis, List<LoggedOp> ops) {
        public Log {
            ops = List.copyOf(ops);
        }
    }

    private ConfigLogCodec() {
    }

    /** The store's bytes: the genesis config and the ops, in {@link LoggedOp#ORDER}. */
    public static byte[] encodeLog(final ClusterConfig genesis, final List<LoggedOp> ops) {
        return write(out -> {
            out.write(LOG_MAGIC);
            out.writeInt(FORMAT_VERSION);
            string(out, ClusterFileWriter.write(genesis));
            ops(out, ops.stream().sorted(LoggedOp.ORDER).toList());
        });
    }

    /**
     * Reads the store's bytes.
     *
     * @throws IllegalArgumentException naming what is wrong and where.
     */
    public static Log decodeLog(final byte[] bytes) {
        return read(bytes, "config log", in -> {
            magic(in, LOG_MAGIC, "config log");
            final ClusterConfig genesis = ClusterFileParser.parse(string(in), "genesis config in the config log");
            return new Log(genesis, ops(in));
        });
    }

    /** The wire's bytes: a batch of ops. */
    public static byte[] encodeBatch(final OpBatch batch) {
        return write(out -> {
            out.write(BATCH_MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.write(HexFormat.of().parseHex(batch.lineage().sha256Hex()));
            ops(out, batch.ops());
        });
    }

    /**
     * Reads a batch.
     *
     * @throws IllegalArgumentException naming what is wrong and where.
     */
    public static OpBatch decodeBatch(final byte[] bytes) {
        return read(bytes, "op batch", in -> {
            magic(in, BATCH_MAGIC, "op batch");
            final byte[] lineage = new byte[32];
            in.readFully(lineage);
            return new OpBatch(new ConfigFingerprint(HexFormat.of().formatHex(lineage)), ops(in));
        });
    }

    /** A change as an operator asks for it (no id yet): what the admin API carries from lbctl to lbd. */
    public static byte[] encodeChange(final ConfigOp change) {
        return write(out -> change(out, change));
    }

    /**
     * @throws IllegalArgumentException naming the byte and what is wrong when the bytes are not one change.
     */
    public static ConfigOp decodeChange(final byte[] bytes) {
        return read(bytes, "config change", in -> change(in, "change"));
    }

    /** One op's bytes (also what makes two ops with one id tell apart). */
    public static byte[] encodeOp(final LoggedOp op) {
        return write(out -> op(out, op));
    }

    // ------------------------------------------------------------------------------------------------ writing

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(final Writer writer) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (final IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
        return bytes.toByteArray();
    }

    private static void ops(final DataOutputStream out, final List<LoggedOp> ops) throws IOException {
        out.writeInt(ops.size());
        for (final LoggedOp op : ops) {
            op(out, op);
        }
    }

    private static void op(final DataOutputStream out, final LoggedOp logged) throws IOException {
        out.writeInt(logged.id().originHostId());
        out.writeLong(logged.id().originSeq());
        out.writeLong(logged.lamport());
        out.writeInt(logged.basis().highest().size());
        for (final Map.Entry<Integer, Long> entry : logged.basis().highest().entrySet()) {
            out.writeInt(entry.getKey());
            out.writeLong(entry.getValue());
        }
        change(out, logged.op());
    }

    private static void change(final DataOutputStream out, final ConfigOp change) throws IOException {
        switch (change) {
            case ConfigOp.AddRule add -> {
                out.writeByte(ADD_RULE);
                rule(out, add.rule());
                out.writeInt(add.weights().size());
                for (final Map.Entry<Integer, LoadWeight> entry : add.weights().entrySet()) {
                    out.writeInt(entry.getKey());
                    weight(out, entry.getValue());
                }
                out.writeInt(add.handlingPriorities().size());
                for (final Map.Entry<Integer, Integer> entry : add.handlingPriorities().entrySet()) {
                    out.writeInt(entry.getKey());
                    out.writeInt(entry.getValue());
                }
            }
            case ConfigOp.SetRule set -> {
                out.writeByte(SET_RULE);
                key(out, set.key());
                optional(out, set.filtering().map(Enum::name));
                optional(out, set.affinity().map(Enum::name));
                out.writeBoolean(set.extendedAffinity().isPresent());
                if (set.extendedAffinity().isPresent()) {
                    duration(out, set.extendedAffinity().get());
                }
            }
            case ConfigOp.RemoveRule remove -> {
                out.writeByte(REMOVE_RULE);
                key(out, remove.key());
            }
            case ConfigOp.SetRuleState state -> {
                out.writeByte(SET_RULE_STATE);
                key(out, state.key());
                string(out, state.state().name());
            }
            case ConfigOp.SetHostWeight weight -> {
                out.writeByte(SET_HOST_WEIGHT);
                out.writeInt(weight.hostId());
                key(out, weight.key());
                weight(out, weight.weight());
            }
            case ConfigOp.SetHandlingPriority priority -> {
                out.writeByte(SET_HANDLING_PRIORITY);
                out.writeInt(priority.hostId());
                key(out, priority.key());
                out.writeInt(priority.priority());
            }
            case ConfigOp.AddVip vip -> {
                out.writeByte(ADD_VIP);
                address(out, vip.vip());
            }
            case ConfigOp.RemoveVip vip -> {
                out.writeByte(REMOVE_VIP);
                address(out, vip.vip());
            }
            case ConfigOp.Replace replace -> {
                out.writeByte(REPLACE);
                string(out, ClusterFileWriter.write(replace.config()));
            }
        }
    }

    private static void rule(final DataOutputStream out, final PortRule rule) throws IOException {
        key(out, rule.key());
        string(out, rule.filtering().name());
        string(out, rule.affinity().name());
        string(out, rule.state().name());
        duration(out, rule.extendedAffinity());
    }

    private static void key(final DataOutputStream out, final RuleKey key) throws IOException {
        out.writeBoolean(key.vip().isPresent());
        if (key.vip().isPresent()) {
            address(out, key.vip().get());
        }
        out.writeInt(key.ports().start());
        out.writeInt(key.ports().end());
        string(out, key.protocol().name());
    }

    private static void weight(final DataOutputStream out, final LoadWeight weight) throws IOException {
        out.writeBoolean(weight.equal());
        out.writeInt(weight.percent());
    }

    private static void address(final DataOutputStream out, final IpAddress address) throws IOException {
        out.writeLong(address.hi());
        out.writeLong(address.lo());
    }

    private static void duration(final DataOutputStream out, final Duration duration) throws IOException {
        out.writeLong(duration.getSeconds());
        out.writeInt(duration.getNano());
    }

    private static void optional(final DataOutputStream out, final Optional<String> value) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            string(out, value.get());
        }
    }

    private static void string(final DataOutputStream out, final String text) throws IOException {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    // ------------------------------------------------------------------------------------------------ reading

    private static <T> T read(final byte[] bytes, final String what, final Reader<T> reader) {
        final ByteArrayInputStream stream = new ByteArrayInputStream(bytes);
        final DataInputStream in = new DataInputStream(stream);
        try {
            final T value = reader.read(in);
            if (stream.available() != 0) {
                throw new IllegalArgumentException(what + ": " + stream.available() + " bytes after the end, at byte " +
                    (bytes.length - stream.available()));
            }
            return value;
        } catch (final EOFException e) {
            throw new IllegalArgumentException(what + ": truncated (" + bytes.length + " bytes)", e);
        } catch (final IOException e) {
            throw new UncheckedIOException("reading from memory does not fail", e);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " at byte " + (bytes.length - stream.available()) + ": " +
                e.getMessage(), e);
        }
    }

    private static void magic(final DataInputStream in, final byte[] magic, final String what) throws IOException {
        final byte[] found = new byte[magic.length];
        in.readFully(found);
        if (!java.util.Arrays.equals(found, magic)) {
            throw new IllegalArgumentException("not a " + what + " (no " + new String(magic, StandardCharsets.US_ASCII) +
                " magic)");
        }
        final int version = in.readInt();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException(what + " format version " + version + "; this lb reads " + FORMAT_VERSION);
        }
    }

    private static List<LoggedOp> ops(final DataInputStream in) throws IOException {
        final int count = count(in, "ops");
        final List<LoggedOp> ops = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            ops.add(op(in));
        }
        return ops;
    }

    private static LoggedOp op(final DataInputStream in) throws IOException {
        final OpId id = new OpId(in.readInt(), in.readLong());
        final long lamport = in.readLong();
        final int origins = count(in, "basis origins");
        final TreeMap<Integer, Long> basis = new TreeMap<>();
        for (int i = 0; i < origins; i++) {
            basis.put(in.readInt(), in.readLong());
        }
        return new LoggedOp(id, lamport, new VersionVector(basis), change(in, "op " + id));
    }

    private static ConfigOp change(final DataInputStream in, final String what) throws IOException {
        final int type = in.readUnsignedByte();
        return switch (type) {
            case ADD_RULE -> {
                final PortRule rule = rule(in);
                final SortedMap<Integer, LoadWeight> weights = new TreeMap<>();
                final int weightCount = count(in, "weights");
                for (int i = 0; i < weightCount; i++) {
                    weights.put(in.readInt(), weight(in));
                }
                final SortedMap<Integer, Integer> priorities = new TreeMap<>();
                final int priorityCount = count(in, "handling priorities");
                for (int i = 0; i < priorityCount; i++) {
                    priorities.put(in.readInt(), in.readInt());
                }
                yield new ConfigOp.AddRule(rule, weights, priorities);
            }
            case SET_RULE -> {
                final RuleKey key = key(in);
                final Optional<FilteringMode> filtering = optional(in).map(n -> enumOf(FilteringMode.class, n));
                final Optional<Affinity> affinity = optional(in).map(n -> enumOf(Affinity.class, n));
                final Optional<Duration> extended = in.readBoolean() ? Optional.of(duration(in)) : Optional.empty();
                yield new ConfigOp.SetRule(key, filtering, affinity, extended);
            }
            case REMOVE_RULE -> new ConfigOp.RemoveRule(key(in));
            case SET_RULE_STATE -> new ConfigOp.SetRuleState(key(in), enumOf(RuleState.class, string(in)));
            case SET_HOST_WEIGHT -> new ConfigOp.SetHostWeight(in.readInt(), key(in), weight(in));
            case SET_HANDLING_PRIORITY -> new ConfigOp.SetHandlingPriority(in.readInt(), key(in), in.readInt());
            case ADD_VIP -> new ConfigOp.AddVip(address(in));
            case REMOVE_VIP -> new ConfigOp.RemoveVip(address(in));
            case REPLACE -> new ConfigOp.Replace(ClusterFileParser.parse(string(in), "replace " + what));
            default -> throw new IllegalArgumentException(what + ": unknown op type " + type);
        };
    }

    private static PortRule rule(final DataInputStream in) throws IOException {
        return new PortRule(key(in), enumOf(FilteringMode.class, string(in)), enumOf(Affinity.class, string(in)),
            enumOf(RuleState.class, string(in)), duration(in));
    }

    private static RuleKey key(final DataInputStream in) throws IOException {
        final Optional<IpAddress> vip = in.readBoolean() ? Optional.of(address(in)) : Optional.empty();
        return new RuleKey(vip, new PortRange(in.readInt(), in.readInt()), enumOf(Protocol.class, string(in)));
    }

    private static LoadWeight weight(final DataInputStream in) throws IOException {
        return new LoadWeight(in.readBoolean(), in.readInt());
    }

    private static IpAddress address(final DataInputStream in) throws IOException {
        return new IpAddress(in.readLong(), in.readLong());
    }

    private static Duration duration(final DataInputStream in) throws IOException {
        return Duration.ofSeconds(in.readLong(), in.readInt());
    }

    private static Optional<String> optional(final DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(string(in)) : Optional.empty();
    }

    private static String string(final DataInputStream in) throws IOException {
        final int length = count(in, "string length");
        final byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int count(final DataInputStream in, final String what) throws IOException {
        final int count = in.readInt();
        if (count < 0 || count > in.available()) {
            throw new IllegalArgumentException(what + " " + count + " cannot fit the " + in.available() +
                " bytes left");
        }
        return count;
    }

    private static <E extends Enum<E>> E enumOf(final Class<E> type, final String name) {
        try {
            return Enum.valueOf(type, name);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is not a " + type.getSimpleName() + ": one of " +
                java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
