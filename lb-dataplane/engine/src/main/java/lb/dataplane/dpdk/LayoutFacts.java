package lb.dataplane.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lb.dataplane.ffi.Dpdk;
import lb.dataplane.ffi.lb_layout_fact;
import lb.dataplane.ffi.rte_eth_conf;
import lb.dataplane.ffi.rte_eth_dev_info;
import lb.dataplane.ffi.rte_eth_link;
import lb.dataplane.ffi.rte_eth_stats;
import lb.dataplane.ffi.rte_ether_addr;
import lb.dataplane.ffi.rte_mbuf;

/**
 * Checks that the struct offsets, sizes and constants the Java bindings assume are the ones
 * the DPDK build the shim was compiled against has; refuses to start otherwise.
 *
 * <p>Java cannot ask the C compiler for {@code offsetof}, so the shim reports them
 * ({@code lb_layout_facts}) and this class compares them with the Java layouts, fact by fact.
 */
public final class LayoutFacts {
    private LayoutFacts() {
    }

    /**
     * @return every fact the shim reports, in its order.
     */
    public static Map<String, Long> fromShim() {
        try (Arena arena = Arena.ofConfined()) {
            final int total = Dpdk.lb_layout_facts(MemorySegment.NULL, 0);
            final MemorySegment facts = arena.allocate(lb_layout_fact.layout(), total);
            final int written = Dpdk.lb_layout_facts(facts, total);
            final Map<String, Long> result = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(total, written); i++) {
                final MemorySegment fact = facts.asSlice(i * lb_layout_fact.sizeof(), lb_layout_fact.layout());
                final String name = lb_layout_fact.name(fact).reinterpret(256).getString(0);
                result.put(name, lb_layout_fact.value(fact));
            }
            return result;
        }
    }

    /**
     * @return the same facts as Java's bindings see them, named as the shim names them.
     */
    public static Map<String, Long> fromJava() {
        final Map<String, Long> java = new LinkedHashMap<>();
        java.put("rte_mbuf.buf_addr", rte_mbuf.buf_addr$offset());
        java.put("rte_mbuf.data_off", rte_mbuf.data_off$offset());
        java.put("rte_mbuf.refcnt", rte_mbuf.refcnt$offset());
        java.put("rte_mbuf.nb_segs", rte_mbuf.nb_segs$offset());
        java.put("rte_mbuf.port", rte_mbuf.port$offset());
        java.put("rte_mbuf.ol_flags", rte_mbuf.ol_flags$offset());
        java.put("rte_mbuf.packet_type", rte_mbuf.packet_type$offset());
        java.put("rte_mbuf.pkt_len", rte_mbuf.pkt_len$offset());
        java.put("rte_mbuf.data_len", rte_mbuf.data_len$offset());
        java.put("rte_mbuf.vlan_tci", rte_mbuf.vlan_tci$offset());
        java.put("rte_mbuf.hash.rss", rte_mbuf.hash_rss$offset());
        java.put("rte_mbuf.buf_len", rte_mbuf.buf_len$offset());
        java.put("rte_mbuf.pool", rte_mbuf.pool$offset());
        java.put("rte_mbuf.next", rte_mbuf.next$offset());
        java.put("sizeof(struct rte_mbuf)", rte_mbuf.sizeof());
        java.put("rte_eth_stats.ipackets", rte_eth_stats.ipackets$offset());
        java.put("rte_eth_stats.opackets", rte_eth_stats.opackets$offset());
        java.put("rte_eth_stats.ibytes", rte_eth_stats.ibytes$offset());
        java.put("rte_eth_stats.obytes", rte_eth_stats.obytes$offset());
        java.put("rte_eth_stats.imissed", rte_eth_stats.imissed$offset());
        java.put("rte_eth_stats.ierrors", rte_eth_stats.ierrors$offset());
        java.put("rte_eth_stats.oerrors", rte_eth_stats.oerrors$offset());
        java.put("rte_eth_stats.rx_nombuf", rte_eth_stats.rx_nombuf$offset());
        java.put("sizeof(struct rte_eth_stats)", rte_eth_stats.sizeof());
        java.put("rte_eth_link.link_speed", rte_eth_link.link_speed$offset());
        java.put("sizeof(struct rte_eth_link)", rte_eth_link.sizeof());
        java.put("sizeof(struct rte_ether_addr)", rte_ether_addr.sizeof());
        java.put("rte_eth_conf.rxmode.mq_mode", rte_eth_conf.rxmode_mq_mode$offset());
        java.put("rte_eth_conf.rx_adv_conf.rss_conf.rss_key", rte_eth_conf.rss_key$offset());
        java.put("rte_eth_conf.rx_adv_conf.rss_conf.rss_key_len", rte_eth_conf.rss_key_len$offset());
        java.put("rte_eth_conf.rx_adv_conf.rss_conf.rss_hf", rte_eth_conf.rss_hf$offset());
        java.put("sizeof(struct rte_eth_conf)", rte_eth_conf.sizeof());
        java.put("rte_eth_dev_info.max_rx_queues", rte_eth_dev_info.max_rx_queues$offset());
        java.put("rte_eth_dev_info.max_tx_queues", rte_eth_dev_info.max_tx_queues$offset());
        java.put("rte_eth_dev_info.hash_key_size", rte_eth_dev_info.hash_key_size$offset());
        java.put("rte_eth_dev_info.flow_type_rss_offloads", rte_eth_dev_info.flow_type_rss_offloads$offset());
        java.put("sizeof(struct rte_eth_dev_info)", rte_eth_dev_info.sizeof());
        java.put("sizeof(rte_cpuset_t)", (long)Dpdk.CPU_SETSIZE() / Byte.SIZE);
        java.put("RTE_PKTMBUF_HEADROOM", (long)Dpdk.RTE_PKTMBUF_HEADROOM());
        java.put("RTE_MBUF_DEFAULT_BUF_SIZE", (long)Dpdk.RTE_MBUF_DEFAULT_BUF_SIZE());
        java.put("RTE_ETHDEV_QUEUE_STAT_CNTRS", (long)Dpdk.RTE_ETHDEV_QUEUE_STAT_CNTRS());
        java.put("RTE_MAX_ETHPORTS", (long)Dpdk.RTE_MAX_ETHPORTS());
        java.put("RTE_MAX_LCORE", (long)Dpdk.RTE_MAX_LCORE());
        java.put("LCORE_ID_ANY", Integer.toUnsignedLong(Dpdk.LCORE_ID_ANY()));
        java.put("RTE_ETH_NAME_MAX_LEN", (long)Dpdk.RTE_ETH_NAME_MAX_LEN());
        java.put("CPU_SETSIZE", (long)Dpdk.CPU_SETSIZE());
        java.put("RTE_ETH_MQ_RX_RSS", (long)Dpdk.RTE_ETH_MQ_RX_RSS());
        java.put("RTE_ETH_RSS_IP", Dpdk.RTE_ETH_RSS_IP());
        java.put("RTE_ETH_RSS_TCP", Dpdk.RTE_ETH_RSS_TCP());
        java.put("RTE_ETH_RSS_UDP", Dpdk.RTE_ETH_RSS_UDP());
        return java;
    }

    /**
     * Every disagreement between the two views, one line each; empty when they agree.
     *
     * @param shim facts from C.
     * @param java facts from the Java bindings.
     * @return readable differences.
     */
    public static List<String> differences(final Map<String, Long> shim, final Map<String, Long> java) {
        final List<String> differences = new ArrayList<>();
        java.forEach((name, javaValue) -> {
            final Long cValue = shim.get(name);
            if (cValue == null) {
                differences.add(name + ": Java relies on it but the shim does not report it");
            } else if (!cValue.equals(javaValue)) {
                differences.add(name + ": C says " + cValue + ", Java bindings say " + javaValue);
            }
        });
        shim.keySet().stream()
            .filter(name -> !java.containsKey(name))
            .forEach(name -> differences.add(name + ": the shim reports it but Java does not check it"));
        return differences;
    }

    /**
     * Verifies the loaded shim: its ABI version, then every layout fact.
     *
     * @throws IllegalStateException listing each difference, when there is one.
     */
    public static void verify() {
        final int abi = Dpdk.lb_shim_abi_version();
        if (abi != Dpdk.LB_SHIM_ABI_VERSION()) {
            throw new IllegalStateException("liblbshim.so has ABI version " + abi + " but this dataplane needs " +
                Dpdk.LB_SHIM_ABI_VERSION() + ": rebuild native/ (make -C native) together with the Java code");
        }
        final List<String> differences = differences(fromShim(), fromJava());
        if (!differences.isEmpty()) {
            throw new IllegalStateException("the Java bindings disagree with the DPDK build the shim was compiled " +
                "against; regenerate them (native/jextract.sh) and rebuild:\n  " + String.join("\n  ", differences));
        }
    }
}
