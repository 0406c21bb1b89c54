/*
 * fault.h — the kinds of damage `sibatch gen` injects, with their default
 * rates (docs/generator.md explains what each rate is a probability of).
 * Every injected fault is recorded in si_truth.fault(kind, table_name,
 * row_key, detail) under the name returned by sib_gen_fault_name().
 */
#ifndef SIB_GEN_FAULT_H
#define SIB_GEN_FAULT_H

enum sib_gen_fault {
    SIB_F_ID_LOWERCASE_X, SIB_F_ID_FULLWIDTH, SIB_F_ID_INNER_SPACE, SIB_F_ID_LEGACY15,
    SIB_F_ID_TYPO, SIB_F_ID_TRANSPOSITION, SIB_F_ID_MISSING, SIB_F_ID_SPREADSHEET,
    SIB_F_DUP_TWO_AGENCIES, SIB_F_DUP_REKEYED,
    SIB_F_CONFLICT_170_WITH_110, SIB_F_CONFLICT_170_WITH_120, SIB_F_CONFLICT_110_120,
    SIB_F_NAME_SPACE, SIB_F_NAME_FULLWIDTH, SIB_F_NAME_TYPO,
    SIB_F_TWINS, SIB_F_NAMESAKES,
    SIB_F_LAPSE, SIB_F_NEVER_PAID, SIB_F_REPEAT_ROW, SIB_F_ORPHAN_CONTRIBUTION,
    SIB_F_BAD_INSURANCE_TYPE, SIB_F_OUT_OF_SCOPE, SIB_F_UNKNOWN_TOWN, SIB_F_TOWN12,
    SIB_F_END_BEFORE_START, SIB_F_NULL_IDENTITY, SIB_F_NEGATIVE_AMOUNT, SIB_F_FUTURE_PERIOD,
    SIB_F_HOSTILE_NAME, SIB_F_BENEFIT_ANY_STATUS, SIB_F_PROJECT_STOPS_PAYING,
    SIB_F_DECEASED_OPEN, SIB_F_NEW_AFTER_OLD, SIB_F_DUPLICATE_POPULATION,
    SIB_F_EMPLOYER_BAD_CREDIT, SIB_F_EMPLOYER_BAD_RISK,
    SIB_F_COUNT
};

/* "id_lowercase_x", ...; NULL when out of range. */
const char *sib_gen_fault_name(int kind);
/* The kind for a name, or -1. */
int sib_gen_fault_from_name(const char *name);
/* The documented default rate of a kind. */
double sib_gen_fault_default(int kind);
/* One line describing what the rate of a kind is a probability of. */
const char *sib_gen_fault_doc(int kind);

#endif
