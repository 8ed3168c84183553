package lb.control.protocol;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import lb.control.affinity.StickyClient;
import lb.control.convergence.ClusterView;
import lb.control.membership.HostState;
import lb.control.membership.MemberId;
import lb.control.protocol.sbe.BooleanType;
import lb.control.protocol.sbe.ClaimsRefusedDecoder;
import lb.control.protocol.sbe.ClaimsRefusedEncoder;
import lb.control.protocol.sbe.HeartbeatDecoder;
import lb.control.protocol.sbe.HeartbeatEncoder;
import lb.control.protocol.sbe.HostStateCode;
import lb.control.protocol.sbe.MessageHeaderDecoder;
import lb.control.protocol.sbe.MessageHeaderEncoder;
import lb.control.protocol.sbe.StickyClientsDecoder;
import lb.control.protocol.sbe.StickyClientsEncoder;
import lb.dataplane.buckets.BucketAssignment;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ConfigFingerprint;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The membership messages (heartbeats, sticky-client handoff, refused claims) to and from their SBE form
 * ({@code membership-schema.xml}), for Aeron UDP between hosts. Rules travel as their index in a config's canonical
 * order, which every host of one fingerprint shares: a heartbeat's view in the order of the sender's running config
 * (the config the view was computed for), looked up among the configs this host knows ({@link #knows}); sticky
 * clients and refused claims in the order of the config this host runs ({@link #runs}), since they pass only between
 * hosts that hold one view and so run one config. What does not fit (a view of a config this host does not know, a
 * rule index or bucket count the config lacks) is refused with a message saying why, never half decoded.
 * Control-plane rate (a few messages a second per peer): decoding allocates the records.
 */
public final class MembershipCodec {
    /** What decoded messages go to. */
    public interface Listener {
        void onHeartbeat(HeartbeatMessage heartbeat);

        void onStickyClients(StickyClientsMessage message);

        void onClaimsRefused(ClaimsRefusedMessage message);
    }

    private static final HostState[] STATES = HostState.values();
    /** How many configs it keeps: the running one and the latest ones it was told of. */
    static final int MAX_KNOWN = 8;

    private record Known(ClusterConfig config, List<PortRule> rules) {
    }

    private final Map<ConfigFingerprint, Known> known = new LinkedHashMap<>();
    private ClusterConfig config;
    private List<PortRule> rules;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final StickyClientsEncoder stickyEncoder = new StickyClientsEncoder();
    private final StickyClientsDecoder stickyDecoder = new StickyClientsDecoder();
    private final ClaimsRefusedEncoder refusedEncoder = new ClaimsRefusedEncoder();
    private final ClaimsRefusedDecoder refusedDecoder = new ClaimsRefusedDecoder();

    /**
     * @param config this host's config: it runs it, and knows it.
     */
    public MembershipCodec(final ClusterConfig config) {
        runs(config);
    }

    /**
     * A config of the cluster this host stored (it may run it next, or other hosts may run it): views computed for it
     * are decoded from now on. The oldest of more than {@link #MAX_KNOWN} is forgotten, the running one never.
     */
    public void knows(final ClusterConfig stored) {
        final ConfigFingerprint fingerprint = stored.fingerprint();
        known.remove(fingerprint);
        known.put(fingerprint, new Known(stored, stored.canonicalRules()));
        while (known.size() > MAX_KNOWN) {
            final ConfigFingerprint oldest = known.keySet().stream()
                .filter(f -> config == null || !f.equals(config.fingerprint())).findFirst().orElseThrow();
            known.remove(oldest);
        }
    }

    /**
     * The config this host runs from now on (the machine's {@code Output.ApplyConfig}): sticky clients and refused
     * claims are indexed by it; it is known too.
     */
    public void runs(final ClusterConfig running) {
        this.config = running;
        this.rules = running.canonicalRules();
        knows(running);
    }

    /**
     * @return the buffer the last encode wrote, from offset 0.
     */
    public DirectBuffer buffer() {
        return buffer;
    }

    /**
     * @return the encoded length.
     */
    public int encode(final HeartbeatMessage heartbeat) {
        final HeartbeatEncoder e = heartbeatEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .senderHostId(heartbeat.sender().hostId())
            .senderIncarnation(heartbeat.sender().incarnation())
            .hostPriority(heartbeat.hostPriority())
            .sequence(heartbeat.sequence())
            .state(HostStateCode.get((short)heartbeat.state().ordinal()))
            .participating(bool(heartbeat.participating()))
            .listening(bool(heartbeat.listening()))
            .putConfigFingerprint(HexFormat.of().parseHex(heartbeat.fingerprint().sha256Hex()), 0, 32)
            .putLatestFingerprint(HexFormat.of().parseHex(heartbeat.latest().sha256Hex()), 0, 32)
            .servingEpoch(heartbeat.servingEpoch())
            .leaderId(heartbeat.leaderId())
            .viewEpoch(heartbeat.viewEpoch())
            .viewDigest(heartbeat.viewDigest())
            .claimsGeneration(heartbeat.claimsGeneration())
            .hasView(bool(heartbeat.view().isPresent()))
            .viewHealed(bool(heartbeat.view().map(ClusterView::healed).orElse(false)));
        final HeartbeatEncoder.SeesEncoder sees = e.seesCount(heartbeat.sees().size());
        for (final MemberId member : heartbeat.sees()) {
            sees.next().hostId(member.hostId()).incarnation(member.incarnation());
        }
        final ClusterView view = heartbeat.view().orElse(null);
        final HeartbeatEncoder.ViewMembersEncoder members =
            e.viewMembersCount(view == null ? 0 : view.members().size());
        if (view != null) {
            for (final MemberId member : view.members()) {
                members.next().hostId(member.hostId()).incarnation(member.incarnation());
            }
        }
        if (view == null) {
            e.viewRulesCount(0);
        } else {
            if (!view.config().equals(heartbeat.fingerprint())) {
                throw new IllegalArgumentException(view + " carried by " + heartbeat.sender() + " is not of its " +
                    "running config " + heartbeat.fingerprint() + ": a leader's view is computed for the config it runs");
            }
            final Known of = known.get(view.config());
            if (of == null) {
                throw new IllegalArgumentException(view + " is of config " + view.config() + ", which this host " +
                    "does not know");
            }
            final List<BucketAssignment> byIndex = byIndex(of.rules(), view.assignment());
            final HeartbeatEncoder.ViewRulesEncoder group = e.viewRulesCount(byIndex.size());
            for (final BucketAssignment rule : byIndex) {
                final byte[] owners = shorts(rule.owners());
                final byte[] ruleMembers = shorts(rule.members().stream().mapToInt(Integer::intValue).toArray());
                group.next().putOwners(owners, 0, owners.length).putMembers(ruleMembers, 0, ruleMembers.length);
            }
        }
        final Known running = known.get(heartbeat.fingerprint());
        final List<Integer> unhealthy = new ArrayList<>();
        if (running != null) {
            for (final RuleKey key : heartbeat.unhealthy()) {
                for (int index = 0; index < running.rules().size(); index++) {
                    if (running.rules().get(index).key().equals(key)) {
                        unhealthy.add(index);
                    }
                }
            }
        }
        final HeartbeatEncoder.UnhealthyRulesEncoder unhealthyRules = e.unhealthyRulesCount(unhealthy.size());
        for (final int index : unhealthy) {
            unhealthyRules.next().ruleIndex(index);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    /**
     * @return the encoded length.
     */
    public int encode(final StickyClientsMessage message) {
        final StickyClientsEncoder e = stickyEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromHostId(message.from().hostId())
            .fromIncarnation(message.from().incarnation())
            .viewEpoch(message.viewEpoch())
            .ruleIndex(index(message.rule()))
            .sequence(message.sequence())
            .claimsGeneration(message.claimsGeneration());
        final StickyClientsEncoder.ClientsEncoder clients = e.clientsCount(message.clients().size());
        for (final StickyClient client : message.clients()) {
            clients.next().high(client.client().hi()).low(client.client().lo()).expiresInMs(client.expiresInMs());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    /**
     * @return the encoded length.
     */
    public int encode(final ClaimsRefusedMessage message) {
        final ClaimsRefusedEncoder e = refusedEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromHostId(message.from().hostId())
            .fromIncarnation(message.from().incarnation())
            .viewEpoch(message.viewEpoch())
            .ruleIndex(index(message.rule()))
            .inAnswerTo(message.inAnswerTo());
        final ClaimsRefusedEncoder.ClientsEncoder clients = e.clientsCount(message.clients().size());
        for (final IpAddress client : message.clients()) {
            clients.next().high(client.hi()).low(client.lo());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    /**
     * Decodes one message and hands it to the listener.
     *
     * @throws IllegalArgumentException naming what does not fit: another schema or a newer version, an unknown
     *                                  template, a rule index or bucket count this config does not have.
     */
    public void decode(final DirectBuffer src, final int offset, final int length, final Listener listener) {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH) {
            throw new IllegalArgumentException("a message of " + length + " bytes is shorter than its header");
        }
        headerDecoder.wrap(src, offset);
        if (headerDecoder.schemaId() != HeartbeatDecoder.SCHEMA_ID ||
            headerDecoder.version() > HeartbeatDecoder.SCHEMA_VERSION) {
            throw new IllegalArgumentException("schema " + headerDecoder.schemaId() + " version " +
                headerDecoder.version() + " is not membership schema " + HeartbeatDecoder.SCHEMA_ID + " up to version " +
                HeartbeatDecoder.SCHEMA_VERSION);
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (headerDecoder.templateId()) {
            case HeartbeatDecoder.TEMPLATE_ID -> listener.onHeartbeat(heartbeat(heartbeatDecoder.wrap(src, body,
                headerDecoder.blockLength(), headerDecoder.version()), headerDecoder.version()));
            case StickyClientsDecoder.TEMPLATE_ID -> listener.onStickyClients(sticky(stickyDecoder.wrap(src, body,
                headerDecoder.blockLength(), headerDecoder.version())));
            case ClaimsRefusedDecoder.TEMPLATE_ID -> listener.onClaimsRefused(refused(refusedDecoder.wrap(src, body,
                headerDecoder.blockLength(), headerDecoder.version())));
            default -> throw new IllegalArgumentException("unknown membership message template " +
                headerDecoder.templateId());
        }
    }

    private HeartbeatMessage heartbeat(final HeartbeatDecoder d, final int version) {
        final MemberId sender = new MemberId(d.senderHostId(), d.senderIncarnation());
        final int priority = d.hostPriority();
        final long sequence = d.sequence();
        final short stateCode = d.stateRaw();
        if (stateCode < 0 || stateCode >= STATES.length) {
            throw new IllegalArgumentException("host state " + stateCode + " from " + sender + " is not one of " +
                List.of(STATES));
        }
        final boolean participating = d.participating() == BooleanType.TRUE;
        final boolean listening = d.listening() == BooleanType.TRUE;
        final byte[] fingerprint = new byte[32];
        d.getConfigFingerprint(fingerprint, 0, 32);
        final byte[] latest = new byte[32];
        if (version >= 2) {
            d.getLatestFingerprint(latest, 0, 32);
        } else {
            System.arraycopy(fingerprint, 0, latest, 0, 32);
        }
        final ConfigFingerprint running = new ConfigFingerprint(HexFormat.of().formatHex(fingerprint));
        final int leaderId = d.leaderId();
        final long viewEpoch = d.viewEpoch();
        final long viewDigest = d.viewDigest();
        final long claimsGeneration = d.claimsGeneration();
        final long servingEpoch = version >= 4 ? d.servingEpoch() : viewEpoch;
        final boolean hasView = d.hasView() == BooleanType.TRUE;
        final boolean healed = d.viewHealed() == BooleanType.TRUE;
        final List<MemberId> sees = new ArrayList<>();
        for (final HeartbeatDecoder.SeesDecoder seen : d.sees()) {
            sees.add(new MemberId(seen.hostId(), seen.incarnation()));
        }
        final TreeSet<MemberId> members = new TreeSet<>();
        for (final HeartbeatDecoder.ViewMembersDecoder member : d.viewMembers()) {
            members.add(new MemberId(member.hostId(), member.incarnation()));
        }
        final List<BucketAssignment> byIndex = new ArrayList<>();
        final HeartbeatDecoder.ViewRulesDecoder viewRules = d.viewRules();
        final String from = "the view of " + sender;
        final Known of = known.get(running);
        if (hasView && of == null) {
            // Another cluster's config, or one not replicated here yet: the machine refuses the sender and says why,
            // but may follow it (never hold its view), so it gets the view's name without its unreadable assignment.
            return new HeartbeatMessage(sender, priority, sequence, STATES[stateCode], participating, listening,
                running, new ConfigFingerprint(HexFormat.of().formatHex(latest)), sees, leaderId, viewEpoch,
                viewDigest, Optional.of(new ClusterView(viewEpoch, members, ClusterAssignment.NONE, healed, running,
                viewDigest)), claimsGeneration, new TreeSet<>(), servingEpoch);
        }
        final List<PortRule> viewConfigRules = of == null ? rules : of.rules();
        if (hasView && viewRules.count() != viewConfigRules.size() + 1) {
            throw new IllegalArgumentException(from + " has " + viewRules.count() + " rules; its config has " +
                viewConfigRules.size() + " plus the default rule");
        }
        final int buckets = (of == null ? config : of.config()).parameters().bucketCount();
        for (final HeartbeatDecoder.ViewRulesDecoder rule : viewRules) {
            final UnsafeBuffer owners = new UnsafeBuffer(new byte[0]);
            rule.wrapOwners(owners);
            final UnsafeBuffer ruleMembers = new UnsafeBuffer(new byte[0]);
            rule.wrapMembers(ruleMembers);
            final int index = byIndex.size();
            final int[] ownerIds = shorts(owners);
            if (ownerIds.length != buckets) {
                throw new IllegalArgumentException(from + ": rule " + index + " has " + ownerIds.length +
                    " buckets; this config has " + buckets);
            }
            final List<Integer> memberIds = new ArrayList<>();
            for (final int id : shorts(ruleMembers)) {
                memberIds.add(id);
            }
            byIndex.add(BucketAssignment.of(ownerIds, memberIds));
        }
        final Optional<ClusterView> view;
        if (hasView) {
            final SortedMap<RuleKey, BucketAssignment> byRule = new TreeMap<>();
            for (int index = 0; index < viewConfigRules.size(); index++) {
                byRule.put(viewConfigRules.get(index).key(), byIndex.get(index));
            }
            final ClusterView decoded = new ClusterView(viewEpoch, members,
                new ClusterAssignment(byRule, byIndex.get(viewConfigRules.size())), healed, running, viewDigest);
            final ClusterView checked = ClusterView.of(viewEpoch, members, decoded.assignment(), healed, running);
            if (checked.digest() != viewDigest) {
                throw new IllegalArgumentException(from + " does not match its digest " + Long.toHexString(viewDigest));
            }
            view = Optional.of(decoded);
        } else {
            view = Optional.empty();
        }
        final TreeSet<RuleKey> unhealthy = new TreeSet<>();
        for (final HeartbeatDecoder.UnhealthyRulesDecoder rule : d.unhealthyRules()) {
            final int index = rule.ruleIndex();
            if (of != null) {
                if (index >= of.rules().size()) {
                    throw new IllegalArgumentException(sender + " names unhealthy rule " + index + "; its config has " +
                        of.rules().size() + " rules");
                }
                unhealthy.add(of.rules().get(index).key());
            }
        }
        return new HeartbeatMessage(sender, priority, sequence, STATES[stateCode], participating, listening,
            running, new ConfigFingerprint(HexFormat.of().formatHex(latest)), sees, leaderId, viewEpoch, viewDigest, view,
            claimsGeneration, unhealthy, servingEpoch);
    }

    private StickyClientsMessage sticky(final StickyClientsDecoder d) {
        final MemberId from = new MemberId(d.fromHostId(), d.fromIncarnation());
        final long viewEpoch = d.viewEpoch();
        final RuleKey rule = key(d.ruleIndex(), from);
        final long sequence = d.sequence();
        final long generation = d.claimsGeneration();
        final List<StickyClient> clients = new ArrayList<>();
        for (final StickyClientsDecoder.ClientsDecoder client : d.clients()) {
            clients.add(new StickyClient(new IpAddress(client.high(), client.low()), client.expiresInMs()));
        }
        return new StickyClientsMessage(from, viewEpoch, rule, sequence, generation, clients);
    }

    private ClaimsRefusedMessage refused(final ClaimsRefusedDecoder d) {
        final MemberId from = new MemberId(d.fromHostId(), d.fromIncarnation());
        final long viewEpoch = d.viewEpoch();
        final RuleKey rule = key(d.ruleIndex(), from);
        final long inAnswerTo = d.inAnswerTo();
        final List<IpAddress> clients = new ArrayList<>();
        for (final ClaimsRefusedDecoder.ClientsDecoder client : d.clients()) {
            clients.add(new IpAddress(client.high(), client.low()));
        }
        return new ClaimsRefusedMessage(from, viewEpoch, rule, inAnswerTo, clients);
    }

    private static List<BucketAssignment> byIndex(final List<PortRule> rules, final ClusterAssignment assignment) {
        final List<BucketAssignment> byIndex = new ArrayList<>(rules.size() + 1);
        for (final PortRule rule : rules) {
            byIndex.add(assignment.of(rule));
        }
        byIndex.add(assignment.unmatched());
        return byIndex;
    }

    private int index(final RuleKey key) {
        final int index = config.ruleIndex(key);
        if (index < 0) {
            throw new IllegalArgumentException("rule " + key + " is not in this config");
        }
        return index;
    }

    private RuleKey key(final int index, final MemberId from) {
        if (index >= rules.size()) {
            throw new IllegalArgumentException("rule index " + index + " from " + from + " is not a rule of this " +
                "config (0.." + (rules.size() - 1) + ")");
        }
        return rules.get(index).key();
    }

    private static BooleanType bool(final boolean value) {
        return value ? BooleanType.TRUE : BooleanType.FALSE;
    }

    private static byte[] shorts(final int[] values) {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[values.length * 2]);
        for (int i = 0; i < values.length; i++) {
            out.putShort(i * 2, (short)values[i], ByteOrder.LITTLE_ENDIAN);
        }
        return out.byteArray();
    }

    private static int[] shorts(final MutableDirectBuffer in) {
        final int[] values = new int[in.capacity() / 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.getShort(i * 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        }
        return values;
    }
}
