/*
 * metrics/agreement.c — Krippendorff's alpha (nominal, ordinal, interval,
 * ratio), per-group alpha, Fleiss' kappa (see agreement.h for the
 * definitions).
 *
 * The ratings are copied and sorted by (group, item, rater), so an item's
 * values are adjacent and duplicates show up as neighbours. The distinct
 * pairable values ("categories") are sorted with their counts; the
 * ordinal metric maps each to its mid-rank, which makes ordinal alpha the
 * interval formula on mid-ranks. D_e is O(K) for nominal, interval and
 * ordinal (K categories) and O(K^2) for ratio; D_o is O(sum m_u^2) over the
 * items. Sizes: a golden set has 10^3 - 10^5 judgments, a few per item.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/agreement.h"

struct rt {
	size_t	group, item, rater;
	double	value;
};

/* Distinct values with counts; coord is the value or, ordinal, mid-rank. */
struct cats {
	double	*v, *cnt, *coord;
	size_t	 k;
	double	 n;
};

static int
cmp_rt(const void *pa, const void *pb)
{
	const struct rt *a = pa, *b = pb;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	if (a->rater != b->rater)
		return a->rater < b->rater ? -1 : 1;
	return (a->value > b->value) - (a->value < b->value);
}

static int
cmp_item(const void *pa, const void *pb)
{
	const struct rt *a = pa, *b = pb;

	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->rater != b->rater)
		return a->rater < b->rater ? -1 : 1;
	return (a->value > b->value) - (a->value < b->value);
}

static int
cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

static void
cats_free(struct cats *c)
{
	free(c->v);	/* cnt and coord live in the same block */
	memset(c, 0, sizeof(*c));
}

/* End of the item starting at a[i] (one past its last rating). */
static size_t
item_end(const struct rt *a, size_t n, size_t i)
{
	size_t e = i + 1;

	while (e < n && a[e].item == a[i].item && a[e].group == a[i].group)
		e++;
	return e;
}

/* Categories of the pairable values of a[0..n-1] (sorted by item). */
static int
cats_build(const struct rt *a, size_t n, pf_alpha_level lv, struct cats *c)
{
	size_t m = 0, sz;

	memset(c, 0, sizeof(*c));
	if (pf_mul_size(n ? n : 1, 3 * sizeof(double), &sz) != PF_OK ||
	    (c->v = malloc(sz)) == NULL)
		return PF_ENOMEM;
	for (size_t i = 0, e; i < n; i = e) {
		e = item_end(a, n, i);
		if (e - i >= 2)
			for (size_t j = i; j < e; j++)
				c->v[m++] = a[j].value;
	}
	qsort(c->v, m, sizeof(double), cmp_double);
	c->cnt = c->v + (n ? n : 1);
	c->coord = c->cnt + (n ? n : 1);
	for (size_t i = 0; i < m; i++) {
		if (c->k > 0 && c->v[c->k - 1] == c->v[i]) {
			c->cnt[c->k - 1] += 1;
			continue;
		}
		c->v[c->k] = c->v[i];
		c->cnt[c->k++] = 1;
	}
	c->n = (double)m;
	double below = 0.0;
	for (size_t i = 0; i < c->k; i++) {
		c->coord[i] = lv == PF_ALPHA_ORDINAL ? below + c->cnt[i] / 2 :
		    c->v[i];
		below += c->cnt[i];
	}
	return PF_OK;
}

/* The coordinate of value v (present among c's categories). */
static double
coord(const struct cats *c, double v)
{
	size_t lo = 0, hi = c->k;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->v[mid] <= v)
			lo = mid;
		else
			hi = mid;
	}
	return c->coord[lo];
}

static double
delta2(const struct cats *c, pf_alpha_level lv, double a, double b)
{
	switch (lv) {
	case PF_ALPHA_NOMINAL:
		return a != b;
	case PF_ALPHA_ORDINAL: {
		double d = coord(c, a) - coord(c, b);
		return d * d;
	}
	case PF_ALPHA_INTERVAL:
		return (a - b) * (a - b);
	case PF_ALPHA_RATIO:
		return a + b == 0 ? 0.0 : ((a - b) / (a + b)) * ((a - b) /
		    (a + b));
	}
	return NAN;
}

/* Expected disagreement D_e of categories c. */
static double
expected(const struct cats *c, pf_alpha_level lv)
{
	double n = c->n, s = 0.0;

	if (n < 2)
		return NAN;
	switch (lv) {
	case PF_ALPHA_NOMINAL:
		s = n * n;
		for (size_t i = 0; i < c->k; i++)
			s -= c->cnt[i] * c->cnt[i];
		break;
	case PF_ALPHA_ORDINAL:
	case PF_ALPHA_INTERVAL: {
		/* sum_ck n_c n_k (x_c - x_k)^2 = 2 n sum_c n_c (x_c - xbar)^2 */
		double mean = 0.0;
		for (size_t i = 0; i < c->k; i++)
			mean += c->cnt[i] * c->coord[i] / n;
		for (size_t i = 0; i < c->k; i++)
			s += c->cnt[i] * (c->coord[i] - mean) * (c->coord[i] -
			    mean);
		s *= 2 * n;
		break;
	}
	case PF_ALPHA_RATIO:
		for (size_t i = 0; i < c->k; i++)
			for (size_t j = 0; j < c->k; j++)
				s += c->cnt[i] * c->cnt[j] * delta2(c, lv,
				    c->v[i], c->v[j]);
		break;
	}
	return s / (n * (n - 1));
}

