package lb.dataplane.config;

/**
 * How heartbeats reach the other hosts: to each member's management endpoint (the default, works on any network),
 * or to one multicast group every host joins (fewer packets on a large cluster; the network must carry multicast).
 */
public enum HeartbeatTransport {
    PEERS,
    MULTICAST
}
