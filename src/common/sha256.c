/* sha256.c — SHA-256 through libcrypto's EVP interface (include/common/sha256.h). */
#include "common/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

struct sib_sha256 {
    EVP_MD_CTX *ctx;
};

sib_sha256 *sib_sha256_new(void)
{
    sib_sha256 *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
        sib_sha256_free(h);
        return NULL;
    }
    return h;
}

int sib_sha256_update(sib_sha256 *h, const void *data, size_t n)
{
    if (n == 0)
        return SIB_OK;
    return EVP_DigestUpdate(h->ctx, data, n) == 1 ? SIB_OK : SIB_ERR;
}

int sib_sha256_final_hex(sib_sha256 *h, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(h->ctx, md, &len) != 1 || len != 32) {
        hex[0] = '\0';
        return SIB_ERR;
    }
    for (unsigned int i = 0; i < len; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
    return SIB_OK;
}

void sib_sha256_free(sib_sha256 *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

int sib_sha256_hex(const void *data, size_t n, char hex[65])
{
    sib_sha256 *h = sib_sha256_new();
    int rc = SIB_ERR;
    if (h && sib_sha256_update(h, data, n) == SIB_OK && sib_sha256_final_hex(h, hex) == SIB_OK)
        rc = SIB_OK;
    sib_sha256_free(h);
    return rc;
}

int sib_sha256_file(const char *path, char hex[65], uint64_t *bytes, sib_error *err)
{
    int rc = SIB_ERR;
    uint64_t total = 0;
    unsigned char *buf = malloc(65536);
    sib_sha256 *h = sib_sha256_new();
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        sib_error_set(err, "%s: %s", path, strerror(errno));
        goto done;
    }
    if (!buf || !h) {
        sib_error_set(err, "%s: out of memory for the digest", path);
        goto done;
    }
    for (;;) {
        ssize_t n = read(fd, buf, 65536);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            sib_error_set(err, "%s: read: %s", path, strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        if (sib_sha256_update(h, buf, (size_t)n) != SIB_OK) {
            sib_error_set(err, "%s: libcrypto digest failed", path);
            goto done;
        }
        total += (uint64_t)n;
    }
    if (sib_sha256_final_hex(h, hex) != SIB_OK) {
        sib_error_set(err, "%s: libcrypto digest failed", path);
        goto done;
    }
    if (bytes)
        *bytes = total;
    rc = SIB_OK;
done:
    if (fd >= 0)
        close(fd);
    sib_sha256_free(h);
    free(buf);
    return rc;
}
