/*
 * lb_shim.c - see lb_shim.h for why each function exists.
 */
#define _GNU_SOURCE
#include "lb_shim.h"

#include <stddef.h>

#include <rte_cpuflags.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

uint32_t lb_shim_abi_version(void)
{
    return LB_SHIM_ABI_VERSION;
}

uint16_t lb_rx_burst(uint16_t port_id, uint16_t queue_id, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
    return rte_eth_rx_burst(port_id, queue_id, rx_pkts, nb_pkts);
}

uint16_t lb_tx_burst(uint16_t port_id, uint16_t queue_id, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
    return rte_eth_tx_burst(port_id, queue_id, tx_pkts, nb_pkts);
}

int32_t lb_pktmbuf_alloc_bulk(struct rte_mempool *pool, struct rte_mbuf **mbufs, uint32_t count)
{
    return rte_pktmbuf_alloc_bulk(pool, mbufs, count);
}

uint32_t lb_lcore_id(void)
{
    return rte_lcore_id();
}

int32_t lb_errno(void)
{
    return rte_errno;
}

void lb_prefetch(void *const *addresses, uint16_t count)
{
    for (uint16_t i = 0; i < count; i++) {
        rte_prefetch0(addresses[i]);
    }
}

#define OFFSET(type, field) { #type "." #field, offsetof(struct type, field) }
#define SIZE(type) { "sizeof(" #type ")", sizeof(type) }
#define CONSTANT(name) { #name, (uint64_t)(name) }

static const struct lb_layout_fact FACTS[] = {
    OFFSET(rte_mbuf, buf_addr),
    OFFSET(rte_mbuf, data_off),
    OFFSET(rte_mbuf, refcnt),
    OFFSET(rte_mbuf, nb_segs),
    OFFSET(rte_mbuf, port),
    OFFSET(rte_mbuf, ol_flags),
    OFFSET(rte_mbuf, packet_type),
    OFFSET(rte_mbuf, pkt_len),
    OFFSET(rte_mbuf, data_len),
    OFFSET(rte_mbuf, vlan_tci),
    OFFSET(rte_mbuf, hash.rss),
    OFFSET(rte_mbuf, buf_len),
    OFFSET(rte_mbuf, pool),
    OFFSET(rte_mbuf, next),
    SIZE(struct rte_mbuf),
    OFFSET(rte_eth_stats, ipackets),
    OFFSET(rte_eth_stats, opackets),
    OFFSET(rte_eth_stats, ibytes),
    OFFSET(rte_eth_stats, obytes),
    OFFSET(rte_eth_stats, imissed),
    OFFSET(rte_eth_stats, ierrors),
    OFFSET(rte_eth_stats, oerrors),
    OFFSET(rte_eth_stats, rx_nombuf),
    SIZE(struct rte_eth_stats),
    OFFSET(rte_eth_link, link_speed),
    SIZE(struct rte_eth_link),
    SIZE(struct rte_ether_addr),
    OFFSET(rte_eth_conf, rxmode.mq_mode),
    OFFSET(rte_eth_conf, rx_adv_conf.rss_conf.rss_key),
    OFFSET(rte_eth_conf, rx_adv_conf.rss_conf.rss_key_len),
    OFFSET(rte_eth_conf, rx_adv_conf.rss_conf.rss_hf),
    SIZE(struct rte_eth_conf),
    OFFSET(rte_eth_dev_info, max_rx_queues),
    OFFSET(rte_eth_dev_info, max_tx_queues),
    OFFSET(rte_eth_dev_info, hash_key_size),
    OFFSET(rte_eth_dev_info, flow_type_rss_offloads),
    SIZE(struct rte_eth_dev_info),
    SIZE(rte_cpuset_t),
    CONSTANT(RTE_PKTMBUF_HEADROOM),
    CONSTANT(RTE_MBUF_DEFAULT_BUF_SIZE),
    CONSTANT(RTE_ETHDEV_QUEUE_STAT_CNTRS),
    CONSTANT(RTE_MAX_ETHPORTS),
    CONSTANT(RTE_MAX_LCORE),
    CONSTANT(LCORE_ID_ANY),
    CONSTANT(RTE_ETH_NAME_MAX_LEN),
    CONSTANT(CPU_SETSIZE),
    CONSTANT(RTE_ETH_MQ_RX_RSS),
    CONSTANT(RTE_ETH_RSS_IP),
    CONSTANT(RTE_ETH_RSS_TCP),
    CONSTANT(RTE_ETH_RSS_UDP),
};

int32_t lb_layout_facts(struct lb_layout_fact *facts, int32_t max)
{
    const int32_t total = (int32_t)(sizeof(FACTS) / sizeof(FACTS[0]));
    for (int32_t i = 0; i < total && i < max; i++) {
        facts[i] = FACTS[i];
    }
    return total;
}
