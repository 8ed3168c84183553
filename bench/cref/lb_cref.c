/*
 * lb-cref: the C reference load balancer of the end-to-end benchmark. It does, per packet, exactly what the Java
 * dataplane's balance mode (lb.dataplane.worker.BalancingAgent over pipeline.Pipeline) does, written as a C DPDK
 * program would be, so that "Java full mode >= 0.9x the C reference" compares the languages and not the work.
 * For the benchmark only; not a product.
 *
 * What is ported (each file names its Java original):
 *   cref_parser.h    PacketParser, ParsedPacket, ParseResult: the whole parser (Ethernet, VLAN, ARP, IPv4 with
 *                    options and fragments, IPv6 with the extension-header walk, TCP, UDP, ICMP/ICMPv6 errors,
 *                    ESP/AH, neighbor discovery), same checks and drop reasons; no checksum is verified (as Java).
 *   cref_hash.h      NetworkBytes, SipHash13, FlowHasher: same key, same affinity key, bucket = hash mod B.
 *   cref_view.h      DataplaneView: VIP scan, rule match by two-level binary search over sorted port ranges,
 *                    owned/dirty bucket bitmaps, single-host owners; loaded from ViewExport's file (format there).
 *   cref_table.h     OffHeapHashTable (layout, XXH64-style slot hash, linear probing in a window, control words
 *                    FREE/BUSY/PENDING/LIVE with tag and version, the PENDING-publish insert protocol, half-open cap,
 *                    same memory orders), ConnectionTable, AffinityTable, FragmentTable, EntryMeta.
 *   cref_pipeline.h  Pipeline.ingress/egress, Classifier (tracked connection, draining, sticky clients, buckets,
 *                    moved buckets, fragments following their first, ICMP errors, TCP state, stateless fallback),
 *                    ArpWriter.reply and NdWriter.solicitedAdvertisement (ARP/ND answers in place), Verdict.
 *   this file        BalancingAgent's duty cycle (NIC rx -> ingress -> kernel tx / NIC tx / free; kernel rx ->
 *                    egress -> NIC tx / free; counters published once per duty cycle with work), the conductor's
 *                    table sweeps (a whole pass per table per second, TableSweeper), the port and pool set-up.
 *
 * What is not ported, none of it on the per-packet path: the control interface (Aeron), VIP announcements
 * (gratuitous ARP/NA, sent by the Java conductor through worker 0 at start), IGMP reports, Aeron counters (counters
 * here are plain per-worker arrays read by the main lcore), the drop capture port (--drops: drops are freed, as the
 * Java without --drops), several workers (one worker lcore, one queue per port).
 *
 * Differences of form, not of work: the worker busy-polls (the Java's --idle busy); the millisecond clock is the TSC
 * (the Java reads System.currentTimeMillis once per duty cycle); packets are prefetched l3fwd-style (CREF_PREFETCH=0
 * turns it off); everything is one translation unit of static inline functions, which is how a C programmer gets
 * what the JIT gets by inlining. Worker 0 of the Java also polls the conductor's announcement ring every duty cycle
 * (two loads when empty); there is no such ring here.
 *
 * Usage: lb-cref [EAL args] -- --view FILE --nic NAME --kernel NAME [--burst N] [--mbufs N] [--mbuf-size N]
 *        [--connections N] [--sticky-clients N] [--duration SECONDS] [--stats-interval SECONDS]
 *        [--latency-out FILE] [--latency-warmup S] [--cpu N] [--rx-desc N] [--tx-desc N]
 *        [--table-pages auto|hugetlb|thp|small] [--no-promiscuous]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_prefetch.h>

#include "cref_pipeline.h"

#define MAX_BURST 512
/* l3fwd's prefetch of the frames ahead, which the Java cannot express; build with CREF_PREFETCH=0 to drop it. */
#ifndef CREF_PREFETCH
#define CREF_PREFETCH 1
#endif
#define PREFETCH_OFFSET 3
#define LATENCY_MAX_NS 1000000
#define SWEEP_PASS_MS 1000

/* ---- options ---- */

struct options {
    const char *view;
    const char *nic;
    const char *kernel;
    int burst;
    int mbufs;
    int mbuf_size;
    int mbuf_cache;
    int connections;
    int sticky_clients;
    int rx_desc;
    int tx_desc;
    double duration;
    double stats_interval;
    const char *latency_out;
    double latency_warmup;
    int cpu;
    int promiscuous;
};

