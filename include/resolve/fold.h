/*
 * fold.h — the text folding shared by IDs, credit codes and names:
 * NFKC (ICU unorm2; pure ASCII input never touches ICU), every Unicode
 * White_Space code point removed, upper-case (u_toupper: Latin letters;
 * Han is unaffected). With SIB_FOLD_ID also '×' (U+00D7) -> 'X' and one
 * leading '\'' (after white space) removed.
 */
#ifndef SIB_RESOLVE_FOLD_H
#define SIB_RESOLVE_FOLD_H

#include <stddef.h>

enum { SIB_FOLD_ID = 1 };

/* Folds raw (UTF-8, may be NULL; malformed bytes become U+FFFD) into out
 * (NUL-terminated, at most cap - 1 bytes, cut at a code point boundary;
 * cap >= 1). Returns the number of code points of the whole folded text,
 * which may be more than fit into out. */
size_t sib_fold_text(const char *raw, unsigned flags, char *out, size_t cap);

#endif
