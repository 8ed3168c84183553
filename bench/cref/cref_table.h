/*
 * The lock-free open-addressing table under the connection, extended-affinity and fragment tables: a port of
 * lb.dataplane.table.OffHeapHashTable (layout TableDescriptor, meta word EntryMeta) and of the facades
 * ConnectionTable, AffinityTable and FragmentTable, with the same layout, hash, probing, control-word states,
 * versions, tags, handles, capped (half-open) count and memory orders:
 *
 *   Java VarHandle access        here (GCC __atomic builtins)
 *   getAcquire                   __atomic_load_n(ACQUIRE)
 *   getOpaque / setOpaque        __atomic_load_n / __atomic_store_n (RELAXED)
 *   getVolatile / setVolatile    __atomic_load_n / __atomic_store_n (SEQ_CST)
 *   setRelease                   __atomic_store_n(RELEASE)
 *   compareAndSet, getAndAdd     __atomic_compare_exchange_n, __atomic_fetch_add (SEQ_CST)
 *   plain get/set of key words   __atomic_load_n / __atomic_store_n (RELAXED): plain moves, but no data race
 *   VarHandle.acquireFence       __atomic_thread_fence(ACQUIRE)
 *
 * The benchmark runs one worker, but the tables keep the multi-worker protocol of the Java ones, because that is
 * the work the Java dataplane does per packet. See OffHeapHashTable's Javadoc for why the protocol is correct.
 */
#ifndef CREF_TABLE_H
#define CREF_TABLE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_pause.h>
#include <rte_prefetch.h>

#include "cref_hash.h"
#include "cref_pages.h"

/* Where table_init takes memory from; lb-cref sets it from --table-pages before creating the tables. */
static enum pages_policy table_pages_policy = PAGES_AUTO;

/* ---- TableResult ---- */
#define TABLE_NOT_FOUND ((int64_t)-1)
#define TABLE_PROBE_LIMIT ((int64_t)-2)
#define TABLE_HALF_OPEN_LIMIT ((int64_t)-3)
#define TABLE_CONTENDED ((int64_t)-4)

/* ---- EntryMeta ---- */
#define META_SYN_SEEN 0x01
#define META_ESTABLISHED 0x02
#define META_CLOSING 0x04
#define META_FOREIGN 0x08
#define META_TCP_STATE_MASK (META_SYN_SEEN | META_ESTABLISHED | META_CLOSING)
#define META_KIND_SHIFT 4
#define META_KIND_MASK 0x30
#define META_BUCKET_SHIFT 16
#define META_RULE_SHIFT 32
#define META_FLAGS_SHIFT 40
#define META_STAMP_SHIFT 48
#define META_STAMP_MASK (0x7fffLL << META_STAMP_SHIFT)
#define META_PAYLOAD_MASK ((1LL << META_STAMP_SHIFT) - 1)
#define META_DEAD INT64_MIN

static inline int64_t meta_pack(int owner, int bucket, int rule, int flags)
{
    return (int64_t)(((uint64_t)owner & 0xffff) | (((uint64_t)bucket & 0xffff) << META_BUCKET_SHIFT) |
        (((uint64_t)rule & 0xff) << META_RULE_SHIFT) | (((uint64_t)flags & 0xff) << META_FLAGS_SHIFT));
}

static inline int meta_owner(int64_t meta) { return (int)(meta & 0xffff); }
static inline int meta_bucket(int64_t meta) { return (int)(((uint64_t)meta >> META_BUCKET_SHIFT) & 0xffff); }
static inline int meta_rule(int64_t meta) { return (int)(((uint64_t)meta >> META_RULE_SHIFT) & 0xff); }
static inline int meta_flags(int64_t meta) { return (int)(((uint64_t)meta >> META_FLAGS_SHIFT) & 0xff); }

static inline int64_t meta_with_flags(int64_t meta, int flags)
{
    return (int64_t)(((uint64_t)meta & ~(0xffULL << META_FLAGS_SHIFT)) |
        (((uint64_t)flags & 0xff) << META_FLAGS_SHIFT));
}

static inline int64_t meta_stamp(int64_t version) { return (int64_t)(((uint64_t)version << META_STAMP_SHIFT) & META_STAMP_MASK); }

/* ---- TableDescriptor ---- */
#define TD_HEADER_LENGTH 256
#define TD_CAPPED_COUNT_OFFSET 0
#define TD_EXPIRATIONS_OFFSET 128
#define TD_LIVE_ENTRIES_OFFSET 136
#define TD_SWEEP_CURSOR_OFFSET 144
#define TD_SWEEP_LIVE_OFFSET 152
#define TD_CONTROL_LENGTH 8
#define TD_CONTROL_OFFSET TD_HEADER_LENGTH

#define TD_FREE 0
#define TD_BUSY 1
#define TD_PENDING 2
#define TD_LIVE 3

