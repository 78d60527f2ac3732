/*
 * harness/analysis/attrib_cfgs.c — the hybrids of one treatment (attrib.h):
 * every configuration of control and treatment stages, checked, sorted by
 * their choices so that configurations sharing a prefix run it once, and
 * replayed over the judged queries by a walk of that prefix tree.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/attrib.h"
#include "harness/analysis/attrib_internal.h"
#include "harness/util/progress.h"

/* ---- configurations and the prefix walk ------------------------------ */


/* Sorts ord by the choice vectors, stable (at most 2^5 + 32 of them). */
static void
sort_cfgs(cfgs *cf)
{
	size_t w = cf->nslots;

	cf->nord = 0;
	for (size_t i = 0; i < cf->ncfg; i++)
		if (!cf->skip[i])
			cf->ord[cf->nord++] = i;
	for (size_t i = 1; i < cf->nord; i++)
		for (size_t j = i; j > 0 && memcmp(cf->ch + cf->ord[j - 1] * w,
		    cf->ch + cf->ord[j] * w, w) > 0; j--) {
			size_t t = cf->ord[j];
			cf->ord[j] = cf->ord[j - 1];
			cf->ord[j - 1] = t;
		}
}

/* CH_TRT for a same slot is the control's stage; a missing stage is none. */
static unsigned char
norm(const pf_attrib_slot *s, unsigned char c)
{
	if (c == CH_TRT && s->player < 0)
		c = CH_CTL;
	if ((c == CH_CTL && s->ctl < 0) || (c == CH_TRT && s->trt < 0))
		c = CH_NONE;
	return c;
}

/* 1 when the configuration has exactly one retrieval stage, first. */
static int
cfg_valid(const pf_replay *r, size_t k, const pf_attrib_pair *p,
    const unsigned char *ch)
{
	size_t nst = 0;

	for (size_t j = 0; j < p->nslots; j++) {
		if (ch[j] == CH_NONE)
			continue;
		const pf_stage_ops *ops = ch[j] == CH_CTL ?
		    r->ops[0][p->slots[j].ctl] : r->ops[k][p->slots[j].trt];
		if ((nst++ == 0) != ((ops->flags & PF_STAGE_RETRIEVES) != 0))
			return 0;
	}
	return nst > 0;
}

typedef struct walker {
	const pf_replay		*r;
	size_t			 k, m, qi;
	const pf_attrib_pair	*p;
	const cfgs		*cf;
	const pf_query		*q;
	pf_cands		*buf;		/* nslots + 1 */
	pf_arena		*a;
	double			*vals;		/* nv */
	double			*out;		/* ncfg */
	unsigned char		*bad;		/* ncfg */
	pf_err			*cfg_err;	/* ncfg: this query's failures */
} walker;

static int
copy_cands(pf_cands *dst, const pf_cands *src)
{
	if (pf_cands_reserve(dst, src->n ? src->n : 1) != PF_OK)
		return PF_ENOMEM;
	if (src->n > 0) {	/* an empty list may have no arrays yet */
		memcpy(dst->doc, src->doc, src->n * sizeof(*dst->doc));
		memcpy(dst->row, src->row, src->n * sizeof(*dst->row));
		memcpy(dst->score, src->score, src->n * sizeof(*dst->score));
	}
	dst->n = src->n;
	dst->feats = src->feats;
	return PF_OK;
}

