/*
 * harness/analysis/attrib.c — see attrib.h: the summaries and the modes
 * (all, plan only, a share, from the shares). The hybrids and their
 * prefix-shared replay are in attrib_cfgs.c, the alignment in
 * attrib_align.c, the oracle split in attrib_oracle.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/attrib.h"
#include "harness/analysis/attrib_internal.h"
#include "metrics/shapley.h"
#include "metrics/stats.h"

void
pf_attrib_free(pf_attrib *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->npairs; i++) {
		free(a->pairs[i].slots);
		free(a->pairs[i].players);
		free(a->pairs[i].coalition);
		free(a->pairs[i].interaction);
		free(a->pairs[i].abl);
	}
	free(a->pairs);
	free(a->oracle);
	free(a);
}

static double
mean_of(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return n ? s / (double)n : NAN;
}

/* Means, Shapley values, CIs from the per-query values val (nj x ncfg). */
static int
summarize(pf_attrib_pair *p, const pf_replay *r, size_t k, size_t m,
    const cfgs *cf, const size_t *jq, size_t nj, const double *val,
    const unsigned char *failed, const pf_err *fail_err, pf_err *err)
{
	const pf_scenario *s = r->scn;
	size_t n = p->nplayers, nshap = cf->nshap, ncfg = cf->ncfg;
	pf_key key = pf_rng_key(s->seed, k, 0, PF_ATTRIB_RNG);
	double *phi_q = NULL, *x = NULL;
	int rc = PF_ENOMEM;

	for (size_t i = 0; i < nshap; i++)
		if (failed[i])
			return pf_err_set(err, PF_EDATA, s->path,
			    s->imp_stages_line, "cannot attribute stack '%s' to "
			    "stages: a hybrid of it and the control fails: %s",
			    s->stacks[k].id, fail_err[i].msg);
	/* the two ends are the stacks themselves */
	for (size_t i = 0; i < nj; i++) {
		const double *row = val + i * ncfg;
		size_t q = jq[i];
		if (row[0] != r->m.stacks[0].values[q * r->m.nv + m] ||
		    row[nshap - 1] != r->m.stacks[k].values[q * r->m.nv + m])
			return pf_err_set(err, PF_ESTAGE, s->path,
			    s->imp_stages_line, "stage attribution: query '%s' "
			    "gave %.17g and %.17g replayed again, %.17g and "
			    "%.17g before: a stage is not deterministic",
			    r->golden->qid[q], row[0], row[nshap - 1],
			    r->m.stacks[0].values[q * r->m.nv + m],
			    r->m.stacks[k].values[q * r->m.nv + m]);
	}
	if ((p->coalition = calloc(nshap, sizeof(double))) == NULL ||
	    (p->interaction = calloc(n * n + 1, sizeof(double))) == NULL ||
	    (phi_q = malloc((nj * n + 1) * sizeof(double))) == NULL ||
	    (x = malloc((nj + 1) * sizeof(double))) == NULL)
		goto nomem;
	for (size_t c = 0; c < nshap; c++) {
		for (size_t i = 0; i < nj; i++)
			x[i] = val[i * ncfg + c];
		p->coalition[c] = mean_of(x, nj);
	}
	p->v_control = p->coalition[0];
	p->v_treatment = p->coalition[nshap - 1];
	for (size_t i = 0; i < nj; i++)
		x[i] = val[i * ncfg + nshap - 1] - val[i * ncfg];
	p->delta = mean_of(x, nj);
	if (pf_attrib__ci(x, nj, key, s->n_boot, s->alpha, &p->lo, &p->hi) !=
	    PF_OK)
		goto nomem;
	if (n > 0) {
		for (size_t i = 0; i < nj; i++)
			pf_shapley_values(val + i * ncfg, n, phi_q + i * n);
		pf_shapley_interactions(p->coalition, n, p->interaction);
	}
	for (size_t pl = 0; pl < n; pl++) {
		pf_attrib_player *P = &p->players[pl];
		size_t bit = (size_t)1 << pl;
		for (size_t i = 0; i < nj; i++)
			x[i] = phi_q[i * n + pl];
		P->phi = mean_of(x, nj);
		if (pf_attrib__ci(x, nj, key, s->n_boot, s->alpha, &P->lo,
		    &P->hi) != PF_OK)
			goto nomem;
		P->swap_in = p->coalition[bit] - p->coalition[0];
		P->leave_out = p->coalition[nshap - 1] -
		    p->coalition[(nshap - 1) & ~bit];
	}
	for (size_t a = 0; a < p->nabl; a++) {
		pf_attrib_ablation *ab = &p->abl[a];
		size_t c = nshap + a;
		if (ab->ok && failed[c]) {
			ab->ok = 0;
			/* why is shorter than an error message: cut it. */
			snprintf(ab->why, sizeof(ab->why), "%.*s",
			    (int)sizeof(ab->why) - 1, fail_err[c].msg);
		}
		if (!ab->ok) {
			ab->value = ab->delta = ab->lo = ab->hi = NAN;
			continue;
		}
		for (size_t i = 0; i < nj; i++)
			x[i] = val[i * ncfg + c];
		ab->value = mean_of(x, nj);
		for (size_t i = 0; i < nj; i++)
			x[i] = val[i * ncfg + c] - val[i * ncfg + nshap - 1];
		ab->delta = mean_of(x, nj);
		if (pf_attrib__ci(x, nj, key, s->n_boot, s->alpha, &ab->lo,
		    &ab->hi) != PF_OK)
			goto nomem;
	}
	rc = PF_OK;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	free(phi_q);
	free(x);
	return rc;
}

