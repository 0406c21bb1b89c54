/* db.c — libpq behind one small API (include/common/db.h). */
#include "common/db.h"
#include "common/sql.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct sib_db {
    PGconn *conn;
};

/* The one translation of libpq's state into a message: the server's primary
 * message when there is one, else the connection's. Trailing newline cut. */
static int db_fail(sib_db *db, const PGresult *res, sib_error *err, const char *what)
{
    const char *m = NULL;
    if (res)
        m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (!m || !*m)
        m = db && db->conn ? PQerrorMessage(db->conn) : "no connection";
    /* one line: libpq's continuation lines become "; " */
    char buf[900];
    size_t n = 0;
    for (const char *p = m; *p && n < sizeof buf - 3; p++) {
        if (*p == '\n' || *p == '\t') {
            while (p[1] == '\n' || p[1] == '\t' || p[1] == ' ')
                p++;
            if (p[1] && n > 0) {
                buf[n++] = ';';
                buf[n++] = ' ';
            }
        } else {
            buf[n++] = *p;
        }
    }
    while (n && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
    if (db && db->conn && PQstatus(db->conn) == CONNECTION_BAD && strcmp(what, "connect") != 0)
        return sib_error_set(err, "%s: database connection lost: %s", what, buf);
    return sib_error_set(err, "%s: %s", what, buf);
}

sib_db *sib_db_connect(const char *dsn, const char *app_name, sib_error *err)
{
    sib_db *db = calloc(1, sizeof *db);
    if (!db) {
        sib_error_set(err, "connect: out of memory");
        return NULL;
    }
    const char *keys[] = { "dbname", "application_name", "client_encoding", "fallback_application_name", NULL };
    const char *vals[] = { dsn && *dsn ? dsn : NULL, app_name, "UTF8", "sibatch", NULL };
    /* expand_dbname=1: dbname may be a full connection string or URI. */
    if (!(dsn && *dsn)) {
        keys[0] = "application_name"; vals[0] = app_name;
        keys[1] = "client_encoding"; vals[1] = "UTF8";
        keys[2] = NULL; vals[2] = NULL;
    }
    db->conn = PQconnectdbParams(keys, vals, 1);
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        /* PQerrorMessage never contains the password. */
        db_fail(db, NULL, err, "connect");
        sib_db_free(db);
        return NULL;
    }
    if (sib_db_exec(db, "SET search_path = sibatch, si_src, public; "
                        "SET client_min_messages = warning; SET datestyle = 'ISO, YMD'; "
                        "SET TIME ZONE 'UTC'", err) != SIB_OK) {
        sib_db_free(db);
        return NULL;
    }
    return db;
}

void sib_db_free(sib_db *db)
{
    if (!db)
        return;
    if (db->conn)
        PQfinish(db->conn);
    free(db);
}

PGconn *sib_db_conn(sib_db *db)
{
    return db->conn;
}

int sib_db_exec(sib_db *db, const char *sql, sib_error *err)
{
    PGresult *res = PQexec(db->conn, sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = SIB_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        rc = db_fail(db, res, err, "sql");
    PQclear(res);
    return rc;
}

int sib_db_exec_file(sib_db *db, const char *name, sib_error *err)
{
    const char *sql = sib_sql_get(name);
    if (!sql)
        return sib_error_set(err, "sql/%s.sql is not embedded in this binary", name);
    if (sib_db_exec(db, sql, err) != SIB_OK)
        return sib_error_prefix(err, "sql/%s.sql", name);
    return SIB_OK;
}

int sib_db_query(sib_db *db, const char *sql, int nparams, const char *const *params,
                 PGresult **out, sib_error *err)
{
    if (out)
        *out = NULL;
    PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        db_fail(db, res, err, "query");
        PQclear(res);
        return SIB_ERR;
    }
    if (out)
        *out = res;
    else
        PQclear(res);
    return SIB_OK;
}

