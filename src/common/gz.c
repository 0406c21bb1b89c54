/* gz.c — deterministic gzip writer and whole-file reader (include/common/gz.h). */
#include "common/gz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "common/sha256.h"

#define GZ_CHUNK 65536

struct sib_gz {
    z_stream zs;
    gz_header hdr;              /* zlib keeps a pointer to it until written */
    int zs_live;                /* deflateInit2 succeeded */
    int fd;
    char *path;
    sib_sha256 *sha;
    uint64_t bytes;
    unsigned char out[GZ_CHUNK];
};

/* The one place zlib's return codes become words. zmsg is zlib's own detail
 * (z_stream.msg or gzerror's text), may be NULL. */
static int gz_error(sib_error *err, const char *path, const char *what, int zrc, const char *zmsg)
{
    const char *s;
    switch (zrc) {
    case Z_OK: s = "ok"; break;
    case Z_STREAM_END: s = "unexpected end of stream"; break;
    case Z_NEED_DICT: s = "a preset dictionary is needed"; break;
    case Z_ERRNO: s = strerror(errno); break;
    case Z_STREAM_ERROR: s = "inconsistent stream state or bad parameter"; break;
    case Z_DATA_ERROR: s = "corrupt or incomplete compressed data"; break;
    case Z_MEM_ERROR: s = "out of memory"; break;
    case Z_BUF_ERROR: s = "truncated data (no progress possible)"; break;
    case Z_VERSION_ERROR: s = "incompatible zlib version"; break;
    default: s = "unknown zlib error"; break;
    }
    if (zmsg && *zmsg && zrc != Z_ERRNO)
        return sib_error_set(err, "%s: %s: %s (%s, zlib %d)", path, what, s, zmsg, zrc);
    return sib_error_set(err, "%s: %s: %s (zlib %d)", path, what, s, zrc);
}

/* Writes all of buf to the file, feeding the digest and the byte count. */
static int put_out(sib_gz *gz, const unsigned char *buf, size_t n, sib_error *err)
{
    if (sib_sha256_update(gz->sha, buf, n) != SIB_OK)
        return sib_error_set(err, "%s: libcrypto digest failed", gz->path);
    gz->bytes += n;
    while (n > 0) {
        ssize_t w = write(gz->fd, buf, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return sib_error_set(err, "%s: write: %s", gz->path, strerror(errno));
        }
        buf += w;
        n -= (size_t)w;
    }
    return SIB_OK;
}

/* Runs deflate with flush until it needs more input (Z_NO_FLUSH) or the
 * stream ends (Z_FINISH), writing each full output buffer. */
static int pump(sib_gz *gz, int flush, sib_error *err)
{
    for (;;) {
        gz->zs.next_out = gz->out;
        gz->zs.avail_out = GZ_CHUNK;
        int zrc = deflate(&gz->zs, flush);
        if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR)
            return gz_error(err, gz->path, "deflate", zrc, gz->zs.msg);
        size_t have = GZ_CHUNK - gz->zs.avail_out;
        if (have && put_out(gz, gz->out, have, err) != SIB_OK)
            return SIB_ERR;
        if (flush == Z_FINISH) {
            if (zrc == Z_STREAM_END)
                return SIB_OK;
            if (zrc == Z_BUF_ERROR && have == 0)
                return gz_error(err, gz->path, "deflate finish", zrc, gz->zs.msg);
        } else if (gz->zs.avail_in == 0 && gz->zs.avail_out != 0) {
            return SIB_OK;
        }
    }
}

/* Closes the descriptor, ends deflate, frees; unlinks the file when asked. */
static void gz_release(sib_gz *gz, int unlink_file)
{
    if (gz->fd >= 0)
        close(gz->fd);
    if (unlink_file && gz->path)
        unlink(gz->path);
    if (gz->zs_live)
        deflateEnd(&gz->zs);
    sib_sha256_free(gz->sha);
    free(gz->path);
    free(gz);
}

