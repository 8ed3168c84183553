package lb.dataplane.config;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A host of the cluster as every host sees it: id, host priority, optional name, and its per-rule settings.
 *
 * <p>Settings left out take NLB's defaults: load weight {@link LoadWeight#EQUAL} on a multiple-host rule, handling
 * priority equal to the host priority on a single-host rule (unique because host priorities are). This host's own id
 * is not in the cluster file; the dataplane is told it on its command line.
 *
 * @param hostId             the host's identity, 1..65535, stable across restarts.
 * @param hostPriority       1..maxHosts, unique; the lowest live one is the default host.
 * @param name               a name for people, or empty.
 * @param loadWeights        explicit load weights by multiple-host rule.
 * @param handlingPriorities explicit handling priorities by single-host rule.
 * @param management         where the host's lbd listens on the management network (heartbeats, lbctl); needed by
 *                           lbd, not by a dataplane run from the file alone.
 */
public record ClusterMember(
    int hostId,
    int hostPriority,
    Optional<String> name,
    SortedMap<RuleKey, LoadWeight> loadWeights,
    SortedMap<RuleKey, Integer> handlingPriorities,
    Optional<Endpoint> management) {
    /** Lowest host id; 0 means "no host" in bucket owner tables. */
    public static final int MIN_HOST_ID = 1;
    /** Highest host id: owners fit 16 bits. */
    public static final int MAX_HOST_ID = 65535;

    public ClusterMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(management, "management");
        loadWeights = Collections.unmodifiableSortedMap(new TreeMap<>(loadWeights));
        handlingPriorities = Collections.unmodifiableSortedMap(new TreeMap<>(handlingPriorities));
    }

    /**
     * A member without a management endpoint.
     */
    public ClusterMember(final int hostId, final int hostPriority, final Optional<String> name,
        final SortedMap<RuleKey, LoadWeight> loadWeights, final SortedMap<RuleKey, Integer> handlingPriorities) {
        this(hostId, hostPriority, name, loadWeights, handlingPriorities, Optional.empty());
    }

    /** A copy with a management endpoint. */
    public ClusterMember withManagement(final Endpoint endpoint) {
        return new ClusterMember(hostId, hostPriority, name, loadWeights, handlingPriorities, Optional.of(endpoint));
    }

    /**
     * A member with no name and default settings on every rule.
     */
    public static ClusterMember of(final int hostId, final int hostPriority) {
        return new ClusterMember(hostId, hostPriority, Optional.empty(), new TreeMap<>(), new TreeMap<>());
    }

    /** A copy with a name. */
    public ClusterMember withName(final String newName) {
        return new ClusterMember(hostId, hostPriority, Optional.of(newName), loadWeights, handlingPriorities,
            management);
    }

    /** A copy with an explicit load weight on a rule. */
    public ClusterMember withLoadWeight(final RuleKey rule, final LoadWeight weight) {
        final TreeMap<RuleKey, LoadWeight> weights = new TreeMap<>(loadWeights);
        weights.put(rule, weight);
        return new ClusterMember(hostId, hostPriority, name, weights, handlingPriorities, management);
    }

    /** A copy with an explicit handling priority on a rule. */
    public ClusterMember withHandlingPriority(final RuleKey rule, final int priority) {
        final TreeMap<RuleKey, Integer> priorities = new TreeMap<>(handlingPriorities);
        priorities.put(rule, priority);
        return new ClusterMember(hostId, hostPriority, name, loadWeights, priorities, management);
    }

    /**
     * The load weight this host has on a multiple-host rule, {@link LoadWeight#EQUAL} unless set.
     */
    public LoadWeight loadWeight(final RuleKey rule) {
        return loadWeights.getOrDefault(rule, LoadWeight.EQUAL);
    }

    /**
     * The handling priority this host has on a single-host rule: the host priority unless set, and always the host
     * priority on the {@link DefaultRule}.
     */
    public int handlingPriority(final PortRule rule) {
        return DefaultRule.isDefault(rule) ? hostPriority : handlingPriorities.getOrDefault(rule.key(), hostPriority);
    }

    /**
     * How tools name the host: {@code host 3 (web-3)} or {@code host 3}.
     */
    public String label() {
        return "host " + hostId + name.map(n -> " (" + n + ")").orElse("");
    }
}
