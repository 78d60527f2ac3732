/*
 * harness/stages/feats.c — the column map of pf_feats (stage.h): file
 * feature ids to columns, by arithmetic on dense features and by binary
 * search over the ascending ids of remapped ones. Pure; thread-safe.
 */
#include "harness/stages/stage.h"

size_t
pf_feats_lower(const pf_feats *f, long id)
{
	size_t lo = 0, hi = f->nf;

	if (f->id == NULL) {
		long c = id - f->base;
		return c <= 0 ? 0 : (size_t)c < f->nf ? (size_t)c : f->nf;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((long)f->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long
pf_feats_col(const pf_feats *f, long id)
{
	size_t c = pf_feats_lower(f, id);

	return c < f->nf && pf_feats_id(f, c) == id ? (long)c : -1;
}

long
pf_feats_last_id(const pf_feats *f)
{
	return f->nf > 0 ? pf_feats_id(f, f->nf - 1) : (long)f->base - 1;
}
