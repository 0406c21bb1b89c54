/*
 * Unit tests of common/fsx: mkdir -p, atomic write, publish, rm -rf.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fsx.h"
#include "../../support/testdb.h"

/* Number of entries in dir other than . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    closedir(d);
    return n;
}

Test(unit_fsx, mkdirs_nested_and_existing)
{
    char *dir = sibt_tmpdir("unit_fsx");
    char p[512];
    sib_error err = { 0 };
    snprintf(p, sizeof p, "%s/a/b//c/", dir);
    cr_assert_eq(sib_fsx_mkdirs(p, 0750, &err), SIB_OK, "%s", err.msg);
    snprintf(p, sizeof p, "%s/a/b/c", dir);
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_assert(S_ISDIR(st.st_mode));
    cr_assert_eq(sib_fsx_mkdirs(p, 0750, &err), SIB_OK, "existing is fine");
    /* a file in the way */
    snprintf(p, sizeof p, "%s/a/file", dir);
    cr_assert_eq(sib_fsx_write_file(p, "x", 1, 0640, &err), SIB_OK);
    snprintf(p, sizeof p, "%s/a/file/d", dir);
    cr_assert_eq(sib_fsx_mkdirs(p, 0750, &err), SIB_ERR);
    cr_assert(strstr(err.msg, "not a directory") != NULL, "%s", err.msg);
    sibt_rmtree(dir);
    free(dir);
}

Test(unit_fsx, write_file_replaces_atomically)
{
    char *dir = sibt_tmpdir("unit_fsx");
    char p[512];
    sib_error err = { 0 };
    snprintf(p, sizeof p, "%s/manifest.json", dir);
    mode_t old = umask(0077);
    cr_assert_eq(sib_fsx_write_file(p, "{\"a\":1}\n", 8, 0640, &err), SIB_OK, "%s", err.msg);
    umask(old);
    cr_assert_eq(sib_fsx_write_file(p, "{\"a\":2}\n", 8, 0640, &err), SIB_OK, "%s", err.msg);
    char *text = sibt_read_file(p, NULL);
    cr_assert_str_eq(text, "{\"a\":2}\n");
    free(text);
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0640, "mode %o", st.st_mode & 07777);
    cr_assert_eq(entries(dir), 1, "no temporary left beside it");

    /* a directory that does not exist: error, nothing created */
    snprintf(p, sizeof p, "%s/nodir/x", dir);
    cr_assert_eq(sib_fsx_write_file(p, "x", 1, 0640, &err), SIB_ERR);
    cr_assert_eq(entries(dir), 1);
    sibt_rmtree(dir);
    free(dir);
}

Test(unit_fsx, publish_renames)
{
    char *dir = sibt_tmpdir("unit_fsx");
    char tmp[512], fin[512];
    sib_error err = { 0 };
    snprintf(tmp, sizeof tmp, "%s/.x.tmp", dir);
    snprintf(fin, sizeof fin, "%s/x", dir);
    FILE *f = fopen(tmp, "w");
    fputs("new", f);
    fclose(f);
    cr_assert_eq(sib_fsx_publish(tmp, fin, &err), SIB_OK, "%s", err.msg);
    cr_assert(!sibt_file_exists(tmp));
    char *text = sibt_read_file(fin, NULL);
    cr_assert_str_eq(text, "new");
    free(text);
    cr_assert_eq(sib_fsx_publish(tmp, fin, &err), SIB_ERR, "missing temporary");
    cr_assert(strstr(err.msg, ".x.tmp") != NULL, "%s", err.msg);
    cr_assert_eq(sib_fsx_fsync_dir(dir, &err), SIB_OK);
    cr_assert_eq(sib_fsx_fsync_dir(fin, &err), SIB_ERR, "a file is not a directory");
    sibt_rmtree(dir);
    free(dir);
}

Test(unit_fsx, remove_tree_does_not_follow_links)
{
    char *dir = sibt_tmpdir("unit_fsx");
    char p[512], keep[512], link[512];
    sib_error err = { 0 };
    snprintf(keep, sizeof keep, "%s/keep", dir);
    cr_assert_eq(sib_fsx_mkdirs(keep, 0750, &err), SIB_OK);
    snprintf(p, sizeof p, "%s/keep/precious", dir);
    cr_assert_eq(sib_fsx_write_file(p, "x", 1, 0640, &err), SIB_OK);
    snprintf(p, sizeof p, "%s/run/2025-12/clearing", dir);
    cr_assert_eq(sib_fsx_mkdirs(p, 0750, &err), SIB_OK);
    snprintf(p, sizeof p, "%s/run/2025-12/clearing/350581001.csv.gz", dir);
    cr_assert_eq(sib_fsx_write_file(p, "x", 1, 0640, &err), SIB_OK);
    snprintf(link, sizeof link, "%s/run/2025-12/link", dir);
    cr_assert_eq(symlink(keep, link), 0);
    snprintf(p, sizeof p, "%s/run/", dir);
    cr_assert_eq(sib_fsx_remove_tree(p, &err), SIB_OK, "%s", err.msg);
    snprintf(p, sizeof p, "%s/run", dir);
    cr_assert(!sibt_file_exists(p));
    snprintf(p, sizeof p, "%s/keep/precious", dir);
    cr_assert(sibt_file_exists(p), "the link's target survived");
    snprintf(p, sizeof p, "%s/run", dir);
    cr_assert_eq(sib_fsx_remove_tree(p, &err), SIB_OK, "missing path is fine");
    sibt_rmtree(dir);
    free(dir);
}

Test(unit_fsx, dirname)
{
    char out[64];
    cr_assert_eq(sib_fsx_dirname("out/2025-12/manifest.json", out, sizeof out), SIB_OK);
    cr_assert_str_eq(out, "out/2025-12");
    sib_fsx_dirname("manifest.json", out, sizeof out);
    cr_assert_str_eq(out, ".");
    sib_fsx_dirname("/x", out, sizeof out);
    cr_assert_str_eq(out, "/");
    sib_fsx_dirname("a//b", out, sizeof out);
    cr_assert_str_eq(out, "a");
    cr_assert_eq(sib_fsx_dirname("abcdefgh/x", out, 4), SIB_ERR);
}
