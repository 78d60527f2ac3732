/*
 * harness/analysis/importance_items.c — what one <features> element
 * measures and what it reports (importance.h): its items (single
 * features, groups, every feature of the stage), resolved in the stage's
 * column map, and the summary of the tasks' per-query values (means,
 * SDs, bootstrap CIs, the ranking).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/importance_internal.h"
#include "metrics/rng.h"
#include "metrics/stats.h"
#include "reports/featname.h"

/* The column map of the stage's input (stage.h). */
pf_feats
pf_imp__colmap(const pf_imp_ctx *x)
{
	return (pf_feats){NULL, NULL, x->nf, x->base, x->id, x->names};
}

/*
 * Items: the groups (file ids), then every column no group names. Each
 * item's random streams are keyed by its position in a dense layout from
 * the first column (x->tkey): group g is g, the column of file id i is
 * ngroups + i - (the first column's id) less the grouped ids below i. On
 * dense features that is the item's index; on remapped ones (stage.h),
 * which have no columns for absent ids, every item draws what it draws on
 * the dense file with the same ids (or with all ids shifted alike).
 */
int
pf_imp__make_items(pf_rep_importance *out, pf_imp_ctx *x, const pf_scn_featimp *fi,
    pf_err *err)
{
	size_t nf = x->nf;
	unsigned char *used = calloc(nf + 1, 1);
	size_t n = 0;
	pf_feats map = pf_imp__colmap(x);

	if (used == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t g = 0; g < fi->ngroups; g++)
		for (size_t i = 0; i < fi->groups[g].n; i++) {
			long c = pf_feats_col(&map, fi->groups[g].feat[i]);
			if (c < 0) {
				free(used);
				return pf_err_set(err, PF_EDATA, x->r->scn->path,
				    fi->groups[g].line, "<group name=\"%s\">: "
				    "feature %d is not among the %zu features "
				    "stage %zu of stack '%s' gets (ids %ld..%ld)",
				    fi->groups[g].name, fi->groups[g].feat[i], nf,
				    x->si + 1, x->st->id, nf ? pf_feats_id(&map,
				    0) : x->base, pf_feats_last_id(&map));
			}
			used[c] = 1;
		}
	for (size_t c = 0; c < nf; c++)
		n += !used[c];
	n += fi->ngroups;
	out->items = calloc(n + 1, sizeof(*out->items));
	x->tkey = malloc((n + 1) * sizeof(*x->tkey));
	if (out->items == NULL || x->tkey == NULL) {
		free(used);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	out->nitems = n;
	size_t t = 0;
	for (size_t g = 0; g < fi->ngroups; g++, t++) {
		pf_rep_imp_item *it = &out->items[t];
		it->name = strdup(fi->groups[g].name);
		it->feat = malloc((fi->groups[g].n + 1) * sizeof(int));
		if (it->name == NULL || it->feat == NULL)
			goto nomem;
		memcpy(it->feat, fi->groups[g].feat, fi->groups[g].n *
		    sizeof(int));
		it->nfeat = fi->groups[g].n;
		it->group = 1;
		if (pf_imp__item_names(it, x) != 0)
			goto nomem;
		x->tkey[t] = g;
	}
	for (size_t c = 0, below = 0; c < nf; c++) {
		if (used[c]) {
			below++;
			continue;
		}
		x->tkey[t] = fi->ngroups + (uint64_t)(pf_feats_id(&map, c) -
		    pf_feats_id(&map, 0)) - below;
		pf_rep_imp_item *it = &out->items[t++];
		char nm[512];
		long id = pf_feats_id(&map, c);
		it->name = strdup(pf_feat_label(nm, sizeof(nm), pf_imp__feat_name(x, id),
		    id));
		it->feat = malloc(sizeof(int));
		if (it->name == NULL || it->feat == NULL)
			goto nomem;
		it->feat[0] = (int)id;
		it->nfeat = 1;
		if (pf_imp__item_names(it, x) != 0)
			goto nomem;
	}
	free(used);
	return PF_OK;
nomem:
	free(used);
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

static int	cmp_double(const void *, const void *);

/* Means, SDs, per-query importances and their bootstrap CIs. */
int
pf_imp__summarize(pf_rep_importance *o, const pf_imp_ctx *x, const double *pq,
    size_t nj, const pf_scenario *s, size_t n_boot, pf_err *err)
{
	size_t R = o->nrep, nq = x->nq, nt = o->nitems;
	double *qimp = malloc((nt * nj + 1) * sizeof(double));
	int bad = 0;

	if (qimp == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	double bsum = 0.0;
	for (size_t q = 0; q < nq; q++)
		if (x->r->m.judged[q])
			bsum += x->base_q[q];
	o->baseline = nj ? bsum / (double)nj : NAN;
	for (size_t t = 0; t < nt; t++) {
		double sum = 0.0, ss = 0.0;
		for (size_t rep = 0; rep < R; rep++) {
			const double *p = pq + (t * R + rep) * nq;
			double ps = 0.0;
			for (size_t q = 0; q < nq; q++)
				if (x->r->m.judged[q])
					ps += p[q];
			double v = nj ? o->baseline - ps / (double)nj : NAN;
			o->imp[t * R + rep] = v;
			sum += v;
		}
		double mean = sum / (double)R;
		for (size_t rep = 0; rep < R; rep++) {
			double d = o->imp[t * R + rep] - mean;
			ss += d * d;
		}
		o->items[t].mean = mean;
		o->items[t].std = sqrt(ss / (double)R);
		size_t j = 0;
		for (size_t q = 0; q < nq; q++) {
			if (!x->r->m.judged[q])
				continue;
			double ps = 0.0;
			for (size_t rep = 0; rep < R; rep++)
				ps += pq[(t * R + rep) * nq + q];
			qimp[t * nj + j++] = x->base_q[q] - ps / (double)R;
		}
	}
#pragma omp parallel
	{
		double *bm = malloc((n_boot + 1) * sizeof(double));
#pragma omp for schedule(dynamic, 1)
		for (size_t t = 0; t < nt; t++) {
			pf_rep_imp_item *it = &o->items[t];
			if (bm == NULL || n_boot == 0 || nj == 0) {
				it->lo = it->hi = NAN;
				bad |= bm == NULL;
				continue;
			}
			pf_stats_boot_means(qimp + t * nj, nj, pf_rng_key(s->seed,
			    x->tkey[t], 0, PF_RNG_FIMP ^ PF_RNG_BOOT), n_boot,
			    bm);
			qsort(bm, n_boot, sizeof(*bm), cmp_double);
			it->lo = pf_stats_quantile(bm, n_boot, 0.025);
			it->hi = pf_stats_quantile(bm, n_boot, 0.975);
		}
		free(bm);
	}
	free(qimp);
	if (bad)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	double pos = 0.0;
	for (size_t t = 0; t < nt; t++)
		pos += o->items[t].mean > 0 ? o->items[t].mean : 0.0;
	for (size_t t = 0; t < nt; t++)
		o->items[t].share = pos > 0 && o->items[t].mean > 0 ?
		    o->items[t].mean / pos : 0.0;
	return PF_OK;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}
