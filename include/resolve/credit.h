/*
 * credit.h — unified social credit codes of employers (GB 32100-2015).
 *
 * Alphabet "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I O S V Z), values 0..30;
 * weights 3^(i-1) mod 31; check C18 = 31 - (sum mod 31), 31 written as 0.
 * The code is only trimmed (every Unicode white-space character at either
 * end), then checked as written: the standard's letters are upper-case, so
 * "91350100m000100y43" and a full-width digit are invalid (a warning), while
 * " 91350100M000100Y43 " is valid. Unlike an ID, definitions.md gives credit
 * codes no folding.
 */
#ifndef SIB_RESOLVE_CREDIT_H
#define SIB_RESOLVE_CREDIT_H

/* 1 when valid, else 0 with *reason (may be NULL) set to "missing",
 * "length", "character" or "check" (in that order of precedence). */
int sib_credit_validate(const char *code, const char **reason);

/* The check character of the first 17 characters, 0 if one is outside the
 * alphabet. */
char sib_credit_check_char(const char *first17);

#endif
