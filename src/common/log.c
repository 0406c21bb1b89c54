/* log.c — key=value or JSON-lines events on stderr (include/common/log.h). */
#include "common/log.h"
#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Set once by main() from the parsed configuration, read-only afterwards. */
static enum sib_log_level log_level = SIB_LOG_INFO;
static enum sib_log_format log_format = SIB_LOG_KV;

static const char *const level_names[] = { "debug", "info", "warn", "error", "off" };

void sib_log_setup(enum sib_log_level level, enum sib_log_format format)
{
    log_level = level;
    log_format = format;
}

int sib_log_enabled(enum sib_log_level level)
{
    return level >= log_level && log_level != SIB_LOG_OFF;
}

int sib_log_parse_level(const char *s, enum sib_log_level *out)
{
    for (int i = 0; i <= SIB_LOG_OFF; i++)
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum sib_log_level)i;
            return SIB_OK;
        }
    return SIB_ERR;
}

int sib_log_parse_format(const char *s, enum sib_log_format *out)
{
    if (strcmp(s, "kv") == 0)
        *out = SIB_LOG_KV;
    else if (strcmp(s, "json") == 0)
        *out = SIB_LOG_JSON;
    else
        return SIB_ERR;
    return SIB_OK;
}

/* Writes s as the inside of a JSON string. */
static void json_escape(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
}

/* Converts "k=v k2=\"a b\"" into JSON members, appending to f. */
static void kv_to_json(FILE *f, const char *msg)
{
    const char *p = msg;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *eq = p;
        while (*eq && *eq != '=' && *eq != ' ')
            eq++;
        fputs(",\"", f);
        json_escape(f, p, (size_t)(eq - p));
        fputs("\":\"", f);
        if (*eq != '=') {           /* a bare word: key with empty value */
            fputc('"', f);
            p = eq;
            continue;
        }
        const char *v = eq + 1, *end;
        if (*v == '"') {
            v++;
            end = strchr(v, '"');
            if (!end)
                end = v + strlen(v);
            json_escape(f, v, (size_t)(end - v));
            p = *end ? end + 1 : end;
        } else {
            end = v;
            while (*end && *end != ' ')
                end++;
            json_escape(f, v, (size_t)(end - v));
            p = end;
        }
        fputc('"', f);
    }
}

void sib_log_write(enum sib_log_level level, const char *stage, const char *fmt, ...)
{
    char msg[2048], ts[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);

    flockfile(stderr);
    if (log_format == SIB_LOG_JSON) {
        fprintf(stderr, "{\"ts\":\"%s\",\"level\":\"%s\",\"stage\":\"", ts, level_names[level]);
        json_escape(stderr, stage, strlen(stage));
        fputc('"', stderr);
        kv_to_json(stderr, msg);
        fputs("}\n", stderr);
    } else {
        fprintf(stderr, "ts=%s level=%s stage=%s %s\n", ts, level_names[level], stage, msg);
    }
    funlockfile(stderr);
}

double sib_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
