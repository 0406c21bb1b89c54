/* arena.c — bump allocator and int64 map (include/common/arena.h). */
#include "common/arena.h"
#include "common/error.h"

#include <limits.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct chunk {
    struct chunk *next;
    size_t used, size;
    unsigned char data[];
};

struct sib_arena {
    struct chunk *head;
    size_t chunk_size, total;
};

sib_arena *sib_arena_new(size_t chunk_size)
{
    sib_arena *a = calloc(1, sizeof *a);
    if (a)
        a->chunk_size = chunk_size < 4096 ? 4096 : chunk_size;
    return a;
}

/* n bytes at the given alignment (a power of two). */
static void *arena_take(sib_arena *a, size_t n, size_t align)
{
    struct chunk *c = a->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->size || c->size - at < n) {
        size_t size = n > a->chunk_size ? n : a->chunk_size;
        c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->next = a->head;
        c->size = size;
        a->head = c;
        a->total += size;
        at = 0;
    }
    void *p = c->data + at;
    c->used = at + n;
    return p;
}

void *sib_arena_alloc(sib_arena *a, size_t n)
{
    return arena_take(a, (n + 7) & ~(size_t)7, 8);
}

char *sib_arena_strndup(sib_arena *a, const char *s, size_t n)
{
    char *p = arena_take(a, n + 1, 1);     /* strings need no alignment */
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

size_t sib_arena_bytes(const sib_arena *a)
{
    return a ? a->total : 0;
}

void sib_arena_free(sib_arena *a)
{
    if (!a)
        return;
    struct chunk *c = a->head;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

struct sib_strpool {
    sib_arena *arena;
    const char **slot;      /* NULL = empty */
    size_t cap, count;
};

uint64_t sib_fnv1a(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

uint64_t sib_fnv1a_str(const char *s)
{
    return sib_fnv1a(s, strlen(s));
}

sib_strpool *sib_strpool_new(sib_arena *a)
{
    sib_strpool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->arena = a;
    p->cap = 64;
    p->slot = calloc(p->cap, sizeof *p->slot);
    if (!p->slot) {
        free(p);
        return NULL;
    }
    return p;
}

/* The slot holding s[0..n) or the empty slot where it belongs. */
static size_t pool_find(const sib_strpool *p, const char *s, size_t n)
{
    size_t mask = p->cap - 1, i = sib_fnv1a(s, n) & mask;
    while (p->slot[i] && !(strncmp(p->slot[i], s, n) == 0 && p->slot[i][n] == '\0'))
        i = (i + 1) & mask;
    return i;
}

const char *sib_strpool_get(sib_strpool *p, const char *s, size_t n)
{
    size_t i = pool_find(p, s, n);
    if (p->slot[i])
        return p->slot[i];
    if ((p->count + 1) * 2 > p->cap) {
        const char **old = p->slot;
        size_t oldcap = p->cap;
        p->slot = calloc(oldcap * 2, sizeof *p->slot);
        if (!p->slot) {
            p->slot = old;
            return NULL;
        }
        p->cap = oldcap * 2;
        for (size_t k = 0; k < oldcap; k++)
            if (old[k])
                p->slot[pool_find(p, old[k], strlen(old[k]))] = old[k];
        free(old);
        i = pool_find(p, s, n);
    }
    char *copy = sib_arena_strndup(p->arena, s, n);
    if (!copy)
        return NULL;
    p->slot[i] = copy;
    p->count++;
    return copy;
}

void sib_strpool_free(sib_strpool *p)
{
    if (!p)
        return;
    free(p->slot);
    free(p);
}

/* Open addressing, linear probing. A slot holds its key and value together,
 * so a probe costs one cache miss, not two. */
typedef struct {
    int64_t key;
    int32_t val;            /* -1 = empty slot */
} map_slot;

struct sib_i64map {
    map_slot *slots;
    size_t cap, count;
};

void sib_mem_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (p == NULL || n < 2 * huge)
        return;
    uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1), hi = ((uintptr_t)p + n) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

void *sib_malloc_huge(size_t n)
{
    void *p = malloc(n ? n : 1);
    sib_mem_huge(p, n);
    return p;
}

/* Not calloc and then the hint: calloc zeroes memory from the heap before
 * the hint could reach it, which maps it in 4 KiB pages. */
void *sib_calloc_huge(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = sib_malloc_huge(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *sib_append(void **arr, size_t *cap, size_t *n, size_t elem)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 65536;
        void *p = realloc(*arr, c * elem);
        if (!p)
            return NULL;
        *arr = p;
        *cap = c;
    }
    void *e = (char *)*arr + (*n)++ * elem;
    memset(e, 0, elem);
    return e;
}

size_t sib_mem_trim(void)
{
#ifdef M_MMAP_MAX
    size_t free_bytes = mallinfo2().fordblks;
    (void)malloc_trim(0);
    return free_bytes;
#else
    return 0;
#endif
}

void sib_mem_keep_freed(void)
{
#ifdef M_MMAP_MAX
    (void)mallopt(M_ARENA_MAX, 1);
    (void)mallopt(M_TRIM_THRESHOLD, INT_MAX);
    (void)mallopt(M_MMAP_MAX, 0);
#endif
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static int map_alloc(sib_i64map *m, size_t cap)
{
    m->slots = sib_malloc_huge(cap * sizeof *m->slots);
    if (!m->slots)
        return SIB_ERR;
    for (size_t i = 0; i < cap; i++)
        m->slots[i].val = -1;
    m->cap = cap;
    m->count = 0;
    return SIB_OK;
}

sib_i64map *sib_i64map_new(size_t expected)
{
    sib_i64map *m = calloc(1, sizeof *m);
    size_t cap = 16;
    while (cap * 7 < expected * 10)    /* the load stays under 0.7, as in put */
        cap *= 2;
    if (!m || map_alloc(m, cap) != SIB_OK) {
        free(m);
        return NULL;
    }
    return m;
}

static int map_grow(sib_i64map *m)
{
    sib_i64map old = *m;
    if (map_alloc(m, old.cap * 2) != SIB_OK) {
        *m = old;
        return SIB_ERR;
    }
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].val >= 0)
            sib_i64map_put(m, old.slots[i].key, old.slots[i].val);
    free(old.slots);
    return SIB_OK;
}

int sib_i64map_put(sib_i64map *m, int64_t key, int32_t value)
{
    if ((m->count + 1) * 10 > m->cap * 7 && map_grow(m) != SIB_OK)
        return SIB_ERR;
    size_t mask = m->cap - 1, i = mix64((uint64_t)key) & mask;
    while (m->slots[i].val >= 0) {
        if (m->slots[i].key == key) {
            m->slots[i].val = value;
            return SIB_OK;
        }
        i = (i + 1) & mask;
    }
    m->slots[i].key = key;
    m->slots[i].val = value;
    m->count++;
    return SIB_OK;
}

int32_t sib_i64map_get(const sib_i64map *m, int64_t key)
{
    size_t mask = m->cap - 1, i = mix64((uint64_t)key) & mask;
    while (m->slots[i].val >= 0) {
        if (m->slots[i].key == key)
            return m->slots[i].val;
        i = (i + 1) & mask;
    }
    return -1;
}

void sib_i64map_prefetch(const sib_i64map *m, int64_t key)
{
    __builtin_prefetch(&m->slots[mix64((uint64_t)key) & (m->cap - 1)]);
}

void sib_i64map_remap(sib_i64map *m, const int32_t *to)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].val >= 0)
            m->slots[i].val = to[m->slots[i].val];
}

size_t sib_i64map_count(const sib_i64map *m)
{
    return m->count;
}

void sib_i64map_free(sib_i64map *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}
