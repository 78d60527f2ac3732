/*
 * metrics/labelq.c — see labelq.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/labelq.h"

void
pf_labelq_free(pf_labelq *q)
{
	if (q == NULL)
		return;
	free(q->group);
	q->group = NULL;
	q->ngroups = 0;
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* The largest number of ratings on one item. */
static int
max_per_item(const pf_rating *r, size_t n, size_t *out)
{
	size_t *it, best = 0, run = 0;

	*out = 0;
	if (n == 0)
		return PF_OK;
	if ((it = malloc(n * sizeof(*it))) == NULL)
		return PF_ENOMEM;
	for (size_t i = 0; i < n; i++)
		it[i] = r[i].item;
	qsort(it, n, sizeof(*it), cmp_size);
	for (size_t i = 0; i < n; i++) {
		run = i > 0 && it[i] == it[i - 1] ? run + 1 : 1;
		if (run > best)
			best = run;
	}
	free(it);
	*out = best;
	return PF_OK;
}

int
pf_labelq_compute(pf_labelq *out, const pf_rating *r, size_t n,
    const size_t *group, size_t ngroups, pf_err *err)
{
	pf_err e2 = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	out->n_ratings = n;
	if (max_per_item(r, n, &out->max_raters) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((out->group = calloc(ngroups ? ngroups : 1,
	    sizeof(*out->group))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	out->ngroups = ngroups;
	if ((rc = pf_alpha_by_group(r, n, group, ngroups, PF_ALPHA_ORDINAL,
	    &out->ordinal, out->group, err)) != PF_OK ||
	    (rc = pf_alpha_compute(r, n, PF_ALPHA_NOMINAL, &out->nominal,
	    err)) != PF_OK ||
	    (rc = pf_alpha_compute(r, n, PF_ALPHA_INTERVAL, &out->interval,
	    err)) != PF_OK) {
		pf_labelq_free(out);
		return rc;
	}
	rc = pf_fleiss_kappa(r, n, &out->fleiss, &e2);
	if (rc == PF_ENOMEM) {
		pf_labelq_free(out);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	out->has_fleiss = rc == PF_OK;
	if (!out->has_fleiss)
		snprintf(out->no_fleiss, sizeof(out->no_fleiss), "%s",
		    out->max_raters < 2 ? "one rating per item" :
		    "items have different numbers of raters");
	return PF_OK;
}

size_t
pf_labelq_worst(const pf_labelq *q, size_t *idx, size_t k)
{
	size_t m = 0;

	if (k == 0)
		return 0;
	/* insertion into a sorted top-k: k is small (the report's 5-10) */
	for (size_t g = 0; g < q->ngroups; g++) {
		double a = q->group[g].alpha;
		size_t j;

		if (isnan(a) || q->group[g].n_pairable == 0)
			continue;
		if (m == k && !(a < q->group[idx[m - 1]].alpha))
			continue;
		j = m < k ? m++ : m - 1;
		while (j > 0 && a < q->group[idx[j - 1]].alpha) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = g;
	}
	return m;
}

const char *
pf_alpha_reading(double a)
{
	if (isnan(a))
		return "undefined";
	return a >= 0.8 ? "reliable" : a >= 0.667 ? "tentative" :
	    "unreliable";
}

const char *
pf_kappa_band(double k)
{
	if (isnan(k))
		return "undefined";
	return k <= 0 ? "poor" : k <= 0.20 ? "slight" : k <= 0.40 ? "fair" :
	    k <= 0.60 ? "moderate" : k <= 0.80 ? "substantial" :
	    "almost perfect";
}
