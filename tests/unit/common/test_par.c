/* Unit tests: common/par — parts cover a range once and every part runs. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <string.h>

#include "common/par.h"

Test(unit_par, ranges_cover_once_in_order)
{
    size_t sizes[] = { 0, 1, 2, 7, 1000, 1001 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        for (int nt = 1; nt <= SIB_PAR_MAX; nt++) {
            size_t next = 0;
            for (int t = 0; t < nt; t++) {
                size_t lo, hi;
                sib_par_range(sizes[k], t, nt, &lo, &hi);
                cr_assert_eq(lo, next, "n %zu nt %d t %d", sizes[k], nt, t);
                cr_assert_geq(hi, lo);
                cr_assert_leq(hi - lo, sizes[k] / (size_t)nt + 1, "balanced");
                next = hi;
            }
            cr_assert_eq(next, sizes[k]);
        }
}

typedef struct job {
    int mark[1000];
    _Atomic int runs[SIB_PAR_MAX];
    int nt_seen;
} job;

static void part(void *ud, int t, int nt)
{
    job *j = ud;
    size_t lo, hi;
    j->nt_seen = nt;
    sib_par_range(1000, t, nt, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        j->mark[i] += t + 1;
    atomic_fetch_add(&j->runs[t], 1);
}

Test(unit_par, every_part_runs_once)
{
    static job j;
    for (int nt = 0; nt <= SIB_PAR_MAX + 2; nt++) {
        memset(&j, 0, sizeof j);
        sib_par_run(nt, part, &j);
        int want = nt < 1 ? 1 : nt > SIB_PAR_MAX ? SIB_PAR_MAX : nt;
        cr_assert_eq(j.nt_seen, want, "clamped");
        for (int t = 0; t < SIB_PAR_MAX; t++)
            cr_assert_eq(j.runs[t], t < want, "nt %d part %d", nt, t);
        for (int i = 0; i < 1000; i++) {
            size_t lo, hi;
            int owner = 0;
            for (int t = 0; t < want; t++) {
                sib_par_range(1000, t, want, &lo, &hi);
                if ((size_t)i >= lo && (size_t)i < hi)
                    owner = t + 1;
            }
            cr_assert_eq(j.mark[i], owner, "item %d written by its part only", i);
        }
    }
}
