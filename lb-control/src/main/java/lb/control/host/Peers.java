package lb.control.host;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import lb.control.membership.MemberId;
import lb.control.protocol.HeartbeatMessage;

/**
 * The latest heartbeat of every run of every host this host heard within the detection time, in host id then
 * incarnation order (so the older run of a host id comes first).
 */
final class Peers {
    private final TreeMap<MemberId, Heard> byMember = new TreeMap<>();

    private record Heard(long atMs, HeartbeatMessage heartbeat) {
    }

    /**
     * Keeps the heartbeat unless an equal or later one of the same run was heard: late and duplicated heartbeats say
     * nothing new.
     *
     * @return whether it was kept.
     */
    boolean onHeartbeat(final long nowMs, final HeartbeatMessage heartbeat) {
        final Heard before = byMember.get(heartbeat.sender());
        if (before != null && before.heartbeat().sequence() >= heartbeat.sequence()) {
            return false;
        }
        byMember.put(heartbeat.sender(), new Heard(nowMs, heartbeat));
        return true;
    }

    /** When the kept heartbeat of the run arrived, or {@link Long#MIN_VALUE} when none is kept. */
    long heardAtMs(final MemberId member) {
        final Heard heard = byMember.get(member);
        return heard == null ? Long.MIN_VALUE : heard.atMs();
    }

    /** Forgets the runs not heard for {@code detectionMs}: they are gone. */
    void expire(final long nowMs, final long detectionMs) {
        final Iterator<Map.Entry<MemberId, Heard>> entries = byMember.entrySet().iterator();
        while (entries.hasNext()) {
            if (nowMs - entries.next().getValue().atMs() >= detectionMs) {
                entries.remove();
            }
        }
    }

    /** Forgets everything, after a pause made it all stale. */
    void clear() {
        byMember.clear();
    }

    /** The latest heartbeats, older runs of a host id first. */
    Collection<HeartbeatMessage> heartbeats() {
        return byMember.values().stream().map(Heard::heartbeat).toList();
    }
}
