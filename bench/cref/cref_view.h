/*
 * The view a worker decides from: a port of lb.dataplane.view.DataplaneView (same arrays, same VIP scan, same
 * two-level binary search over sorted port ranges), loaded from the file lb.bench.cref.ViewExport writes.
 *
 * File format (ASCII, one item per line, fields separated by single spaces; '#' starts a comment to the end of
 * the line; numbers shown as HEX are 16 hex digits without 0x, the others decimal):
 *
 *   lb-cref-view 1                                   first line: format and version
 *   host-id N                                        this host
 *   epoch N
 *   bucket-count N                                   buckets per multiple-host rule, 1..65536
 *   secret HEX(k0) HEX(k1)                           SipHash key words (ClusterSecret.k0/k1)
 *   ipv6-network-prefix N                            0..128
 *   cluster-mac HEX                                  low 48 bits
 *   source-mac HEX | nic                             masked MAC (unicast), or the NIC's own MAC
 *   tracks-udp 0|1                                   cluster udp-flow-timeout set
 *   timeout-ms syn-seen|established|closing|udp|gre|ipsec|fragment N
 *   probe-limit connections|sticky-clients|fragments N
 *   vips N                                           before any vip line
 *   vip INDEX HEX(hi) HEX(lo) ANSWERABLE             IPv4 as IPv4-mapped (hi 0, lo 0000ffff<addr>)
 *   rules N                                          configured rules; slot N is the default rule
 *   rule SLOT FILTERING AFFINITY STATE EXT-AFFINITY-MS SINGLE-OWNER SINGLE-OWNER-MOVED
 *        FILTERING multiple|single|disabled, AFFINITY none|single|network, STATE enabled|disabled|draining
 *   owned SLOT HEX...                                multiple-host rules: (bucket-count + 63) / 64 words,
 *   dirty SLOT HEX...                                bucket b at bit b % 64 of word b / 64
 *   range VIP|all tcp|udp START END SLOT             one sorted, non-overlapping port range of a rule table
 *   hash-check 4|6 HEX(hi) HEX(lo) PORT AFFINITY HEX(hash)   a flow hash the Java computed; verified at load
 *   end
 */
#ifndef CREF_VIEW_H
#define CREF_VIEW_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cref_hash.h"
#include "cref_table.h"

#define VIEW_MULTIPLE 0
#define VIEW_SINGLE 1
#define VIEW_DISABLED 2

#define VIEW_ENABLED 0
#define VIEW_RULE_DISABLED 1
#define VIEW_DRAINING 2

#define VIEW_MAX_SLOTS 256
#define VIEW_MAX_VIPS 1024

/* One sorted port-range table of DataplaneView (rangeStart/rangeEnd/rangeSlot of one VIP x protocol). */
struct range_table {
    int count;
    int32_t *start;
    int32_t *end;
    int32_t *slot;
};

struct cref_view {
    int64_t epoch;
    int64_t version;
    int host_id;
    int bucket_count;
    struct cref_hasher hasher;

    int vip_count;
    uint64_t *vip_hi;
    uint64_t *vip_lo;
    uint8_t *vip_answerable;

    /* (VIP index, or vip_count for every VIP) << 1 | (0 TCP, 1 UDP). */
    struct range_table *tables;

    int rule_count;
    uint8_t filtering[VIEW_MAX_SLOTS];
    uint8_t affinity[VIEW_MAX_SLOTS];
    uint8_t state[VIEW_MAX_SLOTS];
    int64_t extended_affinity_ms[VIEW_MAX_SLOTS];
    int single_owner[VIEW_MAX_SLOTS];
    uint64_t *owned[VIEW_MAX_SLOTS];
    uint64_t *dirty[VIEW_MAX_SLOTS];
    uint8_t single_owner_moved[VIEW_MAX_SLOTS];
    uint64_t ipv6_mask_hi;
    uint64_t ipv6_mask_lo;
    uint64_t cluster_mac;
    uint64_t source_mac;
    int source_mac_is_nic;
    int tracks_udp;

