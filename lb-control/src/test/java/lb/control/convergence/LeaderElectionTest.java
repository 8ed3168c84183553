package lb.control.convergence;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeaderElectionTest {
    private static Candidate host(final int id, final boolean listening, final boolean leading) {
        return new Candidate(id, id, true, listening, leading);
    }

    @Test
    void shouldLeadWhenLowestEligible() {
        assertEquals(1, LeaderElection.leader(host(1, false, false), true, List.of(host(2, false, true))));
    }

    @Test
    void shouldFollowLowerHostThatLeads() {
        assertEquals(1, LeaderElection.leader(host(2, false, true), true, List.of(host(1, false, true))));
    }

    @Test
    void shouldLeadWhenLowerEligibleHostFollowsSomeoneElse() {
        assertEquals(2, LeaderElection.leader(host(2, false, false), true, List.of(host(1, false, false))));
    }

    @Test
    void shouldWaitForLowerListeningHostWhenItHasNoViewOfItsOwn() {
        assertEquals(LeaderElection.NONE, LeaderElection.leader(host(2, false, false), false,
            List.of(host(1, true, false))));
        assertEquals(2, LeaderElection.leader(host(2, false, false), true, List.of(host(1, true, false))));
    }

    @Test
    void shouldFollowLowestLeaderWhileListening() {
        assertEquals(2, LeaderElection.leader(host(1, true, false), false,
            List.of(host(3, false, true), host(2, false, true))));
    }

    @Test
    void shouldHaveNoLeaderWhenNobodyLeadsAndItMayNotLead() {
        assertEquals(LeaderElection.NONE, LeaderElection.leader(host(1, true, false), false,
            List.of(host(2, true, false))));
    }
}
