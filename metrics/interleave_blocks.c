/*
 * metrics/interleave_blocks.c — interleave.h's exported building blocks
 * on the caller's document ids: team-draft and balanced construction,
 * balanced credit, and the PI-MA marginal over clicked positions. They
 * are the definitions (METHODS.md §1.2-§1.4) written plainly, O(k^2) list
 * scans, for tests and for scoring logged impressions; the simulator in
 * interleave_methods.c runs the same rules on renumbered documents.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics/interleave.h"

#define SIGN(x)	(((x) > 0) - ((x) < 0))

static int
listed(const uint32_t *v, size_t n, uint32_t d)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == d)
			return 1;
	return 0;
}

/* First document of v not in out[0..n-1], or -1. */
static long
first_unseen(const uint32_t *v, size_t nv, const uint32_t *out, size_t n)
{
	for (size_t i = 0; i < nv; i++)
		if (!listed(out, n, v[i]))
			return (long)i;
	return -1;
}

size_t
pf_il_team_draft(const uint32_t *a, size_t na, const uint32_t *b,
    size_t nb, size_t k, const uint64_t *coins, uint32_t *out,
    unsigned char *team)
{
	size_t n = 0, ta = 0, tb = 0, ci = 0;

	while (n < k) {
		long ia = first_unseen(a, na, out, n);
		long ib = first_unseen(b, nb, out, n);
		int pick_a;

		if (ia < 0 || ib < 0)
			break;
		if (ta != tb) {
			pick_a = ta < tb;
		} else {
			pick_a = (int)((coins[ci / 64] >> (ci % 64)) & 1);
			ci++;
		}
		out[n] = pick_a ? a[ia] : b[ib];
		team[n] = pick_a ? 0 : 1;
		n++;
		if (pick_a)
			ta++;
		else
			tb++;
	}
	return n;
}

size_t
pf_il_balanced(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    size_t k, int a_first, uint32_t *out)
{
	size_t ka = 0, kb = 0, n = 0;

	while (ka < na && kb < nb && n < k) {
		uint32_t d = ka < kb || (ka == kb && a_first) ? a[ka++] :
		    b[kb++];
		if (!listed(out, n, d))
			out[n++] = d;
	}
	return n;
}

/* 1-based rank of d in v, or n + 1. */
static size_t
rank_of(const uint32_t *v, size_t n, uint32_t d)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == d)
			return i + 1;
	return n + 1;
}

int
pf_il_balanced_credit(const uint32_t *il, size_t n, const size_t *clicks,
    size_t nclicks, const uint32_t *a, size_t na, const uint32_t *b,
    size_t nb, size_t *h_a, size_t *h_b)
{
	size_t cmax = 0, k, ha = 0, hb = 0;

	*h_a = *h_b = 0;
	if (nclicks == 0)
		return 0;
	for (size_t t = 0; t < nclicks; t++)
		cmax = clicks[t] > cmax ? clicks[t] : cmax;
	assert(cmax < n);
	(void)n;
	k = rank_of(a, na, il[cmax]);
	if (rank_of(b, nb, il[cmax]) < k)
		k = rank_of(b, nb, il[cmax]);
	for (size_t t = 0; t < nclicks; t++) {
		ha += rank_of(a, na, il[clicks[t]]) <= k;
		hb += rank_of(b, nb, il[clicks[t]]) <= k;
	}
	*h_a = ha;
	*h_b = hb;
	return SIGN((long)hb - (long)ha);
}

void
pf_il_pi_marginal(const double *pi, size_t nclicks, double *p_b,
    double *p_a)
{
	double buf0[2 * PF_IL_MAXK + 1], buf1[2 * PF_IL_MAXK + 1];
	double *cur = buf0, *nxt = buf1, *tmp, sb = 0.0, sa = 0.0;
	size_t mid = nclicks, width = 2 * nclicks + 1;

	assert(nclicks <= PF_IL_MAXK);
	for (size_t i = 0; i < width; i++)
		cur[i] = 0.0;
	cur[mid] = 1.0;
	for (size_t t = 0; t < nclicks; t++) {
		for (size_t i = 0; i < width; i++)
			nxt[i] = 0.0;
		for (size_t i = mid - t; i <= mid + t; i++) {
			nxt[i + 1] += cur[i] * pi[t];
			nxt[i - 1] += cur[i] * (1.0 - pi[t]);
		}
		tmp = cur;
		cur = nxt;
		nxt = tmp;
	}
	/* mirrored order, so equal odds give exactly equal sums */
	for (size_t d = 1; d <= nclicks; d++) {
		sb += cur[mid + d];
		sa += cur[mid - d];
	}
	*p_b = sb;
	*p_a = sa;
}
