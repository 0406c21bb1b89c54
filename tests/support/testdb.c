/* testdb.c — integration-test support (tests/support/testdb.h). */
#include "testdb.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

/* Copies a message into a fixed buffer, so that everything malloc'd can be
 * released before cr_assert_fail() leaves the function. */
#define SIBT_MSG 1024

/* Next value of a per-process counter, for unique names. Test processes are
 * single-threaded; Criterion runs each test in its own process. */
static unsigned next_counter(void)
{
    static unsigned counter;
    return ++counter;
}

/* Notice processor that drops notices ("database ... does not exist, skipping"). */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Connects to dsn; on failure copies libpq's message (without the trailing
 * newline) into msg and returns NULL. */
static PGconn *connect_or_msg(const char *dsn, char *msg)
{
    PGconn *conn = PQconnectdb(dsn);
    if (conn && PQstatus(conn) == CONNECTION_OK) {
        PQsetNoticeProcessor(conn, quiet, NULL);
        return conn;
    }
    snprintf(msg, SIBT_MSG, "cannot connect to the test cluster (%s; run the tests through "
             "sh scripts/with-pg.sh after sh scripts/pg.sh start): %s",
             dsn[0] ? dsn : "PG* variables", conn ? PQerrorMessage(conn) : "out of memory");
    msg[strcspn(msg, "\n")] = '\0';
    PQfinish(conn);
    return NULL;
}

/* 1 when a DSN value can be written without quoting. */
static int plain_value(const char *s)
{
    return s && *s && strpbrk(s, " \t\n'\"\\") == NULL;
}

char *sibt_db_create(const char *prefix)
{
    char msg[SIBT_MSG] = "";
    char name[64];
    char *dsn = NULL;
    PGresult *res = NULL;
    int n = snprintf(name, sizeof name, "%.40s_%ld_%u", prefix && *prefix ? prefix : "t",
                     (long)getpid(), next_counter());
    if (n < 0 || (size_t)n >= sizeof name) {
        cr_assert_fail("sibt_db_create: prefix too long");
        return NULL;
    }
    for (char *p = name; *p; p++) {
        *p = (char)tolower((unsigned char)*p);
        if (!isalnum((unsigned char)*p) && *p != '_')
            *p = '_';
    }

    PGconn *conn = connect_or_msg("dbname=postgres", msg);
    if (!conn)
        goto fail;
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
    res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        goto sqlfail;
    PQclear(res);
    snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", name);
    res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        goto sqlfail;
    PQclear(res);
    res = NULL;

    const char *host = PQhost(conn), *port = PQport(conn), *user = PQuser(conn);
    if (!plain_value(host) || !plain_value(port) || !plain_value(user)) {
        snprintf(msg, SIBT_MSG, "host, port or user of the test cluster is empty or has "
                 "spaces or quotes");
        goto fail;
    }
    size_t cap = strlen(name) + strlen(host) + strlen(port) + strlen(user) + 40;
    dsn = malloc(cap);
    if (!dsn) {
        snprintf(msg, SIBT_MSG, "out of memory");
        goto fail;
    }
    snprintf(dsn, cap, "dbname=%s host=%s port=%s user=%s", name, host, port, user);
    PQfinish(conn);
    return dsn;

sqlfail:
    snprintf(msg, SIBT_MSG, "%s: %s", sql, PQerrorMessage(conn));
    msg[strcspn(msg, "\n")] = '\0';
fail:
    PQclear(res);
    PQfinish(conn);
    free(dsn);
    cr_assert_fail("sibt_db_create(%s): %s", name, msg);
    return NULL;
}

void sibt_db_drop(char *dsn)
{
    if (!dsn)
        return;
    /* The dbname is the first keyword of the DSNs sibt_db_create makes. */
    char name[64] = "";
    const char *p = strstr(dsn, "dbname=");
    if (p) {
        p += strlen("dbname=");
        size_t n = strcspn(p, " ");
        if (n < sizeof name) {
            memcpy(name, p, n);
            name[n] = '\0';
        }
    }
    char msg[SIBT_MSG];
    PGconn *conn = name[0] ? connect_or_msg("dbname=postgres", msg) : NULL;
    if (conn) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
        PGresult *res = PQexec(conn, sql);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            fprintf(stderr, "sibt_db_drop: %s: %s", sql, PQerrorMessage(conn));
        PQclear(res);
    }
    PQfinish(conn);
    free(dsn);
}