static void usage(const char *problem)
{
    fprintf(stderr, "lb-cref: %s\n", problem);
    fprintf(stderr, "usage: lb-cref [EAL args] -- --view FILE --nic NAME --kernel NAME [--burst N] [--mbufs N] "
        "[--mbuf-size N] [--connections N] [--sticky-clients N] [--duration S] [--stats-interval S] "
        "[--latency-out FILE] [--latency-warmup S] [--cpu N] [--rx-desc N] [--tx-desc N] [--table-pages auto|hugetlb|thp|small] "
        "[--no-promiscuous]\n");
    exit(2);
}

static long parse_long_option(const char *name, const char *value, long min, long max)
{
    char *end;
    if (value == NULL) {
        fprintf(stderr, "lb-cref: %s needs a value\n", name);
        exit(2);
    }
    errno = 0;
    const long v = strtol(value, &end, 10);
    if (errno != 0 || *end != '\0' || end == value || v < min || v > max) {
        fprintf(stderr, "lb-cref: %s must be an integer %ld-%ld, was '%s'\n", name, min, max, value);
        exit(2);
    }
    return v;
}

static double parse_seconds_option(const char *name, const char *value)
{
    char *end;
    if (value == NULL) {
        fprintf(stderr, "lb-cref: %s needs a value\n", name);
        exit(2);
    }
    const double v = strtod(value, &end);
    if (*end != '\0' || end == value || v < 0) {
        fprintf(stderr, "lb-cref: %s must be seconds >= 0, was '%s'\n", name, value);
        exit(2);
    }
    return v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    *o = (struct options) {
        .burst = 32, .mbufs = 8191, .mbuf_size = RTE_MBUF_DEFAULT_BUF_SIZE, .mbuf_cache = 256,
        .connections = 1 << 20, .sticky_clients = 1 << 16, .rx_desc = 1024, .tx_desc = 1024, .cpu = -1,
        .promiscuous = 1,
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--no-promiscuous") == 0) {
            o->promiscuous = 0;
            continue;
        }
        if (strcmp(a, "--view") == 0) {
            o->view = value;
        } else if (strcmp(a, "--nic") == 0) {
            o->nic = value;
        } else if (strcmp(a, "--kernel") == 0) {
            o->kernel = value;
        } else if (strcmp(a, "--burst") == 0) {
            o->burst = (int)parse_long_option(a, value, 1, MAX_BURST);
        } else if (strcmp(a, "--mbufs") == 0) {
            o->mbufs = (int)parse_long_option(a, value, 1, 1L << 30);
        } else if (strcmp(a, "--mbuf-size") == 0) {
            /* At least the headroom and a minimum frame: small-frame benchmarks store millions of them. */
            o->mbuf_size = (int)parse_long_option(a, value, RTE_PKTMBUF_HEADROOM + RTE_ETHER_MIN_LEN, 65535);
        } else if (strcmp(a, "--connections") == 0) {
            o->connections = (int)parse_long_option(a, value, TABLE_MIN_CAPACITY, TABLE_MAX_CAPACITY);
        } else if (strcmp(a, "--sticky-clients") == 0) {
            o->sticky_clients = (int)parse_long_option(a, value, TABLE_MIN_CAPACITY, TABLE_MAX_CAPACITY);
        } else if (strcmp(a, "--rx-desc") == 0) {
            o->rx_desc = (int)parse_long_option(a, value, 1, 65535);
        } else if (strcmp(a, "--tx-desc") == 0) {
            o->tx_desc = (int)parse_long_option(a, value, 1, 65535);
        } else if (strcmp(a, "--duration") == 0) {
            o->duration = parse_seconds_option(a, value);
        } else if (strcmp(a, "--stats-interval") == 0) {
            o->stats_interval = parse_seconds_option(a, value);
        } else if (strcmp(a, "--latency-out") == 0) {
            o->latency_out = value;
        } else if (strcmp(a, "--latency-warmup") == 0) {
            o->latency_warmup = parse_seconds_option(a, value);
        } else if (strcmp(a, "--table-pages") == 0) {
            if (value == NULL || pages_policy_parse(value, &table_pages_policy) != 0) {
                fprintf(stderr, "lb-cref: --table-pages must be auto, hugetlb, thp or small, was '%s'\n",
                    value == NULL ? "" : value);
                exit(2);
            }
        } else if (strcmp(a, "--cpu") == 0) {
            o->cpu = (int)parse_long_option(a, value, 0, RTE_MAX_LCORE - 1);
        } else {
            fprintf(stderr, "lb-cref: unknown option '%s'\n", a);
            usage("options follow EAL's, after --");
        }
        if (value == NULL) {
            fprintf(stderr, "lb-cref: %s needs a value\n", a);
            exit(2);
        }
        i++;
    }
    if (o->view == NULL || o->nic == NULL || o->kernel == NULL) {
        usage("--view, --nic and --kernel are required");
    }
    if (__builtin_popcount(o->connections) != 1 || __builtin_popcount(o->sticky_clients) != 1) {
        usage("--connections and --sticky-clients must be powers of two of at least 1024");
    }
    const int needed = 2 * o->burst + o->rx_desc + o->tx_desc + o->mbuf_cache + o->burst;
    if (o->mbufs < needed) {
        fprintf(stderr, "lb-cref: --mbufs must be at least 2 x --burst + --rx-desc + --tx-desc + cache + --burst "
            "(%d), was %d\n", needed, o->mbufs);
        exit(2);
    }
}

