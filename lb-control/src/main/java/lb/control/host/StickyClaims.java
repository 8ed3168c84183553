package lb.control.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import lb.control.affinity.ClaimBook;
import lb.control.affinity.ClientBuckets;
import lb.control.affinity.StickyClient;
import lb.control.convergence.ClusterView;
import lb.control.convergence.LocalView;
import lb.control.convergence.ServingMode;
import lb.control.membership.MemberId;
import lb.control.protocol.ClaimsRefusedMessage;
import lb.control.protocol.HeartbeatMessage;
import lb.control.protocol.StickyClientsMessage;
import lb.dataplane.buckets.BucketAssignment;
import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;

/**
 * A host's side of extended affinity across hosts: its claims generation, the exports it owes, the foreign entries it
 * installed and the claims it arbitrates as bucket owner (docs/membership.md, "Extended affinity"). Owned by the
 * {@link HostMachine}, which decides when each step applies; outputs go to the machine's outbox.
 */
final class StickyClaims {
    private final MemberId self;
    private final List<Output> outbox;
    private ClusterConfig config;
    private boolean sticky;
    private ClientBuckets buckets;
    private final ClaimBook book = new ClaimBook();
    private final Map<MemberId, Long> generationsSeen = new HashMap<>();
    private final Set<MemberId> foreignOwners = new TreeSet<>();
    private final Map<Integer, Long> exportedAtEpoch = new HashMap<>();
    private final Map<Integer, Long> lastClaimSentTo = new HashMap<>();
    private long generation;
    private long sequence;

    StickyClaims(final ClusterConfig config, final MemberId self, final List<Output> outbox) {
        this.self = self;
        this.outbox = outbox;
        configChanged(config);
    }

    /**
     * The host runs another config of the cluster: rules are looked up in it from now on. What it keeps per host
     * (generations, foreign owners, exports) stays; claims it arbitrated are of the view before, and a new view
     * follows every switch, so the book starts afresh (no claim of a removed rule is left).
     */
    void configChanged(final ClusterConfig next) {
        if (next == config) {
            return;
        }
        config = next;
        sticky = AffinityHandoff.anySticky(next.portRules());
        buckets = new ClientBuckets(next);
        book.clear();
    }

    /** The claims generation heartbeats carry. */
    long generation() {
        return generation;
    }

    /** This host dropped claims: others must release what they leave to it. */
    void dropped() {
        generation++;
    }

    /** A new dataplane has no sticky table: whatever others left to this host, or it left to others, is gone. */
    void dataplaneRestarted() {
        generation++;
        foreignOwners.clear();
        book.clear();
        exportedAtEpoch.clear();
    }

    /** The dataplane listed our clients in the buckets {@code toHostId} owns in the view: send them. */
    void exported(final ClusterView view, final RuleKey rule, final int toHostId, final List<StickyClient> clients) {
        if (!clients.isEmpty()) {
            outbox.add(new Output.SendStickyClients(toHostId,
                new StickyClientsMessage(self, view.epoch(), rule, ++sequence, generation, clients)));
            lastClaimSentTo.put(toHostId, sequence);
        }
    }

    /**
     * A heartbeat's claims generation: a grown one releases the foreign entries of that run (it dropped its claims)
     * and makes us export to it again (its dataplane may have lost what we gave it).
     *
     * @return whether the generation is older than one already heard.
     */
    boolean heard(final MemberId member, final long heardGeneration) {
        final Long seen = generationsSeen.get(member);
        if (seen == null || seen < heardGeneration) {
            generationsSeen.put(member, heardGeneration);
            exportedAtEpoch.remove(member.hostId());
            if (seen != null && foreignOwners.remove(member)) {
                book.release(member);
                outbox.add(new Output.ReleaseForeign(member.hostId()));
            }
            return false;
        }
        return seen > heardGeneration;
    }

