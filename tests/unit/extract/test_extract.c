/* Unit tests: extract/extract — the three extracts and the clearing lists,
 * written for real and read back (definitions.md §8–§10). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/gz.h"
#include "common/month.h"
#include "extract/extract.h"

#define A 202512

static sib_source src;
static sib_enrollment enr[8];
static sib_months paid[8];
static sib_population pop[2];
static sib_config cfg;
static sib_dedup *dd;
static sib_persons persons;
static const char *refs[4] = { "350581199001011234", "35058219800202002X", "UNRESOLVED-enrollment-105", "350581200001010012" };
static const char *keys[4] = { "350581199001011234", "35058219800202002X", NULL, "350581200001010012" };
static int32_t ppop[4] = { -1, -1, -1, 0 };
static uint8_t pdead[4];
static int32_t pbirth[4] = { 19900101, 19800202, 19700101, 20000101 };
static char dir[256];

static sib_enrollment *add(int p, int s, const char *town, int start, int status, int paid_to)
{
    sib_enrollment *e = &enr[src.nenr];
    memset(e, 0, sizeof *e);
    e->id = 100 + (int64_t)src.nenr++;
    e->person = p;
    e->scheme = (int8_t)s;
    e->start = start;
    e->status = (uint8_t)status;
    e->state = SIB_ROW_USABLE;
    e->town_code = town;
    e->worker_category = "employee";
    e->name = "王=伟";
    e->gender = "1";
    if (paid_to) {
        sib_months_add(&paid[src.nenr - 1], sib_month_index(A), sib_month_index(paid_to));
        e->last_paid = paid_to;
        e->sum12 = 123456;
    }
    return e;
}

static void setup(void)
{
    memset(&src, 0, sizeof src);
    memset(paid, 0, sizeof paid);
    sib_config_defaults(&cfg);
    src.as_of = A;
    src.enr = enr;
    src.paid = paid;
    add(0, SIB_S110, "350581002", 202001, 1, 202512);          /* contributing, 凤里 */
    add(1, SIB_S110, "350581001000", 202001, 1, 202501)->name = "=cmd|' /C calc";  /* lapsed, 湖滨 (12-digit) */
    add(1, SIB_S110, "350581001", 202003, 3, 0);               /* its duplicate */
    add(2, SIB_S210, "999999999", 202001, 1, 202512);          /* unknown town */
    add(3, SIB_S410, "350581001", 202001, 1, 202512);
    src.pop = pop;
    src.npop = 1;
    memset(pop, 0, sizeof pop);
    pop[0].id = 1;
    pop[0].name = "李娜";
    pop[0].gender = "2";
    pop[0].town_code = "350581100";
    persons = (sib_persons){ 4, refs, keys, ppop, pdead, pbirth };
    sib_error err = { 0 };
    cr_assert_eq(sib_dedup_run(&src, 4, pdead, &cfg, &dd, &err), SIB_OK, "%s", err.msg);
    snprintf(dir, sizeof dir, "build/tmp/unit_extract_%d", (int)getpid());
    mkdir("build", 0755);
    mkdir("build/tmp", 0755);
    mkdir(dir, 0755);
}

