/*
 * lb_shim_test.c - the shim's own test, against a real EAL with net_ring ports
 * (no hugepages, no PCI). Run by `make test` and so by the Maven build.
 */
#define _GNU_SOURCE
#include "lb_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

static int failures;

#define CHECK(cond, ...) do { \
    if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static const char *fact(const char *name, uint64_t *value)
{
    struct lb_layout_fact facts[128];
    int32_t n = lb_layout_facts(facts, 128);
    for (int32_t i = 0; i < n && i < 128; i++) {
        if (strcmp(facts[i].name, name) == 0) {
            *value = facts[i].value;
            return facts[i].name;
        }
    }
    return NULL;
}

static void test_layout_facts(void)
{
    struct lb_layout_fact few[2];
    int32_t total = lb_layout_facts(few, 2);
    CHECK(total > 2, "lb_layout_facts reports %d facts", total);

    uint64_t v = 0;
    CHECK(fact("rte_mbuf.data_off", &v) && v == offsetof(struct rte_mbuf, data_off),
          "rte_mbuf.data_off fact is %lu", (unsigned long)v);
    CHECK(fact("sizeof(struct rte_mbuf)", &v) && v == sizeof(struct rte_mbuf),
          "sizeof(struct rte_mbuf) fact is %lu", (unsigned long)v);
    CHECK(fact("RTE_PKTMBUF_HEADROOM", &v) && v == RTE_PKTMBUF_HEADROOM,
          "RTE_PKTMBUF_HEADROOM fact is %lu", (unsigned long)v);
    CHECK(!fact("no.such.fact", &v), "unknown fact found");
}

static void test_burst_round_trip(struct rte_mempool *pool)
{
    /* net_ring0 has one rx and one tx queue over the same ring: tx comes back as rx. */
    uint16_t port;
    CHECK(rte_eth_dev_get_port_by_name("net_ring0", &port) == 0, "net_ring0 not found");

    struct rte_eth_conf conf;
    memset(&conf, 0, sizeof(conf));
    CHECK(rte_eth_dev_configure(port, 1, 1, &conf) == 0, "configure failed");
    CHECK(rte_eth_rx_queue_setup(port, 0, 64, rte_socket_id(), NULL, pool) == 0, "rx setup failed");
    CHECK(rte_eth_tx_queue_setup(port, 0, 64, rte_socket_id(), NULL) == 0, "tx setup failed");
    CHECK(rte_eth_dev_start(port) == 0, "start failed");

    enum { N = 32 };
    struct rte_mbuf *out[N];
    CHECK(lb_pktmbuf_alloc_bulk(pool, out, N) == 0, "alloc_bulk failed: %d", lb_errno());
    for (int i = 0; i < N; i++) {
        char *p = rte_pktmbuf_append(out[i], 60 + i);
        memset(p, i, 60 + i);
    }
    CHECK(lb_tx_burst(port, 0, out, N) == N, "tx_burst did not take the whole burst");

    struct rte_mbuf *in[N];
    uint16_t got = lb_rx_burst(port, 0, in, N);
    CHECK(got == N, "rx_burst returned %u, expected %u", got, N);

    void *data[N];
    for (int i = 0; i < got; i++) {
        data[i] = rte_pktmbuf_mtod(in[i], void *);
        CHECK(rte_pktmbuf_data_len(in[i]) == 60 + i && rte_pktmbuf_pkt_len(in[i]) == 60u + i, "length %d", i);
        CHECK(((unsigned char *)data[i])[0] == i, "payload %d", i);
    }
    /* Prefetching never faults, whatever the address, and leaves memory as it was. */
    void *addresses[N + 2];
    for (int i = 0; i < got; i++) {
        addresses[i] = data[i];
    }
    addresses[got] = NULL;
    addresses[got + 1] = (void *)0x10;
    lb_prefetch(addresses, (uint16_t)(got + 2));
    lb_prefetch(addresses, 0);
    for (int i = 0; i < got; i++) {
        CHECK(((unsigned char *)data[i])[0] == i, "payload %d after prefetch", i);
    }
    rte_pktmbuf_free_bulk(in, got);
    CHECK(rte_mempool_in_use_count(pool) == 0, "%u mbufs leaked", rte_mempool_in_use_count(pool));

    CHECK(lb_pktmbuf_alloc_bulk(pool, out, 100000) != 0, "alloc of more than the pool succeeded");

    CHECK(rte_eth_dev_stop(port) == 0, "stop failed");
    CHECK(rte_eth_dev_close(port) == 0, "close failed");
}

int main(void)
{
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "--file-prefix=lbshimtest%d", (int)getpid());
    char *argv[] = { "lb_shim_test", "--no-huge", "-m", "64", "--no-pci", "--no-telemetry",
                     "--log-level=lib.eal:error", prefix, "--vdev=net_ring0", "-l", "0", NULL };
    int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;

    CHECK(lb_shim_abi_version() == LB_SHIM_ABI_VERSION, "abi version");
    CHECK(lb_lcore_id() == LCORE_ID_ANY, "lcore id before EAL init is %u", lb_lcore_id());
    test_layout_facts();

    if (rte_eal_init(argc, argv) < 0) {
        fprintf(stderr, "FAIL: rte_eal_init: %s\n", rte_strerror(lb_errno()));
        return 1;
    }
    CHECK(lb_lcore_id() == rte_get_main_lcore(), "lcore id after EAL init is %u", lb_lcore_id());

    struct rte_mempool *pool = rte_pktmbuf_pool_create("shim_test", 1023, 0, 0,
                                                       RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
    CHECK(pool != NULL, "pool create failed: %s", rte_strerror(lb_errno()));
    if (pool != NULL) {
        test_burst_round_trip(pool);
        rte_mempool_free(pool);
    }
    rte_eal_cleanup();

    if (failures) {
        fprintf(stderr, "lb_shim_test: %d failure(s)\n", failures);
        return 1;
    }
    printf("lb_shim_test: all checks passed\n");
    return 0;
}