/* The configurations ord[lo..hi) share slots 0..j-1, whose list is buf[j]. */
static int
walk(walker *w, size_t lo, size_t hi, size_t j, pf_err *err)
{
	const cfgs *cf = w->cf;
	int rc;

	if (j == cf->nslots) {
		if ((rc = pf_replay_measure(w->r, w->qi, &w->buf[j], w->a,
		    w->vals, err)) != PF_OK)
			return rc;
		for (size_t i = lo; i < hi; i++)
			w->out[cf->ord[i]] = w->vals[w->m];
		return PF_OK;
	}
	for (size_t i = lo, e; i < hi; i = e) {
		unsigned char c = cf->ch[cf->ord[i] * cf->nslots + j];
		for (e = i; e < hi && cf->ch[cf->ord[e] * cf->nslots + j] == c;)
			e++;
		if (copy_cands(&w->buf[j + 1], &w->buf[j]) != PF_OK)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		if (c != CH_NONE) {
			const pf_attrib_slot *s = &w->p->slots[j];
			pf_err e1 = {0};
			rc = c == CH_CTL ? pf_replay_step(w->r, 0, (size_t)s->ctl,
			    w->q, &w->buf[j + 1], w->a, &e1) : pf_replay_step(
			    w->r, w->k, (size_t)s->trt, w->q, &w->buf[j + 1],
			    w->a, &e1);
			if (rc == PF_ENOMEM)
				return pf_err_set(err, rc, NULL, 0,
				    "out of memory");
			if (rc != PF_OK) {
				for (size_t x = i; x < e; x++) {
					w->bad[cf->ord[x]] = 1;
					pf_err_copy(&w->cfg_err[cf->ord[x]], &e1);
				}
				continue;
			}
		}
		if ((rc = walk(w, i, e, j + 1, err)) != PF_OK)
			return rc;
	}
	return PF_OK;
}

/* Stage executions of all configurations: distinct prefixes, and naive. */
static void
count_runs(pf_attrib_pair *p, const cfgs *cf)
{
	p->runs_cached = p->runs_uncached = 0;
	for (size_t i = 0; i < cf->nord; i++) {
		const unsigned char *x = cf->ch + cf->ord[i] * cf->nslots;
		const unsigned char *y = i ? cf->ch + cf->ord[i - 1] *
		    cf->nslots : NULL;
		int same = y != NULL;
		for (size_t j = 0; j < cf->nslots; j++) {
			same = same && x[j] == y[j];
			if (x[j] == CH_NONE)
				continue;
			p->runs_uncached++;
			p->runs_cached += !same;
		}
	}
}

/* ---- one treatment ---------------------------------------------------- */

