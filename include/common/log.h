/*
 * log.h — one event a line on stderr.
 *
 *   sib_log_info("dedup", "clusters=%zu duplicates=%zu", n, d);
 *   -> ts=2026-11-27T02:00:00Z level=info stage=dedup clusters=12 duplicates=3
 *
 * With SIB_LOG_JSON the same event is a JSON object per line; the key=value
 * pairs of the message become its members. The level is checked before the
 * arguments are formatted. The level and format are set once in main() from
 * the parsed configuration and only read afterwards. Never log a full ID
 * number or a password: use sib_mask_id() (common/mask.h).
 */
#ifndef SIB_COMMON_LOG_H
#define SIB_COMMON_LOG_H

enum sib_log_level { SIB_LOG_DEBUG, SIB_LOG_INFO, SIB_LOG_WARN, SIB_LOG_ERROR, SIB_LOG_OFF };
enum sib_log_format { SIB_LOG_KV, SIB_LOG_JSON };

void sib_log_setup(enum sib_log_level level, enum sib_log_format format);
int sib_log_enabled(enum sib_log_level level);
/* msg is a sequence of key=value pairs separated by single spaces; a value
 * containing spaces must be double-quoted ("..."). */
void sib_log_write(enum sib_log_level level, const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Parses "debug|info|warn|error" / "kv|json"; return SIB_ERR on unknown. */
int sib_log_parse_level(const char *s, enum sib_log_level *out);
int sib_log_parse_format(const char *s, enum sib_log_format *out);

/* Seconds on the monotonic clock, for the stages' timings. */
double sib_seconds(void);

#define sib_log_debug(stage, ...) do { if (sib_log_enabled(SIB_LOG_DEBUG)) sib_log_write(SIB_LOG_DEBUG, stage, __VA_ARGS__); } while (0)
#define sib_log_info(stage, ...)  do { if (sib_log_enabled(SIB_LOG_INFO))  sib_log_write(SIB_LOG_INFO,  stage, __VA_ARGS__); } while (0)
#define sib_log_warn(stage, ...)  do { if (sib_log_enabled(SIB_LOG_WARN))  sib_log_write(SIB_LOG_WARN,  stage, __VA_ARGS__); } while (0)
#define sib_log_error(stage, ...) do { if (sib_log_enabled(SIB_LOG_ERROR)) sib_log_write(SIB_LOG_ERROR, stage, __VA_ARGS__); } while (0)

#endif
