/*
 * harness/text/analyzer.c — see analyze.h.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "harness/text/analyzer.h"

struct pf_analyzer {
	int		 stop;
	struct sb_stemmer *stem;	/* NULL: no stemming */
	pthread_mutex_t	 lock;		/* a Snowball stemmer is not reentrant */
};

/*
 * The lowercase of code point c if it is a token character (analyze.h
 * step 1-2), else -1: ASCII letters and digits, and the letters of
 * U+00C0..U+017F with the simple Unicode lowercase mapping.
 */
static long
lower_letter(long c)
{
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return c;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	if (c < 0xC0 || c > 0x17F || c == 0xD7 || c == 0xF7)
		return -1;
	if (c <= 0xDE)			/* À..Þ -> à..þ */
		return c + 0x20;
	if (c <= 0xFF)			/* ß, à..ÿ */
		return c;
	if (c == 0x130)			/* İ -> i */
		return 'i';
	if (c == 0x178)			/* Ÿ -> ÿ */
		return 0xFF;
	if (c <= 0x137 || (c >= 0x14A && c <= 0x177))	/* upper even */
		return c % 2 == 0 ? c + 1 : c;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return c % 2 == 1 ? c + 1 : c;	/* upper odd */
	return c;			/* ĸ, ŉ, ſ */
}

/* The code point at s (< end) and its byte length in *n; -1 (one byte)
   for a byte that does not start a well-formed UTF-8 sequence. */
static long
decode(const unsigned char *s, const unsigned char *end, size_t *n)
{
	long c;
	size_t k;

	*n = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		k = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		k = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		k = 4, c = s[0] & 0x07;
	else
		return -1;
	if ((size_t)(end - s) < k)
		return -1;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		c = c << 6 | (s[i] & 0x3F);
	}
	*n = k;	/* overlong 3/4-byte forms are no letters either way */
	return c;
}

size_t
pf_next_token(const char **p, const char *end, char *tok)
{
	const unsigned char *s = (const unsigned char *)*p,
	    *e = (const unsigned char *)end;
	size_t n = 0, k = 0;
	long c = -1;
	int cut = 0;

	while (s < e && (c = lower_letter(decode(s, e, &k))) < 0)
		s += k;
	while (s < e && c >= 0) {
		if (!cut && c < 0x80 && n < PF_TOKEN_MAX)
			tok[n++] = (char)c;
		else if (!cut && c >= 0x80 && n + 2 <= PF_TOKEN_MAX) {
			tok[n++] = (char)(0xC0 | c >> 6);
			tok[n++] = (char)(0x80 | (c & 0x3F));
		} else
			cut = 1;	/* no later character either */
		s += k;
		if (s < e)
			c = lower_letter(decode(s, e, &k));
	}
	tok[n] = '\0';
	*p = (const char *)s;
	return n;
}

/* A small English list: articles, pronouns, auxiliaries, prepositions. */
static const char *const stop[] = {
	"a", "about", "an", "and", "are", "as", "at", "be", "been", "but",
	"by", "can", "do", "does", "for", "from", "has", "have", "how", "if",
	"in", "into", "is", "it", "its", "of", "on", "or", "that", "the",
	"their", "there", "these", "this", "those", "to", "was", "were",
	"what", "when", "where", "which", "who", "why", "will", "with"
};

int
pf_is_stopword(const char *tok, size_t len)
{
	size_t lo = 0, hi = sizeof(stop) / sizeof(*stop);

	while (lo < hi) {	/* the list is sorted */
		size_t mid = (lo + hi) / 2;
		int c = strncmp(stop[mid], tok, len);
		if (c == 0 && stop[mid][len] != '\0')
			c = 1;
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
pf_analyzer_new(pf_analyzer **out, int stop_, const char *stem, pf_err *err)
{
	pf_analyzer *a;

	*out = NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    pthread_mutex_init(&a->lock, NULL) != 0) {
		free(a);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	a->stop = stop_;
	if (stem != NULL && strcmp(stem, "none") != 0 &&
	    (a->stem = sb_stemmer_new(stem, "UTF_8")) == NULL) {
		char names[512] = "none";
		size_t n = strlen(names);
		for (const char **l = sb_stemmer_list(); *l != NULL &&
		    n < sizeof(names); l++)
			n += (size_t)snprintf(names + n, sizeof(names) - n,
			    ", %s", *l);
		pf_analyzer_free(a);
		return pf_err_set(err, PF_EINVAL, NULL, 0, "stem='%s': "
		    "expected one of %s", stem, names);
	}
	*out = a;
	return PF_OK;
}

void
pf_analyzer_free(pf_analyzer *a)
{
	if (a == NULL)
		return;
	if (a->stem != NULL)
		sb_stemmer_delete(a->stem);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

size_t
pf_analyze_next(pf_analyzer *a, const char **p, const char *end, char *tok)
{
	size_t n;

	while ((n = pf_next_token(p, end, tok)) > 0 && a->stop &&
	    pf_is_stopword(tok, n))
		;
	if (n == 0 || a->stem == NULL)
		return n;
	pthread_mutex_lock(&a->lock);
	const sb_symbol *s = sb_stemmer_stem(a->stem, (const sb_symbol *)tok,
	    (int)n);
	if (s != NULL) {
		int k = sb_stemmer_length(a->stem);
		n = k > 0 && k <= PF_TOKEN_MAX ? (size_t)k : n;
		if (k > 0 && k <= PF_TOKEN_MAX)
			memcpy(tok, s, n);
	}
	pthread_mutex_unlock(&a->lock);
	tok[n] = '\0';
	return n;
}

int
pf_text_empty(const char *s)
{
	char tok[PF_TOKEN_MAX + 1];

	return pf_next_token(&s, s + strlen(s), tok) == 0;
}
