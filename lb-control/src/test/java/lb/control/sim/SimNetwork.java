package lb.control.sim;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The management network between simulated hosts: every message is delayed by a seeded amount (which reorders them),
 * and may be dropped or duplicated; directed links can be cut, which makes partitions, symmetric or not.
 */
final class SimNetwork {
    /** A message on its way. */
    record Message(long atMs, long order, int from, int to, Object payload, boolean reliable, boolean held) {
    }

    /** How soon a reliable message is tried again over a cut link, as Aeron retransmits. */
    static final long RETRY_MS = 50;

    private final PriorityQueue<Message> inFlight = new PriorityQueue<>((a, b) ->
        a.atMs != b.atMs ? Long.compare(a.atMs, b.atMs) : Long.compare(a.order, b.order));
    private final SplittableRandom random;
    private final boolean[][] cut;
    private long order;
    private double dropRate;
    private double duplicateRate;
    private long maxDelayMs = 1;

    SimNetwork(final SplittableRandom random, final int slots) {
        this.random = random;
        this.cut = new boolean[slots][slots];
    }

    /** Loss and delay from now on; a delay of at least 1 ms. */
    void faults(final double drop, final double duplicate, final long maxDelay) {
        dropRate = drop;
        duplicateRate = duplicate;
        maxDelayMs = Math.max(1, maxDelay);
    }

    /** The longest delay a message sent now may take. */
    long maxDelayMs() {
        return maxDelayMs;
    }

    /** Cuts or restores the directed link. */
    void cut(final int from, final int to, final boolean isCut) {
        cut[from][to] = isCut;
    }

    /** Restores every link. */
    void heal() {
        for (final boolean[] row : cut) {
            Arrays.fill(row, false);
        }
    }

    /**
     * Sends; {@code lossy} messages (heartbeats) are dropped by a cut and suffer drops and duplicates, the others
     * (reliable unicast, as Aeron's is while its connection lives) wait for a cut link to come back.
     */
    void send(final long nowMs, final int from, final int to, final Object payload, final boolean lossy) {
        if ((lossy && cut[from][to]) || (lossy && random.nextDouble() < dropRate)) {
            return;
        }
        inFlight.add(new Message(nowMs + 1 + random.nextLong(maxDelayMs), order++, from, to, payload, !lossy, false));
        if (lossy && random.nextDouble() < duplicateRate) {
            inFlight.add(new Message(nowMs + 1 + random.nextLong(maxDelayMs), order++, from, to, payload, false, false));
        }
    }

    /** When the next message arrives, or Long.MAX_VALUE. */
    long nextAtMs() {
        final Message next = inFlight.peek();
        return next == null ? Long.MAX_VALUE : next.atMs;
    }

    Message poll() {
        return inFlight.poll();
    }

    /** Puts a message back to arrive later (its receiver is paused). */
    void hold(final Message message, final long untilMs) {
        inFlight.add(new Message(untilMs, order++, message.from, message.to, message.payload, message.reliable, true));
    }

    /** Forgets what waits in a host's receive buffer: its process died with it. */
    void forgetHeld(final int to) {
        inFlight.removeIf(message -> message.held && message.to == to);
    }

    /** Whether the directed link is cut. */
    boolean isCut(final int from, final int to) {
        return cut[from][to];
    }
}
