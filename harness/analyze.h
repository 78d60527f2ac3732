/*
 * harness/analyze.h — the text analyzer shared by the text stages: tokens
 * are maximal runs of ASCII letters and digits, lowercased; every other
 * byte (punctuation, whitespace, non-ASCII) separates tokens. An optional
 * small English stopword list (pf_is_stopword) is the one the Cranfield
 * reference run describes ("a small stopword list"); it is documented in
 * analyze.c. No stemming.
 */
#ifndef PF_HARNESS_ANALYZE_H
#define PF_HARNESS_ANALYZE_H

#include <stddef.h>

#define PF_TOKEN_MAX	64	/* longer tokens are cut to this length */

/*
 * Finds the next token at or after *p (before end), writes it lowercased
 * into tok (NUL-terminated, at most PF_TOKEN_MAX bytes), advances *p past
 * it and returns its length; 0 when there is none.
 */
size_t	pf_next_token(const char **p, const char *end, char *tok);

int	pf_is_stopword(const char *tok, size_t len);

#endif /* PF_HARNESS_ANALYZE_H */
