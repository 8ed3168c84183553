/* Table memory on huge pages where the machine has them: the same policy as lb.dataplane.memory.PageMemory, so the
 * C reference and the Java dataplane look up their tables through the same kind of TLB entry. */
#ifndef CREF_PAGES_H
#define CREF_PAGES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << 26)
#endif
/* 2 MiB whatever the default hugetlb size (PageMemory.HUGE_2M). */
#define PAGES_HUGE ((size_t)2 << 20)

enum pages_policy { PAGES_AUTO, PAGES_HUGETLB, PAGES_THP, PAGES_SMALL };
enum pages_kind { KIND_HUGETLB, KIND_THP, KIND_SMALL };

struct pages {
    uint8_t *memory;     /* zeroed, 64-byte aligned (huge-page aligned unless KIND_SMALL) */
    void *map_addr;      /* what to unmap, NULL when from aligned_alloc */
    size_t map_len;
    enum pages_kind kind;
};

static inline int pages_policy_parse(const char *s, enum pages_policy *out)
{
    static const char *const names[] = {"auto", "hugetlb", "thp", "small"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum pages_policy)i;
            return 0;
        }
    }
    return -1;
}

static inline size_t pages_round_up(size_t v, size_t unit) { return (v + unit - 1) / unit * unit; }

/* 0 on success. */
static inline int pages_alloc(struct pages *p, size_t length, enum pages_policy policy)
{
    const size_t huge = PAGES_HUGE;
    memset(p, 0, sizeof(*p));
    if (policy == PAGES_SMALL || (policy == PAGES_AUTO && length < huge)) {
        p->memory = aligned_alloc(64, pages_round_up(length, 64));
        if (p->memory == NULL) {
            return -1;
        }
        memset(p->memory, 0, length);
        p->kind = KIND_SMALL;
        return 0;
    }
    if (policy == PAGES_AUTO || policy == PAGES_HUGETLB) {
        const size_t mapped = pages_round_up(length, huge);
        void *a = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB,
            -1, 0);
        if (a != MAP_FAILED) {
            /* Faulted in and checked here, as the Java: a cgroup limit must not become a SIGBUS later. */
            if (madvise(a, mapped, MADV_POPULATE_WRITE) == 0) {
                p->memory = a;
                p->map_addr = a;
                p->map_len = mapped;
                p->kind = KIND_HUGETLB;
                return 0;
            }
            munmap(a, mapped);
        }
        if (policy == PAGES_HUGETLB) {
            return -1;
        }
    }
    const size_t span = pages_round_up(length, huge);
    const size_t mapped = span + huge;
    void *raw = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
        return -1;
    }
    uint8_t *aligned = (uint8_t *)pages_round_up((uintptr_t)raw, huge);
    const int advised = madvise(aligned, span, MADV_HUGEPAGE) == 0;
    if (madvise(aligned, span, MADV_POPULATE_WRITE) != 0) {
        for (size_t off = 0; off < length; off += 4096) {
            ((volatile uint8_t *)aligned)[off] = 0;
        }
    }
    p->memory = aligned;
    p->map_addr = raw;
    p->map_len = mapped;
    p->kind = advised ? KIND_THP : KIND_SMALL;
    return 0;
}

static inline void pages_free(struct pages *p)
{
    if (p->map_addr != NULL) {
        munmap(p->map_addr, p->map_len);
    } else {
        free(p->memory);
    }
    memset(p, 0, sizeof(*p));
}

static inline const char *pages_kind_name(enum pages_kind k)
{
    return k == KIND_HUGETLB ? "hugepage pool" : k == KIND_THP ? "transparent huge pages (advised)" : "4 KiB pages";
}

#endif
