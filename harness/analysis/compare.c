/*
 * harness/analysis/compare.c — see compare.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/compare.h"
#include "harness/util/progress.h"
#include "harness/util/grow.h"
#include "harness/util/strtab.h"
#include "metrics/rng.h"

void
pf_comparison_free(pf_comparison *c)
{
	if (c == NULL)
		return;
	free(c->cmp);
	free(c->p_adj);
	free(c->judged);
	free(c->beats);
	free(c->segs);
	free(c);
}

uint64_t
pf_compare_stream(uint64_t seed, uint64_t a, uint64_t b)
{
	return pf_rng_u64(pf_rng_key(seed, a, b, PF_RNG_BOOT), 0, 0);
}

/* One paired comparison by metrics/stats, as the harness reads it. */
static int
paired(const pf_compare_opts *co, const double *x, const double *y,
    size_t n, size_t n_boot, uint64_t id_a, uint64_t id_b, pf_cmp *c,
    pf_err *err)
{
	pf_stats_opts o;
	pf_stats_cmp st;
	int rc;

	pf_stats_opts_init(&o);
	o.alpha = co->alpha;
	o.n_boot = n_boot;
	o.n_perm = co->n_perm;
	o.tie_tol = co->tie_tol;
	o.seed = co->seed;
	o.id_a = id_a;
	o.id_b = id_b;
	if ((rc = pf_stats_compare_paired(x, y, n, &o, &st, err)) != PF_OK)
		return rc;
	*c = (pf_cmp){st.n, st.mean_control, st.mean_treatment, st.delta,
	    st.rel, st.ci_lo, st.ci_hi, st.p_perm, st.perm_exact, st.t, st.df,
	    st.p_t, st.t_lo, st.t_hi, st.d_z, st.wins, st.losses, st.ties,
	    st.n_power_t};
	return PF_OK;
}

int
pf_compare_paired(const pf_compare_opts *o, const double *x, const double *y,
    size_t n, size_t n_boot, uint64_t id_a, uint64_t id_b, pf_cmp *out,
    pf_err *err)
{
	return paired(o, x, y, n, n_boot, id_a, id_b, out, err);
}