static void teardown(void)
{
    sib_dedup_free(dd);
    for (size_t i = 0; i < src.nenr; i++)
        sib_months_clear(&paid[i]);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(unit_extract, .init = setup, .fini = teardown);

static char *read_gz(const char *rel)
{
    char path[512], *data;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    sib_error err = { 0 };
    cr_assert_eq(sib_gz_read_file(path, &data, NULL, &err), SIB_OK, "%s", err.msg);
    return data;
}

Test(unit_extract, pension_rows_sorted_with_unknown_last)
{
    sib_extract_input in = { &src, dd, &persons, NULL, &cfg };
    sib_extract_result res = { 0 };
    sib_error err = { 0 };
    cr_assert_eq(sib_extract_write(dir, &in, &res, &err), SIB_OK, "%s", err.msg);
    char *p = read_gz("pension.csv.gz");
    cr_assert_str_eq(p,
        "as_of,town_code,town_name,scheme,insured_persons,contributing_persons,lapsed_persons,beneficiaries,"
        "duplicate_enrollments,conflict_persons,refund_due,contributions_12m\n"
        "2025-12,350581001,湖滨街道,110,1,0,1,0,1,0,0.00,1234.56\n"
        "2025-12,350581002,凤里街道,110,1,1,0,0,0,0,0.00,1234.56\n");
    free(p);
    char *u = read_gz("unemployment.csv.gz");
    cr_assert(strstr(u, "\n2025-12,unknown,未知,1,1,0,0,0,1234.56\n"), "%s", u);
    free(u);
    char *j = read_gz("injury.csv.gz");
    cr_assert(strstr(j, "\n2025-12,350581001,湖滨街道,unknown,1,0,0,0,1234.56\n"), "%s", j);
    free(j);
    cr_assert_eq(res.nfiles, 3);
    cr_assert_eq(res.files[0].rows, 2);
    cr_assert_eq(res.totals[SIB_S110].insured, 2);
    cr_assert_eq(res.totals[SIB_S110].duplicates, 1);
    cr_assert_eq(res.totals[SIB_S110].sum12, 246912);
    struct stat st;
    char path[512];
    snprintf(path, sizeof path, "%s/pension.csv.gz", dir);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0640);
}

Test(unit_extract, rerun_gives_identical_bytes)
{
    sib_extract_input in = { &src, dd, &persons, NULL, &cfg };
    sib_extract_result a = { 0 }, b = { 0 };
    sib_error err = { 0 };
    cr_assert_eq(sib_extract_write(dir, &in, &a, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(sib_extract_write(dir, &in, &b, &err), SIB_OK, "%s", err.msg);
    for (size_t i = 0; i < a.nfiles; i++)
        cr_assert_str_eq(a.files[i].sha256, b.files[i].sha256, "%s", a.files[i].path);
}

Test(unit_extract, clearing_lists_masked_ordered_guarded)
{
    sib_flag fl[2];
    memset(fl, 0, sizeof fl);
    fl[0] = (sib_flag){ .person = 1, .scheme = SIB_S110, .reason = SIB_REASON_LAPSED, .ps = 1, .pop = -1,
                        .months_unpaid = 11, .last_paid = 202501, .first_flagged = 202504 };
    strcpy(fl[0].town, "350581001");
    fl[1] = (sib_flag){ .person = 3, .scheme = -1, .reason = SIB_REASON_UNINSURED, .ps = -1, .pop = 0,
                        .first_flagged = 202512 };
    strcpy(fl[1].town, "350581001");
    sib_flags flags = { fl, 2, 1, 1, 0 };
    sib_extract_input in = { &src, dd, &persons, &flags, &cfg };
    sib_extract_result res = { 0 };
    sib_error err = { 0 };
    cr_assert_eq(sib_extract_clearing(dir, &in, &res, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(res.nfiles, (size_t)cfg.ntowns + 1, "one list per town and unknown");
    char *c = read_gz("clearing/350581001.csv.gz");
    cr_assert_str_eq(c,
        "as_of,town_code,masked_id,name,gender,age,reason,insurance_type,months_unpaid,last_paid_period,"
        "employer_name,employer_credit_code,first_flagged\n"
        "2025-12,350581001,350582********002X,'=cmd|' /C calc,1,45,lapsed,110,11,202501,,,2025-04\n"
        "2025-12,350581001,350581********0012,李娜,2,25,uninsured,,,,,,2025-12\n");
    cr_assert_null(strstr(c, "35058219800202002X"), "no full ID in a file for people");
    free(c);
    char *u = read_gz("clearing/unknown.csv.gz");
    cr_assert_eq(strchr(u, '\n') - u + 1, (long)strlen(u), "header only");
    free(u);
}

Test(unit_extract, money_format)
{
    char b[32];
    sib_money(0, b, sizeof b);
    cr_assert_str_eq(b, "0.00");
    sib_money(123456789, b, sizeof b);
    cr_assert_str_eq(b, "1234567.89");
    sib_money(-5, b, sizeof b);
    cr_assert_str_eq(b, "-0.05");
}
