/* Unit tests: common/arena — string pool, int64 map and the memory hints. */
#include <criterion/criterion.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/error.h"

Test(unit_arena, pool_keeps_one_copy_per_value)
{
    sib_arena *a = sib_arena_new(4096);
    sib_strpool *p = sib_strpool_new(a);
    cr_assert_not_null(p);
    const char *x = sib_strpool_get(p, "350581001xyz", 9);
    cr_assert_str_eq(x, "350581001");
    cr_assert_eq(sib_strpool_get(p, "350581001", 9), x, "the same value, the same copy");
    cr_assert_neq(sib_strpool_get(p, "35058100", 8), x, "a prefix is another value");
    cr_assert_str_eq(sib_strpool_get(p, "", 0), "");
    /* enough values to grow the table several times; all stay found */
    const char *seen[500];
    for (int i = 0; i < 500; i++) {
        char buf[16];
        int n = snprintf(buf, sizeof buf, "v%d", i);
        seen[i] = sib_strpool_get(p, buf, (size_t)n);
        cr_assert_str_eq(seen[i], buf);
    }
    for (int i = 0; i < 500; i++) {
        char buf[16];
        int n = snprintf(buf, sizeof buf, "v%d", i);
        cr_assert_eq(sib_strpool_get(p, buf, (size_t)n), seen[i]);
    }
    sib_strpool_free(p);
    sib_arena_free(a);
}

Test(unit_arena, map_sized_for_its_count)
{
    sib_i64map *m = sib_i64map_new(1000);
    for (int64_t k = 0; k < 5000; k++)
        cr_assert_eq(sib_i64map_put(m, k * 7919 - 100000, (int32_t)k), SIB_OK);
    cr_assert_eq(sib_i64map_count(m), 5000);
    for (int64_t k = 0; k < 5000; k++)
        cr_assert_eq(sib_i64map_get(m, k * 7919 - 100000), k);
    cr_assert_eq(sib_i64map_get(m, 1), -1);
    sib_i64map_free(m);
}

Test(unit_arena, map_remap_translates_every_value)
{
    sib_i64map *m = sib_i64map_new(10);
    int32_t to[3000];
    for (int32_t v = 0; v < 3000; v++) {
        cr_assert_eq(sib_i64map_put(m, (int64_t)v * 1000003, v), SIB_OK);
        to[v] = 2999 - v;
    }
    sib_i64map_remap(m, to);
    cr_assert_eq(sib_i64map_count(m), 3000);
    for (int32_t v = 0; v < 3000; v++)
        cr_assert_eq(sib_i64map_get(m, (int64_t)v * 1000003), 2999 - v);
    cr_assert_eq(sib_i64map_get(m, 7), -1);
    sib_i64map_free(m);
}

Test(unit_arena, strings_packed_blocks_aligned)
{
    sib_arena *a = sib_arena_new(4096);
    char *s1 = sib_arena_strndup(a, "abc", 3);
    char *s2 = sib_arena_strndup(a, "de", 2);
    cr_assert_eq(s2, s1 + 4, "strings are packed");
    void *b = sib_arena_alloc(a, 16);
    cr_assert_eq((uintptr_t)b % 8, 0, "blocks stay 8-byte aligned");
    /* a chunk filled to its end: the next block goes to a new chunk */
    for (int i = 0; i < 2000; i++) {
        char *s = sib_arena_strndup(a, "xyz", i % 4);
        cr_assert_not_null(s);
        void *q = sib_arena_alloc(a, 8);
        cr_assert_eq((uintptr_t)q % 8, 0);
        memset(q, 0xab, 8);
    }
    cr_assert_str_eq(s1, "abc");
    cr_assert_str_eq(s2, "de");
    sib_arena_free(a);
}

/* The VmFlags line of the mapping holding address p in /proc/self/smaps
 * ("" when not found). */
static void vm_flags_of(const void *p, char *out, size_t cap)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    int in = 0;
    out[0] = '\0';
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
            in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
        else if (in && strncmp(line, "VmFlags:", 8) == 0) {
            snprintf(out, cap, "%s", line + 8);
            break;
        }
    }
    fclose(f);
}

Test(unit_arena, huge_hint_marks_large_arrays_only)
{
    size_t n = 16u << 20;
    unsigned char *big = sib_malloc_huge(n), *small = sib_malloc_huge(64 << 10);
    cr_assert_not_null(big);
    cr_assert_not_null(small);
    /* plain memory all through, edges included */
    memset(big, 0x5a, n);
    memset(small, 0xa5, 64 << 10);
    cr_assert_eq(big[0] + big[n / 2] + big[n - 1], 3 * 0x5a);
    unsigned char *z = sib_calloc_huge(n / 8, 8);
    cr_assert_not_null(z);
    for (size_t i = 0; i < n; i += 4093)
        cr_assert_eq(z[i], 0, "calloc_huge zeroes");
    free(z);
    cr_assert_null(sib_calloc_huge(SIZE_MAX / 2, 4), "an overflowing size is refused");
    sib_mem_huge(NULL, n);          /* ignored */
    sib_mem_huge(small + 1, 100);   /* too small: ignored */
    char flags[256];
    FILE *thp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (thp != NULL) {               /* a kernel with transparent huge pages */
        fclose(thp);
        vm_flags_of(big + n / 2, flags, sizeof flags);
        cr_assert(strstr(flags, " hg") != NULL, "the middle of a 16 MiB array is marked for huge pages: %s", flags);
        vm_flags_of(small, flags, sizeof flags);
        cr_assert(strstr(flags, " hg") == NULL, "64 KiB is not: %s", flags);
    }
    free(big);
    free(small);
}

/* Only in the plain build (make check runs it there): under ASan malloc is
 * the sanitizer's, which mallopt does not configure, so there is nothing to
 * observe. */
#ifndef __SANITIZE_ADDRESS__
Test(unit_arena, freed_memory_is_kept_for_the_next_allocation)
{
    size_t n = 64u << 20;
    unsigned char *a = malloc(n);
    cr_assert_not_null(a);
    cr_assert_geq(mallinfo2().hblkhd, n, "before the call a large block is mapped on its own");
    free(a);
    sib_mem_keep_freed();
    unsigned char *b = malloc(n);
    cr_assert_not_null(b);
    memset(b, 1, n);
    cr_assert_eq(mallinfo2().hblkhd, 0, "after it, no block is mapped on its own");
    free(b);
    struct mallinfo2 m = mallinfo2();
    cr_assert_geq(m.fordblks, n, "the freed 64 MiB stay in the process (%zu bytes free)", m.fordblks);
    unsigned char *c = malloc(n);
    cr_assert_eq(c, b, "and the next allocation of that size takes them");
    free(c);
}
#endif
