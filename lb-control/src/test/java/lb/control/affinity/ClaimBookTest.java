package lb.control.affinity;

import lb.control.membership.MemberId;
import lb.dataplane.config.IpAddress;
import lb.dataplane.config.RuleKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimBookTest {
    private static final RuleKey RULE = RuleKey.parse("all:80/tcp");
    private static final IpAddress CLIENT = IpAddress.parse("192.0.2.7");
    private static final MemberId ONE = new MemberId(1, 1);
    private static final MemberId TWO = new MemberId(2, 1);

    private final ClaimBook book = new ClaimBook();

    @Test
    void shouldAcceptFirstClaimAndRepeatsOfIt() {
        assertTrue(book.claim(0, RULE, CLIENT, TWO, 2, 5000, 1).accepted());
        final ClaimBook.Decision again = book.claim(10, RULE, CLIENT, TWO, 2, 4000, 2);
        assertTrue(again.accepted());
        assertNull(again.loser());
    }

    @Test
    void shouldKeepMostRecentActivity() {
        book.claim(0, RULE, CLIENT, ONE, 1, 5000, 1);
        final ClaimBook.Decision decision = book.claim(0, RULE, CLIENT, TWO, 2, 6000, 7);
        assertTrue(decision.accepted());
        assertEquals(ONE, decision.loser());
        assertEquals(1, decision.loserSequence());
    }

    @Test
    void shouldTieToLowerHostPriority() {
        book.claim(0, RULE, CLIENT, ONE, 1, 5000, 1);
        final ClaimBook.Decision decision = book.claim(0, RULE, CLIENT, TWO, 2, 5000, 7);
        assertFalse(decision.accepted());
        assertEquals(TWO, decision.loser());
        assertEquals(7, decision.loserSequence());
    }

    @Test
    void shouldForgetExpiredAndReleasedClaims() {
        book.claim(0, RULE, CLIENT, ONE, 1, 5000, 1);
        assertNull(book.claim(5000, RULE, CLIENT, TWO, 2, 6000, 2).loser());
        book.release(TWO);
        assertNull(book.claim(5001, RULE, CLIENT, ONE, 1, 5500, 3).loser());
    }
}
