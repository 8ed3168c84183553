package lb.control.lbd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import lb.control.protocol.ClaimsRefusedMessage;
import lb.control.protocol.HeartbeatMessage;
import lb.control.protocol.MembershipCodec;
import lb.control.protocol.StickyClientsMessage;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.ClusterMember;
import lb.dataplane.config.Endpoint;
import lb.dataplane.config.HeartbeatTransport;
import org.agrona.CloseHelper;

/**
 * The membership messages between hosts over Aeron UDP on the management network: every host subscribes on its own
 * management endpoint; heartbeats go to each other member's endpoint (transport {@code peers}) or to the cluster's
 * multicast group, which every host also subscribes to (transport {@code multicast}); sticky-client handoff and
 * refusals always go to the one host concerned. A message that cannot go now (peer not up, back pressure) is not
 * retried here: heartbeats repeat every period and {@code HostMachine} resends what it needs. One thread.
 */
public final class MembershipTransport implements AutoCloseable {
    /** The stream id of membership messages on the management channels. */
    public static final int STREAM_ID = 2001;

    private final MembershipCodec codec;
    private final Consumer<String> log;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Map<Integer, Publication> peers = new HashMap<>();
    private final Publication group;
    private MembershipCodec.Listener listener;
    private final FragmentAssembler assembler;
    private long refusedMessages;
    private String lastRefusal = "";

    /**
     * @param aeron  lbd's client of its own media driver.
     * @param config the cluster config: every member's management endpoint and the heartbeat transport.
     * @param hostId this host.
     * @param log    where lbd's log lines go.
     * @throws IllegalArgumentException when a member has no management endpoint.
     */
    public MembershipTransport(final Aeron aeron, final ClusterConfig config, final int hostId,
        final Consumer<String> log) {
        this.codec = new MembershipCodec(config);
        this.log = log;
        this.assembler = new FragmentAssembler((buffer, offset, length, header) -> {
            try {
                codec.decode(buffer, offset, length, listener);
            } catch (final IllegalArgumentException refused) {
                onRefused(refused);
            }
        });
        for (final ClusterMember member : config.members()) {
            final Endpoint endpoint = member.management().orElseThrow(() -> new IllegalArgumentException(
                member.label() + " has no management endpoint"));
            if (member.hostId() == hostId) {
                subscriptions.add(aeron.addSubscription(channel(endpoint), STREAM_ID));
            } else {
                peers.put(member.hostId(), aeron.addPublication(channel(endpoint), STREAM_ID));
            }
        }
        final var heartbeat = config.parameters().heartbeat();
        if (heartbeat.transport() == HeartbeatTransport.MULTICAST) {
            final String channel = channel(heartbeat.group().orElseThrow());
            group = aeron.addPublication(channel, STREAM_ID);
            subscriptions.add(aeron.addSubscription(channel, STREAM_ID));
        } else {
            group = null;
        }
    }

    /** A config this host stored: heartbeats of views computed for it are read from now on. */
    public void knows(final ClusterConfig stored) {
        codec.knows(stored);
    }

    /** The config this host runs from now on (sticky clients and refused claims are indexed by it). */
    public void runs(final ClusterConfig running) {
        codec.runs(running);
    }

    /**
     * Sends a heartbeat to every other member (or the group).
     *
     * @return how many publications took it.
     */
    public int broadcast(final HeartbeatMessage heartbeat) {
        final int length = codec.encode(heartbeat);
        if (group != null) {
            return group.offer(codec.buffer(), 0, length) > 0 ? 1 : 0;
        }
        int sent = 0;
        for (final Publication peer : peers.values()) {
            sent += peer.offer(codec.buffer(), 0, length) > 0 ? 1 : 0;
        }
        return sent;
    }

    /**
     * @return whether the host's publication took the message.
     */
    public boolean send(final int toHostId, final StickyClientsMessage message) {
        return offer(toHostId, codec.encode(message));
    }

    /**
     * @return whether the host's publication took the message.
     */
    public boolean send(final int toHostId, final ClaimsRefusedMessage message) {
        return offer(toHostId, codec.encode(message));
    }

    /**
     * Decodes what arrived into the listener; what does not decode against this config is counted and skipped.
     *
     * @return fragments read.
     */
    public int poll(final MembershipCodec.Listener messages, final int fragmentLimit) {
        this.listener = messages;
        int read = 0;
        for (final Subscription subscription : subscriptions) {
            read += subscription.poll(assembler, fragmentLimit);
        }
        return read;
    }

    /**
     * @return messages skipped because they did not decode against this host's config.
     */
    public long refusedMessages() {
        return refusedMessages;
    }

    /**
     * @param hostId another member.
     * @return whether its subscription is connected to this host's publication.
     */
    public boolean isConnected(final int hostId) {
        final Publication peer = peers.get(hostId);
        return peer != null && peer.isConnected();
    }

    @Override
    public void close() {
        CloseHelper.closeAll(peers.values());
        CloseHelper.closeAll(subscriptions);
        CloseHelper.close(group);
    }

    private boolean offer(final int toHostId, final int length) {
        final Publication peer = peers.get(toHostId);
        return peer != null && peer.offer(codec.buffer(), 0, length) > 0;
    }

    private void onRefused(final IllegalArgumentException refused) {
        refusedMessages++;
        // Say each distinct reason once: a misconfigured peer would otherwise fill the log every heartbeat.
        if (!refused.getMessage().equals(lastRefusal)) {
            lastRefusal = refused.getMessage();
            log.accept("membership message skipped: " + lastRefusal);
        }
    }

    private static String channel(final Endpoint endpoint) {
        return "aeron:udp?endpoint=" + endpoint;
    }
}
