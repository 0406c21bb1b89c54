/* Unit tests of the one-pass file check (src/reconcile/filecheck.c):
 * gzip files are written here with zlib's own gz* API. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "reconcile/filecheck.h"

/* A path under build/tmp unique to this process. */
static void tmp_path(char *buf, size_t cap, const char *name)
{
    mkdir("build", 0755);
    mkdir("build/tmp", 0755);
    snprintf(buf, cap, "build/tmp/unit_filecheck_%d_%s", (int)getpid(), name);
}

static void write_gz(const char *path, const char *data)
{
    gzFile g = gzopen(path, "wb");
    cr_assert_not_null(g);
    cr_assert_eq(gzwrite(g, data, (unsigned)strlen(data)), (int)strlen(data));
    cr_assert_eq(gzclose(g), Z_OK);
}

static long file_size(const char *path)
{
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    return (long)sb.st_size;
}

Test(unit_filecheck, intact_file_counts_and_hash)
{
    char p[256];
    tmp_path(p, sizeof p, "ok.csv.gz");
    write_gz(p, "a,b\n1,\"x\ny\"\n2,3\n");
    sib_csvr *csv = sib_csvr_new(NULL, NULL);
    sib_filecheck fc;
    sib_error err = { 0 };
    cr_assert_eq(sib_filecheck_read(p, csv, &fc, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(fc.gzip_ok, 1, "%s", fc.gzip_error);
    cr_assert_eq(fc.csv_ok, 1);
    cr_assert_eq(sib_csvr_records(csv), 3);
    cr_assert_eq((long)fc.bytes, file_size(p));
    cr_assert_eq(fc.raw_bytes, strlen("a,b\n1,\"x\ny\"\n2,3\n"));
    cr_assert_eq(strlen(fc.sha256), 64);
    sib_csvr_free(csv);
    unlink(p);
}

Test(unit_filecheck, sha256_known_vector)
{
    /* SHA-256("abc") from FIPS 180-2; the file is not gzip. */
    char p[256];
    tmp_path(p, sizeof p, "abc.txt");
    FILE *f = fopen(p, "wb");
    fputs("abc", f);
    fclose(f);
    sib_filecheck fc;
    sib_error err = { 0 };
    cr_assert_eq(sib_filecheck_read(p, NULL, &fc, &err), SIB_OK);
    cr_assert_str_eq(fc.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    cr_assert_eq(fc.gzip_ok, 0);
    cr_assert_eq(fc.bytes, 3);
    unlink(p);
}

Test(unit_filecheck, flipped_byte_and_truncation_are_damage)
{
    char p[256];
    tmp_path(p, sizeof p, "bad.csv.gz");
    char data[4096];
    size_t n = 0;
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(data + n, sizeof data - n, "%d,row %d\n", i, i * 7);
    write_gz(p, data);
    long size = file_size(p);

    /* flip one byte in the middle of the deflate data */
    FILE *f = fopen(p, "r+b");
    fseek(f, size / 2, SEEK_SET);
    int c = fgetc(f);
    fseek(f, size / 2, SEEK_SET);
    fputc(c ^ 0x55, f);
    fclose(f);
    sib_filecheck fc;
    sib_error err = { 0 };
    cr_assert_eq(sib_filecheck_read(p, NULL, &fc, &err), SIB_OK);
    cr_assert_eq(fc.gzip_ok, 0, "a flipped byte must be seen");

    /* truncated: an intact prefix without the trailer */
    write_gz(p, data);
    cr_assert_eq(truncate(p, size - 6), 0);
    sib_csvr *csv = sib_csvr_new(NULL, NULL);
    cr_assert_eq(sib_filecheck_read(p, csv, &fc, &err), SIB_OK);
    cr_assert_eq(fc.gzip_ok, 0);
    cr_assert(strstr(fc.gzip_error, "truncated") != NULL, "%s", fc.gzip_error);
    cr_assert_eq(fc.csv_ok, 0);
    sib_csvr_free(csv);
    unlink(p);
}

Test(unit_filecheck, concatenated_members_are_one_stream)
{
    char p[256], q[256];
    tmp_path(p, sizeof p, "m1.gz");
    tmp_path(q, sizeof q, "m2.gz");
    write_gz(p, "h\n1\n");
    write_gz(q, "2\n3\n");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat %s >> %s", q, p);
    cr_assert_eq(system(cmd), 0);
    sib_csvr *csv = sib_csvr_new(NULL, NULL);
    sib_filecheck fc;
    sib_error err = { 0 };
    cr_assert_eq(sib_filecheck_read(p, csv, &fc, &err), SIB_OK);
    cr_assert_eq(fc.gzip_ok, 1, "%s", fc.gzip_error);
    cr_assert_eq(sib_csvr_records(csv), 4);
    sib_csvr_free(csv);
    unlink(p);
    unlink(q);
}

Test(unit_filecheck, missing_file_is_an_error)
{
    sib_filecheck fc;
    sib_error err = { 0 };
    cr_assert_eq(sib_filecheck_read("build/tmp/no/such/file.gz", NULL, &fc, &err), SIB_ERR);
    cr_assert(strstr(err.msg, "No such file") != NULL, "%s", err.msg);
}
