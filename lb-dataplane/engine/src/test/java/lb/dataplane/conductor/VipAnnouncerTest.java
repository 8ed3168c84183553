package lb.dataplane.conductor;

import java.util.ArrayList;
import java.util.List;

import lb.dataplane.config.IpAddress;
import lb.dataplane.pipeline.PipelineFixtures;
import lb.dataplane.view.DataplaneView;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VipAnnouncerTest {
    private static final IpAddress VIP4 = IpAddress.parse("10.0.0.100");
    private static final IpAddress VIP6 = IpAddress.parse("2001:db8::100");

    private final List<String> sent = new ArrayList<>();
    private final VipAnnouncer announcer = new VipAnnouncer((view, vip) -> {
        sent.add(vip.toString());
        return vip.isIpv4() ? 2 : 1;
    });

    @Test
    void shouldSendTheConfiguredNumberOfRoundsSpacedInTime() {
        final DataplaneView view = PipelineFixtures.view(true);
        announcer.announce(VIP4, 3, 1000, 0);
        announcer.doWork(0, view);
        announcer.doWork(999, view);
        assertEquals(List.of("10.0.0.100"), sent);
        announcer.doWork(1000, view);
        announcer.doWork(2000, view);
        announcer.doWork(9000, view);
        assertEquals(3, sent.size());
        assertEquals(6, announcer.framesSent());
        assertEquals(0, announcer.roundsDue(VIP4));
    }

    @Test
    void shouldNeverAnnounceAVipTheViewNoLongerAllowsEvenIfRoundsRemain() {
        announcer.announce(VIP4, 5, 1000, 0);
        announcer.announce(VIP6, 5, 1000, 0);
        announcer.doWork(0, PipelineFixtures.view(true));
        assertEquals(2, sent.size());

        announcer.doWork(1000, PipelineFixtures.view(false));
        announcer.doWork(2000, PipelineFixtures.view(true));
        assertEquals(2, sent.size(), "a withdrawn VIP is dropped from the schedule, not paused");
        assertEquals(2, announcer.roundsSuppressed());
    }

    @Test
    void shouldStopOnWithdrawAndStartOverOnReannounce() {
        final DataplaneView view = PipelineFixtures.view(true);
        announcer.announce(VIP4, 5, 1000, 0);
        announcer.doWork(0, view);
        announcer.withdraw(VIP4);
        announcer.doWork(1000, view);
        assertEquals(1, sent.size());

        announcer.announce(VIP4, 2, 500, 5000);
        assertEquals(2, announcer.roundsDue(VIP4));
        announcer.doWork(5000, view);
        announcer.doWork(5500, view);
        assertEquals(3, sent.size());
    }
}