/* How run() runs: all, plan only, a share into out, or from given. */
typedef struct amode {
	int			 plan_only;
	size_t			 q0, q1;	/* a share: [q0, q1) */
	pf_attrib_given		*out;
	const pf_attrib_given	*in;
} amode;

/* Judged query indexes x of jq that fall in [q0, q1): [*xa, *xb). */
static void
x_range(const size_t *jq, size_t nj, size_t q0, size_t q1, size_t *xa,
    size_t *xb)
{
	for (*xa = 0; *xa < nj && jq[*xa] < q0; (*xa)++)
		;
	for (*xb = *xa; *xb < nj && jq[*xb] < q1; (*xb)++)
		;
}

/* Pair ip's values from the merged shares: PF_OK or PF_EDATA. */
static int
from_shares(const amode *md, size_t ip, const cfgs *cf, size_t nj,
    double *val, unsigned char *failed, pf_err *fail_err, pf_err *err)
{
	const pf_attrib_share *sh = ip < md->in->n ? &md->in->p[ip] : NULL;

	if (sh == NULL || sh->ncfg != cf->ncfg || sh->nj != nj)
		return pf_err_set(err, PF_EDATA, NULL, 0, "stage attribution: "
		    "the parts' configurations are not this scenario's");
	memcpy(val, sh->val, nj * cf->ncfg * sizeof(double));
	for (size_t i = 0; i < cf->ncfg; i++) {
		failed[i] = sh->fail_x[i] != SIZE_MAX;
		fail_err[i] = sh->fail_err[i];
	}
	return PF_OK;
}