sib_gz *sib_gz_open(const char *tmp_path, int level, sib_error *err)
{
    sib_gz *gz = calloc(1, sizeof *gz);
    if (!gz) {
        sib_error_set(err, "%s: out of memory", tmp_path);
        return NULL;
    }
    gz->fd = -1;
    gz->path = strdup(tmp_path);
    gz->sha = sib_sha256_new();
    if (!gz->path || !gz->sha) {
        sib_error_set(err, "%s: out of memory", tmp_path);
        goto fail;
    }
    if (level < -1 || level > 9) {
        sib_error_set(err, "%s: gzip level %d outside -1..9", tmp_path, level);
        goto fail;
    }
    int zrc = deflateInit2(&gz->zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    if (zrc != Z_OK) {
        gz_error(err, tmp_path, "deflateInit2", zrc, gz->zs.msg);
        goto fail;
    }
    gz->zs_live = 1;
    /* Fixed header: no name, no comment, mtime 0, OS "unknown". */
    gz->hdr.time = 0;
    gz->hdr.os = 255;
    zrc = deflateSetHeader(&gz->zs, &gz->hdr);
    if (zrc != Z_OK) {
        gz_error(err, tmp_path, "deflateSetHeader", zrc, gz->zs.msg);
        goto fail;
    }
    gz->fd = open(tmp_path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0640);
    if (gz->fd < 0) {
        sib_error_set(err, "%s: create: %s", tmp_path, strerror(errno));
        goto fail;
    }
    if (fchmod(gz->fd, 0640) != 0) {    /* beat the umask */
        sib_error_set(err, "%s: chmod: %s", tmp_path, strerror(errno));
        gz_release(gz, 1);
        return NULL;
    }
    return gz;
fail:
    gz_release(gz, 0);
    return NULL;
}

int sib_gz_write(sib_gz *gz, const void *data, size_t n, sib_error *err)
{
    const unsigned char *p = data;
    while (n > 0) {
        /* avail_in is a uInt: feed huge buffers in slices */
        uInt piece = n > (1u << 30) ? (1u << 30) : (uInt)n;
        gz->zs.next_in = (Bytef *)p;
        gz->zs.avail_in = piece;
        if (pump(gz, Z_NO_FLUSH, err) != SIB_OK)
            return SIB_ERR;
        p += piece;
        n -= piece;
    }
    return SIB_OK;
}

int sib_gz_sink(void *ud, const void *data, size_t n, sib_error *err)
{
    return sib_gz_write(ud, data, n, err);
}

int sib_gz_close(sib_gz *gz, uint64_t *bytes_out, char sha256_hex[65], sib_error *err)
{
    char hex[65];
    gz->zs.next_in = NULL;
    gz->zs.avail_in = 0;
    if (pump(gz, Z_FINISH, err) != SIB_OK)
        goto fail;
    if (fsync(gz->fd) != 0) {
        sib_error_set(err, "%s: fsync: %s", gz->path, strerror(errno));
        goto fail;
    }
    int fd = gz->fd;
    gz->fd = -1;
    if (close(fd) != 0) {
        sib_error_set(err, "%s: close: %s", gz->path, strerror(errno));
        goto fail;
    }
    if (sib_sha256_final_hex(gz->sha, hex) != SIB_OK) {
        sib_error_set(err, "%s: libcrypto digest failed", gz->path);
        goto fail;
    }
    if (bytes_out)
        *bytes_out = gz->bytes;
    if (sha256_hex)
        memcpy(sha256_hex, hex, 65);
    gz_release(gz, 0);
    return SIB_OK;
fail:
    gz_release(gz, 1);
    return SIB_ERR;
}

void sib_gz_abort(sib_gz *gz)
{
    if (gz)
        gz_release(gz, 1);
}

int sib_gz_read_file(const char *path, char **data, size_t *len, sib_error *err)
{
    int rc = SIB_ERR;
    char *buf = NULL;
    size_t used = 0, cap = 0;
    *data = NULL;
    errno = 0;
    gzFile f = gzopen(path, "rb");
    if (!f) {
        sib_error_set(err, "%s: %s", path, errno ? strerror(errno) : "cannot open");
        goto done;
    }
    gzbuffer(f, 4 * GZ_CHUNK);     /* fewer, larger reads than the 8 KiB default */
    for (;;) {
        if (cap - used < GZ_CHUNK + 1) {
            size_t ncap = cap ? cap * 2 : 4 * GZ_CHUNK;
            char *p = realloc(buf, ncap);
            if (!p) {
                sib_error_set(err, "%s: out of memory", path);
                goto done;
            }
            buf = p;
            cap = ncap;
        }
        int n = gzread(f, buf + used, GZ_CHUNK);
        int zrc;
        const char *zmsg = gzerror(f, &zrc);
        if (n < 0 || (zrc != Z_OK && zrc != Z_STREAM_END)) {
            gz_error(err, path, "gzread", zrc, zmsg);
            goto done;
        }
        if (gzdirect(f)) {      /* zlib would pass plain bytes through */
            sib_error_set(err, "%s: not a gzip file", path);
            goto done;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    buf[used] = '\0';
    *data = buf;
    buf = NULL;
    if (len)
        *len = used;
    rc = SIB_OK;
done:
    if (f)
        gzclose(f);
    free(buf);
    return rc;
}
