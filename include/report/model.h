/*
 * model.h — what the managers' page shows, read from a published run:
 * DIR/<YYYY-MM>/manifest.json, the three extracts beside it and the
 * manifests of earlier months in DIR (for the campaign trend).
 *
 * The manifest is kept as parsed JSON for the sections that are rendered
 * generically (rejects, warnings, files); the extracts are folded into one
 * row per town with insured and lapsed persons per scheme.
 */
#ifndef SIB_REPORT_MODEL_H
#define SIB_REPORT_MODEL_H

#include <stddef.h>

#include "common/config.h"
#include "common/error.h"
#include "common/json.h"

#define SIB_REPORT_MAX_TOWNS 64
#define SIB_REPORT_MAX_RUNS 240

/* One town of the extracts (town_code order, "unknown" last). */
typedef struct sib_report_town {
    char code[16];
    char name[96];
    long insured[SIB_NSCHEMES];
    long lapsed[SIB_NSCHEMES];
} sib_report_town;

/* One month of the campaign trend. */
typedef struct sib_report_point {
    char as_of[8];              /* YYYY-MM */
    long run_id;
    long open, opened, closed;  /* closed = paid + enrolled + excluded */
} sib_report_point;

/* Sums of the extract rows per scheme, checked against the manifest. */
typedef struct sib_report_sums {
    long insured[SIB_NSCHEMES];
    long lapsed[SIB_NSCHEMES];
} sib_report_sums;

typedef struct sib_report_model {
    cJSON *manifest;            /* owned */
    char as_of[8];
    char dir[4096];             /* the manifest's directory */
    size_t ntowns;
    sib_report_town towns[SIB_REPORT_MAX_TOWNS];
    sib_report_sums sums;
    size_t npoints;
    sib_report_point points[SIB_REPORT_MAX_RUNS];   /* by as_of, this month last */
} sib_report_model;

/* Loads the manifest at path, the extracts beside it and the trend from the
 * manifests of DIR/<YYYY-MM>/ months before this one (DIR = the parent of
 * the manifest's directory, or the parent of DIR/.runs when the manifest is
 * in a run directory DIR/.runs/<name>/). OUT: *out (caller frees with
 * sib_report_model_free). SIB_ERR with err naming the file at fault. */
int sib_report_model_load(const char *manifest_path, sib_report_model **out, sib_error *err);
/* The same with the directory of earlier months given (NULL = derived). */
int sib_report_model_load_in(const char *manifest_path, const char *history_dir,
                             sib_report_model **out, sib_error *err);
void sib_report_model_free(sib_report_model *m);

/* A number of the manifest at a dotted path ("totals.110.insured_persons");
 * def when missing or not a number. */
long sib_report_num(const cJSON *root, const char *path, long def);
/* The JSON node at a dotted path, or NULL. */
const cJSON *sib_report_node(const cJSON *root, const char *path);

/* The town name for a code: the extracts' name, "未知" for unknown,
 * else the code itself. */
const char *sib_report_town_name(const sib_report_model *m, const char *code);

/* Splits one CSV line (RFC 4180, in place: quotes removed, "" undone) into
 * at most max fields; the spreadsheet guard ' before = + - @ is removed.
 * Returns the field count, or -1 on a malformed line. Lines holding quoted
 * line breaks are not expected in the extracts and are rejected. */
int sib_report_csv_split(char *line, char **fields, int max);

#endif
