/*
 * Unit tests of common/gz: deterministic header, round trip through zlib and
 * the system gzip, SHA-256 and size of the written file, mode 0640,
 * integrity errors on corrupt, truncated and plain files.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/csv.h"
#include "common/gz.h"
#include "common/sha256.h"
#include "../../support/testdb.h"

/* n bytes of CSV-like text that compresses but not trivially. */
static char *sample(size_t n)
{
    char *s = malloc(n + 1);
    unsigned x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        s[i] = (i % 41 == 40) ? '\n' : (char)('0' + (x >> 16) % 10);
    }
    s[n] = '\0';
    return s;
}

/* Writes data to path in pieces of step bytes; returns size and digest. */
static void write_gz(const char *path, const char *data, size_t n, size_t step,
                     uint64_t *bytes, char hex[65])
{
    sib_error err = { 0 };
    sib_gz *gz = sib_gz_open(path, 6, &err);
    cr_assert_not_null(gz, "%s", err.msg);
    for (size_t off = 0; off < n; off += step) {
        size_t k = step < n - off ? step : n - off;
        cr_assert_eq(sib_gz_write(gz, data + off, k, &err), SIB_OK, "%s", err.msg);
    }
    cr_assert_eq(sib_gz_close(gz, bytes, hex, &err), SIB_OK, "%s", err.msg);
}