int
pf_attrib__build_cfgs(cfgs *cf, const pf_replay *r, size_t k, pf_attrib_pair *p,
    pf_err *err)
{
	const pf_scenario *s = r->scn;
	size_t ns = p->nslots, nshap = (size_t)1 << p->nplayers, nabl = 0;

	for (size_t j = 0; j < ns; j++)
		nabl += p->slots[j].trt >= 0;
	cf->nslots = ns;
	cf->nshap = nshap;
	cf->ncfg = nshap + nabl;
	if ((cf->ch = calloc(cf->ncfg * ns + 1, 1)) == NULL ||
	    (cf->skip = calloc(cf->ncfg + 1, 1)) == NULL ||
	    (cf->ord = calloc(cf->ncfg + 1, sizeof(size_t))) == NULL ||
	    (p->abl = calloc(nabl + 1, sizeof(*p->abl))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t mask = 0; mask < nshap; mask++) {
		unsigned char *ch = cf->ch + mask * ns;
		for (size_t j = 0; j < ns; j++) {
			const pf_attrib_slot *sl = &p->slots[j];
			ch[j] = norm(sl, sl->player >= 0 &&
			    (mask >> sl->player & 1) ? CH_TRT : CH_CTL);
		}
		if (!cfg_valid(r, k, p, ch))
			return pf_err_set(err, PF_EDATA, s->path,
			    s->imp_stages_line, "cannot attribute stack '%s' "
			    "to stages: a hybrid of it and the control would "
			    "not start with exactly one retrieval stage",
			    s->stacks[k].id);
	}
	/* ablations: the full treatment, one slot changed */
	for (size_t j = 0, a = 0; j < ns; j++) {
		const pf_attrib_slot *sl = &p->slots[j];
		if (sl->trt < 0)
			continue;
		unsigned char *ch = cf->ch + (nshap + a) * ns;
		pf_attrib_ablation *ab = &p->abl[a++];
		memcpy(ch, cf->ch + (nshap - 1) * ns, ns);
		ch[j] = sl->player >= 0 ? norm(sl, CH_CTL) : CH_NONE;
		if (ch[j] == CH_NONE)
			snprintf(ab->what, sizeof(ab->what), "remove %s "
			    "(stage %ld)", sl->treatment, sl->trt + 1);
		else
			snprintf(ab->what, sizeof(ab->what), "%s (stage %ld) "
			    "-> the control's %s", sl->treatment, sl->trt + 1,
			    sl->control);
		ab->ok = cfg_valid(r, k, p, ch);
		cf->skip[nshap + a - 1] = !ab->ok;
		if (!ab->ok)
			snprintf(ab->why, sizeof(ab->why), "a stack starts "
			    "with its one retrieval stage");
	}
	p->nabl = nabl;
	sort_cfgs(cf);
	count_runs(p, cf);
	return PF_OK;
}

/* Replays every configuration for every judged query into val (nj x ncfg). */
int
pf_attrib__replay_cfgs(const pf_replay *r, size_t k, size_t m, const pf_attrib_pair *p,
    const cfgs *cf, const size_t *jq, size_t xa, size_t xb, double *val,
    unsigned char *failed, size_t *fail_q, pf_err *fail_err, pf_err *err)
{
	size_t err_q = (size_t)-1, ncfg = cf->ncfg;
	pf_err first = {0};
	pf_progress pg = {0};
	char what[96];

	snprintf(what, sizeof(what), "stage attribution of %s",
	    r->m.stacks[k].id);
	pf_progress_start(&pg, r->progress, what, "queries", xb - xa);
	for (size_t i = 0; i < ncfg; i++)
		fail_q[i] = (size_t)-1;
#pragma omp parallel
	{
		pf_cands *buf = calloc(cf->nslots + 1, sizeof(*buf));
		pf_arena *a = pf_arena_new(1 << 16);
		double *vals = malloc((r->m.nv + 1) * sizeof(double));
		unsigned char *bad = malloc(ncfg + 1);
		pf_err *ce = malloc((ncfg + 1) * sizeof(*ce)), e = {0};

#pragma omp for schedule(dynamic, 1)
		for (size_t x = xa; x < xb; x++) {
			size_t qi = jq[x];
			const pf_golden *g = r->golden;
			pf_query q = {qi, g->qid[qi], g->text ? g->text[qi] :
			    NULL};
			int rc = PF_ENOMEM;
			if (buf != NULL && a != NULL && vals != NULL &&
			    bad != NULL && ce != NULL) {
				walker w = {r, k, m, qi, p, cf, &q, buf, a, vals,
				    val + x * ncfg, bad, ce};
				pf_arena_reset(a);
				memset(bad, 0, ncfg);
				buf[0].n = 0;
				memset(&buf[0].feats, 0, sizeof(buf[0].feats));
				rc = walk(&w, 0, cf->nord, 0, &e);
			} else
				pf_err_set(&e, PF_ENOMEM, NULL, 0,
				    "out of memory");
			if (rc != PF_OK) {
#pragma omp critical(pf_attrib_err)
				if (x < err_q) {
					err_q = x;
					pf_err_copy(&first, &e);
				}
			} else
				for (size_t i = 0; i < ncfg; i++) {
					if (!bad[i])
						continue;
					val[x * ncfg + i] = NAN;
#pragma omp critical(pf_attrib_err)
					if (x < fail_q[i]) {
						fail_q[i] = x;
						failed[i] = 1;
						pf_err_copy(&fail_err[i], &ce[i]);
					}
				}
			pf_progress_step(&pg, 1);
		}
		for (size_t j = 0; buf != NULL && j <= cf->nslots; j++)
			pf_cands_free(&buf[j]);
		free(buf);
		free(vals);
		free(bad);
		free(ce);
		pf_arena_free(a);
	}
	pf_progress_end(&pg);
	if (err_q != (size_t)-1) {
		pf_err_copy(err, &first);
		return first.code ? first.code : PF_ESTAGE;
	}
	return PF_OK;
}
