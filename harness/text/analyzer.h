/*
 * harness/text/analyzer.h — the text analyzer shared by the text stages (bm25,
 * textfeatures): one documented way from text to terms.
 *
 *  1. Tokens are maximal runs of letters and digits. Letters are ASCII
 *     a-z A-Z and the letters of UTF-8 Latin-1 Supplement and Latin
 *     Extended-A (U+00C0..U+017F, less the signs U+00D7 and U+00F7), so
 *     "café" and "Ångström" are one token each. Every other byte or code
 *     point (punctuation, whitespace, other scripts, invalid UTF-8)
 *     separates tokens.
 *  2. Tokens are lowercased: ASCII, and the simple Unicode lowercase
 *     mapping of those Latin letters ('É' -> 'é', 'Ÿ' -> 'ÿ', 'İ' -> 'i');
 *     diacritics are kept. Tokens longer than PF_TOKEN_MAX bytes are cut
 *     there, at a character boundary.
 *  3. Optionally (stopwords="small") a 46-word English stopword list,
 *     listed in analyze.c, drops tokens (before stemming).
 *  4. Optionally (stem="english", "porter", ... any Snowball algorithm of
 *     Debian's libstemmer; default none) each token is stemmed.
 *
 * With stopwords and stem at their defaults an ASCII text gives the
 * lowercase [a-z0-9]+ tokens of the Cranfield reference run.
 */
#ifndef PF_HARNESS_TEXT_ANALYZER_H
#define PF_HARNESS_TEXT_ANALYZER_H

#include <stddef.h>

#include "metrics/err.h"

#define PF_TOKEN_MAX	64	/* bytes; longer tokens are cut to this */

/*
 * Finds the next token at or after *p (before end), writes it lowercased
 * into tok (NUL-terminated, at most PF_TOKEN_MAX bytes), advances *p past
 * it and returns its length; 0 when there is none. Steps 1-2 only.
 */
size_t	pf_next_token(const char **p, const char *end, char *tok);

int	pf_is_stopword(const char *tok, size_t len);

typedef struct pf_analyzer pf_analyzer;

/*
 * An analyzer: stop drops the small stopword list; stem names a Snowball
 * algorithm, NULL or "none" for no stemming (PF_EINVAL for an unknown one).
 */
int	pf_analyzer_new(pf_analyzer **out, int stop, const char *stem,
	    pf_err *err);
void	pf_analyzer_free(pf_analyzer *a);

/*
 * Steps 1-4: the next term at or after *p, into tok (PF_TOKEN_MAX + 1
 * bytes); its length, 0 at the end. Safe from several threads at once.
 */
size_t	pf_analyze_next(pf_analyzer *a, const char **p, const char *end,
	    char *tok);

/* 1 when a text has no token (steps 1-2). */
int	pf_text_empty(const char *s);

#endif /* PF_HARNESS_TEXT_ANALYZER_H */
