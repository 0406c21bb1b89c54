/*
 * Unit tests of common/sha256: FIPS 180-2 vectors, incremental = one-shot,
 * files.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sha256.h"
#include "../../support/testdb.h"

Test(unit_sha256, known_vectors)
{
    char hex[65];
    cr_assert_eq(sib_sha256_hex("", 0, hex), SIB_OK);
    cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    cr_assert_eq(sib_sha256_hex("abc", 3, hex), SIB_OK);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    cr_assert_eq(sib_sha256_hex(two, strlen(two), hex), SIB_OK);
    cr_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(unit_sha256, incremental_equals_one_shot)
{
    /* one million 'a' (FIPS 180-2 third vector), fed in uneven pieces */
    size_t n = 1000000;
    char *a = malloc(n);
    cr_assert_not_null(a);
    memset(a, 'a', n);
    sib_sha256 *h = sib_sha256_new();
    cr_assert_not_null(h);
    size_t off = 0, step = 1;
    while (off < n) {
        size_t k = step < n - off ? step : n - off;
        cr_assert_eq(sib_sha256_update(h, a + off, k), SIB_OK);
        off += k;
        step = step * 3 + 1;
    }
    char inc[65], one[65];
    cr_assert_eq(sib_sha256_final_hex(h, inc), SIB_OK);
    sib_sha256_free(h);
    cr_assert_eq(sib_sha256_hex(a, n, one), SIB_OK);
    free(a);
    cr_assert_str_eq(inc, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    cr_assert_str_eq(inc, one);
    sib_sha256_free(NULL);
}

Test(unit_sha256, file_digest_and_size)
{
    char *dir = sibt_tmpdir("unit_sha256");
    char path[512];
    snprintf(path, sizeof path, "%s/f.txt", dir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    /* 200,000 bytes: more than one 64 KiB read */
    for (int i = 0; i < 20000; i++)
        fputs("0123456789", f);
    fclose(f);
    char hex[65], mem[65];
    uint64_t bytes = 0;
    sib_error err = { 0 };
    cr_assert_eq(sib_sha256_file(path, hex, &bytes, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(bytes, 200000);
    char *data = malloc(200000);
    for (int i = 0; i < 200000; i++)
        data[i] = (char)('0' + i % 10);
    sib_sha256_hex(data, 200000, mem);
    free(data);
    cr_assert_str_eq(hex, mem);

    snprintf(path, sizeof path, "%s/missing", dir);
    cr_assert_eq(sib_sha256_file(path, hex, NULL, &err), SIB_ERR);
    cr_assert(strstr(err.msg, "missing") != NULL, "error names the file: %s", err.msg);
    sibt_rmtree(dir);
    free(dir);
}
