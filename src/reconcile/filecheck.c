/* filecheck.c — size, SHA-256, gzip integrity and content of a file in one
 * pass (include/reconcile/filecheck.h). SHA-256 comes from libcrypto's EVP
 * interface (a well-kept, audited implementation), inflate from zlib. */
#include "reconcile/filecheck.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

#define FC_CHUNK 65536

/* zlib's return codes as words: the one translation of zlib codes here. */
static const char *zcode(int rc)
{
    switch (rc) {
    case Z_OK: return "ok";
    case Z_STREAM_END: return "stream end";
    case Z_NEED_DICT: return "needs a dictionary";
    case Z_DATA_ERROR: return "data error";
    case Z_STREAM_ERROR: return "stream error";
    case Z_MEM_ERROR: return "out of memory";
    case Z_BUF_ERROR: return "buffer error";
    default: return "unknown zlib error";
    }
}

/* Inflate state across chunks: members are inflated one after another. */
typedef struct fc_inflate {
    z_stream zs;
    int live;           /* inflateInit2 done */
    int in_member;      /* inside a member (its end not seen yet) */
    int members;        /* complete members */
    int failed;
} fc_inflate;

/* Marks the stream as damaged with a message. */
static void fc_fail(sib_filecheck *out, fc_inflate *fi, const char *fmt, const char *what, uint64_t at)
{
    if (fi->failed)
        return;
    fi->failed = 1;
    out->gzip_ok = 0;
    snprintf(out->gzip_error, sizeof out->gzip_error, fmt, what, (unsigned long long)at);
}

/* Feeds one chunk of the file through inflate into csv. */
static int fc_inflate_chunk(fc_inflate *fi, unsigned char *in, size_t n, uint64_t offset,
                            sib_csvr *csv, sib_filecheck *out, sib_error *err)
{
    unsigned char local[FC_CHUNK];
    fi->zs.next_in = in;
    fi->zs.avail_in = (uInt)n;
    while (fi->zs.avail_in > 0 && !fi->failed) {
        if (!fi->in_member) {
            if (inflateReset(&fi->zs) != Z_OK) {
                fc_fail(out, fi, "inflate: %s at byte %llu", "reset failed", offset);
                break;
            }
            fi->in_member = 1;
        }
        fi->zs.next_out = local;
        fi->zs.avail_out = sizeof local;
        int rc = inflate(&fi->zs, Z_NO_FLUSH);
        size_t got = sizeof local - fi->zs.avail_out;
        out->raw_bytes += got;
        if (got && csv && out->csv_ok && sib_csvr_feed(csv, (const char *)local, got, err) != SIB_OK)
            return SIB_ERR;
        if (rc == Z_STREAM_END) {
            fi->in_member = 0;
            fi->members++;
        } else if (rc == Z_BUF_ERROR && got == 0) {
            break;              /* needs more input */
        } else if (rc != Z_OK) {
            fc_fail(out, fi, "gzip stream damaged: %s near byte %llu", fi->zs.msg ? fi->zs.msg : zcode(rc),
                    offset + (n - fi->zs.avail_in));
        }
    }
    return SIB_OK;
}

int sib_filecheck_read(const char *path, sib_csvr *csv, sib_filecheck *out, sib_error *err)
{
    memset(out, 0, sizeof *out);
    out->gzip_ok = 1;
    out->csv_ok = csv != NULL;
    int rc = SIB_ERR;
    fc_inflate fi = { 0 };
    EVP_MD_CTX *md = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        sib_error_set(err, "%s: %s", path, strerror(errno));
        goto done;
    }
    md = EVP_MD_CTX_new();
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        sib_error_set(err, "%s: cannot start SHA-256", path);
        goto done;
    }
    if (inflateInit2(&fi.zs, 15 + 16) != Z_OK) {
        sib_error_set(err, "%s: inflateInit2 failed", path);
        goto done;
    }
    fi.live = 1;
    fi.in_member = 1;
    unsigned char buf[FC_CHUNK];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (EVP_DigestUpdate(md, buf, n) != 1) {
            sib_error_set(err, "%s: SHA-256 update failed", path);
            goto done;
        }
        if (!fi.failed && fc_inflate_chunk(&fi, buf, n, out->bytes, csv, out, err) != SIB_OK) {
            sib_error_prefix(err, "%s", path);
            goto done;
        }
        out->bytes += n;
    }
    if (ferror(f)) {
        sib_error_set(err, "%s: read error: %s", path, strerror(errno));
        goto done;
    }
    if (!fi.failed && fi.in_member)
        fc_fail(out, &fi, "gzip stream %s at byte %llu", fi.members ? "has a truncated member" : "is truncated",
                out->bytes);
    if (!fi.failed && fi.members == 0)
        fc_fail(out, &fi, "gzip stream %s (%llu bytes)", "is empty", out->bytes);
    unsigned char dig[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (EVP_DigestFinal_ex(md, dig, &dlen) != 1 || dlen != 32) {
        sib_error_set(err, "%s: SHA-256 final failed", path);
        goto done;
    }
    for (unsigned i = 0; i < 32; i++)
        snprintf(out->sha256 + 2 * i, 3, "%02x", dig[i]);
    if (csv) {
        if (!out->gzip_ok) {
            out->csv_ok = 0;
            snprintf(out->csv_error, sizeof out->csv_error, "not read: the gzip stream is damaged");
        } else {
            sib_error cerr = { 0 };
            if (sib_csvr_finish(csv, &cerr) != SIB_OK) {
                out->csv_ok = 0;
                snprintf(out->csv_error, sizeof out->csv_error, "%s", cerr.msg);
            }
        }
    }
    rc = SIB_OK;
done:
    if (fi.live)
        inflateEnd(&fi.zs);
    EVP_MD_CTX_free(md);
    if (f)
        fclose(f);
    return rc;
}
