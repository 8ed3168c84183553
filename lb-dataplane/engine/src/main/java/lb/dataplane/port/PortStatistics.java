package lb.dataplane.port;

/**
 * A port's device statistics as the conductor samples them into counters: an ethdev's, or a {@code MemoryPorts}
 * port's.
 */
public interface PortStatistics {
    /** @return the port id. */
    int id();

    /** @return the port's name. */
    String name();

    /** Reads the statistics the getters return. Conductor thread only. */
    void refreshStats();

    /** @return packets received, as of the last refresh. */
    long rxPackets();

    /** @return packets transmitted, as of the last refresh. */
    long txPackets();

    /** @return packets the device dropped for want of RX descriptors. */
    long rxMissed();

    /** @return erroneous received packets. */
    long rxErrors();

    /** @return failed transmissions. */
    long txErrors();

    /** @return receive failures for want of an mbuf. */
    long rxNoMbuf();
}
