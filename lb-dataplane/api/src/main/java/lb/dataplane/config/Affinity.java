package lb.dataplane.config;

/**
 * Which part of the client's address a multiple-host rule hashes, so which flows are kept together on one host.
 */
public enum Affinity {
    /** Client address and port: each connection balanced on its own. */
    NONE,
    /** Client address: all of one client's connections go to one host. */
    SINGLE,
    /** Client network (IPv4 /24, IPv6 the configured prefix): a client behind a proxy farm stays on one host. */
    NETWORK
}
