/* error.c — sib_error helpers (see include/common/error.h). */
#include "common/error.h"

#include <stdio.h>
#include <string.h>

int sib_error_set(sib_error *err, const char *fmt, ...)
{
    if (!err)
        return SIB_ERR;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->code = SIB_EXIT_FAILURE;
    return SIB_ERR;
}

int sib_error_setc(sib_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return SIB_ERR;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->code = code;
    return SIB_ERR;
}

int sib_error_prefix(sib_error *err, const char *fmt, ...)
{
    if (!err)
        return SIB_ERR;
    char prefix[256], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t n = strlen(prefix);
    if (n > sizeof err->msg - 3)
        n = sizeof err->msg - 3;
    memcpy(err->msg, prefix, n);
    memcpy(err->msg + n, ": ", 2);
    size_t rest = sizeof err->msg - n - 3;
    size_t m = strnlen(old, rest);
    memcpy(err->msg + n + 2, old, m);
    err->msg[n + 2 + m] = '\0';
    if (err->code == 0)
        err->code = SIB_EXIT_FAILURE;
    return SIB_ERR;
}

void sib_error_clear(sib_error *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}
