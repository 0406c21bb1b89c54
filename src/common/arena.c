/* arena.c — bump allocator and int64 map (include/common/arena.h). */
#include "common/arena.h"
#include "common/error.h"

#include <stdlib.h>
#include <string.h>

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

void *sib_arena_alloc(sib_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    struct chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > a->chunk_size ? n : a->chunk_size;
        c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->next = a->head;
        c->used = 0;
        c->size = size;
        a->head = c;
        a->total += size;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

char *sib_arena_strndup(sib_arena *a, const char *s, size_t n)
{
    char *p = sib_arena_alloc(a, n + 1);
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

struct sib_i64map {
    int64_t *keys;
    int32_t *vals;          /* -1 = empty slot */
    size_t cap, count;
};

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
    m->keys = malloc(cap * sizeof *m->keys);
    m->vals = malloc(cap * sizeof *m->vals);
    if (!m->keys || !m->vals) {
        free(m->keys);
        free(m->vals);
        return SIB_ERR;
    }
    memset(m->vals, 0xff, cap * sizeof *m->vals);
    m->cap = cap;
    m->count = 0;
    return SIB_OK;
}

sib_i64map *sib_i64map_new(size_t expected)
{
    sib_i64map *m = calloc(1, sizeof *m);
    size_t cap = 16;
    while (cap < expected * 2)
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
        if (old.vals[i] >= 0)
            sib_i64map_put(m, old.keys[i], old.vals[i]);
    free(old.keys);
    free(old.vals);
    return SIB_OK;
}

int sib_i64map_put(sib_i64map *m, int64_t key, int32_t value)
{
    if ((m->count + 1) * 10 > m->cap * 7 && map_grow(m) != SIB_OK)
        return SIB_ERR;
    size_t mask = m->cap - 1, i = mix64((uint64_t)key) & mask;
    while (m->vals[i] >= 0) {
        if (m->keys[i] == key) {
            m->vals[i] = value;
            return SIB_OK;
        }
        i = (i + 1) & mask;
    }
    m->keys[i] = key;
    m->vals[i] = value;
    m->count++;
    return SIB_OK;
}

int32_t sib_i64map_get(const sib_i64map *m, int64_t key)
{
    size_t mask = m->cap - 1, i = mix64((uint64_t)key) & mask;
    while (m->vals[i] >= 0) {
        if (m->keys[i] == key)
            return m->vals[i];
        i = (i + 1) & mask;
    }
    return -1;
}

size_t sib_i64map_count(const sib_i64map *m)
{
    return m->count;
}

void sib_i64map_free(sib_i64map *m)
{
    if (!m)
        return;
    free(m->keys);
    free(m->vals);
    free(m);
}
