/* mask.c — masked ID numbers (include/common/mask.h). */
#include "common/mask.h"

#include <string.h>

/* Byte offsets of the UTF-8 characters of s: starts[i] is where character i
 * begins; returns the character count (at most max, further ones are
 * counted but not recorded). Continuation bytes (10xxxxxx) never start one. */
static size_t char_starts(const char *s, size_t *starts, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue;
        if (n < max)
            starts[n] = i;
        n++;
    }
    return n;
}

/* Appends src[0..n) to out at *pos, keeping room for the NUL. */
static void put(char *out, size_t cap, size_t *pos, const char *src, size_t n)
{
    if (*pos + 1 >= cap)
        return;
    if (n > cap - 1 - *pos)
        n = cap - 1 - *pos;
    memcpy(out + *pos, src, n);
    *pos += n;
    out[*pos] = '\0';
}

void sib_mask_id(const char *key, char *out, size_t cap)
{
    static const char stars[] = "******************";   /* 18 */
    if (!out || cap == 0)
        return;
    out[0] = '\0';
    size_t pos = 0;
    size_t starts[64];
    size_t nchars = key ? char_starts(key, starts, 64) : 0;
    if (nchars < 10 || nchars > 64) {
        /* too short to show anything (or absurdly long: not an ID) */
        put(out, cap, &pos, stars, 18);
        return;
    }
    size_t head = nchars >= 14 ? 6 : 2;
    size_t tail = nchars >= 14 ? 4 : 2;
    size_t len = strlen(key);
    put(out, cap, &pos, key, starts[head]);
    put(out, cap, &pos, stars, 8);
    size_t from = starts[nchars - tail];
    put(out, cap, &pos, key + from, len - from);
}
