package lb.control.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import lb.control.affinity.ClientBuckets;
import lb.control.affinity.StickyClient;
import lb.control.convergence.LocalView;
import lb.control.convergence.RuleView;
import lb.dataplane.buckets.BucketBitmap;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.RuleKey;
import lb.dataplane.config.RuleState;

/**
 * A host's dataplane as far as convergence cares: the view it forwards by, and the extended-affinity table of the
 * sticky rule (own entries, which take the client's new connections, and foreign ones, which leave it to another host).
 */
final class SimDataplane {
    /** Which rule slot the sticky clients belong to: {@link TestClusters#WEB}, first in config order. */
    static final int STICKY_SLOT = 0;

    private record Entry(int ownerHostId, long expiresAtMs) {
    }

    private final int hostId;
    private final long timeoutMs;
    private final TreeMap<IpAddress, Entry> sticky = new TreeMap<>();
    private final ClientBuckets buckets;
    private LocalView view;
    private lb.dataplane.config.ConfigFingerprint config;

    SimDataplane(final ClusterConfig config, final int hostId, final long timeoutMs) {
        this.buckets = new ClientBuckets(config);
        this.hostId = hostId;
        this.timeoutMs = timeoutMs;
    }

    LocalView view() {
        return view;
    }

    /** ApplyConfig: the dataplane runs this config from now on. */
    void configure(final lb.dataplane.config.ConfigFingerprint fingerprint) {
        config = fingerprint;
    }

    lb.dataplane.config.ConfigFingerprint config() {
        return config;
    }

    void apply(final LocalView next) {
        if (!next.config().equals(config)) {
            throw new AssertionError("host " + hostId + ": a view of config " + next.config() + " while the " +
                "dataplane runs " + config + " (ApplyConfig must come first)");
        }
        if (view != null && next.dataplaneEpoch() <= view.dataplaneEpoch()) {
            throw new AssertionError("host " + hostId + ": dataplane epoch " + next.dataplaneEpoch() +
                " after " + view.dataplaneEpoch());
        }
        view = next;
    }

    private int bucket(final IpAddress client) {
        return buckets.bucket(TestClusters.WEB, client);
    }

    /** A new connection of the client to the sticky rule: whether this host takes it. */
    boolean accept(final long nowMs, final IpAddress client) {
        if (view == null) {
            return false;
        }
        final RuleView rule = view.rules().get(STICKY_SLOT);
        if (rule.state() != RuleState.ENABLED) {
            return false;
        }
        final Entry entry = live(nowMs, client);
        if (entry != null && entry.ownerHostId != hostId) {
            return false;
        }
        if (entry != null || view.owns(hostId, STICKY_SLOT, bucket(client))) {
            sticky.put(client, new Entry(hostId, nowMs + timeoutMs));
            return true;
        }
        return false;
    }

    /** Whether this host holds the client itself. */
    boolean holds(final long nowMs, final IpAddress client) {
        final Entry entry = live(nowMs, client);
        return entry != null && entry.ownerHostId == hostId;
    }

    List<StickyClient> export(final long nowMs, final RuleKey rule, final BucketBitmap buckets) {
        final List<StickyClient> clients = new ArrayList<>();
        if (!rule.equals(TestClusters.WEB.key())) {
            return clients;
        }
        for (final Map.Entry<IpAddress, Entry> e : sticky.entrySet()) {
            if (e.getValue().ownerHostId == hostId && e.getValue().expiresAtMs > nowMs &&
                buckets.contains(bucket(e.getKey()))) {
                clients.add(new StickyClient(e.getKey(), e.getValue().expiresAtMs - nowMs));
            }
        }
        return clients;
    }

    void installForeign(final long nowMs, final int ownerHostId, final List<StickyClient> clients) {
        for (final StickyClient client : clients) {
            sticky.put(client.client(), new Entry(ownerHostId, nowMs + client.expiresInMs()));
        }
    }

    void dropClaims(final BucketBitmap buckets) {
        final Iterator<Map.Entry<IpAddress, Entry>> entries = sticky.entrySet().iterator();
        while (entries.hasNext()) {
            final Map.Entry<IpAddress, Entry> e = entries.next();
            if (e.getValue().ownerHostId == hostId && buckets.contains(bucket(e.getKey()))) {
                entries.remove();
            }
        }
    }

    void dropClients(final List<IpAddress> clients) {
        for (final IpAddress client : clients) {
            final Entry entry = sticky.get(client);
            if (entry != null && entry.ownerHostId == hostId) {
                sticky.remove(client);
            }
        }
    }

    void releaseForeign(final int ownerHostId) {
        sticky.values().removeIf(e -> e.ownerHostId == ownerHostId);
    }

    private Entry live(final long nowMs, final IpAddress client) {
        final Entry entry = sticky.get(client);
        if (entry != null && entry.expiresAtMs <= nowMs) {
            sticky.remove(client);
            return null;
        }
        return entry;
    }
}
