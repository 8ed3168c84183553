package lb.dataplane.config;

/**
 * NLB's cluster MAC modes: unicast {@code 02-BF-<VIP>}, multicast {@code 03-BF-<VIP>}, IGMP multicast
 * {@code 01-00-5E-7F-<last two VIP octets>}.
 */
public enum OperationMode {
    UNICAST,
    MULTICAST,
    IGMP_MULTICAST
}
