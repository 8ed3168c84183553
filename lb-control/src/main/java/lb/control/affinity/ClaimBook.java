package lb.control.affinity;

import java.util.HashMap;
import java.util.Map;

import lb.control.membership.MemberId;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.RuleKey;

/**
 * What the owner of a bucket left to other hosts: for each sticky client, the one host that keeps it, decided when two
 * hosts claim one client (after a split brain, or any window in which two hosts owned its bucket).
 *
 * <p>The rule, the same on every host: the claim with the most recent activity (the later expiry) wins, ties go to
 * the lower host priority. The loser is told to drop its claim.
 */
public final class ClaimBook {
    /** Who keeps a client, until when. */
    private record Claim(MemberId holder, int holderPriority, long expiresAtMs, long sequence) {
        boolean beats(final Claim other) {
            return expiresAtMs != other.expiresAtMs ? expiresAtMs > other.expiresAtMs :
                holderPriority < other.holderPriority;
        }
    }

    /** The outcome of a claim: whether it is accepted and, if any, whose claim lost, made by which message. */
    public record Decision(boolean accepted, MemberId loser, long loserSequence) {
    }

    private final Map<RuleKey, Map<IpAddress, Claim>> byRule = new HashMap<>();

    /**
     * A host claims a client: accepted when nobody else holds it, or when it beats the holder (who then loses);
     * otherwise the claimant loses.
     *
     * @param sequence the sequence of the message that carried the claim.
     */
    public Decision claim(final long nowMs, final RuleKey rule, final IpAddress client, final MemberId holder,
        final int holderPriority, final long expiresAtMs, final long sequence) {
        final Map<IpAddress, Claim> claims = byRule.computeIfAbsent(rule, r -> new HashMap<>());
        final Claim offered = new Claim(holder, holderPriority, expiresAtMs, sequence);
        final Claim held = claims.get(client);
        if (held == null || held.expiresAtMs <= nowMs || held.holder.equals(holder)) {
            claims.put(client, offered);
            return new Decision(true, null, 0);
        }
        if (offered.beats(held)) {
            claims.put(client, offered);
            return new Decision(true, held.holder, held.sequence);
        }
        return new Decision(false, holder, sequence);
    }

    /** Forgets every client left to the host: its foreign entries were released. */
    public void release(final MemberId holder) {
        byRule.values().forEach(claims -> claims.values().removeIf(c -> c.holder.equals(holder)));
    }

    /** Forgets everything: a new view, or a new dataplane. */
    public void clear() {
        byRule.clear();
    }
}