#define TD_STATE_MASK 3LL
#define TD_TAG_SHIFT 2
#define TD_TAG_MASK 0xffffLL
#define TD_VERSION_SHIFT 18
#define TD_VERSION_MASK ((1LL << 45) - 1)
#define TD_SLOT_MASK ((1LL << 28) - 1)
#define TD_HANDLE_VERSION_SHIFT 28
#define TD_HANDLE_VERSION_MASK ((1LL << 34) - 1)
#define TD_CREATED_BIT (1LL << 62)

#define TABLE_MIN_CAPACITY 1024
#define TABLE_MAX_CAPACITY (1 << 28)
#define TABLE_MAX_PROBE_LIMIT 64
#define TABLE_MAX_INSERT_ATTEMPTS 8
#define TABLE_MAX_READ_RETRIES 4
#define TABLE_MAX_REMOVE_ATTEMPTS 16

static inline int64_t td_control(int64_t version, int64_t tag, int state)
{
    return (int64_t)(((uint64_t)version << TD_VERSION_SHIFT) | ((uint64_t)tag << TD_TAG_SHIFT) | (uint64_t)state);
}
static inline int td_state(int64_t control) { return (int)(control & TD_STATE_MASK); }
static inline int64_t td_tag(int64_t control) { return (int64_t)(((uint64_t)control >> TD_TAG_SHIFT) & TD_TAG_MASK); }
static inline int64_t td_version(int64_t control) { return (int64_t)((uint64_t)control >> TD_VERSION_SHIFT); }
static inline int64_t td_next_version(int64_t control) { return (td_version(control) + 1) & TD_VERSION_MASK; }
static inline int td_same_version(int64_t a, int64_t b)
{
    return ((uint64_t)a >> TD_VERSION_SHIFT) == ((uint64_t)b >> TD_VERSION_SHIFT);
}
static inline int td_visible(int64_t control) { return (control & 2) != 0; }
static inline int64_t td_handle(int slot, int64_t control)
{
    return ((td_version(control) & TD_HANDLE_VERSION_MASK) << TD_HANDLE_VERSION_SHIFT) | slot;
}
static inline int td_handle_matches(int64_t handle, int64_t control)
{
    return (((uint64_t)handle >> TD_HANDLE_VERSION_SHIFT) & TD_HANDLE_VERSION_MASK) ==
        ((uint64_t)td_version(control) & TD_HANDLE_VERSION_MASK);
}

/* ---- the core table ---- */

/* Idle timeout of an entry from its meta word; called by the sweep only. */
typedef int64_t (*table_timeout_fn)(const void *context, int64_t meta);

struct cref_table {
    uint8_t *memory;
    struct pages pages;
    size_t memory_length;
    int capacity;
    int mask;
    int probe_limit;
    int key_words;
    int entry_length;
    int64_t entries_offset;
    int meta_offset;
    int last_seen_offset;
    int64_t seed;
    /* The table hash's secrets, derived from the seed once (table_secrets). */
    uint64_t secret[8];
    int64_t capped_bits;
    int64_t cap_limit;
    table_timeout_fn idle_timeout;
    const void *timeout_context;
    /* Entries per (rule slot, bucket mod 1024) of their meta word, or NULL (OffHeapHashTable.countsBase). */
    int64_t *counts;
};

#define TABLE_COUNTED_BUCKETS 1024

static inline int64_t *t_count_word(const struct cref_table *t, int64_t meta)
{
    return &t->counts[((((uint64_t)meta >> META_RULE_SHIFT) & 0xff) << 10) |
        (((uint64_t)meta >> META_BUCKET_SHIFT) & (TABLE_COUNTED_BUCKETS - 1))];
}

static inline void t_count(const struct cref_table *t, int64_t meta, int64_t delta)
{
    if (t->counts != NULL) {
        __atomic_fetch_add(t_count_word(t, meta), delta, __ATOMIC_SEQ_CST);
    }
}

static inline int t_same_count(int64_t a, int64_t b)
{
    return (((uint64_t)a >> META_RULE_SHIFT) & 0xff) == (((uint64_t)b >> META_RULE_SHIFT) & 0xff) &&
        (((uint64_t)a >> META_BUCKET_SHIFT) & (TABLE_COUNTED_BUCKETS - 1)) ==
        (((uint64_t)b >> META_BUCKET_SHIFT) & (TABLE_COUNTED_BUCKETS - 1));
}

/* Whether no entry of this rule slot and bucket is in the table (OffHeapHashTable.untracked). */
static inline int table_untracked(const struct cref_table *t, int rule, int bucket)
{
    return t->counts != NULL && __atomic_load_n(&t->counts[((rule & 0xff) << 10) | (bucket & (TABLE_COUNTED_BUCKETS - 1))],
        __ATOMIC_ACQUIRE) == 0;
}

/* Starts counting entries per (rule, bucket); before the table is used. 0 on success. */
static inline int table_enable_counts(struct cref_table *t)
{
    t->counts = calloc(256 * TABLE_COUNTED_BUCKETS, sizeof(int64_t));
    return t->counts == NULL ? -1 : 0;
}

#define T_WORD(t, offset) ((int64_t *)((t)->memory + (offset)))