/* ---- the worker (BalancingAgent) ---- */

/* What the worker publishes for the main lcore, once per duty cycle with work (BalancingCounters.publish). */
struct published {
    uint64_t ingress[V_COUNT];
    uint64_t egress[V_COUNT];
    uint64_t parse[PR_COUNT];
    uint64_t stateless_fallbacks;
    uint64_t half_open_refusals;
    uint64_t rx_from_nic;
    uint64_t rx_from_kernel;
    uint64_t tx_dropped;
} __rte_cache_aligned;

struct worker {
    uint16_t nic_port;
    uint16_t kernel_port;
    uint16_t burst;
    int cpu;
    struct pipeline pipeline;

    uint64_t ingress[V_COUNT];
    uint64_t egress[V_COUNT];
    uint64_t parse[PR_COUNT];
    uint64_t rx_from_nic;
    uint64_t rx_from_kernel;
    uint64_t tx_dropped;

    uint64_t *latency;
    uint64_t latency_overflow;
    uint64_t latency_bursts;
    uint64_t *latency_steady;
    uint64_t *latency_initial;
    uint64_t latency_first;
    uint64_t latency_warmup_cycles;
    int latency_warm;
    uint64_t timed_bursts;
    double ns_per_cycle;
    uint64_t tsc_per_ms;

    struct rte_mbuf *rx[MAX_BURST];
    struct rte_mbuf *to_kernel[MAX_BURST];
    struct rte_mbuf *to_nic[MAX_BURST];
    struct rte_mbuf *to_drop[MAX_BURST];
} __rte_cache_aligned;

static struct published published;
static const struct cref_view *current_view;
static int64_t observed_version __rte_cache_aligned = INT64_MIN;
static volatile int worker_running = 1;
static volatile sig_atomic_t stop_signal;
static uint64_t tsc_per_ms;

static inline int64_t now_ms(void) { return (int64_t)(rte_rdtsc() / tsc_per_ms); }

static inline void pub(uint64_t *to, uint64_t value) { __atomic_store_n(to, value, __ATOMIC_RELEASE); }

static inline uint64_t sub(const uint64_t *from) { return __atomic_load_n(from, __ATOMIC_ACQUIRE); }

static void publish(const struct worker *w)
{
    for (int v = 0; v < V_COUNT; v++) {
        pub(&published.ingress[v], w->ingress[v]);
        pub(&published.egress[v], w->egress[v]);
    }
    for (int r = 1; r < PR_COUNT; r++) {
        pub(&published.parse[r], w->parse[r]);
    }
    pub(&published.stateless_fallbacks, (uint64_t)w->pipeline.classifier.stateless_fallbacks);
    pub(&published.half_open_refusals, (uint64_t)w->pipeline.classifier.half_open_refusals);
    pub(&published.rx_from_nic, w->rx_from_nic);
    pub(&published.rx_from_kernel, w->rx_from_kernel);
    pub(&published.tx_dropped, w->tx_dropped);
}