int sib_db_query_value(sib_db *db, const char *sql, int nparams, const char *const *params,
                       char *buf, size_t cap, sib_error *err)
{
    PGresult *res;
    if (sib_db_query(db, sql, nparams, params, &res, err) != SIB_OK)
        return SIB_ERR;
    int rc = SIB_OK;
    if (PQntuples(res) < 1 || PQnfields(res) < 1)
        rc = sib_error_set(err, "query returned no value");
    else
        snprintf(buf, cap, "%s", PQgetisnull(res, 0, 0) ? "" : PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

int sib_db_copy_in_begin(sib_db *db, const char *copy_sql, sib_error *err)
{
    PGresult *res = PQexec(db->conn, copy_sql);
    int rc = SIB_OK;
    if (PQresultStatus(res) != PGRES_COPY_IN)
        rc = db_fail(db, res, err, "copy in");
    PQclear(res);
    return rc;
}

int sib_db_copy_in_put(sib_db *db, const char *buf, size_t len, sib_error *err)
{
    while (len > 0) {
        int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
        if (PQputCopyData(db->conn, buf, chunk) != 1)
            return db_fail(db, NULL, err, "copy in");
        buf += chunk;
        len -= (size_t)chunk;
    }
    return SIB_OK;
}

int sib_db_copy_in_end(sib_db *db, sib_error *err)
{
    if (PQputCopyEnd(db->conn, NULL) != 1)
        return db_fail(db, NULL, err, "copy in end");
    int rc = SIB_OK;
    PGresult *res;
    while ((res = PQgetResult(db->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == SIB_OK)
            rc = db_fail(db, res, err, "copy in");
        PQclear(res);
    }
    return rc;
}

void sib_db_copy_in_abort(sib_db *db, const char *why)
{
    if (PQputCopyEnd(db->conn, why ? why : "aborted") != 1)
        return;
    PGresult *res;
    while ((res = PQgetResult(db->conn)) != NULL)
        PQclear(res);
}

/* Asks the server to cancel the statement in progress (best effort). */
static void db_cancel(sib_db *db)
{
    PGcancel *c = PQgetCancel(db->conn);
    if (c) {
        char buf[256];
        PQcancel(c, buf, sizeof buf);
        PQfreeCancel(c);
    }
}

/* A COPY out in batches. The server sends 8 KiB at a time and the client
 * parses faster than the server formats, so a plain PQgetCopyData(..., 0)
 * sleeps and wakes for every 8 KiB: at scale 10 about 600,000 wake-ups,
 * which cost both processes CPU (the sender's send() wakes the receiver).
 * With SO_RCVLOWAT the kernel wakes the client only once COPY_LOWAT bytes
 * wait; rows already received are read without waiting, and a wait lasts at
 * most COPY_WAIT_MS, so a last piece shorter than the mark (the end of the
 * COPY) is read after that wait. Measured: docs/performance-log.md. Not over
 * TLS, where decrypted bytes can wait inside the TLS library unseen by
 * poll(); the low-water mark is set back to 1 before anything else is read
 * on the connection (a synchronous wait for a short reply would never end). */
enum { COPY_LOWAT = 1 << 20, COPY_WAIT_MS = 10 };

static int copy_batched_begin(PGconn *conn)
{
    int lowat = COPY_LOWAT;
    return !PQsslInUse(conn) && setsockopt(PQsocket(conn), SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat) == 0;
}

static void copy_batched_end(PGconn *conn)
{
    int one = 1;
    (void)setsockopt(PQsocket(conn), SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
}

/* The next row, as PQgetCopyData(conn, line, 0) returns it. */
static int copy_next(PGconn *conn, char **line, int batched)
{
    if (!batched)
        return PQgetCopyData(conn, line, 0);
    for (int tries = 0;; tries++) {
        int n = PQgetCopyData(conn, line, 1);
        if (n != 0)
            return n;
        if (tries > 0) {            /* nothing whole in the kernel either: wait */
            struct pollfd p = { .fd = PQsocket(conn), .events = POLLIN };
            if (poll(&p, 1, COPY_WAIT_MS) < 0 && errno != EINTR)
                return -2;
        }
        if (!PQconsumeInput(conn))
            return -2;
    }
}

int sib_db_copy_out(sib_db *db, const char *copy_sql, sib_db_row_fn row, void *ud,
                    sib_error *err)
{
    PGresult *res = PQexec(db->conn, copy_sql);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        db_fail(db, res, err, "copy out");
        PQclear(res);
        return SIB_ERR;
    }
    PQclear(res);
    int rc = SIB_OK, n;
    char *line = NULL;
    int batched = copy_batched_begin(db->conn);
    while ((n = copy_next(db->conn, &line, batched)) > 0) {
        if (rc == SIB_OK) {
            size_t len = (size_t)n;
            if (len && line[len - 1] == '\n')
                line[--len] = '\0';
            rc = row(line, len, ud, err);
            if (rc != SIB_OK)
                db_cancel(db);      /* stop the server instead of draining the table */
        }
        PQfreemem(line);
        line = NULL;
    }
    if (batched)
        copy_batched_end(db->conn);
    if (n == -2 && rc == SIB_OK)
        rc = db_fail(db, NULL, err, "copy out");
    while ((res = PQgetResult(db->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == SIB_OK)
            rc = db_fail(db, res, err, "copy out");
        PQclear(res);
    }
    return rc;
}

int sib_copy_split(char *line, char **fields, int max)
{
    int nf = 0;
    char *r = line, *w = line;
    for (;;) {
        if (nf == max)
            return -1;
        char *start = w;
        fields[nf] = start;
        int raw_null = (r[0] == '\\' && r[1] == 'N' && (r[2] == '\t' || r[2] == '\0'));
        while (*r && *r != '\t') {
            if (*r == '\\' && r[1]) {
                r++;
                switch (*r) {
                case 'n': *w++ = '\n'; break;
                case 't': *w++ = '\t'; break;
                case 'r': *w++ = '\r'; break;
                case 'b': *w++ = '\b'; break;
                case 'f': *w++ = '\f'; break;
                case 'v': *w++ = '\v'; break;
                default:  *w++ = *r; break;
                }
                r++;
            } else {
                *w++ = *r++;
            }
        }
        int more = (*r == '\t');
        r++;                    /* past the tab or the terminator */
        *w++ = '\0';
        if (raw_null)
            fields[nf] = NULL;
        nf++;
        if (!more)
            return nf;
    }
}

int sib_buf_reserve(sib_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return SIB_OK;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return SIB_ERR;
    }
    b->data = p;
    b->cap = cap;
    return SIB_OK;
}

int sib_buf_put(sib_buf *b, const char *s, size_t n)
{
    if (sib_buf_reserve(b, n) != SIB_OK)
        return SIB_ERR;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return SIB_OK;
}

int sib_buf_puts(sib_buf *b, const char *s)
{
    return sib_buf_put(b, s, strlen(s));
}

int sib_buf_printf(sib_buf *b, const char *fmt, ...)
{
    /* Format straight into the free space; grow and redo only when it did not fit. */
    if (sib_buf_reserve(b, 256) != SIB_OK)
        return SIB_ERR;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return SIB_ERR;
    }
    if ((size_t)n >= b->cap - b->len) {
        if (sib_buf_reserve(b, (size_t)n) != SIB_OK)
            return SIB_ERR;
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
    return SIB_OK;
}

/* The digits of v, at most 20, written backwards ending at end. */
static char *utoa_back(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

int sib_buf_int(sib_buf *b, int64_t v)
{
    char t[24], *e = t + sizeof t, *p = utoa_back(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, e);
    if (v < 0)
        *--p = '-';
    return sib_buf_put(b, p, (size_t)(e - p));
}

const char *sib_cents_text(int64_t cents, char buf[SIB_CENTS_CAP])
{
    uint64_t v = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
    char t[SIB_CENTS_CAP], *e = t + sizeof t, *p = e;
    *--p = '\0';
    *--p = (char)('0' + v % 10);
    *--p = (char)('0' + v / 10 % 10);
    *--p = '.';
    p = utoa_back(v / 100, p);
    if (cents < 0)
        *--p = '-';
    memcpy(buf, p, (size_t)(e - p));
    return buf;
}

int sib_buf_cents(sib_buf *b, int64_t cents)
{
    char t[SIB_CENTS_CAP];
    return sib_buf_puts(b, sib_cents_text(cents, t));
}

int sib_copy_field(sib_buf *b, const char *s)
{
    if (!s)
        return sib_buf_put(b, "\\N", 2);
    size_t n = strlen(s);
    if (sib_buf_reserve(b, 2 * n) != SIB_OK)
        return SIB_ERR;
    char *w = b->data + b->len;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '\\': *w++ = '\\'; *w++ = '\\'; break;
        case '\t': *w++ = '\\'; *w++ = 't'; break;
        case '\n': *w++ = '\\'; *w++ = 'n'; break;
        case '\r': *w++ = '\\'; *w++ = 'r'; break;
        default:   *w++ = *p; break;
        }
    }
    b->len = (size_t)(w - b->data);
    b->data[b->len] = '\0';
    return SIB_OK;
}

void sib_buf_free(sib_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *sib_db_quote_ident(sib_db *db, const char *s)
{
    char *q = PQescapeIdentifier(db->conn, s, strlen(s));
    if (!q)
        return NULL;
    char *r = strdup(q);
    PQfreemem(q);
    return r;
}

/* ------------------------------------------------ COPY text numbers */

int64_t sib_parse_cents(const char *s)
{
    if (!s)
        return 0;
    int neg = 0;
    while (*s == ' ')
        s++;
    if (*s == '-') {
        neg = 1;
        s++;
    } else if (*s == '+') {
        s++;
    }
    int64_t whole = 0, frac = 0;
    while (*s >= '0' && *s <= '9')
        whole = whole * 10 + (*s++ - '0');
    if (*s == '.') {
        s++;
        for (int i = 0; i < 2; i++) {
            frac *= 10;
            if (*s >= '0' && *s <= '9')
                frac += *s++ - '0';
        }
    }
    int64_t v = whole * 100 + frac;
    return neg ? -v : v;
}

long sib_parse_long(const char *s, int *ok)
{
    if (!s) {
        *ok = 0;
        return 0;
    }
    /* fast path: up to 18 plain digits (what COPY sends for integers) */
    long v = 0;
    const char *p = s + (*s == '-');
    int n = 0;
    while (p[n] >= '0' && p[n] <= '9' && n < 18)
        v = v * 10 + (p[n++] - '0');
    if (n > 0 && p[n] == '\0') {
        *ok = 1;
        return *s == '-' ? -v : v;
    }
    char *end;
    v = strtol(s, &end, 10);
    *ok = (end != s && *end == '\0');
    return v;
}