/*
 * Observed disagreement and counts of a[0..n-1] (sorted by item) with the
 * metric of categories c; d_e is used for alpha (NaN: alpha NaN).
 */
static void
observed(const struct rt *a, size_t n, const struct cats *c,
    pf_alpha_level lv, double d_e, pf_alpha *out)
{
	double sum = 0.0;
	size_t pairs = 0, exact = 0, within1 = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0, e; i < n; i = e) {
		e = item_end(a, n, i);
		out->n_items++;
		if (e - i < 2) {
			out->n_single++;
			continue;
		}
		out->n_pairable++;
		out->n_values += e - i;
		double su = 0.0;
		for (size_t j = i; j < e; j++)
			for (size_t l = j + 1; l < e; l++) {
				double x = a[j].value, y = a[l].value;
				su += delta2(c, lv, x, y);
				pairs++;
				exact += x == y;
				within1 += fabs(x - y) <= 1.0;
			}
		sum += 2.0 * su / (double)(e - i - 1);	/* ordered pairs */
	}
	out->n_pairs = pairs;
	out->exact = pairs ? (double)exact / (double)pairs : NAN;
	out->within1 = pairs ? (double)within1 / (double)pairs : NAN;
	out->d_o = out->n_values ? sum / (double)out->n_values : NAN;
	out->d_e = d_e;
	out->alpha = out->n_values && d_e > 0 ? 1.0 - out->d_o / d_e : NAN;
}

/*
 * Copies r into a sorted struct rt array (group from group[] or 0),
 * checking values and duplicate (item, rater) pairs.
 */
static int
load(const pf_rating *r, size_t n, const size_t *group, size_t ngroups,
    pf_alpha_level lv, struct rt **out, pf_err *err)
{
	struct rt *a;
	size_t sz;

	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(r[i].value))
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "rating %zu (item %zu, rater %zu): the value is "
			    "not a finite number", i + 1, r[i].item,
			    r[i].rater);
		if (lv == PF_ALPHA_RATIO && r[i].value < 0)
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "rating %zu (item %zu, rater %zu): %g is negative, "
			    "which a ratio scale does not allow", i + 1,
			    r[i].item, r[i].rater, r[i].value);
		if (group != NULL && group[i] >= ngroups)
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "rating %zu: group %zu, expected < %zu", i + 1,
			    group[i], ngroups);
	}
	if (pf_mul_size(n ? n : 1, sizeof(*a), &sz) != PF_OK ||
	    (a = malloc(sz)) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0,
		    "out of memory sorting %zu ratings", n);
	for (size_t i = 0; i < n; i++) {
		a[i].group = group ? group[i] : 0;
		a[i].item = r[i].item;
		a[i].rater = r[i].rater;
		a[i].value = r[i].value;
	}
	/* By item first: an item split across groups, or a rater rating an
	   item twice, shows up between neighbours. */
	qsort(a, n, sizeof(*a), cmp_item);
	for (size_t i = 1; i < n; i++) {
		if (a[i].item != a[i - 1].item)
			continue;
		if (a[i].group != a[i - 1].group) {
			pf_err_set(err, PF_EINVAL, NULL, 0, "item %zu is in "
			    "groups %zu and %zu", a[i].item, a[i - 1].group,
			    a[i].group);
			free(a);
			return PF_EINVAL;
		}
		if (a[i].rater == a[i - 1].rater) {
			pf_err_set(err, PF_EINVAL, NULL, 0, "rater %zu rated "
			    "item %zu twice", a[i].rater, a[i].item);
			free(a);
			return PF_EINVAL;
		}
	}
	if (group != NULL)
		qsort(a, n, sizeof(*a), cmp_rt);
	*out = a;
	return PF_OK;
}

int
pf_alpha_compute(const pf_rating *r, size_t n, pf_alpha_level lv,
    pf_alpha *out, pf_err *err)
{
	return pf_alpha_by_group(r, n, NULL, 0, lv, out, NULL, err);
}

