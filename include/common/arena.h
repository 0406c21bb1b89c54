/*
 * arena.h — bump allocation for the many small strings of a run (one
 * allocation per source row, freed all at once), a pool of distinct strings
 * and an int64 -> index map.
 */
#ifndef SIB_COMMON_ARENA_H
#define SIB_COMMON_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct sib_arena sib_arena;

sib_arena *sib_arena_new(size_t chunk_size);
/* n bytes, 8-byte aligned; NULL when out of memory. */
void *sib_arena_alloc(sib_arena *a, size_t n);
/* A copy of s (n bytes plus a NUL). */
char *sib_arena_strndup(sib_arena *a, const char *s, size_t n);
/* Bytes held by the arena (for the memory log line). */
size_t sib_arena_bytes(const sib_arena *a);
void sib_arena_free(sib_arena *a);

/* A hint for a large array (n bytes at p, not yet written): back it with
 * 2 MiB pages where the kernel allows (transparent huge pages in madvise
 * mode). On this class of machine a fresh 4 KiB page costs 8-15 us at its
 * first write and random reads into arrays of hundreds of MiB miss the TLB;
 * see docs/performance.md. Ignored below 4 MiB and wherever unsupported. */
void sib_mem_huge(void *p, size_t n);
/* malloc(n) and calloc(n, size) with that hint; free() them as usual. */
void *sib_malloc_huge(size_t n);
void *sib_calloc_huge(size_t n, size_t size);
/* Appends a zeroed element to *arr (n elements, capacity *cap), doubling
 * the capacity when full (from 65,536 elements); the capacity beyond n is
 * not touched, so a large array costs address space there, not memory.
 * NULL when out of memory (the array is left as it was). */
void *sib_append(void **arr, size_t *cap, size_t *n, size_t elem);
/* From this call on, memory the process frees stays mapped and is reused by
 * its next allocations instead of going back to the system (glibc: no mmap
 * for large blocks, no trimming, one arena for every thread). Call it before
 * the threads start. On this class of machine the first write to a page
 * costs more than the page's later use, so the stages after resolution
 * reuse the pages it freed; the process's size then stays at its peak. */
void sib_mem_keep_freed(void);
/* Gives the pages of the heap's free blocks back to the system (glibc
 * malloc_trim) and returns how many bytes were free. For the point where
 * a stage is about to allocate a large block that the free, scattered
 * space may not hold in one piece: the process then grows by what it uses,
 * not by what it keeps. */
size_t sib_mem_trim(void);

/* 64-bit FNV-1a hash of n bytes; of a NUL-terminated string. */
uint64_t sib_fnv1a(const void *p, size_t n);
uint64_t sib_fnv1a_str(const char *s);

/* A pool of distinct strings in an arena: interning the few values of a
 * low-cardinality column (town, gender, category) keeps one copy of each. */
typedef struct sib_strpool sib_strpool;

sib_strpool *sib_strpool_new(sib_arena *a);
/* The pooled copy of the n bytes at s (NUL-terminated); NULL when out of memory. */
const char *sib_strpool_get(sib_strpool *p, const char *s, size_t n);
void sib_strpool_free(sib_strpool *p);

/* Open-addressing map from int64 keys to int32 values (>= 0). */
typedef struct sib_i64map sib_i64map;

sib_i64map *sib_i64map_new(size_t expected);
/* Inserts or replaces; SIB_ERR when out of memory. */
int sib_i64map_put(sib_i64map *m, int64_t key, int32_t value);
/* The value, or -1 when absent. */
int32_t sib_i64map_get(const sib_i64map *m, int64_t key);
/* A hint: key will be looked up soon (its first slot is fetched into the
 * cache meanwhile). */
void sib_i64map_prefetch(const sib_i64map *m, int64_t key);
/* Every value v becomes to[v] (to covers all values; >= 0): one pass over
 * the slots instead of a put per key. */
void sib_i64map_remap(sib_i64map *m, const int32_t *to);
size_t sib_i64map_count(const sib_i64map *m);
void sib_i64map_free(sib_i64map *m);

#endif
