/* publish.c — staging, sealing and linking run directories (include/run/publish.h). */
#include "run/publish.h"
#include "common/fsx.h"
#include "common/log.h"
#include "common/month.h"
#include "common/sql.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sib_publish_staging(const char *out_dir, int64_t run_id, char *staging, size_t cap, sib_error *err)
{
    char runs[4096];
    snprintf(runs, sizeof runs, "%s/.runs", out_dir);
    if (sib_fsx_mkdirs(runs, 0750, err) != SIB_OK)
        return sib_error_prefix(err, "output directory");
    /* Staging directories of runs that died (we hold the run lock). */
    DIR *d = opendir(runs);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL)
            if (strncmp(de->d_name, ".tmp-", 5) == 0) {
                char p[4096 + 256];
                snprintf(p, sizeof p, "%s/%s", runs, de->d_name);
                sib_fsx_remove_tree(p, NULL);
            }
        closedir(d);
    }
    snprintf(staging, cap, "%s/.tmp-%lld", runs, (long long)run_id);
    if (sib_fsx_mkdirs(staging, 0750, err) != SIB_OK)
        return sib_error_prefix(err, "staging directory");
    return SIB_OK;
}

int sib_publish_seal(const char *out_dir, const char *staging, int as_of, int64_t run_id,
                     char *final, size_t cap, sib_error *err)
{
    char sub[4096 + 16], name[64], m[8], runs[4096];
    snprintf(sub, sizeof sub, "%s/clearing", staging);
    if (sib_fsx_fsync_dir(sub, err) != SIB_OK || sib_fsx_fsync_dir(staging, err) != SIB_OK)
        return sib_error_prefix(err, "sealing");
    sib_month_format(as_of, m);
    snprintf(name, sizeof name, "%s.run%lld", m, (long long)run_id);
    snprintf(runs, sizeof runs, "%s/.runs", out_dir);
    char abs_runs[PATH_MAX];
    if (!realpath(runs, abs_runs))
        return sib_error_set(err, "sealing: %s: %s", runs, strerror(errno));
    snprintf(final, cap, "%s/%s", abs_runs, name);
    if (sib_fsx_publish(staging, final, err) != SIB_OK)
        return sib_error_prefix(err, "sealing");
    return SIB_OK;
}

int sib_publish_link(const char *out_dir, int as_of, const char *final, sib_error *err)
{
    char m[8], link[4096], tmp[4096], target[4096];
    sib_month_format(as_of, m);
    snprintf(link, sizeof link, "%s/%s", out_dir, m);
    snprintf(tmp, sizeof tmp, "%s/.%s.link-%d", out_dir, m, (int)getpid());
    const char *base = strrchr(final, '/');
    snprintf(target, sizeof target, ".runs/%s", base ? base + 1 : final);
    unlink(tmp);
    if (symlink(target, tmp) != 0)
        return sib_error_set(err, "%s: %s", tmp, strerror(errno));
    if (rename(tmp, link) != 0) {
        int e = errno;
        unlink(tmp);
        return sib_error_set(err, "%s: %s (is it a directory? move it away)", link, strerror(e));
    }
    return sib_fsx_fsync_dir(out_dir, err);
}

void sib_publish_cleanup(const char *out_dir, int as_of, const char *final)
{
    char runs[4096], m[8], prefix[16];
    snprintf(runs, sizeof runs, "%s/.runs", out_dir);
    sib_month_format(as_of, m);
    snprintf(prefix, sizeof prefix, "%s.run", m);
    const char *keep = strrchr(final, '/') ? strrchr(final, '/') + 1 : final;
    DIR *d = opendir(runs);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0 && strcmp(de->d_name, keep) != 0) {
            char p[4096 + 256];
            snprintf(p, sizeof p, "%s/%s", runs, de->d_name);
            if (sib_fsx_remove_tree(p, NULL) == SIB_OK)
                sib_log_info("publish", "removed=%s reason=superseded", de->d_name);
        }
    closedir(d);
}

void sib_publish_repair(sib_db *db, const char *out_dir)
{
    PGresult *res;
    if (sib_db_query(db, sib_sql_get("run_published_dirs"), 0, NULL, &res, NULL) != SIB_OK)
        return;
    char abs_out[PATH_MAX];
    if (!realpath(out_dir, abs_out)) {
        PQclear(res);
        return;
    }
    for (int i = 0; i < PQntuples(res); i++) {
        int as_of = atoi(PQgetvalue(res, i, 0));
        const char *dir = PQgetvalue(res, i, 1);
        char runs[PATH_MAX + 8];
        snprintf(runs, sizeof runs, "%s/.runs/", abs_out);
        if (strncmp(dir, runs, strlen(runs)) != 0 || access(dir, F_OK) != 0)
            continue;           /* published elsewhere, or gone */
        char m[8], link[PATH_MAX + 16], now[PATH_MAX];
        sib_month_format(as_of, m);
        snprintf(link, sizeof link, "%s/%s", abs_out, m);
        if (realpath(link, now) && strcmp(now, dir) == 0)
            continue;
        sib_error err = { 0 };
        if (sib_publish_link(out_dir, as_of, dir, &err) == SIB_OK)
            sib_log_warn("publish", "repaired=%s target=%s reason=\"run committed but not linked\"", m, dir);
        else
            sib_log_warn("publish", "repair_failed=%s error=\"%s\"", m, err.msg);
    }
    PQclear(res);
}