static inline void send_bursts(struct worker *w, int kernel, int nic, int drop)
{
    uint64_t dropped = 0;
    if (kernel > 0) {
        const uint16_t sent = rte_eth_tx_burst(w->kernel_port, 0, w->to_kernel, (uint16_t)kernel);
        if (sent < kernel) {
            rte_pktmbuf_free_bulk(&w->to_kernel[sent], kernel - sent);
        }
        dropped += kernel - sent;
    }
    if (nic > 0) {
        const uint16_t sent = rte_eth_tx_burst(w->nic_port, 0, w->to_nic, (uint16_t)nic);
        if (sent < nic) {
            rte_pktmbuf_free_bulk(&w->to_nic[sent], nic - sent);
        }
        dropped += nic - sent;
    }
    if (drop > 0) {
        rte_pktmbuf_free_bulk(w->to_drop, drop);
    }
    w->tx_dropped += dropped;
}

static inline void record_latency(struct worker *w, uint64_t start)
{
    const uint64_t now = rte_rdtsc();
    if (!w->latency_warm) {
        /* As the Java's BurstLatency: what the first --latency-warmup seconds recorded is discarded once. */
        if (w->latency_first == 0) {
            w->latency_first = now;
        } else if (now - w->latency_first >= w->latency_warmup_cycles) {
            /* A second, zeroed array: clearing 8 MB here would stall the worker and flush its caches. */
            w->latency = w->latency_steady;
            w->latency_overflow = 0;
            w->latency_bursts = 0;
            w->latency_warm = 1;
        }
    }
    const uint64_t ns = (uint64_t)((double)(now - start) * w->ns_per_cycle);
    if (ns > LATENCY_MAX_NS) {
        w->latency_overflow++;
    } else {
        w->latency[ns]++;
    }
    w->latency_bursts++;
}

static inline int from_nic(struct worker *w, const struct cref_view *v, int64_t now)
{
    struct rte_mbuf **rx = w->rx;
    const uint16_t received = rte_eth_rx_burst(w->nic_port, 0, rx, w->burst);
    if (received == 0) {
        return 0;
    }
    /* One burst in 16 is timed, as the Java (BurstLatency.SAMPLE_MASK): the same instrumentation on both. */
    const uint64_t start = w->latency != NULL && (++w->timed_bursts & 15) == 0 ? rte_rdtsc() : 0;
    int kernel = 0;
    int nic = 0;
    int drop = 0;
    /* Two passes, as the Java's BalancingAgent: parse every frame and prefetch the connection slots they need,
     * then decide each. */
    for (int i = 0; CREF_PREFETCH && i < PREFETCH_OFFSET && i < received; i++) {
        rte_prefetch0(rte_pktmbuf_mtod(rx[i], void *));
    }
    for (int i = 0; i < received; i++) {
        if (CREF_PREFETCH && i + PREFETCH_OFFSET < received) {
            rte_prefetch0(rte_pktmbuf_mtod(rx[i + PREFETCH_OFFSET], void *));
        }
        pipeline_prepare(&w->pipeline, i, rte_pktmbuf_mtod(rx[i], uint8_t *), rx[i]->data_len);
    }
    pipeline_warm(&w->pipeline, received);
    for (int i = 0; i < received; i++) {
        struct rte_mbuf *m = rx[i];
        const int verdict = pipeline_decide(&w->pipeline, i, rte_pktmbuf_mtod(m, uint8_t *), m->data_len,
            m->buf_len - m->data_off, v, now);
        w->ingress[verdict]++;
        if (verdict == V_ACCEPT || verdict == V_PASS) {
            w->to_kernel[kernel++] = m;
        } else if (verdict == V_REPLY) {
            m->data_len = (uint16_t)w->pipeline.last_length;
            m->pkt_len = (uint32_t)w->pipeline.last_length;
            w->to_nic[nic++] = m;
        } else {
            if (verdict == V_DROP_MALFORMED) {
                w->parse[w->pipeline.last_parse_result]++;
            }
            w->to_drop[drop++] = m;
        }
    }
    w->rx_from_nic += received;
    send_bursts(w, kernel, nic, drop);
    if (start != 0) {
        record_latency(w, start);
    }
    return received;
}

static inline int from_kernel(struct worker *w, const struct cref_view *v, int64_t now)
{
    struct rte_mbuf **rx = w->rx;
    const uint16_t received = rte_eth_rx_burst(w->kernel_port, 0, rx, w->burst);
    if (received == 0) {
        return 0;
    }
    int nic = 0;
    int drop = 0;
    for (int i = 0; i < received; i++) {
        struct rte_mbuf *m = rx[i];
        const int verdict = pipeline_egress(&w->pipeline, rte_pktmbuf_mtod(m, uint8_t *), m->data_len, v, now);
        w->egress[verdict]++;
        if (verdict == V_PASS) {
            w->to_nic[nic++] = m;
        } else {
            if (verdict == V_DROP_MALFORMED) {
                w->parse[w->pipeline.last_parse_result]++;
            }
            w->to_drop[drop++] = m;
        }
    }
    w->rx_from_kernel += received;
    send_bursts(w, 0, nic, drop);
    return received;
}

