/*
 * fsx.h — durable file-system steps for publishing results.
 *
 * The recipe for every output file: write it under a temporary name in the
 * destination directory, fsync it, rename() it over the final name, fsync
 * the directory (so the rename itself survives a crash). A reader sees the
 * old file or the new one, never half of one.
 */
#ifndef SIB_COMMON_FSX_H
#define SIB_COMMON_FSX_H

#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"

/* mkdir -p: creates path and its missing parents with mode (an existing
 * directory is fine; an existing non-directory is an error). */
int sib_fsx_mkdirs(const char *path, mode_t mode, sib_error *err);

/* fsync() of a directory, making renames and creations in it durable. */
int sib_fsx_fsync_dir(const char *dir, sib_error *err);

/* rename(tmp_path, final_path), then fsync of final_path's directory. Both
 * must be on the same file system (put temporaries beside the result). */
int sib_fsx_publish(const char *tmp_path, const char *final_path, sib_error *err);

/* Writes data atomically to path with mode: a temporary file in the same
 * directory (mkstemp), write, fsync, rename over path, fsync the directory.
 * On failure the temporary is removed and path is untouched. */
int sib_fsx_write_file(const char *path, const void *data, size_t n, mode_t mode,
                       sib_error *err);

/* rm -rf: removes path and everything below it, never following symbolic
 * links (a link is removed, not its target). A missing path is SIB_OK. */
int sib_fsx_remove_tree(const char *path, sib_error *err);

/* The directory part of path into out ("." when there is none). SIB_ERR
 * when it does not fit in cap. */
int sib_fsx_dirname(const char *path, char *out, size_t cap);

#endif