    /* Table settings carried by the file (not part of DataplaneView). */
    int64_t timeout_syn_seen_ms;
    int64_t timeout_established_ms;
    int64_t timeout_closing_ms;
    int64_t timeout_udp_ms;
    int64_t timeout_gre_ms;
    int64_t timeout_ipsec_ms;
    int64_t timeout_fragment_ms;
    int probe_limit_connections;
    int probe_limit_sticky;
    int probe_limit_fragments;
};

static inline int view_vip_index(const struct cref_view *v, uint64_t hi, uint64_t lo)
{
    const uint64_t *vip_lo = v->vip_lo;
    for (int i = 0; i < v->vip_count; i++) {
        if (vip_lo[i] == lo && v->vip_hi[i] == hi) {
            return i;
        }
    }
    return -1;
}

static inline int view_find(const struct cref_view *v, int table, int port)
{
    const struct range_table *r = &v->tables[table];
    const int32_t *starts = r->start;
    int low = 0;
    int high = r->count - 1;
    while (low <= high) {
        const int mid = (int)((unsigned)(low + high) >> 1);
        if (starts[mid] <= port) {
            low = mid + 1;
        } else {
            high = mid - 1;
        }
    }
    return high >= 0 && port <= r->end[high] ? r->slot[high] : -1;
}

static inline int view_rule_slot(const struct cref_view *v, int vip_index, int protocol, int port)
{
    const int p = protocol == 6 ? 0 : protocol == 17 ? 1 : -1;
    if (p < 0) {
        return v->rule_count;
    }
    int slot = view_find(v, (vip_index << 1) | p, port);
    if (slot < 0) {
        slot = view_find(v, (v->vip_count << 1) | p, port);
    }
    return slot < 0 ? v->rule_count : slot;
}

static inline int view_owns(const struct cref_view *v, int slot, int bucket)
{
    return (v->owned[slot][(unsigned)bucket >> 6] & (1ULL << (bucket & 63))) != 0;
}

static inline int view_is_dirty(const struct cref_view *v, int slot, int bucket)
{
    return (v->dirty[slot][(unsigned)bucket >> 6] & (1ULL << (bucket & 63))) != 0;
}

/* ---- loading ---- */

static int view_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "lb-cref: %s:%d: %s\n", file, line, what);
    return -1;
}

static int view_parse_hex(const char *text, uint64_t *out)
{
    char *end;
    if (text == NULL) {
        return -1;
    }
    errno = 0;
    *out = strtoull(text, &end, 16);
    return errno != 0 || *end != '\0' || end == text ? -1 : 0;
}

static int view_parse_long(const char *text, int64_t *out)
{
    char *end;
    if (text == NULL) {
        return -1;
    }
    errno = 0;
    *out = strtoll(text, &end, 10);
    return errno != 0 || *end != '\0' || end == text ? -1 : 0;
}