    /**
     * Clients a live host keeps in our buckets, exported in the view we hold: install the ones whose claim wins, tell
     * the losers.
     */
    void received(final long nowMs, final ClusterView view, final StickyClientsMessage message) {
        final Optional<PortRule> rule = config.rule(message.rule());
        if (rule.isEmpty() || message.viewEpoch() != view.epoch() || heard(message.from(), message.claimsGeneration())) {
            return;
        }
        final MemberId from = message.from();
        final BucketAssignment assignment = view.assignment().byRule().get(rule.get().key());
        final Optional<Integer> fromPriority = config.member(from.hostId()).map(m -> m.hostPriority());
        if (fromPriority.isEmpty()) {
            return;
        }
        final List<StickyClient> kept = new ArrayList<>();
        final Map<ClaimBook.Decision, List<IpAddress>> refused = new LinkedHashMap<>();
        for (final StickyClient client : message.clients()) {
            if (assignment == null || assignment.owner(buckets.bucket(rule.get(), client.client())) != self.hostId()) {
                continue;
            }
            final ClaimBook.Decision decision = book.claim(nowMs, message.rule(), client.client(), from,
                fromPriority.get(),
                nowMs + client.expiresInMs(), message.sequence());
            if (decision.accepted()) {
                kept.add(client);
            }
            if (decision.loser() != null) {
                refused.computeIfAbsent(new ClaimBook.Decision(false, decision.loser(), decision.loserSequence()),
                    d -> new ArrayList<>()).add(client.client());
            }
        }
        if (!kept.isEmpty()) {
            outbox.add(new Output.InstallForeign(message.rule(), from.hostId(), kept));
            foreignOwners.add(from);
        }
        refused.forEach((loss, lost) -> outbox.add(new Output.SendClaimsRefused(loss.loser().hostId(),
            new ClaimsRefusedMessage(self, view.epoch(), message.rule(), loss.loserSequence(), lost))));
    }

    /**
     * A bucket owner refused our claim in the view we hold: drop those clients, unless we sent it a later claim whose
     * answer decides.
     */
    void refused(final ClusterView view, final ClaimsRefusedMessage message) {
        if (message.viewEpoch() == view.epoch() &&
            message.inAnswerTo() >= lastClaimSentTo.getOrDefault(message.from().hostId(), 0L)) {
            outbox.add(new Output.DropClients(message.rule(), message.clients()));
        }
    }

    /**
     * A new view: clients left to a run that is not in it are taken (availability wins over a dead or departed host),
     * and claims are arbitrated afresh, since each claimant exports again in every view and may have given up a
     * client since (a foreign entry it installed replaced its own).
     */
    void viewChanged(final ClusterView view) {
        book.clear();
        final Iterator<MemberId> owners = foreignOwners.iterator();
        while (owners.hasNext()) {
            final MemberId owner = owners.next();
            if (!view.includes(owner)) {
                owners.remove();
                book.release(owner);
                outbox.add(new Output.ReleaseForeign(owner.hostId()));
            }
        }
    }

    /**
     * Hands our sticky clients in another host's buckets to it once it holds our view and hears us, once per view (and
     * again after it stopped hearing us: what we sent meanwhile may be lost).
     *
     * @param applied the view applied from {@code view}, or null when the dataplane does not run it yet.
     */
    void exportToPeersInStep(final ClusterView view, final LocalView applied, final List<HeartbeatMessage> heard) {
        if (!sticky) {
            return;
        }
        final boolean serving = applied != null && applied.mode() == ServingMode.SERVING;
        for (final HeartbeatMessage heartbeat : heard) {
            final int hostId = heartbeat.sender().hostId();
            if (!heartbeat.sees().contains(self)) {
                exportedAtEpoch.remove(hostId);
            } else if (serving && view.includes(heartbeat.sender()) &&
                view.sameAs(heartbeat.viewEpoch(), heartbeat.viewDigest()) &&
                !Long.valueOf(view.epoch()).equals(exportedAtEpoch.get(hostId))) {
                exportedAtEpoch.put(hostId, view.epoch());
                AffinityHandoff.to(self.hostId(), applied, hostId, outbox);
            }
        }
    }
}
