/*
 * testdb.h — support for integration tests: throwaway databases on the
 * private cluster, running the real binary, reading what it wrote.
 *
 * The cluster is the one of the PG* environment variables, as set by
 * `sh scripts/with-pg.sh` (make check does it). The binary is $SIBATCH_BIN,
 * default ./bin/sibatch (tests run from the tree's root).
 *
 * Functions marked "fails the test" call cr_assert_fail() on error, so they
 * must be called from a Criterion test or fixture; they release what they
 * allocated first, so a failing test stays leak-free under ASan.
 */
#ifndef SIBT_TESTDB_H
#define SIBT_TESTDB_H

#include <stddef.h>

/* CREATE DATABASE <prefix>_<pid>_<counter> (prefix lowercased, characters
 * other than [a-z0-9_] become '_'; a leftover of a dead process with the same
 * name is dropped first). Returns its DSN "dbname=... host=... port=...
 * user=..." (malloc'd; values never contain spaces or quotes, so the DSN can
 * be put in single quotes on a shell command line). Fails the test when the
 * cluster cannot be reached. */
char *sibt_db_create(const char *prefix);

/* DROP DATABASE IF EXISTS ... WITH (FORCE) of the DSN's dbname, then frees
 * dsn. NULL is a no-op. Never fails the test (it runs in .fini fixtures). */
void sibt_db_drop(char *dsn);

/* Runs "$SIBATCH_BIN <args>" through sh -c, args formatted printf-style (so
 * shell quoting and redirections in args work: "init-db --dsn '%s' 2>/dev/null").
 * stdout and stderr both go to *out (malloc'd, NUL-terminated; with out ==
 * NULL they are discarded). Returns the exit status, 128+N when killed by
 * signal N, -1 when the shell could not be started. */
int sibt_run(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like sibt_run, for any shell command line: sibt_sh(&out, "zcat '%s'", path). */
int sibt_sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* First column of the first row of sql's result as a long. Fails the test on
 * a connection or SQL error, on no row, on NULL or on a non-integer value. */
long sibt_query_long(const char *dsn, const char *sql);

/* First column of the first row as text (malloc'd; "" for NULL). Fails the
 * test on a connection or SQL error or when there is no row. */
char *sibt_query_text(const char *dsn, const char *sql);

/* Runs one or more statements without result (INSERT, UPDATE, DDL). Fails
 * the test on error. */
void sibt_exec(const char *dsn, const char *sql);

/* Single-quotes s for sh (' becomes '\''); malloc'd. */
char *sibt_shell_quote(const char *s);

/* The whole content of a file (malloc'd, NUL-terminated; *len gets the length
 * when len is not NULL), or NULL when it cannot be read. */
char *sibt_read_file(const char *path, size_t *len);

/* The whole decompressed content of a gzip file (also of a concatenation of
 * gzip members), read with zlib; malloc'd, NUL-terminated, *len as above.
 * NULL when it cannot be opened or is not valid gzip. */
char *sibt_read_gz(const char *path, size_t *len);

/* 1 when path exists (any kind of file), else 0. */
int sibt_file_exists(const char *path);

/* A fresh, empty directory build/tmp/<prefix>_<pid>_<counter> (anything left
 * there by an earlier process is deleted first). Returns its path (malloc'd).
 * Fails the test when it cannot be made. */
char *sibt_tmpdir(const char *prefix);

/* Deletes path and everything below it (like rm -rf); 0 on success, also
 * when path does not exist. */
int sibt_rmtree(const char *path);

/* A scratch database and directory for one test: *dsn from
 * sibt_db_create(prefix), *tmp from sibt_tmpdir(prefix). */
void sibt_scratch_open(const char *prefix, char **dsn, char **tmp);
/* Drops the database, deletes the directory, frees both and sets them to
 * NULL (either may already be NULL). */
void sibt_scratch_close(char **dsn, char **tmp);

/* Number of lines of s (a last line without '\n' counts). */
size_t sibt_count_lines(const char *s);

#endif