Test(unit_gz, header_fixed_and_round_trip)
{
    char *dir = sibt_tmpdir("unit_gz");
    char path[512];
    snprintf(path, sizeof path, "%s/a.csv.gz", dir);
    size_t n = 300000;
    char *data = sample(n);
    uint64_t bytes = 0;
    char hex[65];
    write_gz(path, data, n, 7777, &bytes, hex);

    size_t flen = 0;
    unsigned char *raw = (unsigned char *)sibt_read_file(path, &flen);
    cr_assert_not_null(raw);
    cr_assert_eq(flen, bytes, "reported size %llu, file %zu", (unsigned long long)bytes, flen);
    cr_assert_eq(raw[0], 0x1f);
    cr_assert_eq(raw[1], 0x8b);
    cr_assert_eq(raw[2], 8, "deflate");
    cr_assert_eq(raw[3], 0, "no FNAME/FCOMMENT/FEXTRA/FHCRC flags");
    cr_assert_eq(raw[4] | raw[5] | raw[6] | raw[7], 0, "mtime 0");
    cr_assert_eq(raw[9], 255, "OS byte fixed");
    cr_assert_lt(flen, n / 2, "it compressed");
    free(raw);

    char fhex[65];
    sib_error err = { 0 };
    cr_assert_eq(sib_sha256_file(path, fhex, NULL, &err), SIB_OK);
    cr_assert_str_eq(hex, fhex, "digest of the compressed file");

    char *back = NULL;
    size_t blen = 0;
    cr_assert_eq(sib_gz_read_file(path, &back, &blen, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(blen, n);
    cr_assert(memcmp(back, data, n) == 0);
    free(back);

    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gzip -t '%s'", path);
    cr_assert_eq(system(cmd), 0, "gzip -t accepts the file");
    snprintf(cmd, sizeof cmd, "zcat '%s' | wc -c | grep -qx %zu", path, n);
    cr_assert_eq(system(cmd), 0, "zcat gives back all %zu bytes", n);
    free(data);
    sibt_rmtree(dir);
    free(dir);
}

Test(unit_gz, same_bytes_same_file)
{
    char *dir = sibt_tmpdir("unit_gz");
    char a[512], b[512], c[512];
    snprintf(a, sizeof a, "%s/a.gz", dir);
    snprintf(b, sizeof b, "%s/b.gz", dir);
    snprintf(c, sizeof c, "%s/c.gz", dir);
    size_t n = 100000;
    char *data = sample(n);
    uint64_t ba, bb, bc;
    char ha[65], hb[65], hc[65];
    write_gz(a, data, n, 100000, &ba, ha);
    sleep(1);       /* a timestamp in the header would now differ */
    write_gz(b, data, n, 333, &bb, hb);     /* other chunking, same stream */
    data[n / 2] = data[n / 2] == '1' ? '2' : '1';
    write_gz(c, data, n, 100000, &bc, hc);
    cr_assert_str_eq(ha, hb, "byte-identical reruns");
    cr_assert_eq(ba, bb);
    cr_assert_str_neq(ha, hc, "one changed byte changes the file");
    free(data);
    sibt_rmtree(dir);
    free(dir);
}

Test(unit_gz, mode_0640_despite_umask_and_no_clobber)
{
    char *dir = sibt_tmpdir("unit_gz");
    char path[512];
    snprintf(path, sizeof path, "%s/m.gz", dir);
    mode_t old = umask(0);
    sib_error err = { 0 };
    sib_gz *gz = sib_gz_open(path, 6, &err);
    umask(old);
    cr_assert_not_null(gz, "%s", err.msg);
    cr_assert_eq(sib_gz_close(gz, NULL, NULL, &err), SIB_OK, "%s", err.msg);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0640, "mode %o", st.st_mode & 07777);

    /* an empty stream is still valid gzip */
    char *back = NULL;
    size_t blen = 99;
    cr_assert_eq(sib_gz_read_file(path, &back, &blen, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(blen, 0);
    free(back);

    /* O_EXCL: an existing file is never overwritten */
    gz = sib_gz_open(path, 6, &err);
    cr_assert_null(gz);
    cr_assert(strstr(err.msg, "m.gz") != NULL, "%s", err.msg);
    gz = sib_gz_open(path, 12, &err);
    cr_assert_null(gz, "level 12 refused");
    sibt_rmtree(dir);
    free(dir);
}

Test(unit_gz, abort_removes_the_file)
{
    char *dir = sibt_tmpdir("unit_gz");
    char path[512];
    snprintf(path, sizeof path, "%s/x.gz", dir);
    sib_error err = { 0 };
    sib_gz *gz = sib_gz_open(path, 1, &err);
    cr_assert_not_null(gz);
    cr_assert_eq(sib_gz_write(gz, "abc", 3, &err), SIB_OK);
    cr_assert(sibt_file_exists(path));
    sib_gz_abort(gz);
    cr_assert(!sibt_file_exists(path), "aborted file removed");
    sib_gz_abort(NULL);
    sibt_rmtree(dir);
    free(dir);
}

Test(unit_gz, csv_through_gz_sink)
{
    char *dir = sibt_tmpdir("unit_gz");
    char path[512];
    snprintf(path, sizeof path, "%s/t.csv.gz", dir);
    sib_error err = { 0 };
    sib_gz *gz = sib_gz_open(path, 6, &err);
    sib_csv *csv = sib_csv_new(sib_gz_sink, gz);
    sib_csv_field(csv, "town_name");
    sib_csv_field(csv, "n");
    cr_assert_eq(sib_csv_end_row(csv, &err), SIB_OK);
    sib_csv_field(csv, "湖滨街道");
    sib_csv_fieldf(csv, "%d", 42);
    cr_assert_eq(sib_csv_end_row(csv, &err), SIB_OK);
    cr_assert_eq(sib_csv_flush(csv, &err), SIB_OK);
    sib_csv_free(csv);
    cr_assert_eq(sib_gz_close(gz, NULL, NULL, &err), SIB_OK);
    char *text = NULL;
    cr_assert_eq(sib_gz_read_file(path, &text, NULL, &err), SIB_OK);
    cr_assert_str_eq(text, "town_name,n\n湖滨街道,42\n");
    free(text);
    sibt_rmtree(dir);
    free(dir);
}

Test(unit_gz, damaged_files_are_errors)
{
    char *dir = sibt_tmpdir("unit_gz");
    char path[512], bad[512];
    snprintf(path, sizeof path, "%s/ok.gz", dir);
    size_t n = 50000;
    char *data = sample(n);
    uint64_t bytes;
    char hex[65];
    write_gz(path, data, n, n, &bytes, hex);
    free(data);
    size_t flen = 0;
    char *raw = sibt_read_file(path, &flen);
    sib_error err = { 0 };
    char *back = NULL;

    /* one flipped byte in the deflate data (or the CRC catches it) */
    snprintf(bad, sizeof bad, "%s/flip.gz", dir);
    raw[flen / 2] ^= 0x55;
    FILE *f = fopen(bad, "wb");
    fwrite(raw, 1, flen, f);
    fclose(f);
    raw[flen / 2] ^= 0x55;
    cr_assert_eq(sib_gz_read_file(bad, &back, NULL, &err), SIB_ERR, "flipped byte accepted");
    cr_assert_null(back);
    cr_assert(strstr(err.msg, "flip.gz") != NULL, "%s", err.msg);

    /* truncated: the last 20 bytes lost */
    snprintf(bad, sizeof bad, "%s/trunc.gz", dir);
    f = fopen(bad, "wb");
    fwrite(raw, 1, flen - 20, f);
    fclose(f);
    cr_assert_eq(sib_gz_read_file(bad, &back, NULL, &err), SIB_ERR, "truncated accepted");

    /* plain text is not gzip */
    snprintf(bad, sizeof bad, "%s/plain.gz", dir);
    f = fopen(bad, "wb");
    fputs("as_of,town_code\n", f);
    fclose(f);
    cr_assert_eq(sib_gz_read_file(bad, &back, NULL, &err), SIB_ERR, "plain text accepted");
    cr_assert(strstr(err.msg, "not a gzip") != NULL, "%s", err.msg);

    snprintf(bad, sizeof bad, "%s/none.gz", dir);
    cr_assert_eq(sib_gz_read_file(bad, &back, NULL, &err), SIB_ERR);
    free(raw);
    sibt_rmtree(dir);
    free(dir);
}
