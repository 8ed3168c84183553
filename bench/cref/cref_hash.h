/*
 * Network-order byte access, SipHash-1-3 and the flow hash: ports of lb.dataplane.packet.NetworkBytes,
 * lb.dataplane.hash.SipHash13 and lb.dataplane.hash.FlowHasher.
 */
#ifndef CREF_HASH_H
#define CREF_HASH_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>

/* ---- big-endian reads and writes at any alignment (NetworkBytes) ---- */

static inline uint32_t rd8(const uint8_t *p) { return *p; }

static inline uint32_t rd16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return rte_be_to_cpu_16(v);
}

static inline uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return rte_be_to_cpu_32(v);
}

static inline uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return rte_be_to_cpu_64(v);
}

static inline void wr8(uint8_t *p, uint32_t v) { *p = (uint8_t)v; }

static inline void wr16(uint8_t *p, uint32_t v)
{
    uint16_t b = rte_cpu_to_be_16((uint16_t)v);
    memcpy(p, &b, 2);
}

static inline void wr32(uint8_t *p, uint32_t v)
{
    uint32_t b = rte_cpu_to_be_32(v);
    memcpy(p, &b, 4);
}

static inline void wr64(uint8_t *p, uint64_t v)
{
    uint64_t b = rte_cpu_to_be_64(v);
    memcpy(p, &b, 8);
}

/* A MAC as the low 48 bits of a word, first byte on the wire in bits 47..40 (pipeline.Macs). */
static inline uint64_t rd_mac(const uint8_t *p) { return ((uint64_t)rd16(p) << 32) | rd32(p + 2); }

static inline void wr_mac(uint8_t *p, uint64_t mac)
{
    wr16(p, (uint32_t)(mac >> 32));
    wr32(p + 2, (uint32_t)mac);
}

static inline int mac_is_group(uint64_t mac) { return (mac & 0x010000000000ULL) != 0; }

static inline uint64_t rotl64(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

/* ---- SipHash-1-3 over the fixed 24-byte message LE64(w0) || LE64(w1) || LE64(w2) (SipHash13) ---- */

#define SIP_ROUND(v0, v1, v2, v3) do { \
        v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32); \
        v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2; \
        v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0; \
        v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32); \
    } while (0)

/* Always inlined: the JIT inlines the Java one into the classifier, and it is called once per packet. */
static __rte_always_inline uint64_t siphash13(uint64_t k0, uint64_t k1, uint64_t w0, uint64_t w1, uint64_t w2)
{
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
    uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
    uint64_t v3 = k1 ^ 0x7465646279746573ULL;
    const uint64_t m[4] = { w0, w1, w2, 24ULL << 56 };
    for (int word = 0; word < 4; word++) {
        v3 ^= m[word];
        SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m[word];
    }
    v2 ^= 0xff;
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

/* ---- the flow hash of an affinity key (FlowHasher) ---- */

enum cref_affinity { AFFINITY_NONE = 0, AFFINITY_SINGLE = 1, AFFINITY_NETWORK = 2 };

#define IPV4_MAPPED_PREFIX 0x0000ffff00000000ULL

struct cref_hasher {
    uint64_t k0;
    uint64_t k1;
    uint64_t ipv6_mask_hi;
    uint64_t ipv6_mask_lo;
};

static inline uint64_t prefix_mask(int bits) { return bits == 0 ? 0 : ~0ULL << (64 - bits); }

static inline void hasher_init(struct cref_hasher *h, uint64_t k0, uint64_t k1, int ipv6_prefix)
{
    h->k0 = k0;
    h->k1 = k1;
    h->ipv6_mask_hi = prefix_mask(ipv6_prefix < 64 ? ipv6_prefix : 64);
    h->ipv6_mask_lo = prefix_mask(ipv6_prefix - 64 > 0 ? ipv6_prefix - 64 : 0);
}

/* address: the IPv4 client address, first octet in the top byte. */
static inline uint64_t hash_ipv4(const struct cref_hasher *h, uint32_t address, uint32_t port, int affinity)
{
    const uint32_t a = affinity == AFFINITY_NETWORK ? address & 0xffffff00u : address;
    return siphash13(h->k0, h->k1, 0, IPV4_MAPPED_PREFIX | a, affinity == AFFINITY_NONE ? port : 0);
}

static inline uint64_t hash_ipv6(const struct cref_hasher *h, uint64_t hi, uint64_t lo, uint32_t port, int affinity)
{
    if (affinity == AFFINITY_NETWORK) {
        return siphash13(h->k0, h->k1, hi & h->ipv6_mask_hi, lo & h->ipv6_mask_lo, 0);
    }
    return siphash13(h->k0, h->k1, hi, lo, affinity == AFFINITY_NONE ? port : 0);
}

/* Long.remainderUnsigned(hash, bucketCount). */
static inline int hash_bucket(uint64_t hash, uint32_t bucket_count) { return (int)(hash % bucket_count); }

#endif
