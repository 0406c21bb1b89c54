/*
 * config.h — the effective configuration: built-in defaults, overlaid by a
 * JSON file (--config FILE), overlaid by command-line options. Built once in
 * main() and passed down read-only; there is no other global state.
 *
 * JSON file (every key optional):
 * {
 *   "lapse_threshold_months": {"110": 3, "120": 3, "170": 12, "210": 3, "410": 3},
 *   "uninsured_age": {"min": 16, "max": 59},
 *   "guard_reject_share": 0.05,
 *   "match": {"auto_link": 10.0, "review": 6.0},
 *   "read_streams": 2,
 *   "read_recent_rows": 4096,
 *   "threads": 2,
 *   "targets": {"pension": {"base": 308000, "target": 318500}, ...},
 *   "towns": {"350581001": "湖滨街道", ...},
 *   "log": {"level": "info", "format": "kv"}
 * }
 */
#ifndef SIB_COMMON_CONFIG_H
#define SIB_COMMON_CONFIG_H

#include "common/error.h"
#include "common/par.h"

#define SIB_MAX_TOWNS 32
#define SIB_MAX_RECENT_ROWS (1L << 24)

/* The five schemes sibatch handles, in extract order. */
enum sib_scheme { SIB_S110, SIB_S120, SIB_S170, SIB_S210, SIB_S410, SIB_NSCHEMES };

typedef struct sib_town {
    char code[10];              /* 9-digit code */
    char name[64];              /* UTF-8 */
} sib_town;

typedef struct sib_target {
    long base;                  /* 2020 year-end insured persons */
    long target;                /* 2025 target */
} sib_target;

typedef struct sib_config {
    int lapse_threshold[SIB_NSCHEMES];  /* months unpaid that make a lapse */
    int age_min, age_max;               /* uninsured: completed years at end of A */
    double guard_reject_share;          /* data-quality guard, share of a table */
    double match_auto;                  /* Fellegi–Sunter log2 weight: link */
    double match_review;                /* ... and human review */
    int read_streams;                   /* contribution streams: 1, or 2: a helper joins when a core is free */
    long read_recent_rows;              /* first rows remembered to settle repeats unread (0: read all again) */
    int threads;                        /* threads of the stages that run alone (resolution, dedup), 1..SIB_PAR_MAX */
    sib_target target_pension, target_unemployment, target_injury;
    int ntowns;
    sib_town towns[SIB_MAX_TOWNS];      /* the known towns, sorted by code */
    char log_level[16], log_format[16];
} sib_config;

/* Fills cfg with the built-in defaults (Shishi's towns, the plan's targets). */
void sib_config_defaults(sib_config *cfg);
/* Overlays the JSON file at path; SIB_ERR with err naming the key at fault. */
int sib_config_load(sib_config *cfg, const char *path, sib_error *err);
/* The effective configuration as JSON text (malloc'd, caller frees). */
char *sib_config_to_json(const sib_config *cfg);

/* Scheme code ("110") <-> enum; -1 / NULL when unknown. */
int sib_scheme_from_code(const char *code);
const char *sib_scheme_code(int scheme);
/* Chinese and English names of a scheme. */
const char *sib_scheme_name_zh(int scheme);
const char *sib_scheme_name_en(int scheme);

/* The town rule of definitions.md §3: the trimmed code when it is a known
 * town (a 12-digit code ending in 000 counts as its 9-digit code), otherwise
 * "unknown". out gets the 9-digit code or "unknown"; returns 1 when known. */
int sib_config_town(const sib_config *cfg, const char *raw, char out[10]);

/* Town name for a 9-digit code, or NULL when not a known town. */
const char *sib_config_town_name(const sib_config *cfg, const char *code9);

#endif
