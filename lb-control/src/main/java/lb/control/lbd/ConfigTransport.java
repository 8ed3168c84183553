package lb.control.lbd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import lb.control.config.ConfigLogCodec;
import lb.control.config.ConfigSummary;
import lb.control.config.OpBatch;
import lb.control.config.VersionVector;
import lb.control.config.sbe.ConfigOpsDecoder;
import lb.control.config.sbe.ConfigOpsEncoder;
import lb.control.config.sbe.ConfigSummaryDecoder;
import lb.control.config.sbe.ConfigSummaryEncoder;
import lb.control.config.sbe.MessageHeaderDecoder;
import lb.control.config.sbe.MessageHeaderEncoder;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.ConfigFingerprint;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Config replication between lbds over Aeron UDP on the management network, stream {@link #STREAM_ID}: summaries
 * (schema 19525, {@code config-schema.xml}) and op batches ({@link ConfigLogCodec#encodeBatch} inside a ConfigOps
 * message). Each host subscribes on its own management endpoint and publishes to every other member's. A message that
 * cannot go now is not retried: summaries repeat every period and a peer lacking ops is sent them again. One thread.
 */
public final class ConfigTransport implements AutoCloseable {
    /** The stream id of config replication on the management channels. */
    public static final int STREAM_ID = 2003;

    /** What arrives. */
    public interface Listener {
        void onSummary(int fromHostId, ConfigSummary summary);

        void onOps(int fromHostId, OpBatch batch);
    }

    private final int hostId;
    private final Consumer<String> log;
    private final Subscription subscription;
    private final Map<Integer, Publication> peers = new HashMap<>();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ConfigSummaryEncoder summaryEncoder = new ConfigSummaryEncoder();
    private final ConfigSummaryDecoder summaryDecoder = new ConfigSummaryDecoder();
    private final ConfigOpsEncoder opsEncoder = new ConfigOpsEncoder();
    private final ConfigOpsDecoder opsDecoder = new ConfigOpsDecoder();
    private final FragmentAssembler assembler;
    private Listener listener;
    private long skipped;
    private String lastSkipped = "";

    /**
     * @param aeron  lbd's client of its own media driver.
     * @param config the cluster config: every member's management endpoint.
     * @param hostId this host.
     * @param log    lbd's log.
     */
    public ConfigTransport(final Aeron aeron, final ClusterConfig config, final int hostId,
        final Consumer<String> log) {
        this.hostId = hostId;
        this.log = log;
        Subscription own = null;
        for (final ClusterMember member : config.members()) {
            final String channel = "aeron:udp?endpoint=" + member.management().orElseThrow(() ->
                new IllegalArgumentException(member.label() + " has no management endpoint"));
            if (member.hostId() == hostId) {
                own = aeron.addSubscription(channel, STREAM_ID);
            } else {
                peers.put(member.hostId(), aeron.addPublication(channel, STREAM_ID));
            }
        }
        this.subscription = own;
        this.assembler = new FragmentAssembler(this::onFragment);
    }

    /**
     * Sends this host's summary to every peer.
     *
     * @return how many took it.
     */
    public int broadcast(final ConfigSummary summary) {
        summaryEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromHostId(hostId)
            .putLineage(HexFormat.of().parseHex(summary.lineage().sha256Hex()), 0, 32)
            .putFolded(HexFormat.of().parseHex(summary.folded().sha256Hex()), 0, 32)
            .opCount(summary.opCount());
        final ConfigSummaryEncoder.KnownEncoder known = summaryEncoder.knownCount(summary.known().highest().size());
        summary.known().highest().forEach((origin, seq) -> known.next().originHostId(origin).highestSeq(seq));
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + summaryEncoder.encodedLength();
        int sent = 0;
        for (final Publication peer : peers.values()) {
            sent += peer.offer(buffer, 0, length) > 0 ? 1 : 0;
        }
        return sent;
    }

    /**
     * @return whether the peer's publication took the batch.
     */
    public boolean send(final int toHostId, final OpBatch batch) {
        final Publication peer = peers.get(toHostId);
        if (peer == null) {
            return false;
        }
        final byte[] bytes = ConfigLogCodec.encodeBatch(batch);
        opsEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).fromHostId(hostId).putBatch(bytes, 0, bytes.length);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + opsEncoder.encodedLength();
        if (length > peer.maxMessageLength()) {
            log.accept("config ops for host " + toHostId + " are " + length + " bytes, more than one message (" +
                peer.maxMessageLength() + ")");
            return false;
        }
        return peer.offer(buffer, 0, length) > 0;
    }

    /**
     * Decodes what arrived into the listener; what does not decode is counted and skipped.
     *
     * @return fragments read.
     */
    public int poll(final Listener messages, final int fragmentLimit) {
        listener = messages;
        return subscription.poll(assembler, fragmentLimit);
    }

    /**
     * @return messages skipped because they did not decode.
     */
    public long skipped() {
        return skipped;
    }

    @Override
    public void close() {
        CloseHelper.closeAll(peers.values());
        CloseHelper.close(subscription);
    }

    private void onFragment(final DirectBuffer bytes, final int offset, final int length,
        final io.aeron.logbuffer.Header frame) {
        try {
            if (length < MessageHeaderDecoder.ENCODED_LENGTH) {
                throw new IllegalArgumentException("a message of " + length + " bytes");
            }
            header.wrap(bytes, offset);
            if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID ||
                header.version() > MessageHeaderDecoder.SCHEMA_VERSION) {
                throw new IllegalArgumentException("schema " + header.schemaId() + " version " + header.version() +
                    "; this lbd reads " + MessageHeaderDecoder.SCHEMA_ID + " up to " +
                    MessageHeaderDecoder.SCHEMA_VERSION);
            }
            switch (header.templateId()) {
                case ConfigSummaryDecoder.TEMPLATE_ID -> {
                    summaryDecoder.wrapAndApplyHeader(bytes, offset, header);
                    final int from = summaryDecoder.fromHostId();
                    final ConfigFingerprint lineage = fingerprint((dst, off) -> summaryDecoder.getLineage(dst, off, 32));
                    final ConfigFingerprint folded = fingerprint((dst, off) -> summaryDecoder.getFolded(dst, off, 32));
                    final long opCount = summaryDecoder.opCount();
                    final TreeMap<Integer, Long> known = new TreeMap<>();
                    for (final ConfigSummaryDecoder.KnownDecoder entry : summaryDecoder.known()) {
                        known.put(entry.originHostId(), entry.highestSeq());
                    }
                    listener.onSummary(from, new ConfigSummary(lineage, new VersionVector(known), opCount, folded));
                }
                case ConfigOpsDecoder.TEMPLATE_ID -> {
                    opsDecoder.wrapAndApplyHeader(bytes, offset, header);
                    final int from = opsDecoder.fromHostId();
                    final byte[] batch = new byte[opsDecoder.batchLength()];
                    opsDecoder.getBatch(batch, 0, batch.length);
                    listener.onOps(from, ConfigLogCodec.decodeBatch(batch));
                }
                default -> throw new IllegalArgumentException("unknown template " + header.templateId());
            }
        } catch (final RuntimeException refused) {
            skipped++;
            if (!String.valueOf(refused.getMessage()).equals(lastSkipped)) {
                lastSkipped = String.valueOf(refused.getMessage());
                log.accept("config message skipped: " + lastSkipped);
            }
        }
    }

    private interface Bytes {
        int get(byte[] dst, int offset);
    }

    private static ConfigFingerprint fingerprint(final Bytes getter) {
        final byte[] digest = new byte[32];
        getter.get(digest, 0);
        return new ConfigFingerprint(HexFormat.of().formatHex(digest));
    }

    /** For tests: the peers this transport publishes to. */
    List<Integer> peerIds() {
        return new ArrayList<>(peers.keySet());
    }
}
