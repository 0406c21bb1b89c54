/*
 * resolve.h — person resolution of the nightly run (definitions.md §2).
 *
 * 1. Every record's ID is normalised (idnum.h). A record with a valid key
 *    joins the person of that key: link kind exact when the raw text was
 *    already the key, else normalized. Two different keys never merge.
 * 2. A record without a valid key is scored against keyed persons found by
 *    three blocks: the same birth date (the record's birth_date, else the
 *    date inside its broken ID), the same normalised name, and keys one edit
 *    away from its broken ID (each substitution of one character, each
 *    adjacent transposition, one insertion into a 17-character or one
 *    deletion from a 19-character ID, looked up in the key table: MOD 11-2
 *    means no valid key is a single typo of another, so such a hit is strong
 *    evidence). No quadratic loop: every block is a hash lookup.
 * 3. The pair is scored by the Fellegi–Sunter model of match.h with fixed,
 *    documented m/u (docs/matching.md) over the fields, in this order (the
 *    evidence bits, 3 per field, see match.h):
 *        0 name   NAME_ZH  best level over the person's records
 *        1 birth  DATE     record birth_date vs the key's birth date
 *        2 gender EXACT    record gender vs the key's 17th digit
 *        3 town   EXACT    9-digit town, agreeing with any of the person's records
 *        4 unit   EXACT    employer, agreeing with any of the person's records
 *        5 id     IDNUM    folded broken ID vs the key
 *    The exact levels of name and birth use term frequencies among the keyed
 *    persons (u = share of persons with that name / birth date), and the
 *    score is the posterior log2 odds that the candidate is the record's
 *    person: sum of log2(m/u) - log2(number of keyed persons).
 * 4. best score >= auto_link and no other person within SIB_RESOLVE_MARGIN
 *    bits: probable link. Else best >= review: the record becomes its own
 *    unresolved person and a review entry (record, best candidate). Else its
 *    own unresolved person. Unresolved records are never merged.
 *    Candidates that cannot reach min(review, auto_link - margin) even with
 *    every unread field agreeing are skipped before their records are read
 *    (an upper bound from the key and the person's name and employer
 *    signatures; in the name block also a lower bound of the ID edit
 *    distance from character counts), which keeps the blocks cheap; this
 *    changes no decision.
 * Persons are numbered in the order of their first record in recs.
 */
#ifndef SIB_RESOLVE_RESOLVE_H
#define SIB_RESOLVE_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/par.h"

/* Two candidates closer than this (log2) are ambiguous: review, not link. */
#define SIB_RESOLVE_MARGIN 3.0

enum { SIB_SRC_ENROLLMENT = 0, SIB_SRC_POPULATION = 1 };
enum { SIB_LINK_EXACT, SIB_LINK_NORMALIZED, SIB_LINK_PROBABLE, SIB_LINK_UNRESOLVED };

/* Evidence field numbers (bits 3*f .. 3*f+2 of sib_resolution.evidence hold
 * the level; level names as in match.h). */
enum { SIB_EV_NAME, SIB_EV_BIRTH, SIB_EV_GENDER, SIB_EV_TOWN, SIB_EV_UNIT, SIB_EV_ID, SIB_EV_NFIELDS };

typedef struct sib_person_rec {
    uint8_t source;          /* SIB_SRC_* */
    int64_t source_id;       /* enrollment_id or pop_id */
    const char *id_number;   /* raw, may be NULL */
    const char *name;        /* raw, may be NULL */
    const char *gender;      /* raw, may be NULL ("1"/"2", also 男/女, M/F) */
    int32_t birth_date;      /* YYYYMMDD, 0 when NULL */
    const char *town_code;   /* raw, may be NULL */
    int64_t unit_id;         /* 0 when NULL */
} sib_person_rec;

typedef struct sib_resolution {
    int32_t person;          /* index of the person, 0..npersons-1 */
    uint8_t kind;            /* SIB_LINK_* */
    uint8_t id_status;       /* sib_id_status of the record's own ID */
    float score;             /* posterior log2 odds of the best candidate (probable and review), else 0 */
    uint32_t evidence;       /* levels of the best candidate, 3 bits per SIB_EV_* field */
} sib_resolution;

typedef struct sib_resolver sib_resolver;   /* opaque; owns the persons and the review list */

/* as_of YYYYMM; thresholds in log2 posterior odds (config match_auto / match_review). */
sib_resolver *sib_resolver_new(int as_of, double auto_link, double review, sib_error *err);
/* The number of threads (1..SIB_PAR_MAX, par.h, default 1) for the
 * parts that split by record or person: normalising IDs and names, the
 * persons' signatures and the link phase (each thread its own queries,
 * transliterators and caches). The serial parts (numbering the persons,
 * the blocks) stay on the caller's thread. The result is the same for any
 * number: review entries come out in record order. */
void sib_resolver_set_threads(sib_resolver *r, int threads);
/* The records to resolve, read through get(): a caller holding millions of
 * rows in its own layout lends them without copying. get fills *out with
 * record i (0 <= i < n); its strings must outlive the resolver run. With
 * more than one thread, get is called from several threads at once. */
typedef struct sib_person_source {
    size_t n;
    void (*get)(const void *ud, size_t i, sib_person_rec *out);
    const void *ud;
} sib_person_source;

/* Resolves the records; out has src->n entries. May be called once per
 * resolver. */
int sib_resolver_run_source(sib_resolver *r, const sib_person_source *src, sib_resolution *out, sib_error *err);
/* The same over an array: recs stay owned by the caller. */
int sib_resolver_run(sib_resolver *r, const sib_person_rec *recs, size_t n, sib_resolution *out, sib_error *err);
size_t sib_resolver_npersons(const sib_resolver *r);
/* 18-char key, or NULL for an unresolved person. */
const char *sib_resolver_person_key(const sib_resolver *r, int32_t person);
/* Index into recs of the first record of the person (for an unresolved
 * person: the record that founded it). */
int64_t sib_resolver_person_first_record(const sib_resolver *r, int32_t person);
size_t sib_resolver_nreview(const sib_resolver *r);
/* Review entry i: the record, its best candidate person, score, evidence. */
void sib_resolver_review(const sib_resolver *r, size_t i, size_t *rec /* OUT */, int32_t *candidate /* OUT */,
                         float *score /* OUT */, uint32_t *evidence /* OUT */);
/* "name=exact,birth=exact,id=one_edit" (missing fields left out). */
const char *sib_resolver_evidence_text(uint32_t evidence, char *buf, size_t cap);
void sib_resolver_free(sib_resolver *r);

#endif
