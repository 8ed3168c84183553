package lb.control.lbd;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.aeron.Aeron;
import lb.control.affinity.StickyClient;
import lb.control.membership.HostState;
import lb.control.membership.MemberId;
import lb.control.protocol.ClaimsRefusedMessage;
import lb.control.protocol.HeartbeatMessage;
import lb.control.protocol.MembershipCodec;
import lb.control.protocol.StickyClientsMessage;
import lb.dataplane.api.IpcFixture;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.file.ClusterFileParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two hosts' transports over real Aeron UDP on loopback (one media driver serves both): a heartbeat reaches the
 * other host decoded as sent, a sticky-client message reaches the one host it is for.
 */
class MembershipTransportTest {
    @TempDir
    Path dir;

    @Test
    void shouldCarryHeartbeatsToEveryPeerAndHandoffToOneHost() throws Exception {
        final int port1 = freePort();
        final int port2 = freePort();
        final ClusterConfig config = ClusterFileParser.parse("""
            cluster: {name: udp, secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"}
            vips: [10.0.0.100]
            port-rules:
              - {ports: 443, protocol: tcp, extended-affinity: 10m}
            hosts:
              - {id: 1, priority: 1, management: "127.0.0.1:%d"}
              - {id: 2, priority: 2, management: "127.0.0.1:%d"}
            """.formatted(port1, port2), "udp.yaml");
        final List<Object> atOne = new ArrayList<>();
        final List<Object> atTwo = new ArrayList<>();
        try (IpcFixture driver = new IpcFixture(dir);
             MembershipTransport one = new MembershipTransport(driver.aeron(), config, 1, line -> { });
             MembershipTransport two = new MembershipTransport(driver.aeron(), config, 2, line -> { })) {
            IpcFixture.pollUntil("both publications connected", () -> one.isConnected(2) && two.isConnected(1),
                () -> one.poll(recorder(atOne), 10) + two.poll(recorder(atTwo), 10));

            final HeartbeatMessage heartbeat = new HeartbeatMessage(new MemberId(1, 11), 1, 5, HostState.STARTED,
                true, false, config.fingerprint(), config.fingerprint(), List.of(new MemberId(2, 22)), 1, 0, 0, Optional.empty(), 3);
            // A publication that just connected may still refuse an offer (back pressure, an admin action): heartbeats
            // are periodic, so the transport sends each once and says to how many peers it went.
            final int[] sent = new int[1];
            IpcFixture.pollUntil("the heartbeat offered", () -> sent[0] == 1, () -> {
                sent[0] = one.broadcast(heartbeat);
                return one.poll(recorder(atOne), 10) + two.poll(recorder(atTwo), 10);
            });
            final StickyClientsMessage sticky = new StickyClientsMessage(new MemberId(2, 22), 4,
                RuleKey.parse("all:443/tcp"), 9, 1, List.of(new StickyClient(IpAddress.parse("198.51.100.0"), 600_000)));
            // The sticky message is offered on every cycle until one arrives, so more than one may be in flight.
            IpcFixture.pollUntil("the messages", () -> atTwo.size() == 1 && !atOne.isEmpty(), () -> {
                if (atOne.isEmpty()) {
                    two.send(1, sticky);
                }
                return one.poll(recorder(atOne), 10) + two.poll(recorder(atTwo), 10);
            });
            assertEquals(List.of(heartbeat), atTwo);
            assertEquals(sticky, atOne.getFirst());
        }
    }

    private static MembershipCodec.Listener recorder(final List<Object> into) {
        return new MembershipCodec.Listener() {
            @Override
            public void onHeartbeat(final HeartbeatMessage heartbeat) {
                into.add(heartbeat);
            }

            @Override
            public void onStickyClients(final StickyClientsMessage message) {
                into.add(message);
            }

            @Override
            public void onClaimsRefused(final ClaimsRefusedMessage message) {
                into.add(message);
            }
        };
    }

    private static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
