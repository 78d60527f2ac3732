/*
 * harness/analysis/importance_run.c — every <features> of a run: the analyses, the
 * max-share gates and the table on stdout (importance.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/importance_internal.h"

void
pf_imp_all_free(pf_imp_all *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++)
		pf_rep_importance_free(a->m[i]);
	free(a->m);
	pf_gate_list_clear(&a->gates);
	free(a);
}

/* "no single feature carries more than X of the total importance" */
static int
add_gate(pf_imp_all *a, const pf_replay *r, const pf_rep_importance *m,
    size_t i)
{
	char *id;
	size_t at;
	double top = pf_rep_importance_top_share(m, &at);
	pf_gate_result *g = pf_gate_add(&a->gates);

	if (g == NULL)
		return PF_ENOMEM;
	id = g->id;
	snprintf(id, sizeof(g->id), i ? "importance-max-share-%zu" :
	    "importance-max-share", i + 1);
	g->line = m->line;
	for (size_t k = 0; k < r->m.nstacks; k++)	/* the stack judged */
		if (strcmp(r->m.stacks[k].id, m->stack) == 0)
			g->stack = k;
	g->status = top > m->max_share ? PF_GATE_FAIL : PF_GATE_PASS;
	snprintf(g->name, sizeof(g->name), "%s: no single feature of stack "
	    "'%s', stage %zu carries more than %.0f%% of the importance", id,
	    m->stack, m->stage_pos, 100.0 * m->max_share);
	if (m->nitems == 0 || top <= 0.0)
		snprintf(g->message, sizeof(g->message), "no feature has a "
		    "positive importance on %s", m->metric);
	else
		snprintf(g->message, sizeof(g->message), "%s carries %.1f%% of "
		    "the summed positive importance on %s (limit %.0f%%)",
		    m->items[at].name, 100.0 * top, m->metric,
		    100.0 * m->max_share);
	return PF_OK;
}

int
pf_importance_all(pf_imp_all **out, const pf_replay *r, pf_err *err)
{
	const pf_scenario *s = r->scn;
	pf_imp_all *a;
	int rc;

	*out = NULL;
	if (s->nfimp == 0)
		return PF_OK;
	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->m = calloc(s->nfimp, sizeof(*a->m))) == NULL) {
		pf_imp_all_free(a);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t i = 0; i < s->nfimp; i++) {
		const pf_imp_given *g = r->imp_given;
		pf_imp_opts o;
		pf_imp_opts_init(&o);
		if (g != NULL && i < g->n)	/* gathered from the shares */
			o.in = &g->p[i];
		if ((rc = pf_importance_run(&a->m[i], r, &s->fimp[i], &o,
		    err)) != PF_OK) {
			pf_imp_all_free(a);
			return rc;
		}
		a->n++;
		if (a->m[i]->has_max_share && add_gate(a, r, a->m[i], i) !=
		    PF_OK) {
			pf_imp_all_free(a);
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		}
	}
	*out = a;
	return PF_OK;
}

int
pf_importance_share(const pf_replay *r, size_t q0, size_t q1,
    const pf_imp_summary *sum, pf_imp_given *out, pf_err *err)
{
	const pf_scenario *s = r->scn;
	pf_rep_importance *m = NULL;
	int rc = PF_OK;

	memset(out, 0, sizeof(*out));
	if (s->nfimp == 0)
		return PF_OK;
	if ((out->p = calloc(s->nfimp, sizeof(*out->p))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	out->n = s->nfimp;
	for (size_t i = 0; i < s->nfimp && rc == PF_OK; i++) {
		pf_imp_opts o;
		pf_imp_opts_init(&o);
		o.q0 = q0;
		o.q1 = q1;
		o.sum = sum != NULL ? &sum[i] : NULL;
		o.out = &out->p[i];
		if (q1 > q0)	/* an empty share has nothing to run */
			rc = pf_importance_run(&m, r, &s->fimp[i], &o, err);
	}
	return rc;
}

int
pf_importance_summarize(const pf_replay *r, size_t q0, size_t q1,
    pf_imp_summary *out, pf_err *err)
{
	const pf_scenario *s = r->scn;
	int rc = PF_OK;

	for (size_t i = 0; i < s->nfimp && rc == PF_OK; i++) {
		pf_imp_ctx x = {0};
		const char *m = s->fimp[i].method;
		x.cq0 = q0;
		x.cq1 = q1;
		x.cranged = 1;
		if ((rc = pf_imp__resolve(&x, r, &s->fimp[i], err)) == PF_OK) {
			x.no64 = pf_imp_stage_xgb(&x);
			if ((rc = pf_imp_capture(&x, err)) == PF_OK &&
			    pf_imp__summary(&x, q0, q1, m != NULL &&
			    strcmp(m, "mean") == 0, &out[i]) != PF_OK)
				rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
				    "out of memory");
		}
		pf_imp_ctx_free(&x);
	}
	return rc;
}

void
pf_importance_print(const pf_imp_all *a, FILE *f)
{
	for (size_t i = 0; a != NULL && i < a->n; i++) {
		const pf_rep_importance *m = a->m[i];
		size_t *ord = malloc((m->nitems + 1) * sizeof(*ord));
		if (ord == NULL)
			return;
		pf_rep_importance_order(m, ord);
		fprintf(f, "\nfeature importance: stack %s, stage %zu (%s), %s "
		    "%.4f intact; %s%s x%zu over %zu queries\n", m->stack,
		    m->stage_pos, m->stage, m->metric, m->baseline, m->method,
		    strcmp(m->method, "permute") == 0 ? " within queries" : "",
		    m->nrep, m->nq);
		size_t show = m->nitems < m->top ? m->nitems : m->top;
		int w = 16;	/* names ("bm25_title_body (3)") widen it */
		for (size_t j = 0; j < show; j++) {
			size_t l = strlen(m->items[ord[j]].name);
			if (l > (size_t)w)
				w = l < 48 ? (int)l : 48;
		}
		for (size_t j = 0; j < show; j++) {
			const pf_rep_imp_item *it = &m->items[ord[j]];
			fprintf(f, "  %-*s %+.4f  95%% CI [%+.4f, %+.4f]  "
			    "%5.1f%%%s%s\n", w, it->name, it->mean, it->lo, it->hi,
			    100.0 * it->share, it->query_level ?
			    "  query-level: permuted across queries" : "",
			    it->lo <= 0.0 && it->hi >= 0.0 ? "  (CI has 0)" :
			    "");
		}
		if (show < m->nitems)
			fprintf(f, "  ... %zu more\n", m->nitems - show);
		free(ord);
	}
}
