/*
 * harness/analysis/attrib_print.c — the attribution's bootstrap CIs
 * (shared resamples, attrib_internal.h) and its lines on the terminal.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "harness/analysis/attrib.h"
#include "harness/analysis/attrib_internal.h"
#include "metrics/shapley.h"
#include "metrics/stats.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The bootstrap CI of mean(x), resamples shared through key. */
int
pf_attrib__ci(const double *x, size_t n, pf_key key, size_t n_boot,
    double alpha, double *lo, double *hi)
{
	double *bm;

	*lo = *hi = NAN;
	if (n_boot == 0 || n == 0)
		return PF_OK;
	if ((bm = malloc(n_boot * sizeof(double))) == NULL)
		return PF_ENOMEM;
	pf_stats_boot_means(x, n, key, n_boot, bm);
	qsort(bm, n_boot, sizeof(double), cmp_double);
	*lo = pf_stats_quantile(bm, n_boot, alpha / 2);
	*hi = pf_stats_quantile(bm, n_boot, 1 - alpha / 2);
	free(bm);
	return PF_OK;
}

void
pf_attrib_print(const pf_attrib *a, FILE *f)
{
	for (size_t i = 0; a != NULL && i < a->npairs; i++) {
		const pf_attrib_pair *p = &a->pairs[i];
		fprintf(f, "stages %s vs %s, %s: %+.4f = ", p->treatment,
		    p->control, a->metric, p->delta);
		for (size_t j = 0; j < p->nplayers; j++)
			fprintf(f, "%s%s %+.4f", j ? " + " : "",
			    p->players[j].name, p->players[j].phi);
		if (p->nplayers == 0)
			fputs("(no differing stage)", f);
		fprintf(f, " (Shapley; %zu stage runs per query, %zu without "
		    "sharing prefixes)\n", p->runs_cached, p->runs_uncached);
		for (size_t j = 0; j < p->nabl; j++) {
			const pf_attrib_ablation *ab = &p->abl[j];
			if (ab->ok)
				fprintf(f, "  ablation %s: %+.4f [95%% CI %+.4f, "
				    "%+.4f]\n", ab->what, ab->delta, ab->lo,
				    ab->hi);
			else
				fprintf(f, "  ablation %s: n/a (%s)\n", ab->what,
				    ab->why);
		}
	}
	for (size_t k = 0; a != NULL && k < a->noracle; k++) {
		const pf_attrib_oracle *o = &a->oracle[k];
		fprintf(f, "oracle %s, %s: lost %.4f = retrieval %.4f + ranking "
		    "%.4f (recall of the candidates %.4f)\n", o->stack,
		    a->metric, o->total_loss, o->retrieval_loss,
		    o->ranking_loss, o->recall_cand);
	}
}
