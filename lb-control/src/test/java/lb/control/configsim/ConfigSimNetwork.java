package lb.control.configsim;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The management network between simulated replicas: every message (summary or op batch) is delayed by a seeded
 * amount (which reorders them), and may be dropped or duplicated; directed links can be cut (a cut drops), which
 * makes partitions, symmetric or not.
 */
final class ConfigSimNetwork {
    /** A message on its way. */
    record Message(long atMs, long order, int from, int to, Object payload) {
    }

    private final PriorityQueue<Message> inFlight = new PriorityQueue<>((a, b) ->
        a.atMs != b.atMs ? Long.compare(a.atMs, b.atMs) : Long.compare(a.order, b.order));
    private final SplittableRandom random;
    private final boolean[][] cut;
    private long order;
    private double dropRate;
    private double duplicateRate;
    private long maxDelayMs = 1;
    long sent;
    long dropped;

    ConfigSimNetwork(final SplittableRandom random, final int slots) {
        this.random = random;
        this.cut = new boolean[slots][slots];
    }

    void faults(final double drop, final double duplicate, final long maxDelay) {
        dropRate = drop;
        duplicateRate = duplicate;
        maxDelayMs = Math.max(1, maxDelay);
    }

    long maxDelayMs() {
        return maxDelayMs;
    }

    void cut(final int from, final int to, final boolean isCut) {
        cut[from][to] = isCut;
    }

    void heal() {
        for (final boolean[] row : cut) {
            Arrays.fill(row, false);
        }
    }

    void send(final long nowMs, final int from, final int to, final Object payload) {
        sent++;
        if (cut[from][to] || random.nextDouble() < dropRate) {
            dropped++;
            return;
        }
        inFlight.add(new Message(nowMs + 1 + random.nextLong(maxDelayMs), order++, from, to, payload));
        if (random.nextDouble() < duplicateRate) {
            inFlight.add(new Message(nowMs + 1 + random.nextLong(maxDelayMs), order++, from, to, payload));
        }
    }

    long nextAtMs() {
        final Message next = inFlight.peek();
        return next == null ? Long.MAX_VALUE : next.atMs;
    }

    Message poll() {
        return inFlight.poll();
    }
}
