package lb.control.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;

import lb.control.affinity.StickyClient;
import lb.control.convergence.ClusterView;
import lb.control.membership.HostState;
import lb.control.membership.MemberId;
import lb.dataplane.buckets.ClusterAssignment;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.testkit.RandomConfigs;
import lb.dataplane.testkit.Seeds;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Membership messages through their SBE form and back, over random configs, including to a host whose file lists the
 * rules in another order; and what a receiver refuses.
 */
class MembershipCodecTest {
    private final List<Object> received = new ArrayList<>();
    private final MembershipCodec.Listener listener = new MembershipCodec.Listener() {
        @Override
        public void onHeartbeat(final HeartbeatMessage heartbeat) {
            received.add(heartbeat);
        }

        @Override
        public void onStickyClients(final StickyClientsMessage message) {
            received.add(message);
        }

        @Override
        public void onClaimsRefused(final ClaimsRefusedMessage message) {
            received.add(message);
        }
    };

    @Test
    void shouldDecodeWhatItEncodesAlsoForAHostWithTheRulesInAnotherOrder() {
        final long seed = Seeds.seed("MembershipCodecTest");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c < 200; c++) {
            final ClusterConfig config = RandomConfigs.config(random, 1 + random.nextInt(32));
            final ClusterConfig reordered = RandomConfigs.shuffled(config, random);
            final List<Object> sent = messages(config, random);
            final MembershipCodec sender = new MembershipCodec(config);
            final MembershipCodec receiver = new MembershipCodec(reordered);
            received.clear();
            for (final Object message : sent) {
                final int length = switch (message) {
                    case HeartbeatMessage h -> sender.encode(h);
                    case StickyClientsMessage s -> sender.encode(s);
                    case ClaimsRefusedMessage r -> sender.encode(r);
                    default -> throw new IllegalStateException();
                };
                final UnsafeBuffer wire = new UnsafeBuffer(new byte[length]);
                wire.putBytes(0, sender.buffer(), 0, length);
                receiver.decode(wire, 0, length, listener);
            }
            assertEquals(sent, received, "seed " + seed + ", config " + c);
        }
    }

    @Test
    void shouldRefuseAViewThatDoesNotMatchItsDigestAndARuleTheConfigLacks() {
        final SplittableRandom random = new SplittableRandom(7);
        ClusterConfig config = RandomConfigs.config(random, 4);
        while (config.portRules().isEmpty()) {
            config = RandomConfigs.config(random, 4);
        }
        final HeartbeatMessage leader = heartbeat(config, view(config), random);
        final HeartbeatMessage lying = new HeartbeatMessage(leader.sender(), leader.hostPriority(), leader.sequence(),
            leader.state(), leader.participating(), leader.listening(), leader.fingerprint(), leader.latest(),
            leader.sees(),
            leader.leaderId(), leader.viewEpoch(), leader.viewDigest() ^ 1, leader.view().map(v ->
            new ClusterView(v.epoch(), v.members(), v.assignment(), v.healed(), v.config(), v.digest() ^ 1)), 0);
        final MembershipCodec codec = new MembershipCodec(config);
        final int length = codec.encode(lying);
        final IllegalArgumentException digest = assertThrows(IllegalArgumentException.class,
            () -> codec.decode(codec.buffer(), 0, length, listener));
        assertTrue(digest.getMessage().contains("does not match its digest"), digest.getMessage());

        final StickyClientsMessage sticky = new StickyClientsMessage(new MemberId(1, 5), 3,
            config.canonicalRules().getFirst().key(), 1, 0, List.of());
        final int stickyLength = codec.encode(sticky);
        final ClusterConfig fewer = new ClusterConfig(config.parameters(), config.vips(), List.of(), config.members());
        final IllegalArgumentException rule = assertThrows(IllegalArgumentException.class,
            () -> new MembershipCodec(fewer).decode(codec.buffer(), 0, stickyLength, listener));
        assertTrue(rule.getMessage().contains("rule index 0 from host 1#5 is not a rule of this config"),
            rule.getMessage());
    }

    @Test
    void shouldDecodeAViewAgainstTheSendersRunningConfigAmongTheKnownOnes() {
        final ClusterConfig base = lb.control.sim.TestClusters.config(3);
        final List<PortRule> rules = new ArrayList<>(base.portRules());
        rules.add(lb.control.sim.TestClusters.HTTPS);
        final ClusterConfig next = new ClusterConfig(base.parameters(), base.vips(), rules, base.members());
        final SplittableRandom random = new SplittableRandom(11);
        final HeartbeatMessage switched = heartbeat(next, view(next), random);
        final MembershipCodec sender = new MembershipCodec(next);
        final MembershipCodec receiver = new MembershipCodec(base);
        final int length = sender.encode(switched);
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[length]);
        wire.putBytes(0, sender.buffer(), 0, length);

        // Not known yet: the heartbeat comes with the view's name but not its assignment, which cannot be read.
        received.clear();
        receiver.decode(wire, 0, length, listener);
        final HeartbeatMessage unread = (HeartbeatMessage)received.getFirst();
        assertEquals(switched.view().orElseThrow().digest(), unread.view().orElseThrow().digest());
        assertEquals(ClusterAssignment.NONE, unread.view().orElseThrow().assignment());

        // Stored: the view is decoded against the sender's config, three rules where the receiver runs two.
        receiver.knows(next);
        received.clear();
        receiver.decode(wire, 0, length, listener);
        assertEquals(List.of(switched), received);
        assertEquals(next.fingerprint(), ((HeartbeatMessage)received.getFirst()).view().orElseThrow().config());

        // A version-1 heartbeat (no latest fingerprint) reads as latest = running.
        final HeartbeatMessage old = heartbeat(base, view(base), random);
        final int oldLength = receiver.encode(old);
        final UnsafeBuffer v1 = new UnsafeBuffer(new byte[oldLength]);
        v1.putBytes(0, receiver.buffer(), 0, oldLength);
        v1.putShort(6, (short)1, java.nio.ByteOrder.LITTLE_ENDIAN);
        sender.knows(base);
        received.clear();
        sender.decode(v1, 0, oldLength, listener);
        final HeartbeatMessage decoded = (HeartbeatMessage)received.getFirst();
        assertEquals(base.fingerprint(), decoded.latest());
        assertEquals(old.view(), decoded.view());
        assertEquals(old.viewEpoch(), decoded.servingEpoch(), "a heartbeat before version 4 serves by its view");
    }

    private static List<Object> messages(final ClusterConfig config, final SplittableRandom random) {
        final List<Object> messages = new ArrayList<>();
        messages.add(heartbeat(config, view(config), random));
        messages.add(heartbeat(config, null, random));
        if (!config.portRules().isEmpty()) {
            final PortRule rule = config.portRules().get(random.nextInt(config.portRules().size()));
            final List<StickyClient> clients = new ArrayList<>();
            for (int i = 0; i < random.nextInt(5); i++) {
                clients.add(new StickyClient(IpAddress.ofIpv4(0x0A00_0000 + random.nextInt(1 << 20)),
                    random.nextInt(1_000_000)));
            }
            clients.add(new StickyClient(IpAddress.parse("2001:db8::" + Integer.toHexString(random.nextInt(65536))),
                1));
            messages.add(new StickyClientsMessage(new MemberId(1, 99), 4, rule.key(), 7, 2, clients));
            messages.add(new ClaimsRefusedMessage(new MemberId(2, 100), 4, rule.key(), 7,
                clients.stream().map(StickyClient::client).toList()));
        }
        return messages;
    }

    private static ClusterView view(final ClusterConfig config) {
        final TreeSet<MemberId> members = new TreeSet<>();
        for (final ClusterMember member : config.members()) {
            members.add(new MemberId(member.hostId(), 1000 + member.hostId()));
        }
        final TreeSet<Integer> live = new TreeSet<>(members.stream().map(MemberId::hostId).toList());
        return ClusterView.of(9, members, ClusterAssignment.compute(config, live, ClusterAssignment.NONE), true,
            config.fingerprint());
    }

    private static HeartbeatMessage heartbeat(final ClusterConfig config, final ClusterView view,
        final SplittableRandom random) {
        final ClusterMember sender = config.members().getFirst();
        final List<MemberId> sees = new ArrayList<>();
        for (final ClusterMember member : config.members()) {
            sees.add(new MemberId(member.hostId(), 1000 + member.hostId()));
        }
        Collections.reverse(sees);
        return new HeartbeatMessage(new MemberId(sender.hostId(), 1000 + sender.hostId()), sender.hostPriority(),
            random.nextLong(1, Long.MAX_VALUE), HostState.values()[random.nextInt(HostState.values().length)],
            random.nextBoolean(), random.nextBoolean(), config.fingerprint(), config.fingerprint(), sees,
            view == null ? 0 : sender.hostId(), view == null ? 0 : view.epoch(), view == null ? 0 : view.digest(),
            Optional.ofNullable(view), random.nextLong(0, 1000), new TreeSet<>(), switch (random.nextInt(3)) {
                case 0 -> HeartbeatMessage.SERVING_NOTHING;
                case 1 -> 0;
                default -> random.nextLong(1, 1 << 20);
            });
    }
}