/* vsnprintf into a malloc'd string; NULL when out of memory. */
static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *sibt_shell_quote(const char *s)
{
    size_t n = 3;
    for (const char *p = s; *p; p++)
        n += *p == '\'' ? 4 : 1;
    char *q = malloc(n), *o = q;
    if (!q)
        return NULL;
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = '\0';
    return q;
}

/* Runs cmd through sh -c with stderr joined to stdout; see sibt_sh. */
static int sh_capture(char **out, const char *cmd)
{
    FILE *f = NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int status = -1;
    if (out)
        *out = NULL;
    if (!cmd)
        goto done;
    fflush(NULL);
    f = popen(cmd, "r");
    if (!f)
        goto done;
    for (;;) {
        if (cap - len < 4096) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap);
            if (!nb)
                break;
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        if (got == 0)
            break;
        if (out)
            len += got;     /* else keep overwriting: output discarded */
    }
    int ws = pclose(f);
    if (ws == -1)
        status = -1;
    else if (WIFEXITED(ws))
        status = WEXITSTATUS(ws);
    else if (WIFSIGNALED(ws))
        status = 128 + WTERMSIG(ws);
    if (out && buf) {
        buf[len] = '\0';
        *out = buf;
        buf = NULL;
    }
done:
    if (out && !*out)
        *out = calloc(1, 1);
    free(buf);
    return status;
}

/* "exec 2>&1; <prefix><args>" (malloc'd): stderr joins stdout for the whole
 * command line, so that redirections written in args ("2>/dev/null",
 * ">/dev/null") still apply after it. */
static char *command_line(const char *prefix, const char *fmt, va_list ap)
{
    char *args = vformat(fmt, ap);
    char *cmd = NULL;
    if (args) {
        size_t clen = strlen(prefix) + strlen(args) + 16;
        cmd = malloc(clen);
        if (cmd)
            snprintf(cmd, clen, "exec 2>&1; %s%s", prefix, args);
    }
    free(args);
    return cmd;
}

int sibt_sh(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = command_line("", fmt, ap);
    va_end(ap);
    int status = sh_capture(out, cmd);
    free(cmd);
    return status;
}

int sibt_run(char **out, const char *fmt, ...)
{
    const char *bin = getenv("SIBATCH_BIN");
    if (!bin || !*bin)
        bin = "./bin/sibatch";
    char *qbin = sibt_shell_quote(bin);
    char *prefix = qbin ? malloc(strlen(qbin) + 2) : NULL;
    char *cmd = NULL;
    if (prefix) {
        sprintf(prefix, "%s ", qbin);
        va_list ap;
        va_start(ap, fmt);
        cmd = command_line(prefix, fmt, ap);
        va_end(ap);
    }
    int status = sh_capture(out, cmd);
    free(cmd);
    free(prefix);
    free(qbin);
    return status;
}

/* Runs sql on dsn expecting rows; returns the result, or NULL with msg set. */
static PGresult *query_first(const char *dsn, const char *sql, char *msg)
{
    PGconn *conn = connect_or_msg(dsn, msg);
    if (!conn)
        return NULL;
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        snprintf(msg, SIBT_MSG, "%s", PQerrorMessage(conn));
        msg[strcspn(msg, "\n")] = '\0';
        PQclear(res);
        res = NULL;
    } else if (PQntuples(res) < 1 || PQnfields(res) < 1) {
        snprintf(msg, SIBT_MSG, "no row");
        PQclear(res);
        res = NULL;
    }
    PQfinish(conn);
    return res;
}

