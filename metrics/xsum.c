/*
 * metrics/xsum.c — see xsum.h.
 */
#include <math.h>
#include <string.h>

#include "metrics/xsum.h"

/* Adds (neg: subtracts) v << (64 * i) into s->w, carries to the top. */
static void
add_word(pf_xsum *s, size_t i, uint64_t v, int neg)
{
	if (neg) {
		uint64_t b = s->w[i] < v;
		s->w[i] -= v;
		for (i++; b && i < PF_XSUM_WORDS; i++)
			b = s->w[i]-- == 0;
	} else {
		uint64_t c;
		s->w[i] += v;
		c = s->w[i] < v;
		for (i++; c && i < PF_XSUM_WORDS; i++)
			c = ++s->w[i] == 0;
	}
}

void
pf_xsum_add(pf_xsum *s, double v)
{
	uint64_t bits, m;
	unsigned e, sh;
	int neg;

	memcpy(&bits, &v, sizeof(bits));
	neg = (int)(bits >> 63);
	e = (unsigned)(bits >> 52) & 0x7ff;
	m = bits & ((UINT64_C(1) << 52) - 1);
	if (e == 0x7ff) {	/* inf (NaN: the caller's) */
		if (m == 0)
			*(neg ? &s->ninf : &s->pinf) += 1;
		return;
	}
	if (e == 0 && m == 0)
		return;
	/* v = m 2^(sh - 1074): subnormals sh 0, normals the hidden bit */
	if (e != 0) {
		m |= UINT64_C(1) << 52;
		sh = e - 1;
	} else
		sh = 0;
	add_word(s, sh / 64, m << (sh % 64), neg);
	if (sh % 64 != 0 && (m >> (64 - sh % 64)) != 0)
		add_word(s, sh / 64 + 1, m >> (64 - sh % 64), neg);
}

void
pf_xsum_merge(pf_xsum *s, const pf_xsum *t)
{
	uint64_t c = 0;

	for (size_t i = 0; i < PF_XSUM_WORDS; i++) {
		uint64_t a = s->w[i], r = a + t->w[i];
		uint64_t c1 = r < a;
		s->w[i] = r + c;
		c = c1 | (s->w[i] < r);
	}
	s->pinf += t->pinf;
	s->ninf += t->ninf;
}

/* Bit i of w (0 past the top). */
static unsigned
bit(const uint64_t *w, size_t i)
{
	return i / 64 < PF_XSUM_WORDS ? (unsigned)(w[i / 64] >> (i % 64)) & 1u :
	    0u;
}

double
pf_xsum_round(const pf_xsum *s)
{
	uint64_t w[PF_XSUM_WORDS], m = 0;
	int neg;
	size_t top, i;
	unsigned rb, sticky = 0;
	double v;

	if (s->pinf || s->ninf)
		return s->pinf && s->ninf ? NAN : s->pinf ? INFINITY :
		    -INFINITY;
	memcpy(w, s->w, sizeof(w));
	neg = (int)(w[PF_XSUM_WORDS - 1] >> 63);
	if (neg) {	/* two's complement: the magnitude */
		uint64_t c = 1;
		for (i = 0; i < PF_XSUM_WORDS; i++) {
			w[i] = ~w[i] + c;
			c = c && w[i] == 0;
		}
	}
	for (i = PF_XSUM_WORDS; i > 0 && w[i - 1] == 0; i--)
		;
	if (i == 0)
		return 0.0;
	top = (i - 1) * 64 + 63 - (size_t)__builtin_clzll(w[i - 1]);
	if (top < 53) {		/* exact: at most 53 bits from 2^-1074 */
		v = ldexp((double)w[0], -1074);
		return neg ? -v : v;
	}
	/* 53 bits from top down, the round bit, the sticky bits */
	for (size_t k = 0; k < 53; k++)
		m = m << 1 | bit(w, top - k);
	rb = bit(w, top - 53);
	for (size_t k = 0; k < (top - 53) / 64 && !sticky; k++)
		sticky = w[k] != 0;
	for (size_t k = (top - 53) / 64 * 64; k < top - 53 && !sticky; k++)
		sticky = bit(w, k);
	if (rb && (sticky || (m & 1)))
		m++;		/* 2^53 after a carry: still exact in a double */
	v = ldexp((double)m, (int)top - 52 - 1074);
	return neg ? -v : v;
}
