/* rng.c — xoshiro256** with splitmix64 seeding (public-domain algorithms by
 * Blackman and Vigna), one independent stream per (seed, stream, index). */
#include "gen/rng.h"

uint64_t sib_rng_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void sib_rng_init(sib_rng *r, uint64_t seed, uint64_t stream, uint64_t index)
{
    /* Mix the three words through splitmix64 so near streams are unrelated. */
    uint64_t x = seed;
    uint64_t a = sib_rng_splitmix(&x);
    x = a ^ (stream * 0xd1b54a32d192ed03ULL);
    uint64_t b = sib_rng_splitmix(&x);
    x = b ^ (index * 0x8cb92ba72f3d8dd7ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = sib_rng_splitmix(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1;   /* the all-zero state is the one xoshiro forbids */
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t sib_rng_next(sib_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t sib_rng_below(sib_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    uint64_t lim = -n % n;      /* 2^64 mod n: reject the biased low values */
    for (;;) {
        uint64_t x = sib_rng_next(r);
        if (x >= lim)
            return x % n;
    }
}

long sib_rng_range(sib_rng *r, long lo, long hi)
{
    if (hi <= lo)
        return lo;
    return lo + (long)sib_rng_below(r, (uint64_t)(hi - lo) + 1);
}

double sib_rng_unit(sib_rng *r)
{
    return (double)(sib_rng_next(r) >> 11) * 0x1.0p-53;
}

int sib_rng_chance(sib_rng *r, double p)
{
    if (p <= 0)
        return 0;
    return sib_rng_unit(r) < p;
}

size_t sib_rng_weighted(sib_rng *r, const double *w, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    double x = sib_rng_unit(r) * sum;
    for (size_t i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n ? n - 1 : 0;
}
