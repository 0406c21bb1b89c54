/*
 * par.c — see par.h.
 */
#include "common/par.h"

#include <pthread.h>

typedef struct part_arg {
    sib_par_fn fn;
    void *ud;
    int t, nt;
} part_arg;

static void *part_main(void *a)
{
    part_arg *p = a;
    p->fn(p->ud, p->t, p->nt);
    return NULL;
}

void sib_par_run(int nt, sib_par_fn fn, void *ud)
{
    pthread_t th[SIB_PAR_MAX];
    part_arg arg[SIB_PAR_MAX];
    int started[SIB_PAR_MAX] = {0};
    nt = nt < 1 ? 1 : nt > SIB_PAR_MAX ? SIB_PAR_MAX : nt;
    for (int t = 1; t < nt; t++) {
        arg[t] = (part_arg){ fn, ud, t, nt };
        started[t] = pthread_create(&th[t], NULL, part_main, &arg[t]) == 0;
    }
    fn(ud, 0, nt);
    for (int t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        else
            fn(ud, t, nt);
    }
}

void sib_par_range(size_t n, int t, int nt, size_t *lo, size_t *hi)
{
    *lo = n / (size_t)nt * (size_t)t + (n % (size_t)nt) * (size_t)t / (size_t)nt;
    *hi = n / (size_t)nt * (size_t)(t + 1) + (n % (size_t)nt) * (size_t)(t + 1) / (size_t)nt;
}