static int worker_main(void *arg)
{
    struct worker *w = arg;
    if (w->cpu >= 0) {
        rte_cpuset_t set;
        CPU_ZERO(&set);
        CPU_SET(w->cpu, &set);
        if (rte_thread_set_affinity(&set) != 0) {
            fprintf(stderr, "lb-cref: cannot pin the worker to cpu %d\n", w->cpu);
        }
    }
    while (worker_running) {
        const struct cref_view *v = __atomic_load_n(&current_view, __ATOMIC_ACQUIRE);
        if (__atomic_load_n(&observed_version, __ATOMIC_RELAXED) != v->version) {
            __atomic_store_n(&observed_version, v->version, __ATOMIC_RELEASE);
        }
        const int64_t now = now_ms();
        const int work = from_nic(w, v, now) + from_kernel(w, v, now);
        if (work > 0) {
            publish(w);
        }
    }
    publish(w);
    return 0;
}

/* ---- set-up ---- */

static void on_signal(int signal_number)
{
    stop_signal = signal_number;
}

static void die(const char *what, int error)
{
    fprintf(stderr, "lb-cref: %s: %s\n", what, rte_strerror(error < 0 ? -error : error));
    rte_exit(EXIT_FAILURE, "lb-cref: giving up\n");
}

static uint16_t open_port(const char *name, const struct options *o, struct rte_mempool *pool, uint64_t *mac)
{
    uint16_t port;
    char what[256];
    if (rte_eth_dev_get_port_by_name(name, &port) != 0) {
        fprintf(stderr, "lb-cref: no DPDK port named '%s' (give a name from the EAL --vdev/-a arguments)\n", name);
        rte_exit(EXIT_FAILURE, "lb-cref: giving up\n");
    }
    struct rte_eth_conf conf;
    memset(&conf, 0, sizeof(conf));
    int rc = rte_eth_dev_configure(port, 1, 1, &conf);
    snprintf(what, sizeof(what), "rte_eth_dev_configure(%s)", name);
    if (rc != 0) {
        die(what, rc);
    }
    uint16_t nb_rx = (uint16_t)o->rx_desc;
    uint16_t nb_tx = (uint16_t)o->tx_desc;
    if ((rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rx, &nb_tx)) != 0) {
        die("rte_eth_dev_adjust_nb_rx_tx_desc", rc);
    }
    const int socket = rte_eth_dev_socket_id(port) < 0 ? 0 : rte_eth_dev_socket_id(port);
    if ((rc = rte_eth_rx_queue_setup(port, 0, nb_rx, socket, NULL, pool)) != 0) {
        die("rte_eth_rx_queue_setup", rc);
    }
    if ((rc = rte_eth_tx_queue_setup(port, 0, nb_tx, socket, NULL)) != 0) {
        die("rte_eth_tx_queue_setup", rc);
    }
    if (o->promiscuous && rte_eth_promiscuous_enable(port) != 0) {
        printf("lb-cref: port %s has no promiscuous mode; continuing without it\n", name);
    }
    if ((rc = rte_eth_dev_start(port)) != 0) {
        die("rte_eth_dev_start", rc);
    }
    struct rte_ether_addr addr;
    if ((rc = rte_eth_macaddr_get(port, &addr)) != 0) {
        die("rte_eth_macaddr_get", rc);
    }
    uint64_t bits = 0;
    for (int i = 0; i < RTE_ETHER_ADDR_LEN; i++) {
        bits = (bits << 8) | addr.addr_bytes[i];
    }
    *mac = bits;
    printf("lb-cref: port %u (%s) started, mac %02x:%02x:%02x:%02x:%02x:%02x, %u rx / %u tx descriptors\n", port,
        name, addr.addr_bytes[0], addr.addr_bytes[1], addr.addr_bytes[2], addr.addr_bytes[3], addr.addr_bytes[4],
        addr.addr_bytes[5], nb_rx, nb_tx);
    return port;
}

static int64_t random_seed(void)
{
    int64_t seed;
    if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed)) {
        seed = (int64_t)rte_rdtsc();
    }
    return seed;
}

