package lb.control.host;

import java.util.List;
import java.util.Objects;

import lb.control.affinity.StickyClient;
import lb.control.convergence.LocalView;
import lb.control.protocol.ClaimsRefusedMessage;
import lb.control.protocol.HeartbeatMessage;
import lb.control.protocol.StickyClientsMessage;
import lb.dataplane.buckets.BucketBitmap;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.RuleKey;

/**
 * Something the {@link HostMachine} wants done, drained from its outbox in order: messages for the other hosts,
 * requests for the local dataplane, and status for the operator.
 */
public sealed interface Output {
    /** Send to every other host of the cluster. */
    record SendHeartbeat(HeartbeatMessage heartbeat) implements Output {
        public SendHeartbeat {
            Objects.requireNonNull(heartbeat, "heartbeat");
        }
    }

    /** Send to one host: the sticky clients this host keeps in buckets that host now owns. */
    record SendStickyClients(int toHostId, StickyClientsMessage message) implements Output {
        public SendStickyClients {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Send to one host: the sticky clients whose claim by it lost to another host's claim. */
    record SendClaimsRefused(int toHostId, ClaimsRefusedMessage message) implements Output {
        public SendClaimsRefused {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Dataplane ApplyConfig: run this config from now on. Emitted before the first {@link ApplyView} computed for it:
     * when the host switches to a new config, and before the first view a new dataplane gets (any VIP the new config
     * drops is withdrawn before it).
     */
    record ApplyConfig(ClusterConfig config) implements Output {
        public ApplyConfig {
            Objects.requireNonNull(config, "config");
        }
    }

    /** Dataplane ApplyView: the view to forward by from now on. */
    record ApplyView(LocalView view) implements Output {
        public ApplyView {
            Objects.requireNonNull(view, "view");
        }
    }

    /** Dataplane WithdrawVip, emitted before the view that no longer lists the VIP: silence it at once. */
    record WithdrawVip(IpAddress vip) implements Output {
    }

    /** Dataplane AnnounceVip, after the view that lists it: gratuitous ARP/NA for a VIP gained, or re-announced after
     * a split brain healed. */
    record AnnounceVip(IpAddress vip) implements Output {
    }

    /**
     * Dataplane ExportStickyClients: list this host's own sticky clients of the rule in these buckets, which
     * {@code toHostId} now owns; the answer comes back through {@link HostMachine#onStickyClientsExported}.
     */
    record ExportStickyClients(RuleKey rule, BucketBitmap buckets, int toHostId) implements Output {
    }

    /** Dataplane InstallForeignEntries: leave these clients of the rule to {@code ownerHostId} until they expire. */
    record InstallForeign(RuleKey rule, int ownerHostId, List<StickyClient> clients) implements Output {
        public InstallForeign {
            clients = List.copyOf(clients);
        }
    }

    /**
     * Forget this host's own sticky clients of the rule in these buckets: it lost them while it was not serving (the
     * new owner took the clients) or it stops serving, so it must not take those clients' new connections.
     */
    record DropClaims(RuleKey rule, BucketBitmap buckets) implements Output {
    }

    /** Forget this host's own sticky entries of these clients: another host keeps them. */
    record DropClients(RuleKey rule, List<IpAddress> clients) implements Output {
        public DropClients {
            clients = List.copyOf(clients);
        }
    }

    /** Forget the foreign entries that leave clients to this host: it left the view, so its clients are taken over. */
    record ReleaseForeign(int ownerHostId) implements Output {
    }

    /** What {@code lbctl} shows changed. */
    record StatusChanged(HostStatus status) implements Output {
    }
}
