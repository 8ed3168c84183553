package lb.dataplane.host;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import lb.dataplane.buckets.RuleOwnership;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleState;
import lb.dataplane.table.AffinityTable;
import lb.dataplane.table.ConnectionTable;
import lb.dataplane.view.DataplaneView;
import lb.dataplane.view.RuleSlots;
import lb.dataplane.view.ViewBuilder;
import lb.dataplane.view.ViewHolder;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The one owner of what this host's dataplane decides with: the applied config, each rule's ownership and state, the
 * VIPs it may answer for, the view epoch and the rules' table slots. It compiles them into a {@link DataplaneView}
 * and publishes it to the workers; everything else (the control interface's listener, the static file's feed)
 * changes them only through its calls. Conductor thread only.
 *
 * <p>A view is refused whole or applied whole: a refusal ({@link HostStateException}) changes nothing.
 */
public final class HostState {
    /** A removed rule's slot, waiting for the workers to stop using it before its entries are flushed. */
    private record Release(int slot, long afterVersion) {
    }

    private final int hostId;
    private final long nicMac;
    private final ViewHolder views;
    private final ConnectionTable connections;
    private final AffinityTable affinity;
    private final AtomicCounter epochCounter;
    private final RuleSlots slots = new RuleSlots();
    private final ArrayDeque<Release> releases = new ArrayDeque<>();

    /** Most removed VIPs silenced at once (the oldest are forgotten first): ARP and ND frames scan them. */
    public static final int MAX_RETIRED_VIPS = 256;
    private ClusterConfig config;
    private String fingerprint;
    private ClusterConfig offered;
    private String offeredFingerprint;
    /** The applied config with each rule in the state the current view gives it, and the rules' slots. */
    private ClusterConfig withStates;
    private int[] slotOfIndex;
    private List<RuleOwnership> ownership;
    private Set<IpAddress> answerable = Set.of();
    /** VIPs of the configs this process applied that the applied config no longer has, oldest first. */
    private final java.util.LinkedHashSet<IpAddress> retired = new java.util.LinkedHashSet<>();
    private long[] retiredHi = new long[0];
    private long[] retiredLo = new long[0];

    /**
     * @param hostId       this host.
     * @param nicMac       the NIC's MAC (the masked source MAC is built from it).
     * @param workers      worker lcores reading the views.
     * @param connections  the connection table.
     * @param affinity     the extended-affinity table (it keeps each rule slot's timeout).
     * @param epochCounter where the applied view epoch is published for tools.
     */
    public HostState(final int hostId, final long nicMac, final int workers, final ConnectionTable connections,
        final AffinityTable affinity, final AtomicCounter epochCounter) {
        this.hostId = hostId;
        this.nicMac = nicMac;
        this.views = new ViewHolder(ViewBuilder.unconfigured(hostId, nicMac), workers);
        this.connections = connections;
        this.affinity = affinity;
        this.epochCounter = epochCounter;
    }

    /**
     * @return where the workers read the views.
     */
    public ViewHolder views() {
        return views;
    }

    /**
     * Takes a config for the views that follow; the current view is unchanged. Offering the applied config again is
     * harmless.
     *
     * @param offer       a valid config.
     * @param fingerprint the fingerprint the sender says it has (hex).
     * @throws HostStateException when the fingerprint does not match or this host is not a member.
     */
    public void offerConfig(final ClusterConfig offer, final String fingerprint) {
        final String actual = offer.fingerprint().sha256Hex();
        if (!actual.equals(fingerprint)) {
            throw new HostStateException(HostStateException.Reason.FINGERPRINT_MISMATCH, "config text has " +
                "fingerprint " + actual + ", the message says " + fingerprint);
        }
        if (offer.member(hostId).isEmpty()) {
            throw new HostStateException(HostStateException.Reason.INVALID, "host " + hostId +
                " is not a member of this config (members: " + offer.members().stream()
                .map(m -> Integer.toString(m.hostId())).toList() + ")");
        }
        if (!actual.equals(this.fingerprint)) {
            offered = offer;
            offeredFingerprint = actual;
        }
    }

    /**
     * Applies a view of the cluster: publishes it to the workers and gives the rules' timeouts to the tables.
     *
     * @param epoch       the cluster's view epoch; must be after the applied one.
     * @param fingerprint the config it was computed from (hex): the applied or the offered config.
     * @param byIndex     per rule index (canonical order, then the default rule): owners and dirty buckets.
     * @param states      per configured rule index: its state in this view.
     * @param vips        the VIPs this host may answer ARP/ND for; each must be a VIP of the config.
     * @return the published view's version: once every worker observed it, the view is in effect.
     * @throws HostStateException naming what does not fit; nothing changes then.
     */
    public long applyView(final long epoch, final String fingerprint, final List<RuleOwnership> byIndex,
        final List<RuleState> states, final Set<IpAddress> vips) {
        final DataplaneView current = views.current();
        if (epoch <= current.epoch()) {
            throw new HostStateException(HostStateException.Reason.STALE_EPOCH, "epoch " + epoch +
                " is not after " + current.epoch());
        }
        final ClusterConfig base = configFor(fingerprint).orElse(null);
        if (base == null) {
            throw new HostStateException(!hasConfig() ? HostStateException.Reason.NO_CONFIG :
                HostStateException.Reason.FINGERPRINT_MISMATCH, "no config with fingerprint " + fingerprint +
                " was applied");
        }
        final List<PortRule> rules = base.canonicalRules();
        if (byIndex.size() != rules.size() + 1 || states.size() != rules.size()) {
            throw new HostStateException(HostStateException.Reason.INVALID, "the view has ownership for " +
                byIndex.size() + " rules and states for " + states.size() + "; the config has " + rules.size() +
                " rules plus the default rule");
        }
        for (final IpAddress vip : vips) {
            if (!base.isVip(vip)) {
                throw new HostStateException(HostStateException.Reason.INVALID, vip + " is not a VIP of the config");
            }
        }
        final List<PortRule> applied = new ArrayList<>(rules.size());
        for (int index = 0; index < rules.size(); index++) {
            applied.add(rules.get(index).withState(states.get(index)));
        }
        final ClusterConfig next = new ClusterConfig(base.parameters(), base.vips(), applied, base.members());
        final RuleSlots.Plan plan;
        final DataplaneView built;
        try {
            plan = slots.plan(next);
            built = ViewBuilder.build(next, hostId, epoch, current.version() + 1, byIndex, vips, nicMac,
                plan.slotOfIndex());
        } catch (final IllegalArgumentException ex) {
            throw new HostStateException(HostStateException.Reason.INVALID, ex.getMessage());
        }
        slots.commit(plan);
        for (final int slot : plan.released()) {
            releases.addLast(new Release(slot, built.version()));
        }
        if (base != config) {
            retire(config, base);
            config = base;
            this.fingerprint = fingerprint;
        }
        offered = null;
        offeredFingerprint = null;
        withStates = next;
        slotOfIndex = plan.slotOfIndex();
        ownership = List.copyOf(byIndex);
        answerable = Set.copyOf(vips);
        publish(built);
        return built.version();
    }

