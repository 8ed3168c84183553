package lb.dataplane.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import lb.dataplane.ffi.Dpdk;
import lb.dataplane.ffi.rte_eth_conf;
import lb.dataplane.ffi.rte_eth_dev_info;
import lb.dataplane.ffi.rte_eth_link;
import lb.dataplane.ffi.rte_eth_stats;
import lb.dataplane.ffi.rte_ether_addr;
import lb.dataplane.port.PortStatistics;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One DPDK ethernet port (a NIC or a vdev): configure, start, read stats, stop, close.
 * Owned by the conductor thread; workers only use its id in burst calls.
 */
public final class EthPort implements PortStatistics, AutoCloseable {
    private static final int LINK_STATUS_BIT = 1 << 2;
    /**
     * The symmetric Toeplitz key: 0x6d5a repeated makes the RSS hash of (a, b) equal that of (b, a),
     * so both directions of a flow land on the same queue (Woo and Park, "Scalable TCP Session
     * Monitoring with Symmetric Receive-side Scaling").
     */
    private static final byte[] SYMMETRIC_RSS_KEY = symmetricKey(40);

    private final int portId;
    private final String name;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment stats = rte_eth_stats.allocate(arena);
    private int rxQueueCount;
    private boolean started;
    private boolean closed;

    private EthPort(final int portId, final String name) {
        this.portId = portId;
        this.name = name;
    }

