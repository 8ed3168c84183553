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
    private record Claim(MemberId holder, int holderPriority, long expiresAtMs) {
        boolean beats(final Claim other) {
            return expiresAtMs != other.expiresAtMs ? expiresAtMs > other.expiresAtMs :
                holderPriority < other.holderPriority;
        }
    }

    /** The outcome of a claim: who keeps the client and, if any, whose claim lost. */
    public record Decision(boolean accepted, MemberId loser) {
    }

    private final Map<RuleKey, Map<IpAddress, Claim>> byRule = new HashMap<>();

    /**
     * A host claims a client: accepted when nobody else holds it, or when it beats the holder (who then loses);
     * otherwise the claimant loses.
     */
    public Decision claim(final long nowMs, final RuleKey rule, final IpAddress client, final MemberId holder,
        final int holderPriority, final long expiresAtMs) {
        final Map<IpAddress, Claim> claims = byRule.computeIfAbsent(rule, r -> new HashMap<>());
        final Claim offered = new Claim(holder, holderPriority, expiresAtMs);
        final Claim held = claims.get(client);
        if (held == null || held.expiresAtMs <= nowMs || held.holder.equals(holder)) {
            claims.put(client, offered);
            return new Decision(true, null);
        }
        if (offered.beats(held)) {
            claims.put(client, offered);
            return new Decision(true, held.holder);
        }
        return new Decision(false, holder);
    }

    /** Forgets every client left to the host: its foreign entries were released. */
    public void release(final MemberId holder) {
        byRule.values().forEach(claims -> claims.values().removeIf(c -> c.holder.equals(holder)));
    }

    /** Forgets everything: a new dataplane has no foreign entries. */
    public void clear() {
        byRule.clear();
    }
}
