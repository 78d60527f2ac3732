/*
 * harness/analyze.c — see analyze.h.
 */
#include <string.h>

#include "harness/analyze.h"

static int
is_tok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

size_t
pf_next_token(const char **p, const char *end, char *tok)
{
	const char *s = *p;
	size_t n = 0;

	while (s < end && !is_tok((unsigned char)*s))
		s++;
	while (s < end && is_tok((unsigned char)*s)) {
		char c = *s++;
		if (n < PF_TOKEN_MAX)
			tok[n++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') :
			    c;
	}
	tok[n] = '\0';
	*p = s;
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