static inline int64_t t_control_offset(int slot) { return TD_CONTROL_OFFSET + (int64_t)slot * TD_CONTROL_LENGTH; }
static inline int64_t t_entry_offset(const struct cref_table *t, int slot)
{
    return t->entries_offset + (int64_t)slot * t->entry_length;
}
static inline int64_t t_control_acquire(const struct cref_table *t, int slot)
{
    return __atomic_load_n(T_WORD(t, t_control_offset(slot)), __ATOMIC_ACQUIRE);
}
static inline int t_cas(const struct cref_table *t, int64_t offset, int64_t expected, int64_t update)
{
    return __atomic_compare_exchange_n(T_WORD(t, offset), &expected, update, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* The slot hash (OffHeapHashTable.hash): wyhash's folded 128-bit multiply ("mum": low ^ high half of the product)
 * over the five key words, each pair mixed with secrets derived from the table's seed, then folded once more. The
 * three first-level products are independent and overlap in the multiplier; the former XXH64-round chain (five
 * dependent rounds and an avalanche) took about three times as long. Unused key words are zero (callers pass 0). */
static inline uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static inline void table_secrets(int64_t seed, int key_words, uint64_t secret[8])
{
    for (int i = 0; i < 8; i++) {
        secret[i] = splitmix64((uint64_t)seed + 0x632BE59BD9B4E019ULL * (uint64_t)(i + 1) + (uint64_t)key_words);
    }
}

static inline uint64_t mum(uint64_t a, uint64_t b)
{
    const unsigned __int128 r = (unsigned __int128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t table_hash_secret(const uint64_t s[8], int64_t k0, int64_t k1, int64_t k2, int64_t k3,
    int64_t k4)
{
    const uint64_t a = mum((uint64_t)k0 ^ s[0], (uint64_t)k1 ^ s[1]);
    const uint64_t b = mum((uint64_t)k2 ^ s[2], (uint64_t)k3 ^ s[3]);
    const uint64_t c = mum((uint64_t)k4 ^ s[4], s[5]);
    return mum(a ^ b ^ s[6], c ^ s[7]);
}

/* 0 on success; the memory is zeroed (every control word FREE, version 0) and 64-byte aligned, as the Arena's. */
static inline int table_init(struct cref_table *t, int capacity, int probe_limit, int key_words, int64_t seed,
    table_timeout_fn idle_timeout, const void *timeout_context, int capped_flags, int64_t cap_limit)
{
    if (capacity < TABLE_MIN_CAPACITY || capacity > TABLE_MAX_CAPACITY || __builtin_popcount(capacity) != 1 ||
        probe_limit < 1 || probe_limit > TABLE_MAX_PROBE_LIMIT || key_words < 1 || key_words > 5 || cap_limit < 0) {
        return -1;
    }
    memset(t, 0, sizeof(*t));
    t->capacity = capacity;
    t->mask = capacity - 1;
    t->probe_limit = probe_limit;
    t->key_words = key_words;
    t->entry_length = 8 * (key_words + 2);
    t->entries_offset = TD_CONTROL_OFFSET + (int64_t)capacity * TD_CONTROL_LENGTH;
    t->meta_offset = 8 * key_words;
    t->last_seen_offset = 8 * (key_words + 1);
    t->seed = seed;
    table_secrets(seed, key_words, t->secret);
    t->idle_timeout = idle_timeout;
    t->timeout_context = timeout_context;
    t->capped_bits = ((int64_t)capped_flags & 0xff) << META_FLAGS_SHIFT;
    t->cap_limit = cap_limit;
    t->memory_length = TD_HEADER_LENGTH + (size_t)capacity * (TD_CONTROL_LENGTH + t->entry_length);
    if (pages_alloc(&t->pages, t->memory_length, table_pages_policy) != 0) {
        return -1;
    }
    t->memory = t->pages.memory;
    return 0;
}

static inline void table_free(struct cref_table *t)
{
    free(t->counts);
    t->counts = NULL;
    pages_free(&t->pages);
    t->memory = NULL;
}

static inline uint64_t table_hash(const struct cref_table *t, int64_t k0, int64_t k1, int64_t k2, int64_t k3,
    int64_t k4)
{
    return table_hash_secret(t->secret, k0, k1, k2, k3, k4);
}

static inline int64_t hash_tag(uint64_t hash) { return (int64_t)(hash >> 48); }

static inline int t_key_equals(const struct cref_table *t, int64_t entry, int64_t k0, int64_t k1, int64_t k2,
    int64_t k3, int64_t k4)
{
    const int words = t->key_words;
    return __atomic_load_n(T_WORD(t, entry), __ATOMIC_RELAXED) == k0 &&
        (words < 2 || __atomic_load_n(T_WORD(t, entry + 8), __ATOMIC_RELAXED) == k1) &&
        (words < 3 || __atomic_load_n(T_WORD(t, entry + 16), __ATOMIC_RELAXED) == k2) &&
        (words < 4 || __atomic_load_n(T_WORD(t, entry + 24), __ATOMIC_RELAXED) == k3) &&
        (words < 5 || __atomic_load_n(T_WORD(t, entry + 32), __ATOMIC_RELAXED) == k4);
}

static inline void t_write_key(const struct cref_table *t, int64_t entry, int64_t k0, int64_t k1, int64_t k2,
    int64_t k3, int64_t k4)
{
    const int words = t->key_words;
    __atomic_store_n(T_WORD(t, entry), k0, __ATOMIC_RELAXED);
    if (words > 1) {
        __atomic_store_n(T_WORD(t, entry + 8), k1, __ATOMIC_RELAXED);
    }
    if (words > 2) {
        __atomic_store_n(T_WORD(t, entry + 16), k2, __ATOMIC_RELAXED);
    }
    if (words > 3) {
        __atomic_store_n(T_WORD(t, entry + 24), k3, __ATOMIC_RELAXED);
    }
    if (words > 4) {
        __atomic_store_n(T_WORD(t, entry + 32), k4, __ATOMIC_RELAXED);
    }
}

/* Validated check that slot holds the key at one version; the control word it matched at, or -1. */
static inline int64_t t_match(const struct cref_table *t, int slot, int64_t first, int64_t tag, int64_t k0,
    int64_t k1, int64_t k2, int64_t k3, int64_t k4, int pending_too)
{
    int64_t control = first;
    for (int retry = 0; retry < TABLE_MAX_READ_RETRIES; retry++) {
        if (td_tag(control) != tag || (pending_too ? !td_visible(control) : td_state(control) != TD_LIVE)) {
            return -1;
        }
        const int64_t entry = t_entry_offset(t, slot);
        const int same_key = t_key_equals(t, entry, k0, k1, k2, k3, k4);
        const int64_t meta = __atomic_load_n(T_WORD(t, entry + t->meta_offset), __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        const int64_t again = t_control_acquire(t, slot);
        if (td_same_version(control, again) && td_visible(again)) {
            return same_key && meta >= 0 ? again : -1;
        }
        control = again;
    }
    return -1;
}

static inline int64_t t_add_capped(const struct cref_table *t, int64_t delta)
{
    return __atomic_fetch_add(T_WORD(t, TD_CAPPED_COUNT_OFFSET), delta, __ATOMIC_SEQ_CST);
}

/*
 * The lookup (OffHeapHashTable.find): the window's control words are filtered with relaxed loads and one masked
 * compare of tag and state per slot; only a candidate pays for the acquire fence, the key and the validation (the
 * control word again, same version). The table's fields are read once, before the loop (an acquire fence would
 * otherwise make the compiler reload them per slot), and the key width is a constant where the caller knows it.
 * On a hit, *meta_out gets the meta word read and validated with the key, so the caller need not read it again.
 */
static __rte_always_inline int64_t table_find_meta(const struct cref_table *t, uint64_t hash, int words, int64_t k0,
    int64_t k1, int64_t k2, int64_t k3, int64_t k4, int64_t *meta_out)
{
    uint8_t *const memory = t->memory;
    int64_t *const controls = (int64_t *)(memory + TD_CONTROL_OFFSET);
    const int mask = t->mask;
    const int limit = t->probe_limit;
    const int64_t entries = t->entries_offset;
    const int64_t entry_length = 8 * (words + 2);
    const int home = (int)hash & mask;
    const int64_t select = (TD_TAG_MASK << TD_TAG_SHIFT) | TD_STATE_MASK;
    const int64_t want = (hash_tag(hash) << TD_TAG_SHIFT) | TD_LIVE;
    for (int d = 0; d < limit; d++) {
        const int slot = (home + d) & mask;
        int64_t control = __atomic_load_n(&controls[slot], __ATOMIC_RELAXED);
        if ((control & select) != want) {
            continue;
        }
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        const int64_t *entry = (const int64_t *)(memory + entries + (int64_t)slot * entry_length);
        for (int retry = 0; retry < TABLE_MAX_READ_RETRIES && (control & select) == want; retry++) {
            const int same_key = __atomic_load_n(&entry[0], __ATOMIC_RELAXED) == k0 &&
                (words < 2 || __atomic_load_n(&entry[1], __ATOMIC_RELAXED) == k1) &&
                (words < 3 || __atomic_load_n(&entry[2], __ATOMIC_RELAXED) == k2) &&
                (words < 4 || __atomic_load_n(&entry[3], __ATOMIC_RELAXED) == k3) &&
                (words < 5 || __atomic_load_n(&entry[4], __ATOMIC_RELAXED) == k4);
            const int64_t meta = __atomic_load_n(&entry[words], __ATOMIC_RELAXED);
            __atomic_thread_fence(__ATOMIC_ACQUIRE);
            const int64_t again = __atomic_load_n(&controls[slot], __ATOMIC_ACQUIRE);
            if (td_same_version(control, again) && td_visible(again)) {
                if (same_key && meta >= 0) {
                    *meta_out = meta;
                    return td_handle(slot, again);
                }
                break;
            }
            control = again;
        }
    }
    return TABLE_NOT_FOUND;
}

static inline int64_t table_find_hashed(const struct cref_table *t, uint64_t hash, int64_t k0, int64_t k1,
    int64_t k2, int64_t k3, int64_t k4)
{
    int64_t meta;
    return table_find_meta(t, hash, t->key_words, k0, k1, k2, k3, k4, &meta);
}

static inline int64_t table_find(const struct cref_table *t, int64_t k0, int64_t k1, int64_t k2, int64_t k3,
    int64_t k4)
{
    return table_find_hashed(t, table_hash(t, k0, k1, k2, k3, k4), k0, k1, k2, k3, k4);
}

/* Prefetches a slot's control word and entry (OffHeapHashTable.warm, which issues plain loads: Java has no
 * prefetch instruction). */
static inline void table_prefetch_slot(const struct cref_table *t, int slot)
{
    rte_prefetch0(t->memory + t_control_offset(slot));
    rte_prefetch0(t->memory + t_entry_offset(t, slot));
}

/* The scan after publishing PENDING at distance mine; the handle of the twin deferred to, or -1 to commit. */
static inline int64_t t_resolve(const struct cref_table *t, int home, int mine, int64_t tag, int64_t k0, int64_t k1,
    int64_t k2, int64_t k3, int64_t k4, int64_t pending)
{
    for (int d = 0; d < t->probe_limit; d++) {
        if (d == mine) {
            continue;
        }
        const int slot = (home + d) & t->mask;
        int64_t twin = t_match(t, slot, __atomic_load_n(T_WORD(t, t_control_offset(slot)), __ATOMIC_SEQ_CST), tag,
            k0, k1, k2, k3, k4, 1);
        if (twin < 0) {
            continue;
        }
        if (td_state(twin) == TD_PENDING && d > mine) {
            if (t_cas(t, t_control_offset(slot), twin, td_control(td_next_version(twin), 0, TD_FREE))) {
                continue;
            }
            const int64_t now = __atomic_load_n(T_WORD(t, t_control_offset(slot)), __ATOMIC_SEQ_CST);
            if (td_state(now) != TD_LIVE || !td_same_version(now, twin)) {
                continue;
            }
            twin = now;
        }
        t_cas(t, t_control_offset((home + mine) & t->mask), pending,
            td_control(td_next_version(pending), 0, TD_FREE));
        return td_handle(slot, twin);
    }
    return -1;
}

static inline int64_t table_insert(const struct cref_table *t, int64_t k0, int64_t k1, int64_t k2, int64_t k3,
    int64_t k4, int64_t payload, int64_t last_seen)
{
    const int64_t stored = payload & META_PAYLOAD_MASK;
    const int capped = (stored & t->capped_bits) != 0;
    const uint64_t hash = table_hash(t, k0, k1, k2, k3, k4);
    const int home = (int)hash & t->mask;
    const int64_t tag = hash_tag(hash);
    int reserved = 0;
    int64_t result = TABLE_CONTENDED;
    for (int attempt = 0; attempt < TABLE_MAX_INSERT_ATTEMPTS; attempt++) {
        int free_d = -1;
        int64_t free_control = 0;
        int64_t twin = -1;
        int busy_with_our_tag = 0;
        for (int d = 0; d < t->probe_limit && twin < 0; d++) {
            const int slot = (home + d) & t->mask;
            const int64_t control = t_control_acquire(t, slot);
            const int state = td_state(control);
            if (state == TD_FREE) {
                if (free_d < 0) {
                    free_d = d;
                    free_control = control;
                }
            } else if (state == TD_BUSY) {
                busy_with_our_tag |= td_tag(control) == tag;
            } else if ((twin = t_match(t, slot, control, tag, k0, k1, k2, k3, k4, 1)) >= 0) {
                result = td_handle(slot, twin);
            }
        }
        if (twin >= 0) {
            break;
        }
        if (free_d < 0) {
            if (busy_with_our_tag) {
                rte_pause();
                continue;
            }
            result = TABLE_PROBE_LIMIT;
            break;
        }
        if (capped && !reserved) {
            reserved = 1;
            if (t_add_capped(t, 1) >= t->cap_limit) {
                result = TABLE_HALF_OPEN_LIMIT;
                break;
            }
        }
        const int slot = (home + free_d) & t->mask;
        const int64_t version = td_next_version(free_control);
        if (!t_cas(t, t_control_offset(slot), free_control, td_control(version, tag, TD_BUSY))) {
            continue;
        }
        const int64_t entry = t_entry_offset(t, slot);
        t_write_key(t, entry, k0, k1, k2, k3, k4);
        __atomic_store_n(T_WORD(t, entry + t->meta_offset), stored | meta_stamp(version), __ATOMIC_RELAXED);
        __atomic_store_n(T_WORD(t, entry + t->last_seen_offset), last_seen, __ATOMIC_RELAXED);
        const int64_t pending = td_control(version, tag, TD_PENDING);
        t_count(t, stored, 1);
        __atomic_store_n(T_WORD(t, t_control_offset(slot)), pending, __ATOMIC_SEQ_CST);
        const int64_t winner = t_resolve(t, home, free_d, tag, k0, k1, k2, k3, k4, pending);
        if (winner >= 0) {
            t_count(t, stored, -1);
            result = winner;
            break;
        }
        if (t_cas(t, t_control_offset(slot), pending, td_control(version, tag, TD_LIVE))) {
            return td_handle(slot, pending) | TD_CREATED_BIT;
        }
        t_count(t, stored, -1);
    }
    if (reserved) {
        t_add_capped(t, -1);
    }
    return result;
}

static inline int64_t table_meta(const struct cref_table *t, int64_t handle)
{
    if (handle < 0) {
        return TABLE_NOT_FOUND;
    }
    const int slot = (int)handle & t->mask;
    const int64_t control = t_control_acquire(t, slot);
    if (!td_visible(control) || !td_handle_matches(handle, control)) {
        return TABLE_NOT_FOUND;
    }
    const int64_t meta = __atomic_load_n(T_WORD(t, t_entry_offset(t, slot) + t->meta_offset), __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    const int64_t again = t_control_acquire(t, slot);
    return meta >= 0 && td_visible(again) && td_same_version(control, again) ? meta : TABLE_NOT_FOUND;
}

static inline int table_touch(const struct cref_table *t, int64_t handle, int64_t now)
{
    if (handle < 0) {
        return 0;
    }
    const int slot = (int)handle & t->mask;
    const int64_t control = t_control_acquire(t, slot);
    if (!td_visible(control) || !td_handle_matches(handle, control)) {
        return 0;
    }
    int64_t *at = T_WORD(t, t_entry_offset(t, slot) + t->last_seen_offset);
    if (__atomic_load_n(at, __ATOMIC_RELAXED) < now) {
        __atomic_store_n(at, now, __ATOMIC_RELAXED);
    }
    return 1;
}

/*
 * Touch of an entry the caller has just found and validated (OffHeapHashTable.touchFound): no second check of the
 * control word. If the entry was freed in between, the store lands in a free slot (rewritten by its next insert) or
 * in an entry being inserted there, whose last-seen is then a moment later than its inserter wrote: harmless.
 */
static inline void table_touch_found(const struct cref_table *t, int64_t handle, int words, int64_t now)
{
    const int slot = (int)handle & t->mask;
    int64_t *at = T_WORD(t, t->entries_offset + (int64_t)slot * (8 * (words + 2)) + 8 * (words + 1));
    if (__atomic_load_n(at, __ATOMIC_RELAXED) < now) {
        __atomic_store_n(at, now, __ATOMIC_RELAXED);
    }
}

static inline int table_update_meta(const struct cref_table *t, int64_t handle, int64_t expected, int64_t payload)
{
    if (handle < 0 || expected < 0) {
        return 0;
    }
    const int slot = (int)handle & t->mask;
    const int64_t control = t_control_acquire(t, slot);
    if (td_state(control) != TD_LIVE || !td_handle_matches(handle, control)) {
        return 0;
    }
    const int64_t update = (expected & META_STAMP_MASK) | (payload & META_PAYLOAD_MASK);
    const int recount = t->counts != NULL && !t_same_count(expected, update);
    if (recount) {
        t_count(t, update, 1);
    }
    if (!t_cas(t, t_entry_offset(t, slot) + t->meta_offset, expected, update)) {
        if (recount) {
            t_count(t, update, -1);
        }
        return 0;
    }
    if (recount) {
        t_count(t, expected, -1);
    }
    const int64_t capped_delta = ((update & t->capped_bits) != 0 ? 1 : 0) - ((expected & t->capped_bits) != 0 ? 1 : 0);
    if (capped_delta != 0) {
        t_add_capped(t, capped_delta);
    }
    return 1;
}

static inline int t_retire(const struct cref_table *t, int slot, int64_t control, int64_t meta)
{
    if (!t_cas(t, t_entry_offset(t, slot) + t->meta_offset, meta, meta | META_DEAD)) {
        return 0;
    }
    t_count(t, meta, -1);
    if ((meta & t->capped_bits) != 0) {
        t_add_capped(t, -1);
    }
    __atomic_store_n(T_WORD(t, t_control_offset(slot)), td_control(td_next_version(control), 0, TD_FREE),
        __ATOMIC_RELEASE);
    return 1;
}

/* Expires idle entries, at most limit slots from where the last call stopped. Conductor (main lcore) only. */
static inline int table_sweep(const struct cref_table *t, int64_t now, int limit)
{
    int64_t cursor = *T_WORD(t, TD_SWEEP_CURSOR_OFFSET);
    int64_t seen_live = *T_WORD(t, TD_SWEEP_LIVE_OFFSET);
    int expired = 0;
    for (int i = 0; i < limit; i++) {
        const int slot = (int)cursor & t->mask;
        const int64_t control = t_control_acquire(t, slot);
        if (td_state(control) == TD_LIVE) {
            const int64_t entry = t_entry_offset(t, slot);
            const int64_t meta = __atomic_load_n(T_WORD(t, entry + t->meta_offset), __ATOMIC_RELAXED);
            const int64_t last_seen = __atomic_load_n(T_WORD(t, entry + t->last_seen_offset), __ATOMIC_RELAXED);
            if (meta >= 0) {
                if (now - last_seen > t->idle_timeout(t->timeout_context, meta) && t_retire(t, slot, control, meta)) {
                    expired++;
                } else {
                    seen_live++;
                }
            }
        }
        cursor++;
        if (((int)cursor & t->mask) == 0) {
            __atomic_store_n(T_WORD(t, TD_LIVE_ENTRIES_OFFSET), seen_live, __ATOMIC_RELAXED);
            seen_live = 0;
        }
    }
    *T_WORD(t, TD_SWEEP_CURSOR_OFFSET) = cursor;
    *T_WORD(t, TD_SWEEP_LIVE_OFFSET) = seen_live;
    if (expired > 0) {
        __atomic_store_n(T_WORD(t, TD_EXPIRATIONS_OFFSET),
            __atomic_load_n(T_WORD(t, TD_EXPIRATIONS_OFFSET), __ATOMIC_RELAXED) + expired, __ATOMIC_RELAXED);
    }
    return expired;
}

static inline int64_t table_live_entries(const struct cref_table *t)
{
    return __atomic_load_n(T_WORD(t, TD_LIVE_ENTRIES_OFFSET), __ATOMIC_RELAXED);
}

static inline int64_t table_capped_count(const struct cref_table *t)
{
    return __atomic_load_n(T_WORD(t, TD_CAPPED_COUNT_OFFSET), __ATOMIC_SEQ_CST);
}

/* ---- ConnectionTable ---- */

#define KIND_TCP 0
#define KIND_UDP 1
#define KIND_GRE 2
#define KIND_IPSEC 3
#define CONNECTION_MAX_TRANSITION_ATTEMPTS 4

struct connection_timeouts {
    int64_t syn_seen;
    int64_t established;
    int64_t closing;
    int64_t udp;
    int64_t gre;
    int64_t ipsec;
};

static inline int64_t connection_timeout(const void *context, int64_t meta)
{
    const struct connection_timeouts *c = context;
    const int flags = meta_flags(meta);
    switch ((flags & META_KIND_MASK) >> META_KIND_SHIFT) {
    case KIND_TCP:
        return (flags & META_SYN_SEEN) != 0 ? c->syn_seen : (flags & META_CLOSING) != 0 ? c->closing : c->established;
    case KIND_UDP:
        return c->udp;
    case KIND_GRE:
        return c->gre;
    default:
        return c->ipsec;
    }
}

static inline int64_t connection_ports_word(int protocol, int ip_version, int client_port, int vip_port)
{
    return (int64_t)((((uint64_t)protocol & 0xff) << 40) | (((uint64_t)ip_version & 0xff) << 32) |
        (((uint64_t)client_port & 0xffff) << 16) | ((uint64_t)vip_port & 0xffff));
}

static inline int connection_kind(int protocol, int vip_port)
{
    switch (protocol) {
    case 6:
        return KIND_TCP;
    case 47:
        return KIND_GRE;
    case 50:
        return KIND_IPSEC;
    case 17:
        return vip_port == 500 || vip_port == 4500 ? KIND_IPSEC : KIND_UDP;
    default:
        return KIND_UDP;
    }
}

static inline uint64_t connection_key_hash(const struct cref_table *t, int protocol, int ip_version,
    uint64_t client_hi, uint64_t client_lo, int client_port, uint64_t vip_hi, uint64_t vip_lo, int vip_port)
{
    return table_hash(t, (int64_t)client_hi, (int64_t)client_lo, (int64_t)vip_hi,
        (int64_t)vip_lo, connection_ports_word(protocol, ip_version, client_port, vip_port));
}

static inline int64_t connection_lookup_hashed(const struct cref_table *t, uint64_t hash, int protocol,
    int ip_version, uint64_t client_hi, uint64_t client_lo, int client_port, uint64_t vip_hi, uint64_t vip_lo,
    int vip_port)
{
    return table_find_hashed(t, hash, (int64_t)client_hi, (int64_t)client_lo, (int64_t)vip_hi, (int64_t)vip_lo,
        connection_ports_word(protocol, ip_version, client_port, vip_port));
}

#define CONNECTION_KEY_WORDS 5

/* The classifier's lookup: the handle, and on a hit the entry's validated meta word in *meta_out. */
static inline int64_t connection_lookup_meta(const struct cref_table *t, uint64_t hash, int protocol,
    int ip_version, uint64_t client_hi, uint64_t client_lo, int client_port, uint64_t vip_hi, uint64_t vip_lo,
    int vip_port, int64_t *meta_out)
{
    return table_find_meta(t, hash, CONNECTION_KEY_WORDS, (int64_t)client_hi, (int64_t)client_lo, (int64_t)vip_hi,
        (int64_t)vip_lo, connection_ports_word(protocol, ip_version, client_port, vip_port), meta_out);
}

static inline int64_t connection_lookup(const struct cref_table *t, int protocol, int ip_version, uint64_t client_hi,
    uint64_t client_lo, int client_port, uint64_t vip_hi, uint64_t vip_lo, int vip_port)
{
    return table_find(t, (int64_t)client_hi, (int64_t)client_lo, (int64_t)vip_hi, (int64_t)vip_lo,
        connection_ports_word(protocol, ip_version, client_port, vip_port));
}

static inline int64_t connection_insert(const struct cref_table *t, int protocol, int ip_version, uint64_t client_hi,
    uint64_t client_lo, int client_port, uint64_t vip_hi, uint64_t vip_lo, int vip_port, int owner, int bucket,
    int rule, int tcp_state, int64_t now)
{
    const int kind = connection_kind(protocol, vip_port);
    const int state = kind == KIND_TCP ? tcp_state & META_TCP_STATE_MASK : 0;
    const int64_t payload = meta_pack(owner, bucket, rule, (kind << META_KIND_SHIFT) | state);
    return table_insert(t, (int64_t)client_hi, (int64_t)client_lo, (int64_t)vip_hi, (int64_t)vip_lo,
        connection_ports_word(protocol, ip_version, client_port, vip_port), payload, now);
}

static inline int connection_transition(const struct cref_table *t, int64_t handle, int tcp_state)
{
    for (int attempt = 0; attempt < CONNECTION_MAX_TRANSITION_ATTEMPTS; attempt++) {
        const int64_t meta = table_meta(t, handle);
        if (meta < 0) {
            return 0;
        }
        const int flags = meta_flags(meta);
        if ((flags & META_KIND_MASK) != KIND_TCP << META_KIND_SHIFT) {
            return 0;
        }
        const int new_flags = (flags & ~META_TCP_STATE_MASK) | (tcp_state & META_TCP_STATE_MASK);
        if (new_flags == flags || table_update_meta(t, handle, meta, meta_with_flags(meta, new_flags))) {
            return 1;
        }
    }
    return 0;
}

/* ---- AffinityTable ---- */

struct affinity_timeouts {
    int64_t by_rule[256];
};

static inline int64_t affinity_timeout(const void *context, int64_t meta)
{
    return ((const struct affinity_timeouts *)context)->by_rule[meta_rule(meta)];
}

static inline int64_t affinity_rule_word(int rule, int ip_version)
{
    return (int64_t)((((uint64_t)rule & 0xff) << 8) | ((uint64_t)ip_version & 0xff));
}

static inline int64_t affinity_lookup(const struct cref_table *t, int rule, int ip_version, uint64_t client_hi,
    uint64_t client_lo)
{
    return table_find(t, affinity_rule_word(rule, ip_version), (int64_t)client_hi, (int64_t)client_lo, 0, 0);
}

static inline int64_t affinity_insert(const struct cref_table *t, int rule, int ip_version, uint64_t client_hi,
    uint64_t client_lo, int owner, int bucket, int64_t now)
{
    return table_insert(t, affinity_rule_word(rule, ip_version), (int64_t)client_hi, (int64_t)client_lo, 0, 0,
        meta_pack(owner, bucket, rule, 0), now);
}

/* ---- FragmentTable ---- */

#define FRAGMENT_SEED 0x6c6266726167LL

static inline int64_t fragment_timeout(const void *context, int64_t meta)
{
    (void)meta;
    return *(const int64_t *)context;
}

static inline int64_t fragment_id_word(int protocol, int ip_version, uint32_t id)
{
    return (int64_t)((((uint64_t)protocol & 0xff) << 40) | (((uint64_t)ip_version & 0xff) << 32) | (uint64_t)id);
}

static inline int64_t fragment_record_first(const struct cref_table *t, int protocol, int ip_version,
    uint64_t src_hi, uint64_t src_lo, uint64_t dst_hi, uint64_t dst_lo, uint32_t id, int owner, int64_t now)
{
    return table_insert(t, (int64_t)src_hi, (int64_t)src_lo, (int64_t)dst_hi, (int64_t)dst_lo,
        fragment_id_word(protocol, ip_version, id), meta_pack(owner, 0, 0, 0), now);
}

static inline int fragment_owner_of(const struct cref_table *t, int protocol, int ip_version, uint64_t src_hi,
    uint64_t src_lo, uint64_t dst_hi, uint64_t dst_lo, uint32_t id, int64_t now)
{
    const int64_t handle = table_find(t, (int64_t)src_hi, (int64_t)src_lo, (int64_t)dst_hi, (int64_t)dst_lo,
        fragment_id_word(protocol, ip_version, id));
    if (handle < 0) {
        return -1;
    }
    const int64_t meta = table_meta(t, handle);
    if (meta < 0) {
        return -1;
    }
    table_touch(t, handle, now);
    return meta_owner(meta);
}

#endif