int
pf_alpha_by_group(const pf_rating *r, size_t n, const size_t *group,
    size_t ngroups, pf_alpha_level lv, pf_alpha *all_out,
    pf_alpha_group *out, pf_err *err)
{
	struct rt *a = NULL;
	struct cats all = {0}, own = {0};
	pf_alpha tmp;
	int rc;

	if ((rc = load(r, n, group, ngroups, lv, &a, err)) != PF_OK)
		return rc;
	if (cats_build(a, n, lv, &all) != PF_OK) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
		    "out of memory for %zu ratings", n);
		goto done;
	}
	double d_e = expected(&all, lv);
	if (all_out != NULL)
		observed(a, n, &all, lv, d_e, all_out);
	for (size_t g = 0; out != NULL && g < ngroups; g++) {
		out[g].alpha = out[g].alpha_local = out[g].d_o = NAN;
		out[g].n_items = out[g].n_pairable = out[g].n_values = 0;
	}
	for (size_t i = 0, e; group != NULL && out != NULL && i < n; i = e) {
		size_t g = a[i].group;
		for (e = i + 1; e < n && a[e].group == g; e++)
			;
		observed(a + i, e - i, &all, lv, d_e, &tmp);
		out[g].alpha = tmp.alpha;
		out[g].d_o = tmp.d_o;
		out[g].n_items = tmp.n_items;
		out[g].n_pairable = tmp.n_pairable;
		out[g].n_values = tmp.n_values;
		if (cats_build(a + i, e - i, lv, &own) != PF_OK) {
			rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory for %zu ratings", n);
			goto done;
		}
		observed(a + i, e - i, &own, lv, expected(&own, lv), &tmp);
		out[g].alpha_local = tmp.alpha;
		cats_free(&own);
	}
	rc = PF_OK;
done:
	cats_free(&own);
	cats_free(&all);
	free(a);
	return rc;
}

int
pf_fleiss_kappa_counts(const size_t *counts, size_t nitems, size_t ncats,
    pf_fleiss *out, pf_err *err)
{
	size_t nr = 0;
	double pbar = 0.0, pe = 0.0;

	memset(out, 0, sizeof(*out));
	out->kappa = out->p_bar = out->p_e = NAN;
	if (nitems == 0)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "fleiss' kappa needs at least one item");
	for (size_t i = 0; i < nitems; i++) {
		size_t s = 0;
		for (size_t j = 0; j < ncats; j++)
			s += counts[i * ncats + j];
		if (i == 0)
			nr = s;
		else if (s != nr)
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "fleiss' kappa needs the same number of raters "
			    "for every item: item 1 has %zu, item %zu has %zu",
			    nr, i + 1, s);
	}
	if (nr < 2)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "fleiss' kappa needs at least 2 raters per item, got %zu",
		    nr);
	double n = (double)nr, N = (double)nitems;
	for (size_t j = 0; j < ncats; j++) {
		double pj = 0.0;
		for (size_t i = 0; i < nitems; i++)
			pj += (double)counts[i * ncats + j];
		pj /= N * n;
		pe += pj * pj;
	}
	for (size_t i = 0; i < nitems; i++) {
		double s = 0.0;
		for (size_t j = 0; j < ncats; j++)
			s += (double)counts[i * ncats + j] *
			    (double)counts[i * ncats + j];
		pbar += (s - n) / (n * (n - 1));
	}
	pbar /= N;
	out->n_items = nitems;
	out->n_raters = nr;
	out->n_cats = ncats;
	out->p_bar = pbar;
	out->p_e = pe;
	out->kappa = pe < 1.0 ? (pbar - pe) / (1.0 - pe) : NAN;
	return PF_OK;
}

int
pf_fleiss_kappa(const pf_rating *r, size_t n, pf_fleiss *out, pf_err *err)
{
	struct rt *a = NULL;
	double *v = NULL;
	size_t *counts = NULL, nitems = 0, k = 0, sz;
	int rc;

	memset(out, 0, sizeof(*out));
	out->kappa = out->p_bar = out->p_e = NAN;
	if ((rc = load(r, n, NULL, 0, PF_ALPHA_NOMINAL, &a, err)) != PF_OK)
		return rc;
	if (n == 0) {
		rc = pf_err_set(err, PF_EINVAL, NULL, 0,
		    "fleiss' kappa needs at least one item");
		goto done;
	}
	/* Constant raters per item, checked here to name the items. */
	size_t first = item_end(a, n, 0), m0 = first;
	for (size_t i = 0, e; i < n; i = e) {
		e = item_end(a, n, i);
		nitems++;
		if (e - i != m0) {
			rc = pf_err_set(err, PF_EINVAL, NULL, 0,
			    "fleiss' kappa needs the same number of raters "
			    "for every item: item %zu has %zu, item %zu has "
			    "%zu", a[0].item, m0, a[i].item, e - i);
			goto done;
		}
	}
	if ((v = malloc(n * sizeof(*v))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
		    "out of memory for %zu ratings", n);
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = a[i].value;
	qsort(v, n, sizeof(*v), cmp_double);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	if (pf_mul_size(nitems, k, &sz) != PF_OK ||
	    (counts = calloc(sz, sizeof(*counts))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
		    "out of memory for %zu items x %zu categories", nitems, k);
		goto done;
	}
	for (size_t i = 0, e, it = 0; i < n; i = e, it++) {
		e = item_end(a, n, i);
		for (size_t j = i; j < e; j++) {
			size_t lo = 0, hi = k;
			while (hi - lo > 1) {
				size_t mid = lo + (hi - lo) / 2;
				if (v[mid] <= a[j].value)
					lo = mid;
				else
					hi = mid;
			}
			counts[it * k + lo]++;
		}
	}
	rc = pf_fleiss_kappa_counts(counts, nitems, k, out, err);
done:
	free(counts);
	free(v);
	free(a);
	return rc;
}
