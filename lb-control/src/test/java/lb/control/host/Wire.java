package lb.control.host;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import lb.control.convergence.LocalView;
import lb.dataplane.config.ClusterConfig;

/**
 * Host machines joined by a perfect wire: every heartbeat reaches every other live host at once, time moves in
 * 10 ms duty cycles; hosts can be silenced (dead, or paused) and links cut. What each dataplane was told is kept.
 */
final class Wire {
    static final long TICK_MS = 10;

    final List<HostMachine> hosts = new ArrayList<>();
    final List<LocalView> applied = new ArrayList<>();
    final List<List<Output>> outputs = new ArrayList<>();
    final Set<Integer> silent = new HashSet<>();
    final Set<List<Integer>> cuts = new HashSet<>();
    long nowMs;

    /** Adds a started host with its dataplane up; returns its index. */
    int add(final ClusterConfig config, final int hostId, final long incarnation) {
        final HostMachine host = new HostMachine(config, hostId, incarnation);
        hosts.add(host);
        applied.add(null);
        outputs.add(new ArrayList<>());
        final int index = hosts.size() - 1;
        host.dataplaneUp(nowMs, 0);
        host.start(nowMs);
        flush();
        return index;
    }

    /**
     * A new run of lbd on the host at this index (restarted after it stopped): a new machine with a new incarnation
     * finds the dataplane up at this epoch, still forwarding by what the old run applied when {@code forwarding}.
     */
    void restart(final int index, final ClusterConfig config, final long incarnation, final boolean forwarding) {
        final HostMachine host = new HostMachine(config, hosts.get(index).self().hostId(), incarnation);
        hosts.set(index, host);
        final LocalView forwardingBy = applied.get(index);
        host.start(nowMs);
        host.dataplaneUp(nowMs, forwardingBy == null ? 0 : forwardingBy.dataplaneEpoch(), forwarding);
        flush();
    }

    /** Runs duty cycles for this long. */
    void run(final long ms) {
        final long until = nowMs + ms;
        while (nowMs < until) {
            nowMs += TICK_MS;
            for (int i = 0; i < hosts.size(); i++) {
                if (!silent.contains(i)) {
                    hosts.get(i).tick(nowMs);
                }
            }
            flush();
        }
    }

    /** Delivers everything the hosts want sent, until nothing is left. */
    void flush() {
        boolean more = true;
        while (more) {
            more = false;
            for (int i = 0; i < hosts.size(); i++) {
                final List<Output> out = new ArrayList<>();
                hosts.get(i).drainOutputs(out::add);
                more |= !out.isEmpty();
                for (final Output output : out) {
                    outputs.get(i).add(output);
                    route(i, output);
                }
            }
        }
    }

    private void route(final int from, final Output output) {
        if (output instanceof Output.ApplyView apply) {
            applied.set(from, apply.view());
            if (neverTwoTakers) {
                checkNoBucketTakenTwice();
            }
        } else if (output instanceof Output.SendHeartbeat send) {
            for (int to = 0; to < hosts.size(); to++) {
                if (to != from && !silent.contains(to) && !cuts.contains(List.of(from, to))) {
                    hosts.get(to).onHeartbeat(nowMs, send.heartbeat());
                }
            }
        }
    }

    /**
     * Whether every dataplane change is checked: no bucket of any rule is taken for new connections by two dataplanes
     * at once, not even between two hosts' applying one view (release before take).
     */
    boolean neverTwoTakers;

    private void checkNoBucketTakenTwice() {
        final java.util.Map<List<Object>, Integer> takers = new java.util.HashMap<>();
        for (int index = 0; index < hosts.size(); index++) {
            final LocalView view = applied.get(index);
            if (view == null || silent.contains(index)) {
                continue;
            }
            final int hostId = hosts.get(index).self().hostId();
            for (int slot = 0; slot < view.rules().size(); slot++) {
                for (int bucket = 0; bucket < view.rules().get(slot).owners().length; bucket++) {
                    if (view.owns(hostId, slot, bucket)) {
                        final Integer before = takers.put(List.of(view.rules().get(slot).rule().key(), bucket), hostId);
                        if (before != null) {
                            throw new AssertionError("at " + nowMs + " ms hosts " + before + " and " + hostId +
                                " both take bucket " + bucket + " of " + view.rules().get(slot).rule().key());
                        }
                    }
                }
            }
        }
    }

    /** Cuts both directions between the two groups. */
    void split(final Set<Integer> side) {
        for (int a = 0; a < hosts.size(); a++) {
            for (int b = 0; b < hosts.size(); b++) {
                if (side.contains(a) != side.contains(b)) {
                    cuts.add(List.of(a, b));
                }
            }
        }
    }

    /** How many buckets of the rule at this slot the host's dataplane takes new connections in. */
    int owned(final int index, final int slot) {
        final LocalView view = applied.get(index);
        if (view == null) {
            return 0;
        }
        int count = 0;
        for (int bucket = 0; bucket < view.rules().get(slot).owners().length; bucket++) {
            count += view.owns(hosts.get(index).self().hostId(), slot, bucket) ? 1 : 0;
        }
        return count;
    }

    /** Buckets of the rule at this slot that exactly one of the listed hosts takes; the rest are lost or doubled. */
    int ownedOnce(final int slot, final int... indexes) {
        final int buckets = hosts.getFirst().view().assignment().byRule().isEmpty() ? 60 :
            hosts.getFirst().view().assignment().byRule().values().iterator().next().bucketCount();
        int once = 0;
        for (int bucket = 0; bucket < buckets; bucket++) {
            int takers = 0;
            for (final int index : indexes) {
                final LocalView view = applied.get(index);
                takers += view != null && view.owns(hosts.get(index).self().hostId(), slot, bucket) ? 1 : 0;
            }
            once += takers == 1 ? 1 : 0;
        }
        return once;
    }

    /** The outputs of a host of one type since the last call (which forgets all its outputs). */
    <T extends Output> List<T> taken(final int index, final Class<T> type) {
        final List<T> found = new ArrayList<>();
        for (final Output output : outputs.get(index)) {
            if (type.isInstance(output)) {
                found.add(type.cast(output));
            }
        }
        outputs.get(index).clear();
        return found;
    }
}
