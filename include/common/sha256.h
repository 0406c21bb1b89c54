/*
 * sha256.h — SHA-256 digests, incremental or of a whole file.
 *
 * Built on libcrypto's EVP interface (OpenSSL, Debian's libssl-dev): a
 * well-kept, audited and hardware-accelerated implementation beats a
 * hand-written one, and the manifest's checksums are what auditors compare.
 *
 *   sib_sha256 *h = sib_sha256_new();
 *   sib_sha256_update(h, buf, n);           ... as often as needed
 *   sib_sha256_final_hex(h, hex);           64 lower-case hex digits + NUL
 *   sib_sha256_free(h);
 */
#ifndef SIB_COMMON_SHA256_H
#define SIB_COMMON_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

typedef struct sib_sha256 sib_sha256;

/* A fresh digest; NULL when out of memory or libcrypto fails. */
sib_sha256 *sib_sha256_new(void);
/* Feeds n bytes; SIB_ERR only when libcrypto fails. */
int sib_sha256_update(sib_sha256 *h, const void *data, size_t n);
/* Finishes the digest into hex (OUT: 64 lower-case hex digits and a NUL).
 * The digest cannot be updated afterwards. SIB_ERR when libcrypto fails. */
int sib_sha256_final_hex(sib_sha256 *h, char hex[65]);
/* Releases h; NULL is a no-op. */
void sib_sha256_free(sib_sha256 *h);

/* One-shot digest of a memory block. */
int sib_sha256_hex(const void *data, size_t n, char hex[65]);

/* Digest of the file at path (read in 64 KiB chunks); *bytes (may be NULL)
 * gets its size. SIB_ERR with err naming the file. */
int sib_sha256_file(const char *path, char hex[65], uint64_t *bytes, sib_error *err);

#endif
