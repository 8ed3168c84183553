/*
 * lb_shim.h - the few DPDK entry points that FFM cannot bind directly.
 *
 * DPDK implements its fast-path API as static inline functions and macros
 * (rte_eth_rx_burst, rte_pktmbuf_alloc_bulk, rte_lcore_id, rte_errno, ...).
 * They have no symbol in any shared library, so Java cannot look them up.
 * Each function here wraps exactly one of them, shaped per burst rather than
 * per packet so that one downcall amortises over up to a burst of mbufs.
 *
 * Everything else the dataplane calls (rte_eal_init, rte_eth_dev_configure,
 * rte_pktmbuf_free_bulk, ...) is an exported symbol and is bound directly; see
 * native/jextract.sh for the list.
 *
 * The Java bindings in lb.dataplane.ffi.Dpdk mirror these prototypes; the test
 * ShimHeaderDriftTest fails when the two disagree.
 */
#ifndef LB_SHIM_H
#define LB_SHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mbuf;
struct rte_mempool;

/* Version of this shim's ABI; Java refuses to start on a mismatch. */
#define LB_SHIM_ABI_VERSION 2

/* Why: lets Java verify it loaded the shim it was compiled against. */
uint32_t lb_shim_abi_version(void);

/* Why: rte_eth_rx_burst is static inline (it calls the PMD through a fast-path ops table). */
uint16_t lb_rx_burst(uint16_t port_id, uint16_t queue_id, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);

/* Why: rte_eth_tx_burst is static inline. Returns how many were queued; the caller owns the rest. */
uint16_t lb_tx_burst(uint16_t port_id, uint16_t queue_id, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);

/* Why: rte_pktmbuf_alloc_bulk is static inline. All or nothing: 0 on success, negative errno otherwise. */
int32_t lb_pktmbuf_alloc_bulk(struct rte_mempool *pool, struct rte_mbuf **mbufs, uint32_t count);

/* Why: rte_lcore_id is a macro over a thread-local variable. */
uint32_t lb_lcore_id(void);

/* Why: rte_errno is a macro over a thread-local variable. */
int32_t lb_errno(void);

/*
 * Why: Java has no prefetch instruction (rte_prefetch0 is static inline over one). Prefetches each of
 * count addresses into every cache level; never faults, whatever the addresses. One call per burst: the
 * worker brings the connection-table lines a burst will read toward the core, all at once, so that their
 * misses overlap.
 */
void lb_prefetch(void *const *addresses, uint16_t count);

/*
 * Why: offsetof and sizeof are compile-time facts that Java cannot ask the compiler.
 * Writes up to max facts as (name, value) pairs: names point at static strings.
 * Facts are "struct.field" offsets, "sizeof(struct)" sizes and the DPDK build
 * constants Java relies on (RTE_PKTMBUF_HEADROOM, ...).
 * Returns the total number of facts, which may exceed max.
 */
struct lb_layout_fact {
    const char *name;
    uint64_t value;
};
int32_t lb_layout_facts(struct lb_layout_fact *facts, int32_t max);

#ifdef __cplusplus
}
#endif

#endif /* LB_SHIM_H */
