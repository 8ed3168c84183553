package lb.control.config;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per origin host, the highest sequence up to which a replica knows every op of that origin (1..n, no gap): small
 * enough for every heartbeat (one entry per host that ever made a change), and enough to tell a peer what it lacks.
 *
 * @param highest origin host id to its highest contiguous sequence; origins with none are absent.
 */
public record VersionVector(SortedMap<Integer, Long> highest) {
    /** No op known. */
    public static final VersionVector EMPTY = new VersionVector(new TreeMap<>());

    public VersionVector {
        final TreeMap<Integer, Long> copy = new TreeMap<>();
        highest.forEach((origin, seq) -> {
            if (seq < 0) {
                throw new IllegalArgumentException("origin " + origin + ": sequence " + seq + " is negative");
            }
            if (seq > 0) {
                copy.put(origin, seq);
            }
        });
        highest = Collections.unmodifiableSortedMap(copy);
    }

    /**
     * The vector of a set of op ids: per origin, the longest run 1..n present.
     */
    public static VersionVector of(final Collection<OpId> ids) {
        final Map<Integer, java.util.TreeSet<Long>> byOrigin = new TreeMap<>();
        for (final OpId id : ids) {
            byOrigin.computeIfAbsent(id.originHostId(), k -> new java.util.TreeSet<>()).add(id.originSeq());
        }
        final TreeMap<Integer, Long> highest = new TreeMap<>();
        byOrigin.forEach((origin, seqs) -> {
            long next = 1;
            for (final long seq : seqs) {
                if (seq != next) {
                    break;
                }
                next++;
            }
            highest.put(origin, next - 1);
        });
        return new VersionVector(highest);
    }

    /** The highest contiguous sequence known of the origin, 0 when none. */
    public long get(final int originHostId) {
        return highest.getOrDefault(originHostId, 0L);
    }

    /** Whether the op is among those this vector covers. */
    public boolean covers(final OpId id) {
        return id.originSeq() <= get(id.originHostId());
    }

    /** Whether this vector covers everything the other covers. */
    public boolean dominates(final VersionVector other) {
        for (final Map.Entry<Integer, Long> entry : other.highest.entrySet()) {
            if (get(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The element-wise maximum. */
    public VersionVector merge(final VersionVector other) {
        final TreeMap<Integer, Long> merged = new TreeMap<>(highest);
        other.highest.forEach((origin, seq) -> merged.merge(origin, seq, Math::max));
        return new VersionVector(merged);
    }

    /** The number of ops covered. */
    public long total() {
        return highest.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        return highest.toString();
    }
}
