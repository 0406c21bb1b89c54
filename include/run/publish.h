/*
 * publish.h — the file side of publication (see run.h): a hidden staging
 * directory, sealed by rename once complete, made visible by swinging the
 * DIR/<YYYY-MM> symbolic link, and repaired from the database's record when
 * a run died between its commit and the link.
 */
#ifndef SIB_RUN_PUBLISH_H
#define SIB_RUN_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "common/db.h"
#include "common/error.h"

/* Creates DIR/.runs/.tmp-<run_id> (removing stale staging directories of dead
 * runs first) and returns its path in staging. */
int sib_publish_staging(const char *out_dir, int64_t run_id, char *staging, size_t cap, sib_error *err);
/* fsyncs the staging directory and renames it to DIR/.runs/<YYYY-MM>.run<id>;
 * final (absolute path) gets the new name. */
int sib_publish_seal(const char *out_dir, const char *staging, int as_of, int64_t run_id,
                     char *final, size_t cap, sib_error *err);
/* Atomically points DIR/<YYYY-MM> at final (a relative symbolic link). */
int sib_publish_link(const char *out_dir, int as_of, const char *final, sib_error *err);
/* Removes the month's other run directories (superseded runs). */
void sib_publish_cleanup(const char *out_dir, int as_of, const char *final);
/* For every month's latest published run whose directory exists under
 * out_dir but is not what DIR/<YYYY-MM> points at, fixes the link. */
void sib_publish_repair(sib_db *db, const char *out_dir);

#endif