int
pf_dim_groups(const pf_golden *g, size_t dm, const size_t *qs, size_t n,
    size_t **mem_out, size_t **off_out, size_t *nvals)
{
	pf_strtab *vals = pf_strtab_new();
	long *id = malloc((n + 1) * sizeof(*id));
	size_t *mem = malloc((n + 1) * sizeof(*mem)), *off = NULL, nv;

	if (vals == NULL || id == NULL || mem == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		const char *v = g->dim[(qs ? qs[i] : i) * g->ndims + dm];
		if ((id[i] = pf_strtab_intern(vals, v, strlen(v))) < 0)
			goto nomem;
	}
	nv = pf_strtab_count(vals);
	if ((off = calloc(nv + 2, sizeof(*off))) == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		off[id[i] + 2]++;
	for (size_t v = 0; v < nv; v++)
		off[v + 2] += off[v + 1];
	for (size_t i = 0; i < n; i++)	/* off[v + 1] runs to v's end */
		mem[off[id[i] + 1]++] = i;
	pf_strtab_free(vals);
	free(id);
	*mem_out = mem;
	*off_out = off;
	*nvals = nv;
	return PF_OK;
nomem:
	pf_strtab_free(vals);
	free(id);
	free(mem);
	free(off);
	return PF_ENOMEM;
}

/*
 * Drill-down on the primary metric: for each dimension of queries.tsv and
 * each of its values (in order of first appearance), every treatment
 * against the control over the judged queries with that value;
 * Benjamini–Hochberg over each treatment's segments.
 */
static int
segments(const pf_measured *m, const pf_compare_opts *o, pf_comparison *a,
    pf_err *err)
{
	const pf_golden *g = m->golden;
	size_t nq = m->nq, v = (size_t)m->primary, cap = 0;
	double *x = malloc((nq + 1) * sizeof(double));
	double *y = malloc((nq + 1) * sizeof(double));
	int rc = PF_OK;

	if (x == NULL || y == NULL)
		goto nomem;
	for (size_t k = 1; k < m->nstacks; k++) {
		size_t first = a->nsegs;
		for (size_t dm = 0; dm < g->ndims; dm++) {
			size_t *mem, *off, nvals;
			if (pf_dim_groups(g, dm, NULL, nq, &mem, &off, &nvals) !=
			    PF_OK)
				goto nomem;
			for (size_t gv = 0; gv < nvals; gv++) {
				size_t q0 = mem[off[gv]], n = 0;
				const char *val = g->dim[q0 * g->ndims + dm];
				for (size_t e = off[gv]; e < off[gv + 1]; e++) {
					size_t q = mem[e];
					if (!m->judged[q])
						continue;
					x[n] = m->stacks[0].values[q * m->nv + v];
					y[n++] = m->stacks[k].values[q * m->nv + v];
				}
				pf_segment *ns = pf_grow(a->segs, &cap,
				    a->nsegs + 1, sizeof(*ns));
				if (ns == NULL) {
					free(mem);
					free(off);
					goto nomem;
				}
				a->segs = ns;
				pf_segment *sg = &a->segs[a->nsegs++];
				memset(sg, 0, sizeof(*sg));
				sg->dim = dm;
				sg->treatment = k;
				sg->value = val;
				if ((rc = paired(o, x, y, n, o->n_boot, k,
				    1000003 * (dm + 1) + q0 + 0x7365676dULL,
				    &sg->cmp, err)) != PF_OK) {
					free(mem);
					free(off);
					goto done;
				}
				sg->too_few = n < o->min_segment;
			}
			free(mem);
			free(off);
		}
		/* BH over this treatment's segments with enough queries */
		size_t nseg = a->nsegs - first;
		double *p = malloc((nseg + 1) * sizeof(double)),
		    *adj = malloc((nseg + 1) * sizeof(double));
		if (p == NULL || adj == NULL) {
			free(p);
			free(adj);
			goto nomem;
		}
		for (size_t i = 0; i < nseg; i++)
			p[i] = a->segs[first + i].too_few ? NAN :
			    a->segs[first + i].cmp.p_perm;
		pf_stats_bh(p, nseg, adj, NULL);
		const pf_cmp *all = &a->cmp[(k - 1) * m->nv + v];
		for (size_t i = 0; i < nseg; i++) {
			pf_segment *sg = &a->segs[first + i];
			sg->p_bh = adj[i];
			sg->flipped = !sg->too_few && adj[i] < o->alpha &&
			    ((sg->cmp.delta > 0) != (all->delta > 0)) &&
			    sg->cmp.delta != 0;
		}
		free(p);
		free(adj);
	}
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	free(x);
	free(y);
	return rc;
}

/*
 * The random-number key of metric v: its printed name hashed, not its
 * position, so adding or removing another metric changes no number of
 * this one (the bootstrap and permutation streams are keyed by it); and
 * trec_eval's name, so nDCG@10 draws what ndcg_cut_10 draws.
 */
uint64_t
pf_compare_metric_key(const pf_measured *m, size_t v)
{
	char name[160];
	size_t n = pf_te_value_trec_name(m->spec, v, name, sizeof(name));

	return pf_hash_bytes(name, n < sizeof(name) ? n : sizeof(name) - 1);
}

/* ranx-style markers: every pair of stacks on every metric. */
static int
pairwise(const pf_measured *m, const pf_compare_opts *o, pf_comparison *a,
    double *x, double *y, pf_err *err)
{
	size_t ns = m->nstacks, nv = m->nv, np = ns * (ns - 1) / 2 * nv, at = 0;
	double *p = calloc(np + 1, sizeof(double)),
	    *adj = malloc((np + 1) * sizeof(double)),
	    *dl = malloc((np + 1) * sizeof(double));
	int rc = PF_OK;

	if (p == NULL || adj == NULL || dl == NULL ||
	    (a->beats = calloc(ns * ns * nv + 1, 1)) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < ns; i++)
		for (size_t j = i + 1; j < ns; j++)
			for (size_t v = 0; v < nv; v++, at++) {
				size_t n = 0;
				pf_cmp c;
				for (size_t q = 0; q < m->nq; q++)
					if (m->judged[q]) {
						x[n] = m->stacks[i].values[q * nv + v];
						y[n++] = m->stacks[j].values[q * nv +
						    v];
					}
				/* only the test is needed: no bootstrap */
				if ((rc = paired(o, x, y, n, 0, 7919 * (i + 1) + j,
				    pf_compare_metric_key(m, v) ^ 0x70616972ULL, &c,
				    err)) != PF_OK)
					goto done;
				p[at] = pf_te_value_is_count(m->spec, v) ? NAN :
				    c.p_perm;
				dl[at] = c.delta;
			}
	pf_stats_holm(p, np, adj, NULL);
	at = 0;
	for (size_t i = 0; i < ns; i++)
		for (size_t j = i + 1; j < ns; j++)
			for (size_t v = 0; v < nv; v++, at++) {
				if (!(adj[at] < o->alpha))
					continue;
				if (dl[at] > 0)	/* j better than i */
					a->beats[(j * ns + i) * nv + v] = 1;
				else if (dl[at] < 0)
					a->beats[(i * ns + j) * nv + v] = 1;
			}
done:
	free(p);
	free(adj);
	free(dl);
	return rc;
}

/*
 * judged@10 of every stack, shown next to every delta: from the metrics
 * when asked for, else from the rankings themselves.
 */
static void
judged_at_10(const pf_measured *m, pf_comparison *a)
{
	long j10 = pf_te_value_index(m->spec, "judged_10");

	for (size_t k = 0; k < m->nstacks; k++) {
		const pf_stack_result *st = &m->stacks[k];
		a->judged[k] = j10 >= 0 ? st->mean[j10] : NAN;
		if (j10 >= 0 || st->doc == NULL || m->njudged == 0)
			continue;
		double sum = 0.0;
		for (size_t q = 0; q < m->nq; q++) {
			size_t c = 0;
			if (!m->judged[q])
				continue;
			for (size_t i = 0; i < st->n[q] && i < 10; i++) {
				int32_t gr = pf_golden_grade(m->golden, q,
				    pf_golden_docid(m->golden, st->doc[q][i]));
				c += gr != PF_GOLDEN_UNJUDGED && gr >= 0;
			}
			sum += (double)c / 10.0;
		}
		a->judged[k] = sum / (double)m->njudged;
	}
}

/*
 * The two families: the primary metric over the treatments is the
 * confirmatory one (Holm; the verdict reads it), every other metric is
 * exploratory (Benjamini–Hochberg q over treatments x those metrics).
 * Counts have no p.
 */
static int
adjust(const pf_measured *m, pf_comparison *a, const double *praw)
{
	size_t nt = a->nt, nv = a->nv, pv = (size_t)m->primary, ne = 0;
	double *p = malloc((nt * nv + 1) * sizeof(double));
	double *adj = malloc((nt * nv + 1) * sizeof(double));

	if (p == NULL || adj == NULL) {
		free(p);
		free(adj);
		return PF_ENOMEM;
	}
	for (size_t k = 0; k < nt; k++)
		p[k] = praw[k * nv + pv];
	pf_stats_holm(p, nt, adj, NULL);
	for (size_t k = 0; k < nt; k++)
		a->p_adj[k * nv + pv] = adj[k];
	for (size_t k = 0; k < nt; k++)
		for (size_t v = 0; v < nv; v++)
			if (v != pv)
				p[ne++] = praw[k * nv + v];
	pf_stats_bh(p, ne, adj, NULL);
	ne = 0;
	for (size_t k = 0; k < nt; k++)
		for (size_t v = 0; v < nv; v++)
			if (v != pv)
				a->p_adj[k * nv + v] = adj[ne++];
	a->nfamily = nt;
	a->nexplore = 0;
	for (size_t i = 0; i < ne; i++)
		a->nexplore += isfinite(p[i]);
	free(p);
	free(adj);
	return PF_OK;
}

/* Every treatment against the control on every value. */
static int
against_control(const pf_measured *m, const pf_compare_opts *o,
    pf_comparison *a, double *x, double *y, double *praw, pf_err *err)
{
	pf_progress pg = {0};
	int rc;

	/* each a bootstrap and a randomization test: the long part */
	pf_progress_start(&pg, o->progress, "bootstrap and permutations",
	    "comparisons", m->nv * (m->nstacks - 1));
	for (size_t v = 0; v < m->nv; v++) {
		uint64_t key = pf_compare_metric_key(m, v);
		for (size_t k = 1; k < m->nstacks; k++) {
			size_t j = 0;
			for (size_t q = 0; q < m->nq; q++)
				if (m->judged[q]) {
					x[j] = m->stacks[0].values[q * m->nv + v];
					y[j++] = m->stacks[k].values[q * m->nv +
					    v];
				}
			pf_cmp *c = &a->cmp[(k - 1) * m->nv + v];
			/* keyed by (seed, stack, metric name) */
			if ((rc = paired(o, x, y, j, o->n_boot, k, key, c,
			    err)) != PF_OK) {
				pf_progress_end(&pg);
				return rc;
			}
			praw[(k - 1) * m->nv + v] =
			    pf_te_value_is_count(m->spec, v) ? NAN : c->p_perm;
			pf_progress_step(&pg, 1);
		}
	}
	pf_progress_end(&pg);
	if (m->primary < 0)
		return PF_OK;
	if (adjust(m, a, praw) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	return PF_OK;
}

int
pf_compare_run(pf_comparison **out, const pf_measured *m,
    const pf_compare_opts *o, pf_err *err)
{
	pf_comparison *a = calloc(1, sizeof(*a));
	double *x = NULL, *y = NULL, *praw = NULL;
	int rc = PF_OK;

	*out = NULL;
	if (a == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	a->nt = m->nstacks - 1;
	a->nv = m->nv;
	size_t nf = a->nt * a->nv;
	if ((a->cmp = calloc(nf + 1, sizeof(*a->cmp))) == NULL ||
	    (a->p_adj = calloc(nf + 1, sizeof(double))) == NULL ||
	    (a->judged = calloc(m->nstacks + 1, sizeof(double))) == NULL ||
	    (praw = calloc(nf + 1, sizeof(double))) == NULL ||
	    (x = malloc((m->njudged + 1) * sizeof(double))) == NULL ||
	    (y = malloc((m->njudged + 1) * sizeof(double))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	if ((rc = against_control(m, o, a, x, y, praw, err)) != PF_OK ||
	    (m->nstacks >= 3 && (rc = pairwise(m, o, a, x, y, err)) != PF_OK))
		goto done;
	judged_at_10(m, a);
	if (m->primary >= 0 && (rc = segments(m, o, a, err)) != PF_OK)
		goto done;
	snprintf(a->method, sizeof(a->method), "Queries are the unit (%zu "
	    "with judgments). Deltas are treatment minus control. 95%% CI: "
	    "query bootstrap, %zu resamples, percentile. p: sign-flip "
	    "randomization test, %zu permutations with the +1 correction "
	    "(exact enumeration up to 20 queries); paired t-test alongside. "
	    "Confirmatory family: the primary metric, Holm over its %zu "
	    "comparison%s (one per treatment); it decides the verdict. The "
	    "other metrics are exploratory: Benjamini-Hochberg q over their "
	    "%zu comparisons. Ties: |delta| <= %g. Power: paired t, 80%%, "
	    "two-sided alpha %.3g. Random numbers: counter-based, keyed by "
	    "(seed %llu, stack, metric name), so results do not depend on the "
	    "thread count or on which other metrics are measured.",
	    m->njudged, o->n_boot, o->n_perm, a->nfamily, a->nfamily == 1 ?
	    "" : "s", a->nexplore, o->tie_tol, o->alpha,
	    (unsigned long long)o->seed);
done:
	free(x);
	free(y);
	free(praw);
	if (rc != PF_OK)
		pf_comparison_free(a);
	else
		*out = a;
	return rc;
}