/* Frees what waits in the rx queues after the worker stopped: at most a pool's worth per queue (Dataplane.drain). */
static uint64_t drain(uint16_t port, unsigned pool_size)
{
    struct rte_mbuf *burst[32];
    uint64_t drained = 0;
    uint16_t n;
    while (drained < pool_size && (n = rte_eth_rx_burst(port, 0, burst, 32)) > 0) {
        rte_pktmbuf_free_bulk(burst, n);
        drained += n;
    }
    return drained;
}

static int write_latency(const struct worker *w, const char *file)
{
    FILE *out = fopen(file, "w");
    if (out == NULL) {
        fprintf(stderr, "lb-cref: cannot write %s: %s\n", file, strerror(errno));
        return -1;
    }
    for (int ns = 0; ns <= LATENCY_MAX_NS; ns++) {
        if (w->latency[ns] != 0) {
            fprintf(out, "%d %" PRIu64 "\n", ns, w->latency[ns]);
        }
    }
    if (w->latency_overflow != 0) {
        /* Longer bursts are counted at one value past the range (as the Java clamps to its histogram's top). */
        fprintf(out, "%d %" PRIu64 "\n", LATENCY_MAX_NS + 1, w->latency_overflow);
    }
    return fclose(out);
}

static uint64_t dropped_total(void)
{
    uint64_t total = 0;
    for (int v = V_FIRST_DROP; v < V_COUNT; v++) {
        total += sub(&published.ingress[v]);
    }
    return total;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const int consumed = rte_eal_init(argc, argv);
    if (consumed < 0) {
        rte_exit(EXIT_FAILURE, "lb-cref: rte_eal_init failed: %s\n", rte_strerror(rte_errno));
    }
    argc -= consumed;
    argv += consumed;
    struct options o;
    parse_options(argc, argv, &o);

    static struct cref_view view;
    if (view_load(&view, o.view) != 0) {
        rte_exit(EXIT_FAILURE, "lb-cref: the view file is unusable\n");
    }
    const unsigned worker_lcore = rte_get_next_lcore(-1, 1, 0);
    if (worker_lcore >= RTE_MAX_LCORE) {
        rte_exit(EXIT_FAILURE, "lb-cref: EAL gave no worker lcore: give two, e.g. -l 0,1\n");
    }
    tsc_per_ms = rte_get_tsc_hz() / 1000;

    struct rte_mempool *pool = rte_pktmbuf_pool_create("lb_cref_pool", (unsigned)o.mbufs, (unsigned)o.mbuf_cache,
        0, (uint16_t)o.mbuf_size, (int)rte_socket_id());
    if (pool == NULL) {
        rte_exit(EXIT_FAILURE, "lb-cref: rte_pktmbuf_pool_create(%d mbufs of %d bytes): %s\n", o.mbufs, o.mbuf_size,
            rte_strerror(rte_errno));
    }
    uint64_t nic_mac;
    uint64_t kernel_mac;
    const uint16_t nic_port = open_port(o.nic, &o, pool, &nic_mac);
    const uint16_t kernel_port = open_port(o.kernel, &o, pool, &kernel_mac);
    if (nic_port == kernel_port) {
        rte_exit(EXIT_FAILURE, "lb-cref: --kernel names the same port as --nic\n");
    }
    if (view.source_mac_is_nic) {
        view.source_mac = nic_mac;
    }

    /* The tables exactly as BalanceMode sizes them. */
    static struct cref_table connections;
    static struct cref_table affinity;
    static struct cref_table fragments;
    static struct connection_timeouts connection_timeouts;
    static struct affinity_timeouts affinity_timeouts;
    static int64_t fragment_timeout_ms;
    connection_timeouts = (struct connection_timeouts) {
        .syn_seen = view.timeout_syn_seen_ms, .established = view.timeout_established_ms,
        .closing = view.timeout_closing_ms, .udp = view.timeout_udp_ms, .gre = view.timeout_gre_ms,
        .ipsec = view.timeout_ipsec_ms,
    };
    for (int slot = 0; slot < view.rule_count; slot++) {
        affinity_timeouts.by_rule[slot] = view.extended_affinity_ms[slot];
    }
    fragment_timeout_ms = view.timeout_fragment_ms;
    const int fragment_capacity = o.connections / 16 > 1024 ? o.connections / 16 : 1024;
    if (table_init(&connections, o.connections, view.probe_limit_connections, 5, random_seed(), connection_timeout,
            &connection_timeouts, META_SYN_SEEN, o.connections / 8) != 0 || table_enable_counts(&connections) != 0 ||
        table_init(&affinity, o.sticky_clients, view.probe_limit_sticky, 3, random_seed(), affinity_timeout,
            &affinity_timeouts, 0, 0) != 0 ||
        table_init(&fragments, fragment_capacity, view.probe_limit_fragments, 5, FRAGMENT_SEED, fragment_timeout,
            &fragment_timeout_ms, 0, 0) != 0) {
        rte_exit(EXIT_FAILURE, "lb-cref: cannot allocate the tables (--table-pages hugetlb needs free pages in "
            "/proc/sys/vm/nr_hugepages)\n");
    }
    printf("lb-cref: tables: connections %.1f MiB on %s; sticky clients %.1f MiB on %s; fragments %.1f MiB on %s\n",
        connections.memory_length / 1048576.0, pages_kind_name(connections.pages.kind),
        affinity.memory_length / 1048576.0, pages_kind_name(affinity.pages.kind),
        fragments.memory_length / 1048576.0, pages_kind_name(fragments.pages.kind));

    static struct worker w;
    memset(&w, 0, sizeof(w));
    w.nic_port = nic_port;
    w.kernel_port = kernel_port;
    w.burst = (uint16_t)o.burst;
    w.cpu = o.cpu;
    w.pipeline.kernel_mac = kernel_mac;
    w.pipeline.nic_mac = nic_mac;
    w.pipeline.classifier = (struct classifier) {
        .connections = &connections, .affinity = &affinity, .fragments = &fragments,
    };
    w.ns_per_cycle = 1e9 / (double)rte_get_tsc_hz();
    if (o.latency_out != NULL) {
        w.latency = calloc(LATENCY_MAX_NS + 1, sizeof(uint64_t));
        if (w.latency == NULL) {
            rte_exit(EXIT_FAILURE, "lb-cref: cannot allocate the latency histogram\n");
        }
        memset(w.latency, 0, (LATENCY_MAX_NS + 1) * sizeof(uint64_t));
        w.latency_initial = w.latency;
        w.latency_steady = o.latency_warmup == 0 ? w.latency : calloc(LATENCY_MAX_NS + 1, sizeof(uint64_t));
        if (w.latency_steady == NULL) {
            rte_exit(EXIT_FAILURE, "lb-cref: cannot allocate the latency histogram\n");
        }
        w.latency_warmup_cycles = (uint64_t)(o.latency_warmup * (double)rte_get_tsc_hz());
        w.latency_warm = o.latency_warmup == 0;
    }
    __atomic_store_n(&current_view, &view, __ATOMIC_RELEASE);

    printf("lb-cref: view %s: host %d, %d VIPs, %d rules, %d buckets; connections %d (half-open %d), "
        "sticky clients %d, fragments %d\n", o.view, view.host_id, view.vip_count, view.rule_count,
        view.bucket_count, o.connections, o.connections / 8, o.sticky_clients, fragment_capacity);
    printf("lb-cref: worker on lcore %u%s%d, burst %d, busy polling; main lcore %u prints stats and sweeps\n",
        worker_lcore, o.cpu >= 0 ? " pinned to cpu " : " (EAL's cpu set) cpu ",
        o.cpu >= 0 ? o.cpu : (int)rte_lcore_to_cpu_id((int)worker_lcore), o.burst, rte_get_main_lcore());

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    const int rc = rte_eal_remote_launch(worker_main, &w, worker_lcore);
    if (rc != 0) {
        rte_exit(EXIT_FAILURE, "lb-cref: cannot launch the worker: %s\n", rte_strerror(-rc));
    }
    printf("lb-cref: running; SIGINT or SIGTERM stops\n");

    /* The main lcore is the conductor: table sweeps, stats, the stop condition; a 1 ms duty cycle. */
    const uint64_t hz = rte_get_tsc_hz();
    const uint64_t started = rte_rdtsc();
    const uint64_t stop_at = o.duration > 0 ? started + (uint64_t)(o.duration * (double)hz) : 0;
    const uint64_t interval = (uint64_t)(o.stats_interval * (double)hz);
    uint64_t next_stats = started + interval;
    uint64_t last_stats = started;
    uint64_t last_rx = 0;
    int64_t last_sweep_ms = now_ms();
    const char *reason = NULL;
    while (reason == NULL) {
        const struct timespec millisecond = { 0, 1000000 };
        nanosleep(&millisecond, NULL);
        const int64_t now = now_ms();
        const int64_t elapsed = now - last_sweep_ms;
        if (elapsed > 0) {
            last_sweep_ms = now;
            const struct cref_table *tables[] = { &connections, &affinity, &fragments };
            for (int t = 0; t < 3; t++) {
                const int64_t capacity = tables[t]->capacity;
                const int64_t due = capacity * elapsed / SWEEP_PASS_MS + 1;
                table_sweep(tables[t], now, (int)(due < capacity ? due : capacity));
            }
        }
        const uint64_t tsc = rte_rdtsc();
        if (interval > 0 && tsc >= next_stats) {
            const uint64_t rx = sub(&published.rx_from_nic);
            const double seconds = (double)(tsc - last_stats) / (double)hz;
            printf("lb-cref: stats: rx %" PRIu64 " accepted %" PRIu64 " dropped %" PRIu64 " pps %.0f\n", rx,
                sub(&published.ingress[V_ACCEPT]), dropped_total(), (double)(rx - last_rx) / seconds);
            last_rx = rx;
            last_stats = tsc;
            next_stats += interval;
        }
        if (stop_signal != 0) {
            reason = stop_signal == SIGINT ? "SIGINT" : "SIGTERM";
        } else if (stop_at != 0 && tsc >= stop_at) {
            reason = "--duration reached";
        }
    }
    printf("lb-cref: stopping (%s)\n", reason);
    worker_running = 0;
    rte_eal_wait_lcore(worker_lcore);
    const double ran = (double)(rte_rdtsc() - started) / (double)hz;

    const uint64_t drained = drain(nic_port, pool->size) + drain(kernel_port, pool->size);
    printf("lb-cref: rx %" PRIu64 " from the nic in %.3f s (%.0f pps), %" PRIu64 " from the kernel; tx dropped %"
        PRIu64 "; stateless fallbacks %" PRIu64 ", half-open refusals %" PRIu64 "; drained %" PRIu64 "\n",
        published.rx_from_nic, ran, (double)published.rx_from_nic / ran, published.rx_from_kernel,
        published.tx_dropped, published.stateless_fallbacks, published.half_open_refusals, drained);
    printf("lb-cref: verdicts:");
    for (int v = 0; v < V_COUNT; v++) {
        printf(" %s=%" PRIu64, VERDICT_CONSTANTS[v], published.ingress[v]);
    }
    printf("\n");
    printf("lb-cref: egress verdicts:");
    for (int v = 0; v < V_COUNT; v++) {
        printf(" %s=%" PRIu64, VERDICT_CONSTANTS[v], published.egress[v]);
    }
    printf("\n");
    printf("lb-cref: malformed:");
    for (int r = 1; r < PR_COUNT; r++) {
        if (published.parse[r] != 0) {
            printf(" %s=%" PRIu64, PARSE_RESULT_NAMES[r], published.parse[r]);
        }
    }
    printf("\n");
    printf("lb-cref: tables: connections live %" PRId64 " half-open %" PRId64 ", sticky clients live %" PRId64
        ", fragments live %" PRId64 " (as of the last sweep pass)\n", table_live_entries(&connections),
        table_capped_count(&connections), table_live_entries(&affinity), table_live_entries(&fragments));
    int exit_code = EXIT_SUCCESS;
    if (w.latency != NULL) {
        if (write_latency(&w, o.latency_out) != 0) {
            exit_code = EXIT_FAILURE;
        } else {
            printf("lb-cref: burst latency of %" PRIu64 " bursts written to %s (%" PRIu64 " over %d ns)\n",
                w.latency_bursts, o.latency_out, w.latency_overflow, LATENCY_MAX_NS);
        }
        if (w.latency_steady != w.latency_initial) {
            free(w.latency_steady);
        }
        free(w.latency_initial);
    }

    rte_eth_dev_stop(nic_port);
    rte_eth_dev_stop(kernel_port);
    rte_eth_dev_close(nic_port);
    rte_eth_dev_close(kernel_port);
    const unsigned in_use = rte_mempool_in_use_count(pool);
    printf("lb-cref: mbufs in use at exit: %u\n", in_use);
    rte_mempool_free(pool);
    table_free(&connections);
    table_free(&affinity);
    table_free(&fragments);
    rte_eal_cleanup();
    return exit_code;
}