long sibt_query_long(const char *dsn, const char *sql)
{
    char msg[SIBT_MSG] = "";
    PGresult *res = query_first(dsn, sql, msg);
    if (res) {
        if (PQgetisnull(res, 0, 0)) {
            snprintf(msg, SIBT_MSG, "NULL where a number was expected");
        } else {
            const char *v = PQgetvalue(res, 0, 0);
            char *end;
            errno = 0;
            long x = strtol(v, &end, 10);
            if (errno == 0 && end != v && *end == '\0') {
                PQclear(res);
                return x;
            }
            snprintf(msg, SIBT_MSG, "'%.100s' is not an integer", v);
        }
        PQclear(res);
    }
    cr_assert_fail("sibt_query_long(%s): %s", sql, msg);
    return 0;
}

char *sibt_query_text(const char *dsn, const char *sql)
{
    char msg[SIBT_MSG] = "";
    PGresult *res = query_first(dsn, sql, msg);
    if (res) {
        char *s = strdup(PQgetisnull(res, 0, 0) ? "" : PQgetvalue(res, 0, 0));
        PQclear(res);
        if (s)
            return s;
        snprintf(msg, SIBT_MSG, "out of memory");
    }
    cr_assert_fail("sibt_query_text(%s): %s", sql, msg);
    return NULL;
}

void sibt_exec(const char *dsn, const char *sql)
{
    char msg[SIBT_MSG] = "";
    PGconn *conn = connect_or_msg(dsn, msg);
    if (conn) {
        PGresult *res = PQexec(conn, sql);
        ExecStatusType st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            snprintf(msg, SIBT_MSG, "%s", PQerrorMessage(conn));
            msg[strcspn(msg, "\n")] = '\0';
        }
        PQclear(res);
        PQfinish(conn);
        if (!msg[0])
            return;
    }
    cr_assert_fail("sibt_exec(%s): %s", sql, msg);
}

char *sibt_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap);
            if (!nb)
                goto fail;
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        if (got == 0)
            break;
        n += got;
    }
    if (ferror(f))
        goto fail;
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

char *sibt_read_gz(const char *path, size_t *len)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536) {
            size_t ncap = cap ? cap * 2 : 262144;
            char *nb = realloc(buf, ncap);
            if (!nb)
                goto fail;
            buf = nb;
            cap = ncap;
        }
        size_t want = cap - n - 1;
        if (want > (1u << 30))
            want = 1u << 30;
        int got = gzread(gz, buf + n, (unsigned)want);
        if (got < 0)
            goto fail;
        if (got == 0)
            break;
        n += (size_t)got;
    }
    /* gzread reads plain (and empty) files transparently; a test wants real
     * gzip (even an empty gzip file has a 20-byte header and trailer). */
    if (gzdirect(gz))
        goto fail;
    gzclose(gz);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
fail:
    gzclose(gz);
    free(buf);
    return NULL;
}

int sibt_file_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* nftw callback of sibt_rmtree: removes one entry, children first. */
static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

int sibt_rmtree(const char *path)
{
    if (!sibt_file_exists(path))
        return 0;
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

char *sibt_tmpdir(const char *prefix)
{
    char path[256];
    snprintf(path, sizeof path, "build/tmp/%.64s_%ld_%u", prefix && *prefix ? prefix : "t",
             (long)getpid(), next_counter());
    if ((mkdir("build", 0777) != 0 && errno != EEXIST) ||
        (mkdir("build/tmp", 0777) != 0 && errno != EEXIST) ||
        sibt_rmtree(path) != 0 || mkdir(path, 0777) != 0) {
        char msg[SIBT_MSG];
        snprintf(msg, sizeof msg, "%s: %s", path, strerror(errno));
        cr_assert_fail("sibt_tmpdir: %s", msg);
        return NULL;
    }
    char *s = strdup(path);
    cr_assert_not_null(s, "sibt_tmpdir: out of memory");
    return s;
}

size_t sibt_count_lines(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        if (*p == '\n')
            n++;
    if (*s && s[strlen(s) - 1] != '\n')
        n++;
    return n;
}

void sibt_scratch_open(const char *prefix, char **dsn, char **tmp)
{
    *dsn = sibt_db_create(prefix);
    *tmp = sibt_tmpdir(prefix);
}

void sibt_scratch_close(char **dsn, char **tmp)
{
    sibt_db_drop(*dsn);
    *dsn = NULL;
    if (*tmp)
        sibt_rmtree(*tmp);
    free(*tmp);
    *tmp = NULL;
}