static int view_word(const char *text, const char *const *names, int count)
{
    for (int i = 0; text != NULL && i < count; i++) {
        if (strcmp(text, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static const char *const VIEW_FILTERING_NAMES[] = { "multiple", "single", "disabled" };
static const char *const VIEW_AFFINITY_NAMES[] = { "none", "single", "network" };
static const char *const VIEW_STATE_NAMES[] = { "enabled", "disabled", "draining" };

/* Appends a range to a table (the file lists each table's ranges in ascending order). */
static int view_add_range(struct range_table *r, int start, int end, int slot)
{
    const int n = r->count + 1;
    int32_t *s = realloc(r->start, n * sizeof(int32_t));
    int32_t *e = s == NULL ? NULL : realloc(r->end, n * sizeof(int32_t));
    int32_t *l = e == NULL ? NULL : realloc(r->slot, n * sizeof(int32_t));
    if (s != NULL) {
        r->start = s;
    }
    if (e != NULL) {
        r->end = e;
    }
    if (l == NULL) {
        return -1;
    }
    r->slot = l;
    r->start[n - 1] = start;
    r->end[n - 1] = end;
    r->slot[n - 1] = slot;
    r->count = n;
    return 0;
}

#define VIEW_MAX_FIELDS 1100

/* Loads a view file; 0 on success, -1 after printing the file, line and reason. */
static int view_load(struct cref_view *v, const char *file)
{
    FILE *in = fopen(file, "r");
    if (in == NULL) {
        fprintf(stderr, "lb-cref: cannot read view file %s: %s\n", file, strerror(errno));
        return -1;
    }
    memset(v, 0, sizeof(*v));
    v->version = 1;
    v->rule_count = -1;
    v->vip_count = -1;
    static char line[65536];
    char *f[VIEW_MAX_FIELDS];
    int number = 0;
    int ended = 0;
    int hash_checks = 0;
    uint64_t k0 = 0;
    uint64_t k1 = 0;
    int64_t prefix = -1;
    int rc = 0;
    while (rc == 0 && !ended && fgets(line, sizeof(line), in) != NULL) {
        number++;
        char *hash = strchr(line, '#');
        if (hash != NULL) {
            *hash = '\0';
        }
        int n = 0;
        for (char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save); tok != NULL && n < VIEW_MAX_FIELDS;
             tok = strtok_r(NULL, " \t\r\n", &save)) {
            f[n++] = tok;
        }
        for (int i = n; i < VIEW_MAX_FIELDS && i < n + 8; i++) {
            f[i] = NULL;
        }
        if (n == 0) {
            continue;
        }
        int64_t a = 0;
        int64_t b = 0;
        uint64_t x = 0;
        uint64_t y = 0;
        if (number == 1) {
            if (strcmp(f[0], "lb-cref-view") != 0 || f[1] == NULL || strcmp(f[1], "1") != 0) {
                rc = view_fail(file, number, "not a view file of format 'lb-cref-view 1' (write it with ViewExport)");
            }
            continue;
        }
        if (strcmp(f[0], "host-id") == 0 && view_parse_long(f[1], &a) == 0 && a > 0 && a <= 65535) {
            v->host_id = (int)a;
        } else if (strcmp(f[0], "epoch") == 0 && view_parse_long(f[1], &a) == 0) {
            v->epoch = a;
        } else if (strcmp(f[0], "bucket-count") == 0 && view_parse_long(f[1], &a) == 0 && a >= 1 && a <= 65536) {
            v->bucket_count = (int)a;
        } else if (strcmp(f[0], "secret") == 0 && view_parse_hex(f[1], &k0) == 0 && view_parse_hex(f[2], &k1) == 0) {
            continue;
        } else if (strcmp(f[0], "ipv6-network-prefix") == 0 && view_parse_long(f[1], &prefix) == 0 && prefix >= 0 &&
            prefix <= 128) {
            v->ipv6_mask_hi = prefix_mask(prefix < 64 ? (int)prefix : 64);
            v->ipv6_mask_lo = prefix_mask(prefix - 64 > 0 ? (int)prefix - 64 : 0);
            hasher_init(&v->hasher, k0, k1, (int)prefix);
        } else if (strcmp(f[0], "cluster-mac") == 0 && view_parse_hex(f[1], &x) == 0) {
            v->cluster_mac = x;
        } else if (strcmp(f[0], "source-mac") == 0 && f[1] != NULL && strcmp(f[1], "nic") == 0) {
            v->source_mac_is_nic = 1;
        } else if (strcmp(f[0], "source-mac") == 0 && view_parse_hex(f[1], &x) == 0) {
            v->source_mac = x;
        } else if (strcmp(f[0], "tracks-udp") == 0 && view_parse_long(f[1], &a) == 0) {
            v->tracks_udp = a != 0;
        } else if (strcmp(f[0], "timeout-ms") == 0 && f[1] != NULL && view_parse_long(f[2], &a) == 0 && a >= 0) {
            static const char *const names[] = { "syn-seen", "established", "closing", "udp", "gre", "ipsec",
                "fragment" };
            int64_t *fields[] = { &v->timeout_syn_seen_ms, &v->timeout_established_ms, &v->timeout_closing_ms,
                &v->timeout_udp_ms, &v->timeout_gre_ms, &v->timeout_ipsec_ms, &v->timeout_fragment_ms };
            const int which = view_word(f[1], names, 7);
            if (which < 0) {
                rc = view_fail(file, number, "unknown timeout name");
            } else {
                *fields[which] = a;
            }
        } else if (strcmp(f[0], "probe-limit") == 0 && f[1] != NULL && view_parse_long(f[2], &a) == 0 && a >= 1 &&
            a <= TABLE_MAX_PROBE_LIMIT) {
            static const char *const names[] = { "connections", "sticky-clients", "fragments" };
            int *fields[] = { &v->probe_limit_connections, &v->probe_limit_sticky, &v->probe_limit_fragments };
            const int which = view_word(f[1], names, 3);
            if (which < 0) {
                rc = view_fail(file, number, "unknown probe-limit table");
            } else {
                *fields[which] = (int)a;
            }
        } else if (strcmp(f[0], "vips") == 0 && v->vip_count < 0 && view_parse_long(f[1], &a) == 0 && a >= 0 &&
            a <= VIEW_MAX_VIPS) {
            v->vip_count = (int)a;
            v->vip_hi = calloc(a + 1, sizeof(uint64_t));
            v->vip_lo = calloc(a + 1, sizeof(uint64_t));
            v->vip_answerable = calloc(a + 1, 1);
            v->tables = calloc((a + 1) * 2, sizeof(struct range_table));
            if (v->vip_hi == NULL || v->vip_lo == NULL || v->vip_answerable == NULL || v->tables == NULL) {
                rc = view_fail(file, number, "out of memory");
            }
        } else if (strcmp(f[0], "vip") == 0 && v->vip_count >= 0 && view_parse_long(f[1], &a) == 0 && a >= 0 &&
            a < v->vip_count && view_parse_hex(f[2], &x) == 0 && view_parse_hex(f[3], &y) == 0 &&
            view_parse_long(f[4], &b) == 0) {
            v->vip_hi[a] = x;
            v->vip_lo[a] = y;
            v->vip_answerable[a] = b != 0;
        } else if (strcmp(f[0], "rules") == 0 && v->rule_count < 0 && view_parse_long(f[1], &a) == 0 && a >= 0 &&
            a < VIEW_MAX_SLOTS) {
            v->rule_count = (int)a;
        } else if (strcmp(f[0], "rule") == 0 && v->rule_count >= 0 && view_parse_long(f[1], &a) == 0 && a >= 0 &&
            a <= v->rule_count) {
            int64_t ext;
            int64_t owner;
            int64_t moved;
            const int filtering = view_word(f[2], VIEW_FILTERING_NAMES, 3);
            const int affinity = view_word(f[3], VIEW_AFFINITY_NAMES, 3);
            const int state = view_word(f[4], VIEW_STATE_NAMES, 3);
            if (filtering < 0 || affinity < 0 || state < 0 || view_parse_long(f[5], &ext) != 0 ||
                view_parse_long(f[6], &owner) != 0 || view_parse_long(f[7], &moved) != 0) {
                rc = view_fail(file, number, "expected: rule SLOT FILTERING AFFINITY STATE EXT-MS OWNER MOVED");
            } else {
                v->filtering[a] = (uint8_t)filtering;
                v->affinity[a] = (uint8_t)affinity;
                v->state[a] = (uint8_t)state;
                v->extended_affinity_ms[a] = ext;
                v->single_owner[a] = (int)owner;
                v->single_owner_moved[a] = moved != 0;
            }
        } else if ((strcmp(f[0], "owned") == 0 || strcmp(f[0], "dirty") == 0) && v->rule_count >= 0 &&
            v->bucket_count > 0 && view_parse_long(f[1], &a) == 0 && a >= 0 && a <= v->rule_count) {
            const int words = (v->bucket_count + 63) >> 6;
            uint64_t *bits = calloc(words, sizeof(uint64_t));
            for (int w = 0; bits != NULL && w < words && rc == 0; w++) {
                if (w + 2 >= n || view_parse_hex(f[2 + w], &bits[w]) != 0) {
                    rc = view_fail(file, number, "expected one HEX word per 64 buckets");
                }
            }
            if (bits == NULL) {
                rc = view_fail(file, number, "out of memory");
            } else if (f[0][0] == 'o') {
                v->owned[a] = bits;
            } else {
                v->dirty[a] = bits;
            }
        } else if (strcmp(f[0], "range") == 0 && v->vip_count >= 0 && v->rule_count >= 0 && n == 6) {
            int64_t vip;
            int64_t start;
            int64_t end;
            int64_t slot;
            const int protocol = f[2] != NULL && strcmp(f[2], "tcp") == 0 ? 0 :
                f[2] != NULL && strcmp(f[2], "udp") == 0 ? 1 : -1;
            if (strcmp(f[1], "all") == 0) {
                vip = v->vip_count;
            } else if (view_parse_long(f[1], &vip) != 0 || vip < 0 || vip >= v->vip_count) {
                vip = -1;
            }
            if (vip < 0 || protocol < 0 || view_parse_long(f[3], &start) != 0 || view_parse_long(f[4], &end) != 0 ||
                view_parse_long(f[5], &slot) != 0 || start < 0 || end > 65535 || start > end || slot < 0 ||
                slot >= v->rule_count) {
                rc = view_fail(file, number, "expected: range VIP|all tcp|udp START END SLOT");
            } else {
                struct range_table *r = &v->tables[(vip << 1) | protocol];
                if (r->count > 0 && r->end[r->count - 1] >= start) {
                    rc = view_fail(file, number, "ranges of a table must be sorted and must not overlap");
                } else if (view_add_range(r, (int)start, (int)end, (int)slot) != 0) {
                    rc = view_fail(file, number, "out of memory");
                }
            }
        } else if (strcmp(f[0], "hash-check") == 0 && prefix >= 0 && view_parse_long(f[1], &a) == 0 &&
            view_parse_hex(f[2], &x) == 0 && view_parse_hex(f[3], &y) == 0 && view_parse_long(f[4], &b) == 0) {
            uint64_t expected;
            const int affinity = view_word(f[5], VIEW_AFFINITY_NAMES, 3);
            if (affinity < 0 || view_parse_hex(f[6], &expected) != 0) {
                rc = view_fail(file, number, "expected: hash-check 4|6 HI LO PORT AFFINITY HASH");
            } else {
                const uint64_t hash = a == 4 ? hash_ipv4(&v->hasher, (uint32_t)y, (uint32_t)b, affinity) :
                    hash_ipv6(&v->hasher, x, y, (uint32_t)b, affinity);
                if (hash != expected) {
                    fprintf(stderr, "lb-cref: %s:%d: flow hash %016llx differs from the Java's %016llx\n", file,
                        number, (unsigned long long)hash, (unsigned long long)expected);
                    rc = -1;
                }
                hash_checks++;
            }
        } else if (strcmp(f[0], "end") == 0) {
            ended = 1;
        } else {
            rc = view_fail(file, number, "unknown or malformed line");
        }
    }
    fclose(in);
    if (rc != 0) {
        return rc;
    }
    if (!ended) {
        return view_fail(file, number, "missing 'end': the file is cut off");
    }
    if (v->host_id == 0 || v->bucket_count == 0 || prefix < 0 || v->vip_count < 0 || v->rule_count < 0 ||
        v->probe_limit_connections == 0 || v->probe_limit_sticky == 0 || v->probe_limit_fragments == 0) {
        return view_fail(file, number, "host-id, bucket-count, ipv6-network-prefix, vips, rules and probe-limit "
            "lines are required");
    }
    if (hash_checks == 0) {
        return view_fail(file, number, "no hash-check line: the flow hash was not verified against the Java's");
    }
    for (int slot = 0; slot <= v->rule_count; slot++) {
        if (v->filtering[slot] == VIEW_MULTIPLE && (v->owned[slot] == NULL || v->dirty[slot] == NULL)) {
            return view_fail(file, number, "a multiple-host rule has no owned or dirty line");
        }
    }
    return 0;
}

#endif
