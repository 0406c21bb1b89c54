/* rejlog.c — rejected contribution rows in a temporary file (include/read/rejlog.h). */
#include "read/rejlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sib_rejlog {
    FILE *f;
    size_t n;
    int reading;        /* the file position is not at its end */
};

enum { IO_BUF = 1 << 20 };

sib_rejlog *sib_rejlog_new(sib_error *err)
{
    sib_rejlog *l = calloc(1, sizeof *l);
    if (!l) {
        sib_error_set(err, "rejects: out of memory");
        return NULL;
    }
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/sibatch-rejects-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd >= 0) {
        unlink(path);       /* gone from the directory at once; the file lives while open */
        l->f = fdopen(fd, "w+b");
        if (!l->f)
            close(fd);
    }
    if (!l->f) {
        sib_error_set(err, "rejects: cannot create a temporary file in %s: %s", dir && *dir ? dir : "/tmp",
                      strerror(errno));
        free(l);
        return NULL;
    }
    setvbuf(l->f, NULL, _IOFBF, IO_BUF);
    return l;
}

int sib_rejlog_add(sib_rejlog *l, const sib_contrib_reject *r, sib_error *err)
{
    if (l->reading && fseek(l->f, 0, SEEK_END) != 0)
        return sib_error_set(err, "rejects: temporary file: %s", strerror(errno));
    l->reading = 0;
    sib_contrib_reject c;
    memset(&c, 0, sizeof c);    /* no stray padding bytes in the file */
    c.enrollment_id = r->enrollment_id;
    c.period = r->period;
    c.reason = r->reason;
    c.nulls = r->nulls;
    c.paid_on = r->paid_on;
    c.amount = r->amount;
    if (fwrite(&c, sizeof c, 1, l->f) != 1)
        return sib_error_set(err, "rejects: cannot write the temporary file: %s", strerror(errno));
    l->n++;
    return SIB_OK;
}

size_t sib_rejlog_count(const sib_rejlog *l)
{
    return l ? l->n : 0;
}

int sib_rejlog_each(sib_rejlog *l, int (*fn)(const sib_contrib_reject *r, void *ud, sib_error *err), void *ud,
                    sib_error *err)
{
    if (!l || l->n == 0)
        return SIB_OK;
    if (fflush(l->f) != 0 || fseek(l->f, 0, SEEK_SET) != 0)
        return sib_error_set(err, "rejects: temporary file: %s", strerror(errno));
    l->reading = 1;
    sib_contrib_reject r;
    for (size_t i = 0; i < l->n; i++) {
        if (fread(&r, sizeof r, 1, l->f) != 1)
            return sib_error_set(err, "rejects: cannot read the temporary file back (record %zu of %zu)", i, l->n);
        if (fn(&r, ud, err) != SIB_OK)
            return SIB_ERR;
    }
    return SIB_OK;
}

static int add_to(const sib_contrib_reject *r, void *ud, sib_error *err)
{
    return sib_rejlog_add(ud, r, err);
}

int sib_rejlog_append(sib_rejlog *dst, sib_rejlog *src, sib_error *err)
{
    if (sib_rejlog_each(src, add_to, dst, err) != SIB_OK)
        return SIB_ERR;
    if (src->n && (fflush(src->f) != 0 || ftruncate(fileno(src->f), 0) != 0 || fseek(src->f, 0, SEEK_SET) != 0))
        return sib_error_set(err, "rejects: temporary file: %s", strerror(errno));
    src->n = 0;
    src->reading = 0;
    return SIB_OK;
}

void sib_rejlog_free(sib_rejlog *l)
{
    if (!l)
        return;
    fclose(l->f);
    free(l);
}
