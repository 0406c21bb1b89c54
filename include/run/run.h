/*
 * run.h — the nightly job, `sibatch run`: read → resolve → dedup → conflicts
 * → clearing → extract → manifest → publish, on one consistent snapshot.
 *
 * Publication is all or nothing. The files are written into a hidden staging
 * directory DIR/.runs/.tmp-<run>, fsynced, renamed to DIR/.runs/<YYYY-MM>.run<id>;
 * the database results are written in one transaction that commits with the
 * run marked published; only then does DIR/<YYYY-MM> (a symbolic link) swing
 * atomically to the new directory. A run killed before the commit leaves the
 * previous state as it was (its row stays 'running' until the next run marks
 * it failed); killed between the commit and the link, the next run (or
 * sibatch reconcile) finishes the link from the database's record.
 */
#ifndef SIB_RUN_RUN_H
#define SIB_RUN_RUN_H

#include <signal.h>

#include "common/config.h"
#include "common/error.h"

typedef struct sib_run_opts {
    const char *dsn;                    /* NULL: PG* variables */
    const sib_config *cfg;
    int as_of;                          /* YYYYMM */
    const char *out_dir;                /* DIR */
    int dry_run;                        /* compute and print, write nothing */
    int force;                          /* allow an as-of month before the last published one */
    volatile sig_atomic_t *stop;        /* set by SIGINT/SIGTERM: stop at the next safe point */
} sib_run_opts;

/* Runs the job. SIB_OK when published (or dry-run done); SIB_ERR with
 * err->code the exit code (1 failure, 2 refused month, 3 locked, 4 guard). */
int sib_run_nightly(const sib_run_opts *o, sib_error *err);

#endif