static int
attribute(pf_attrib_pair *p, const pf_replay *r, size_t k, size_t m,
    const size_t *jq, size_t nj, const amode *md, size_t ip, pf_err *err)
{
	const pf_scenario *s = r->scn;
	cfgs cf = {0};
	double *val = NULL;
	unsigned char *failed = NULL;
	size_t *fail_q = NULL, xa = 0, xb = nj;
	pf_err *fail_err = NULL;
	int rc, plan_only = md->plan_only;

	p->control = s->stacks[0].id;
	p->treatment = s->stacks[k].id;
	if ((rc = pf_attrib__align(p, &s->stacks[0], &s->stacks[k])) == -1)
		return pf_err_set(err, PF_EDATA, s->path, s->imp_stages_line,
		    "cannot align stack '%s' with the control: more than %d "
		    "stages in the two", s->stacks[k].id, MAXSLOTS);
	if (rc == 0 && (rc = pf_attrib__players(p, r, k)) == -1)
		return pf_err_set(err, PF_EDATA, s->path, s->imp_stages_line,
		    "stack '%s' differs from the control in %zu stage slots "
		    "(after joining feature stages to their scorers); exact "
		    "Shapley attribution takes at most %d: name a treatment "
		    "closer to the control in <stages stack=\"...\"/>",
		    s->stacks[k].id, p->nplayers, MAXPLAYERS);
	if (rc != 0)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((rc = pf_attrib__build_cfgs(&cf, r, k, p, err)) != PF_OK || plan_only)
		goto done;
	if ((val = calloc(nj * cf.ncfg + 1, sizeof(double))) == NULL ||
	    (failed = calloc(cf.ncfg + 1, 1)) == NULL ||
	    (fail_q = malloc((cf.ncfg + 1) * sizeof(size_t))) == NULL ||
	    (fail_err = calloc(cf.ncfg + 1, sizeof(*fail_err))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < cf.ncfg; i++)
		fail_q[i] = SIZE_MAX;
	if (md->out != NULL)
		x_range(jq, nj, md->q0, md->q1, &xa, &xb);
	if (md->in != NULL)
		rc = from_shares(md, ip, &cf, nj, val, failed, fail_err, err);
	else
		rc = pf_attrib__replay_cfgs(r, k, m, p, &cf, jq, xa, xb, val, failed,
		    fail_q, fail_err, err);
	if (rc != PF_OK)
		goto done;
	if (md->out != NULL) {	/* a share: kept, not summarised */
		md->out->p[ip] = (pf_attrib_share){cf.ncfg, nj, val, fail_q,
		    fail_err};
		val = NULL;
		fail_q = NULL;
		fail_err = NULL;
		goto done;
	}
	rc = summarize(p, r, k, m, &cf, jq, nj, val, failed, fail_err, err);
done:
	free(fail_q);
	free(cf.ch);
	free(cf.skip);
	free(cf.ord);
	free(val);
	free(failed);
	free(fail_err);
	return rc;
}

/* plan_only: align and check the hybrids, replay nothing (--check). */
static int
run(pf_attrib **out, const pf_replay *r, const amode *md, pf_err *err)
{
	const pf_scenario *s = r->scn;
	pf_attrib *a = NULL;
	size_t *jq = NULL, nj = 0;
	int rc, plan_only = md->plan_only;

	*out = NULL;
	if (!s->imp_stages && !s->imp_oracle)
		return PF_OK;
	const char *metric = s->imp_metric ? s->imp_metric : s->primary;
	long m = pf_te_value_index(r->m.spec, metric);
	if (m < 0)
		return pf_err_set(err, PF_EDATA, s->path, s->imp_line,
		    "importance metric '%s' is not among the scenario's metric "
		    "values", metric);
	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (jq = malloc((r->m.nq + 1) * sizeof(size_t))) == NULL)
		goto nomem;
	for (size_t q = 0; q < r->m.nq; q++)
		if (r->m.judged[q])
			jq[nj++] = q;
	a->metric = metric;
	a->nq = nj;
	a->n_boot = s->n_boot;
	a->alpha = s->alpha;
	if (s->imp_stages) {
		size_t k0 = 1, k1 = s->nstacks;
		if (s->imp_stages_stack != NULL) {
			for (k0 = 1; k0 < s->nstacks && strcmp(s->stacks[k0].id,
			    s->imp_stages_stack) != 0; k0++)
				;
			if (k0 == s->nstacks) {
				rc = pf_err_set(err, PF_EDATA, s->path,
				    s->imp_stages_line, "<stages stack=\"%s\"/> "
				    "names no treatment stack",
				    s->imp_stages_stack);
				goto done;
			}
			k1 = k0 + 1;
		}
		if (k1 > k0 && (a->pairs = calloc(k1 - k0, sizeof(*a->pairs))) ==
		    NULL)
			goto nomem;
		if (md->out != NULL && k1 > k0 && (md->out->p = calloc(k1 - k0,
		    sizeof(*md->out->p))) == NULL)
			goto nomem;
		for (size_t k = k0; k < k1; k++) {
			if (md->out != NULL)
				md->out->n++;
			if ((rc = attribute(&a->pairs[a->npairs++], r, k,
			    (size_t)m, jq, nj, md, k - k0, err)) != PF_OK)
				goto done;
		}
	}
	if (s->imp_oracle && !plan_only) {
		size_t xa = 0, xb = nj;
		if (md->out != NULL)
			x_range(jq, nj, md->q0, md->q1, &xa, &xb);
		if ((rc = pf_attrib__oracle(a, r, (size_t)m, jq, nj, xa, xb,
		    md->in, md->out, err)) != PF_OK)
			goto done;
	}
	if (md->out != NULL) {	/* a share: kept, not summarised */
		rc = PF_OK;
		goto done;
	}
	*out = a;
	a = NULL;
	rc = PF_OK;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	pf_attrib_free(a);
	free(jq);
	return rc;
}

int
pf_attrib_run(pf_attrib **out, const pf_replay *r, pf_err *err)
{
	amode md = {.in = r->attrib_given};

	return run(out, r, &md, err);
}

int
pf_attrib_share_run(const pf_replay *r, size_t q0, size_t q1,
    pf_attrib_given *out, pf_err *err)
{
	amode md = {.q0 = q0, .q1 = q1, .out = out};
	pf_attrib *a = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = run(&a, r, &md, err);
	pf_attrib_free(a);
	return rc;
}

void
pf_attrib_given_clear(pf_attrib_given *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->p[i].val);
		free(g->p[i].fail_x);
		free(g->p[i].fail_err);
	}
	free(g->p);
	free(g->oracle);
	memset(g, 0, sizeof(*g));
}

int
pf_attrib_check(const pf_replay *r, pf_err *err)
{
	amode md = {.plan_only = 1};
	pf_attrib *a = NULL;
	int rc = run(&a, r, &md, err);

	pf_attrib_free(a);
	return rc;
}
