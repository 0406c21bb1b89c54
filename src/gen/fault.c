/* fault.c — names, default rates and meanings of the injected fault kinds. */
#include "gen/fault.h"

#include <string.h>

static const struct {
    const char *name;
    double rate;
    const char *doc;
} kinds[SIB_F_COUNT] = {
    [SIB_F_ID_LOWERCASE_X] = { "id_lowercase_x", 0.30, "ID rows ending in X written with x (or the multiplication sign)" },
    [SIB_F_ID_FULLWIDTH] = { "id_fullwidth", 0.005, "ID rows written in full-width digits" },
    [SIB_F_ID_INNER_SPACE] = { "id_inner_space", 0.005, "ID rows with an ASCII space, U+3000 or NBSP inside or around" },
    [SIB_F_ID_LEGACY15] = { "id_legacy15", 0.01, "ID rows of people born 1900-1999 written as 15-digit legacy numbers" },
    [SIB_F_ID_TYPO] = { "id_typo", 0.004, "ID rows with one digit substituted (check breaks)" },
    [SIB_F_ID_TRANSPOSITION] = { "id_transposition", 0.003, "ID rows with two adjacent digits swapped (check breaks)" },
    [SIB_F_ID_MISSING] = { "id_missing", 0.004, "ID rows with a NULL ID (the name stays)" },
    [SIB_F_ID_SPREADSHEET] = { "id_spreadsheet", 0.002, "ID rows damaged by a spreadsheet (3.50581E+17 or a leading ')" },
    [SIB_F_DUP_TWO_AGENCIES] = { "dup_two_agencies", 0.01, "persons enrolled a second time in their scheme by another agency (overlapping)" },
    [SIB_F_DUP_REKEYED] = { "dup_rekeyed", 0.008, "persons re-keyed a second time in their scheme by the same agency" },
    [SIB_F_CONFLICT_170_WITH_110] = { "conflict_170_with_110", 0.006, "share of the 110 target also paying 170 in the same months" },
    [SIB_F_CONFLICT_170_WITH_120] = { "conflict_170_with_120", 0.01, "share of the 120 target also paying 170 in the same months" },
    [SIB_F_CONFLICT_110_120] = { "conflict_110_120", 0.005, "share of the 120 target also paying 110 in the same months" },
    [SIB_F_NAME_SPACE] = { "name_space", 0.004, "name rows with a space (ASCII or U+3000) inserted" },
    [SIB_F_NAME_FULLWIDTH] = { "name_fullwidth", 0.3, "rows of romanized names written in full-width letters" },
    [SIB_F_NAME_TYPO] = { "name_typo", 0.004, "name rows with one character replaced" },
    [SIB_F_TWINS] = { "twins", 0.002, "persons followed by a twin (same birth date and surname, own valid ID)" },
    [SIB_F_NAMESAKES] = { "namesakes", 0.001, "persons followed by a namesake (same name and birth date, own valid ID)" },
    [SIB_F_LAPSE] = { "lapse", 0.05, "paying persons whose contributions stop 1..30 months before as-of (1..3 years for 170)" },
    [SIB_F_NEVER_PAID] = { "never_paid", 0.005, "paying persons whose open enrollment never has a contribution" },
    [SIB_F_REPEAT_ROW] = { "repeat_row", 0.001, "contribution rows followed by a second row for the same period" },
    [SIB_F_ORPHAN_CONTRIBUTION] = { "orphan_contribution", 0.002, "orphan enrollment ids (1-6 rows each) per enrollment generated" },
    [SIB_F_BAD_INSURANCE_TYPE] = { "bad_insurance_type", 0.002, "persons with an extra enrollment of junk insurance type" },
    [SIB_F_OUT_OF_SCOPE] = { "out_of_scope", 0.01, "persons with an extra 310/510 enrollment and contributions" },
    [SIB_F_UNKNOWN_TOWN] = { "unknown_town", 0.01, "enrollment/population rows with an unknown town code" },
    [SIB_F_TOWN12] = { "town12", 0.02, "enrollment/population rows with the 12-digit ...000 town code" },
    [SIB_F_END_BEFORE_START] = { "end_before_start", 0.001, "persons with an extra enrollment ending before it starts" },
    [SIB_F_NULL_IDENTITY] = { "null_identity", 0.001, "persons with an extra enrollment with NULL ID and name" },
    [SIB_F_NEGATIVE_AMOUNT] = { "negative_amount", 0.0003, "contribution rows with a negative amount" },
    [SIB_F_FUTURE_PERIOD] = { "future_period", 0.002, "paying enrollments with 1-3 extra rows for periods after as-of" },
    [SIB_F_HOSTILE_NAME] = { "hostile_name", 0.0005, "persons whose recorded name holds commas, quotes, newlines, = + - @ or is 2,000 characters" },
    [SIB_F_BENEFIT_ANY_STATUS] = { "benefit_any_status", 0.05, "170 beneficiaries whose enrollment has status 3 (still drawing)" },
    [SIB_F_PROJECT_STOPS_PAYING] = { "project_stops_paying", 0.3, "project-based 410 workers whose rows stop while the enrollment stays open" },
    [SIB_F_DECEASED_OPEN] = { "deceased_open", 0.003, "share of the 110+170 targets added as deceased people with open enrollments" },
    [SIB_F_NEW_AFTER_OLD] = { "new_after_old", 0.01, "paying persons with an old ended, paid enrollment before the current one" },
    [SIB_F_DUPLICATE_POPULATION] = { "duplicate_population", 0.005, "persons in the population base with a second row" },
    [SIB_F_EMPLOYER_BAD_CREDIT] = { "employer_bad_credit", 0.01, "employers with an invalid or NULL credit code" },
    [SIB_F_EMPLOYER_BAD_RISK] = { "employer_bad_risk", 0.01, "employers with an injury risk class NULL or outside 1..8" },
};

const char *sib_gen_fault_name(int kind)
{
    return kind >= 0 && kind < SIB_F_COUNT ? kinds[kind].name : NULL;
}

int sib_gen_fault_from_name(const char *name)
{
    for (int i = 0; i < SIB_F_COUNT; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return i;
    return -1;
}

double sib_gen_fault_default(int kind)
{
    return kind >= 0 && kind < SIB_F_COUNT ? kinds[kind].rate : 0;
}

const char *sib_gen_fault_doc(int kind)
{
    return kind >= 0 && kind < SIB_F_COUNT ? kinds[kind].doc : NULL;
}