    /**
     * Silences a VIP until a later view lists it again; withdrawing a silent VIP is harmless.
     *
     * @return the version of the view without it: once every worker observed it, no frame claiming it leaves.
     */
    public long withdrawVip(final IpAddress vip) {
        final DataplaneView current = views.current();
        if (!answerable.contains(vip)) {
            return current.version();
        }
        final Set<IpAddress> remaining = new HashSet<>(answerable);
        remaining.remove(vip);
        answerable = Set.copyOf(remaining);
        final DataplaneView withdrawn = ViewBuilder.build(withStates, hostId, current.epoch(), current.version() + 1,
            ownership, answerable, nicMac, slotOfIndex);
        publish(withdrawn);
        return withdrawn.version();
    }

    /**
     * Flushes the entries of removed rules once no worker can still insert any, and frees their slots.
     *
     * @return work done.
     */
    public int doWork() {
        int work = 0;
        while (!releases.isEmpty() && views.observedByAll(releases.peekFirst().afterVersion())) {
            final int slot = releases.removeFirst().slot();
            connections.flushRule(slot, 0, connections.capacity());
            affinity.flushRule(slot, 0, affinity.capacity());
            affinity.ruleTimeoutTicks(slot, 0);
            slots.free(slot);
            work++;
        }
        return work;
    }

    /**
     * @return this host's id.
     */
    public int hostId() {
        return hostId;
    }

    /**
     * @return whether a config was applied or offered.
     */
    public boolean hasConfig() {
        return config != null || offered != null;
    }

    /**
     * @param configFingerprint a fingerprint (hex).
     * @return the applied or offered config with that fingerprint, if this host holds one.
     */
    public Optional<ClusterConfig> configFor(final String configFingerprint) {
        return configFingerprint.equals(fingerprint) ? Optional.of(config) :
            configFingerprint.equals(offeredFingerprint) ? Optional.of(offered) : Optional.empty();
    }

    /**
     * @return whether the current view lets this host answer for the VIP.
     */
    public boolean mayAnswer(final IpAddress vip) {
        return answerable.contains(vip);
    }

    /**
     * @return the applied config, empty before the first view.
     */
    public Optional<ClusterConfig> config() {
        return Optional.ofNullable(config);
    }

    /**
     * @return the applied config's fingerprint (hex), empty before the first view.
     */
    public Optional<String> fingerprint() {
        return Optional.ofNullable(fingerprint);
    }

    /**
     * @return the applied view epoch, 0 before the first view.
     */
    public long epoch() {
        return views.current().epoch();
    }

    /**
     * @param ruleIndex a rule index of the current view, the default rule's included.
     * @return its table slot, or -1 when the view has no such rule.
     */
    public int slot(final int ruleIndex) {
        final DataplaneView view = views.current();
        return ruleIndex >= 0 && ruleIndex <= view.ruleCount() && view.epoch() > 0 ? view.slot(ruleIndex) : -1;
    }

    /** The stale-ARP rule across config changes: a VIP the new config drops is silenced, one it adds is not. */
    private void retire(final ClusterConfig previous, final ClusterConfig next) {
        if (previous != null) {
            for (final IpAddress vip : previous.vips()) {
                if (!next.isVip(vip)) {
                    retired.remove(vip);
                    retired.add(vip);
                }
            }
        }
        next.vips().forEach(retired::remove);
        while (retired.size() > MAX_RETIRED_VIPS) {
            retired.remove(retired.iterator().next());
        }
        retiredHi = retired.stream().mapToLong(IpAddress::hi).toArray();
        retiredLo = retired.stream().mapToLong(IpAddress::lo).toArray();
    }

    /**
     * @return the VIPs removed from the config that this process still silences, oldest first.
     */
    public List<IpAddress> retiredVips() {
        return List.copyOf(retired);
    }

    private void publish(final DataplaneView view) {
        view.retiredVips(retiredHi, retiredLo);
        views.publish(view);
        for (int index = 0; index <= view.ruleCount(); index++) {
            final int slot = view.slot(index);
            affinity.ruleTimeoutTicks(slot, view.extendedAffinityMillis(slot));
        }
        epochCounter.setRelease(view.epoch());
    }
}
