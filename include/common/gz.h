/*
 * gz.h — deterministic gzip files, written and read with zlib.
 *
 * The writer streams data through deflate into a new file (created with
 * O_CREAT|O_EXCL, mode 0640 whatever the umask) with a fixed gzip header:
 * no file name, modification time 0, OS byte 255 ("unknown"). The same bytes
 * in at the same level therefore give the same file, byte for byte
 * (definitions.md §10), so reruns can be compared by SHA-256. The SHA-256 and
 * the size of the compressed bytes are computed while writing.
 *
 *   sib_gz *gz = sib_gz_open("out/.pension.csv.gz.tmp", 6, &err);
 *   sib_gz_write(gz, data, n, &err);        ... as often as needed
 *   sib_gz_close(gz, &bytes, hex, &err);    flush + fsync + close (no rename)
 *   sib_fsx_publish(tmp, final, &err);      (common/fsx.h)
 *
 * zlib's return codes become sib_error messages in one function of gz.c.
 */
#ifndef SIB_COMMON_GZ_H
#define SIB_COMMON_GZ_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

typedef struct sib_gz sib_gz;

/* Creates tmp_path (it must not exist) and starts a gzip stream at level
 * 0..9 (-1 = zlib's default, 6). NULL with err set on failure. */
sib_gz *sib_gz_open(const char *tmp_path, int level, sib_error *err);

/* Compresses n bytes into the file. On SIB_ERR the writer is still open:
 * call sib_gz_abort(). */
int sib_gz_write(sib_gz *gz, const void *data, size_t n, sib_error *err);

/* Finishes the stream, writes the rest, fsyncs and closes the file and frees
 * gz; the file stays at tmp_path (publishing is the caller's rename).
 * OUT: *bytes_out (may be NULL) the compressed size, sha256_hex (may be NULL)
 * the SHA-256 of the compressed file. On SIB_ERR the file is unlinked and gz
 * freed as well: never call sib_gz_abort() after sib_gz_close(). */
int sib_gz_close(sib_gz *gz, uint64_t *bytes_out, char sha256_hex[65], sib_error *err);

/* Gives up: closes, unlinks tmp_path, frees gz. NULL is a no-op. */
void sib_gz_abort(sib_gz *gz);

/* Sink adapter for sib_csv_new() (common/csv.h): ud is a sib_gz *. */
int sib_gz_sink(void *ud, const void *data, size_t n, sib_error *err);

/* Reads a whole gzip file (concatenated members too) with zlib's gzread.
 * OUT: *data (malloc'd, NUL-terminated, caller frees), *len its length
 * (may be NULL). An empty, non-gzip, truncated or corrupt file is an
 * error, so this doubles as an integrity check ("gzip -t"); but, as zlib's
 * gzread does, bytes appended after the last complete member are ignored:
 * compare the SHA-256 to catch those. */
int sib_gz_read_file(const char *path, char **data, size_t *len, sib_error *err);

#endif
