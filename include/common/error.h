/*
 * error.h — how sibatch reports failures.
 *
 * Every fallible function returns int: SIB_OK (0) on success, SIB_ERR (-1) on
 * failure, and fills a caller-owned sib_error with one line of context
 * ("enrollment: COPY failed: server closed the connection"). Library error
 * codes are translated into that message in one place per library
 * (db.c for libpq, gz.c for zlib). Nothing below main() calls exit().
 */
#ifndef SIB_COMMON_ERROR_H
#define SIB_COMMON_ERROR_H

#include <stdarg.h>

enum { SIB_OK = 0, SIB_ERR = -1 };

/* Process exit codes, documented in README.md. */
enum sib_exit {
    SIB_EXIT_OK = 0,        /* success */
    SIB_EXIT_FAILURE = 1,   /* the run failed; nothing new was published */
    SIB_EXIT_USAGE = 2,     /* bad command line */
    SIB_EXIT_LOCKED = 3,    /* another run holds the lock */
    SIB_EXIT_GUARD = 4,     /* data-quality guard tripped; nothing published */
    SIB_EXIT_MISMATCH = 5,  /* reconciliation found a mismatch */
    SIB_EXIT_SIGINT = 130,  /* stopped by SIGINT, rolled back */
    SIB_EXIT_SIGTERM = 143  /* stopped by SIGTERM, rolled back */
};

typedef struct sib_error {
    int code;               /* an enum sib_exit the failure maps to (default 1) */
    char msg[1024];
} sib_error;

/* Sets the message (printf-style) and code SIB_EXIT_FAILURE; returns SIB_ERR. */
int sib_error_set(sib_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Like sib_error_set with an explicit exit code. */
int sib_error_setc(sib_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prepends "what: " to the message already set (adds context on the way up). */
int sib_error_prefix(sib_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Clears err. */
void sib_error_clear(sib_error *err);

#endif