    /**
     * Finds a port by its DPDK device name (e.g. {@code net_pcap0}, {@code 0000:03:00.0}) or, when the
     * name is a number, by port id.
     *
     * @param nameOrId device name or port id.
     * @return the port.
     * @throws IllegalArgumentException naming the port when DPDK has no such port.
     */
    public static EthPort open(final String nameOrId) {
        if (nameOrId.chars().allMatch(Character::isDigit) && !nameOrId.isEmpty()) {
            final int id = Integer.parseInt(nameOrId);
            try (Arena a = Arena.ofConfined()) {
                final MemorySegment buf = a.allocate(Dpdk.RTE_ETH_NAME_MAX_LEN());
                if (id > 0xFFFF || Dpdk.rte_eth_dev_get_name_by_port((short)id, buf) != 0) {
                    throw new IllegalArgumentException("port: no DPDK port " + id + " (there are " +
                        Short.toUnsignedInt(Dpdk.rte_eth_dev_count_avail()) + "; check the EAL --vdev/-a arguments)");
                }
                return new EthPort(id, buf.getString(0));
            }
        }
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment id = a.allocate(JAVA_SHORT);
            if (Dpdk.rte_eth_dev_get_port_by_name(a.allocateFrom(nameOrId), id) != 0) {
                throw new IllegalArgumentException("port: no DPDK port named '" + nameOrId + "' (give a name from " +
                    "the EAL --vdev/-a arguments, e.g. net_pcap0, or a port id)");
            }
            return new EthPort(Short.toUnsignedInt(id.get(JAVA_SHORT, 0)), nameOrId);
        }
    }

    /**
     * @return DPDK port id.
     */
    @Override
    public int id() {
        return portId;
    }

    /**
     * @return DPDK device name.
     */
    @Override
    public String name() {
        return name;
    }

    /**
     * Configures the device and sets each queue up. With more than one RX queue, asks for RSS over IP,
     * TCP and UDP with the symmetric key where the device has RSS; a device without it (af_packet's
     * kernel fanout, tap) spreads flows across its queues itself.
     *
     * @param rxQueues number of RX queues.
     * @param txQueues number of TX queues.
     * @param rxDesc   RX descriptors per queue (adjusted to the device's limits).
     * @param txDesc   TX descriptors per queue (adjusted to the device's limits).
     * @param pool     pool RX queues fill from.
     * @return how received traffic is spread over the RX queues, for the operator.
     * @throws IllegalArgumentException naming the port when it has fewer queues than asked.
     */
    public String configure(final int rxQueues, final int txQueues, final int rxDesc, final int txDesc,
        final PacketPool pool) {
        final short port = (short)portId;
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment info = rte_eth_dev_info.allocate(a);
            DpdkException.check(Dpdk.rte_eth_dev_info_get(port, info), "rte_eth_dev_info_get(" + name + ")");
            final int maxRx = Short.toUnsignedInt(rte_eth_dev_info.max_rx_queues(info));
            final int maxTx = Short.toUnsignedInt(rte_eth_dev_info.max_tx_queues(info));
            if (rxQueues > maxRx || txQueues > maxTx) {
                throw new IllegalArgumentException("port " + name + " has at most " + maxRx + " RX and " + maxTx +
                    " TX queues; " + rxQueues + " RX and " + txQueues + " TX were needed (one per worker" +
                    (txQueues > rxQueues ? ", plus one TX for the conductor" : "") + "; af_packet takes qpairs=N)");
            }

            final MemorySegment conf = rte_eth_conf.allocate(a);
            final long rssOffloads = rte_eth_dev_info.flow_type_rss_offloads(info) &
                (Dpdk.RTE_ETH_RSS_IP() | Dpdk.RTE_ETH_RSS_TCP() | Dpdk.RTE_ETH_RSS_UDP());
            final String spread;
            if (rxQueues == 1) {
                spread = "one RX queue";
            } else if (rssOffloads != 0 && Byte.toUnsignedInt(rte_eth_dev_info.hash_key_size(info)) ==
                SYMMETRIC_RSS_KEY.length) {
                rte_eth_conf.rxmode_mq_mode(conf, Dpdk.RTE_ETH_MQ_RX_RSS());
                rte_eth_conf.rss_key(conf, a.allocateFrom(JAVA_BYTE, SYMMETRIC_RSS_KEY));
                rte_eth_conf.rss_key_len(conf, (byte)SYMMETRIC_RSS_KEY.length);
                rte_eth_conf.rss_hf(conf, rssOffloads);
                spread = "RSS requested with the symmetric key over " + rxQueues + " RX queues (a PMD without " +
                    "real RSS, such as net_tap, spreads by its own means)";
            } else if (rssOffloads != 0) {
                rte_eth_conf.rxmode_mq_mode(conf, Dpdk.RTE_ETH_MQ_RX_RSS());
                rte_eth_conf.rss_hf(conf, rssOffloads);
                spread = "RSS with the device's default key over " + rxQueues + " RX queues (its key is " +
                    Byte.toUnsignedInt(rte_eth_dev_info.hash_key_size(info)) + " bytes, not 40: not symmetric)";
            } else {
                spread = "the device's own spreading over " + rxQueues + " RX queues (no RSS)";
            }
            DpdkException.check(Dpdk.rte_eth_dev_configure(port, (short)rxQueues, (short)txQueues, conf),
                "rte_eth_dev_configure(" + name + ", " + rxQueues + " rx, " + txQueues + " tx)");
            final MemorySegment nbRx = a.allocate(JAVA_SHORT);
            final MemorySegment nbTx = a.allocate(JAVA_SHORT);
            nbRx.set(JAVA_SHORT, 0, (short)rxDesc);
            nbTx.set(JAVA_SHORT, 0, (short)txDesc);
            DpdkException.check(Dpdk.rte_eth_dev_adjust_nb_rx_tx_desc(port, nbRx, nbTx),
                "rte_eth_dev_adjust_nb_rx_tx_desc(" + name + ")");
            final int socket = Math.max(0, Dpdk.rte_eth_dev_socket_id(port));
            for (int q = 0; q < rxQueues; q++) {
                DpdkException.check(Dpdk.rte_eth_rx_queue_setup(port, (short)q, nbRx.get(JAVA_SHORT, 0), socket,
                    MemorySegment.NULL, pool.address()), "rte_eth_rx_queue_setup(" + name + ", queue " + q + ")");
            }
            for (int q = 0; q < txQueues; q++) {
                DpdkException.check(Dpdk.rte_eth_tx_queue_setup(port, (short)q, nbTx.get(JAVA_SHORT, 0), socket,
                    MemorySegment.NULL), "rte_eth_tx_queue_setup(" + name + ", queue " + q + ")");
            }
            rxQueueCount = rxQueues;
            return spread;
        }
    }

    /**
     * @return RX queues set up by {@link #configure}.
     */
    public int rxQueueCount() {
        return rxQueueCount;
    }

    /**
     * Accepts every frame whatever its destination MAC. Not every PMD supports it; failure is returned,
     * not thrown, because a vdev without the notion is still usable.
     *
     * @return 0 or DPDK's negative errno.
     */
    public int enablePromiscuous() {
        return Dpdk.rte_eth_promiscuous_enable((short)portId);
    }

    /**
     * Starts the device.
     */
    public void start() {
        DpdkException.check(Dpdk.rte_eth_dev_start((short)portId), "rte_eth_dev_start(" + name + ")");
        started = true;
    }

    /**
     * @return the port's MAC address as {@code aa:bb:cc:dd:ee:ff}.
     */
    public String macAddress() {
        final long mac = mac();
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            text.append(String.format("%02x", (mac >>> shift) & 0xFF)).append(shift > 0 ? ":" : "");
        }
        return text.toString();
    }

    /**
     * @return the port's MAC address as the low 48 bits of a long, first byte most significant.
     */
    public long mac() {
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment mac = rte_ether_addr.allocate(a);
            DpdkException.check(Dpdk.rte_eth_macaddr_get((short)portId, mac), "rte_eth_macaddr_get(" + name + ")");
            long bits = 0;
            for (int i = 0; i < 6; i++) {
                bits = (bits << 8) | (rte_ether_addr.addr_bytes(mac, i) & 0xFF);
            }
            return bits;
        }
    }

    /**
     * @return true when the link is up (without waiting for negotiation).
     */
    public boolean linkUp() {
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment link = rte_eth_link.allocate(a);
            DpdkException.check(Dpdk.rte_eth_link_get_nowait((short)portId, link),
                "rte_eth_link_get_nowait(" + name + ")");
            return (rte_eth_link.link_flags(link) & LINK_STATUS_BIT) != 0;
        }
    }

    /**
     * Reads the device counters into this port's stats snapshot; read them with the getters.
     */
    @Override
    public void refreshStats() {
        DpdkException.check(Dpdk.rte_eth_stats_get((short)portId, stats), "rte_eth_stats_get(" + name + ")");
    }

    /**
     * @return packets received, as of the last {@link #refreshStats()}.
     */
    @Override
    public long rxPackets() {
        return rte_eth_stats.ipackets(stats);
    }

    /**
     * @return packets sent, as of the last {@link #refreshStats()}.
     */
    @Override
    public long txPackets() {
        return rte_eth_stats.opackets(stats);
    }

    /**
     * @return packets the device dropped because RX queues were full.
     */
    @Override
    public long rxMissed() {
        return rte_eth_stats.imissed(stats);
    }

    /**
     * @return erroneous received packets.
     */
    @Override
    public long rxErrors() {
        return rte_eth_stats.ierrors(stats);
    }

    /**
     * @return failed transmissions.
     */
    @Override
    public long txErrors() {
        return rte_eth_stats.oerrors(stats);
    }

    /**
     * @return RX mbuf allocation failures.
     */
    @Override
    public long rxNoMbuf() {
        return rte_eth_stats.rx_nombuf(stats);
    }

    /**
     * Stops the device if started, then closes it, releasing its queues and their mbufs.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (started) {
            DpdkException.check(Dpdk.rte_eth_dev_stop((short)portId), "rte_eth_dev_stop(" + name + ")");
        }
        DpdkException.check(Dpdk.rte_eth_dev_close((short)portId), "rte_eth_dev_close(" + name + ")");
        arena.close();
    }

    private static byte[] symmetricKey(final int length) {
        final byte[] key = new byte[length];
        for (int i = 0; i < length; i += 2) {
            key[i] = 0x6d;
            key[i + 1] = 0x5a;
        }
        return key;
    }
}
