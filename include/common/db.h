/*
 * db.h — the one place sibatch talks libpq.
 *
 * A sib_db is one connection, opened with a DSN (or "" for the standard PG*
 * variables and service file), with client_encoding UTF8, application_name
 * "sibatch <command>" and a schema-qualified search_path. libpq errors are
 * translated into sib_error messages here and nowhere else. Every PGresult
 * handed out is owned by the caller (PQclear it).
 */
#ifndef SIB_COMMON_DB_H
#define SIB_COMMON_DB_H

#include <stddef.h>
#include <stdint.h>
#include <libpq-fe.h>

#include "common/error.h"

typedef struct sib_db sib_db;

/* Connects; NULL on failure with err set (the password is never printed). */
sib_db *sib_db_connect(const char *dsn, const char *app_name, sib_error *err);
/* Closes the connection; NULL is a no-op. */
void sib_db_free(sib_db *db);
/* The underlying connection, for the rare direct libpq call. */
PGconn *sib_db_conn(sib_db *db);

/* Runs one or more statements without parameters (scripts, BEGIN, ...). */
int sib_db_exec(sib_db *db, const char *sql, sib_error *err);
/* Runs sql/<name>.sql (embedded). */
int sib_db_exec_file(sib_db *db, const char *name, sib_error *err);
/* One statement with text parameters; *out (may be NULL to discard) gets the
 * result of a successful command or query. */
int sib_db_query(sib_db *db, const char *sql, int nparams, const char *const *params,
                 PGresult **out /* OUT, caller PQclears */, sib_error *err);
/* Convenience: one statement, one row, one column, copied into buf ("" for NULL). */
int sib_db_query_value(sib_db *db, const char *sql, int nparams, const char *const *params,
                       char *buf, size_t cap, sib_error *err);

/* COPY ... FROM STDIN: begin, put text-format data (any chunking), end. */
int sib_db_copy_in_begin(sib_db *db, const char *copy_sql, sib_error *err);
int sib_db_copy_in_put(sib_db *db, const char *buf, size_t len, sib_error *err);
int sib_db_copy_in_end(sib_db *db, sib_error *err);
/* Gives up a COPY in progress (the server fails it with `why`), so the
 * connection can take the ROLLBACK that follows. Best effort. */
void sib_db_copy_in_abort(sib_db *db, const char *why);

/* COPY (...) TO STDOUT in text format: calls row() for every line (without the
 * newline, NUL-terminated, writable in place). row returns SIB_OK to go on, or
 * SIB_ERR (with err set) to stop. */
typedef int (*sib_db_row_fn)(char *line, size_t len, void *ud, sib_error *err);
int sib_db_copy_out(sib_db *db, const char *copy_sql, sib_db_row_fn row, void *ud,
                    sib_error *err);

/* Splits a COPY text line on tabs in place, undoing backslash escapes;
 * a field that is \N becomes NULL. Returns the number of fields (at most max),
 * or -1 when the line has more than max fields. */
int sib_copy_split(char *line, char **fields, int max);
/* Numbers of COPY text fields. sib_parse_long: a whole decimal number, *ok 0
 * when NULL or anything else. sib_parse_cents: "-123.45" as cents (two
 * decimals read, further ones ignored), 0 for NULL. */
long sib_parse_long(const char *s, int *ok);
int64_t sib_parse_cents(const char *s);

/* A growing text buffer (COPY rows, SQL, pages). An append that fails (out
 * of memory, or a format error of sib_buf_printf) returns SIB_ERR and also
 * sets failed, so a caller can append a whole row and check once. */
typedef struct sib_buf { char *data; size_t len, cap; int failed; } sib_buf;
int sib_buf_reserve(sib_buf *b, size_t extra);
int sib_buf_put(sib_buf *b, const char *s, size_t n);
int sib_buf_puts(sib_buf *b, const char *s);
int sib_buf_printf(sib_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sib_buf_int(sib_buf *b, int64_t v);           /* decimal, as "%lld" */
int sib_buf_cents(sib_buf *b, int64_t cents);     /* money, sib_cents_text */
/* Appends s as a COPY text field, escaped, no separator (NULL writes \N). */
int sib_copy_field(sib_buf *b, const char *s);
void sib_buf_free(sib_buf *b);

/* The one money format of files, tables and the manifest: cents as
 * "-12.05" (no thousands separators) in buf; returns buf. */
#define SIB_CENTS_CAP 24
const char *sib_cents_text(int64_t cents, char buf[SIB_CENTS_CAP]);

/* Quotes an identifier or literal for SQL text (malloc'd, caller frees). */
char *sib_db_quote_ident(sib_db *db, const char *s);

#endif
