/*
 * harness/engine/replay.c — see replay.h.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/util/arena.h"
#include "harness/util/progress.h"
#include "harness/engine/replay.h"
#include "harness/util/strtab.h"

void
pf_replay_free(pf_replay *r)
{
	if (r == NULL)
		return;
	for (size_t k = 0; k < r->m.nstacks; k++) {
		for (size_t q = 0; r->row != NULL && r->row[k] != NULL &&
		    q < r->m.nq; q++)
			free(r->row[k][q]);
		for (size_t q = 0; r->feats != NULL && r->feats[k] != NULL &&
		    q < r->m.nq; q++) {
			free((void *)r->feats[k][q].x32);
			free((void *)r->feats[k][q].x64);
		}
		if (r->row != NULL)
			free(r->row[k]);
		if (r->feats != NULL)
			free(r->feats[k]);
		if (r->ops != NULL && r->ops[k] != NULL)
			for (size_t i = 0; i < r->scn->stacks[k].nstages; i++)
				if (r->ops[k][i] != NULL && r->state[k][i])
					r->ops[k][i]->close(r->state[k][i]);
		if (r->ops != NULL)
			free(r->ops[k]);
		if (r->state != NULL)
			free(r->state[k]);
	}
	free(r->ops);
	free(r->state);
	free(r->row);
	free(r->feats);
	free(r->qgrades);
	free(r->qoff);
	pf_measured_clear(&r->m);
	free(r);
}

/*
 * A model's feature names against the names of the features it reads
 * (README "Feature names"): the last stage before it that provides
 * features (a retrieval or feature stage) names them; disagreements are
 * one warning, before any query runs.
 */
static void
warn_names(pf_replay *r, size_t k)
{
	const pf_scn_stack *st = &r->scn->stacks[k];
	const pf_fnames *names = NULL;

	for (size_t i = 0; i < st->nstages; i++) {
		const pf_stage_ops *ops = r->ops[k][i];
		pf_feats f;
		if (ops == NULL)
			return;
		if (ops->flags & (PF_STAGE_FEATURES | PF_STAGE_RETRIEVES))
			names = ops->features != NULL && ops->features(
			    r->state[k][i], &f) == PF_OK ? f.names : NULL;
		else if (ops->names != NULL)
			pf_fnames_warn(r->opts.warnings, ops->names(
			    r->state[k][i]), names);
	}
}

static int
open_stack(pf_replay *r, size_t k, pf_diags *d)
{
	const pf_scn_stack *st = &r->scn->stacks[k];

	if ((r->ops[k] = calloc(st->nstages + 1, sizeof(**r->ops))) == NULL ||
	    (r->state[k] = calloc(st->nstages + 1, sizeof(**r->state))) ==
	    NULL)
		return -1;
	const pf_stage_ops *first = st->nstages ? pf_stage_find(
	    st->stages[0].name) : NULL;
	if (first != NULL && !(first->flags & PF_STAGE_RETRIEVES))
		pf_diags_add(d, r->scn->path, st->line, "stack '%s' must start "
		    "with a retrieval stage (bm25, dense, candidates)", st->id);
	for (size_t i = 0; i < st->nstages; i++) {
		const pf_scn_stage *sg = &st->stages[i];
		const pf_stage_ops *ops = pf_stage_check(sg->name, sg->params,
		    sg->nparams, r->scn->path, sg->line, d);
		pf_err err = {0};
		int need_double = 0;

		if (ops == NULL)
			continue;
		if (i > 0 && (ops->flags & PF_STAGE_RETRIEVES))
			pf_diags_add(d, r->scn->path, sg->line, "stage '%s' "
			    "retrieves and must come first in its stack",
			    sg->name);
		/* LightGBM scores the parsed doubles: keep them when any
		   stack has a gbdt stage, so a candidate file is loaded once */
		for (size_t s = 0; s < r->scn->nstacks; s++)
			for (size_t j = 0; j < r->scn->stacks[s].nstages; j++)
				need_double |= strcmp(r->scn->stacks[s].
				    stages[j].name, "gbdt") == 0;
		pf_stage_cfg cfg = {r->scn->path, sg->line, r->scn->dir,
		    sg->params, sg->nparams, r->golden, need_double,
		    r->opts.strict, r->opts.warnings};
		if (ops->open(&r->state[k][i], &cfg, &err) != PF_OK) {
			if (err.code == PF_ENOMEM)
				return -1;
			if (err.where[0] != '\0' && strncmp(err.where,
			    r->scn->path, strlen(r->scn->path)) != 0)
				pf_diags_add(d, r->scn->path, sg->line,
				    "stack '%s', stage '%s': %s: %s", st->id,
				    sg->name, err.where, err.msg);
			else
				pf_diags_add(d, r->scn->path, sg->line,
				    "stack '%s', stage '%s': %s", st->id,
				    sg->name, err.msg);
			continue;
		}
		r->ops[k][i] = ops;
	}
	/* each stage against the features the retrieval stage provides */
	pf_feats f;
	if (st->nstages > 0 && r->ops[k][0] != NULL &&
	    r->ops[k][0]->features != NULL &&
	    r->ops[k][0]->features(r->state[k][0], &f) == PF_OK)
		for (size_t i = 1; i < st->nstages; i++) {
			pf_err err = {0};
			if (r->ops[k][i] == NULL || r->ops[k][i]->check == NULL ||
			    r->ops[k][i]->check(r->state[k][i], &f, &err) ==
			    PF_OK)
				continue;
			pf_diags_add(d, r->scn->path, st->stages[i].line, "stack "
			    "'%s', stage '%s': %s", st->id, st->stages[i].name,
			    err.msg);
		}
	if (r->opts.warnings != NULL)
		warn_names(r, k);
	return 0;
}

int
pf_replay_open(pf_replay **out, const pf_scenario *s, pf_golden *g,
    pf_diags *d)
{
	pf_replay_opts o = {0};

	return pf_replay_open_with(out, s, g, &o, d);
}

int
pf_replay_open_with(pf_replay **out, const pf_scenario *s, pf_golden *g,
    const pf_replay_opts *o, pf_diags *d)
{
	pf_replay *r;
	pf_err err = {0};
	size_t n0 = d->n + d->dropped;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		goto nomem;
	r->scn = s;
	r->golden = g;
	r->opts = *o;
	pf_te_spec *spec;
	if (pf_te_spec_new(&spec) != PF_OK)
		goto nomem;
	for (size_t i = 0; i < s->nmetrics; i++)
		if (pf_te_spec_add(spec, s->metrics[i], &err) != PF_OK)
			pf_diags_add(d, s->path, s->metrics_line, "%s",
			    err.msg);
	if (pf_te_spec_finish(spec, &err) != PF_OK)
		pf_diags_add(d, s->path, s->metrics_line, "%s", err.msg);
	if (pf_measured_init(&r->m, g, spec, s->nstacks, &err) != PF_OK)
		goto nomem;
	/* the primary's spelling names its value (README "Measure names") */
	r->m.primary = pf_te_spec_prefer(r->m.spec, s->primary);
	snprintf(r->primary_name, sizeof(r->primary_name), "%s", s->primary);
	if (r->m.primary >= 0)
		pf_te_value_name(r->m.spec, (size_t)r->m.primary,
		    r->primary_name, sizeof(r->primary_name));
	r->m.primary_name = r->primary_name;
	if (r->m.primary < 0)
		pf_diags_add(d, s->path, s->metrics_line, "primary metric '%s' "
		    "is not among the metrics", s->primary);
	if ((r->ops = calloc(s->nstacks, sizeof(*r->ops))) == NULL ||
	    (r->state = calloc(s->nstacks, sizeof(*r->state))) == NULL ||
	    (r->row = calloc(s->nstacks, sizeof(*r->row))) == NULL ||
	    (r->feats = calloc(s->nstacks, sizeof(*r->feats))) == NULL)
		goto nomem;
	if (pf_qrels_grades_desc(g->qrels, &r->qgrades, &r->qoff) != PF_OK)
		goto nomem;
	for (size_t k = 0; k < s->nstacks; k++) {
		r->m.stacks[k].id = s->stacks[k].id;
		r->m.stacks[k].name = s->stacks[k].name;
	}
	for (size_t k = 0; k < s->nstacks; k++)
		if (open_stack(r, k, d) != 0)
			goto nomem;
	r->progress = isatty(2);
	if (d->n + d->dropped != n0) {
		pf_replay_free(r);
		return PF_EFORMAT;
	}
	*out = r;
	return PF_OK;
nomem:
	pf_diags_add(d, s->path, 0, "out of memory");
	pf_replay_free(r);
	return PF_ENOMEM;
}

/* ---- per query ------------------------------------------------------- */

typedef struct sortent {
	double		 score;
	const char	*id;
	uint32_t	 doc, row;
} sortent;

static int
cmp_rank(const void *a, const void *b)
{
	const sortent *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return -strcmp(x->id, y->id);	/* docid descending, as trec_eval */
}

/* Checks scores are finite and sorts the list into trec_eval's order. */
static int
sort_cands(const pf_replay *r, pf_cands *c, pf_arena *a, const char *stack,
    const char *stage, const pf_query *q, pf_err *err)
{
	sortent *e = pf_arena_alloc(a, (c->n ? c->n : 1) * sizeof(*e),
	    _Alignof(sortent));

	if (e == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < c->n; i++) {
		if (!isfinite(c->score[i]))
			return pf_err_set(err, PF_ESTAGE, NULL, 0, "stack '%s', "
			    "stage '%s' gave document '%s' of query '%s' the "
			    "score %g (scores must be finite numbers)", stack,
			    stage, pf_golden_docid(r->golden, c->doc[i]),
			    q->qid, c->score[i]);
		e[i] = (sortent){c->score[i], pf_golden_docid(r->golden,
		    c->doc[i]), c->doc[i], c->row[i]};
	}
	qsort(e, c->n, sizeof(*e), cmp_rank);
	for (size_t i = 0; i < c->n; i++) {
		c->score[i] = e[i].score;
		c->doc[i] = e[i].doc;
		c->row[i] = e[i].row;
	}
	return PF_OK;
}

int
pf_replay_step(const pf_replay *r, size_t k, size_t i, const pf_query *q,
    pf_cands *c, pf_arena *a, pf_err *err)
{
	const pf_stage_ops *ops = r->ops[k][i];
	const char *id = r->scn->stacks[k].id;
	int rc;

	if ((rc = ops->process(r->state[k][i], q, c, a, err)) != PF_OK) {
		if (err->msg[0] == '\0' || rc == PF_ENOMEM)
			return rc;
		char m[sizeof(err->msg)];
		snprintf(m, sizeof(m), "%s", err->msg);
		return pf_err_set(err, rc, NULL, 0, "stack '%s', stage '%s', "
		    "query '%s': %s", id, ops->name, q->qid, m);
	}
	/* after every stage that scores or retrieves, the list is in
	   trec_eval's order (a retrieval stage without scores, candidates,
	   sorts by docid), so what is measured is what a run file gives */
	if (ops->flags & (PF_STAGE_SCORES | PF_STAGE_RETRIEVES))
		return sort_cands(r, c, a, id, ops->name, q, err);
	return PF_OK;
}

int
pf_replay_stages(const pf_replay *r, size_t k, size_t from, size_t to,
    size_t qi, pf_cands *c, pf_arena *a, pf_err *err)
{
	const pf_scn_stack *st = &r->scn->stacks[k];
	const pf_golden *g = r->golden;
	pf_query q = {qi, g->qid[qi], g->text ? g->text[qi] : NULL};
	int rc;

	if (from == 0) {
		c->n = 0;
		memset(&c->feats, 0, sizeof(c->feats));
	}
	for (size_t i = from; i < to && i < st->nstages; i++)
		if ((rc = pf_replay_step(r, k, i, &q, c, a, err)) != PF_OK)
			return rc;
	return PF_OK;
}

static int
run_one(pf_replay *r, size_t k, size_t qi, pf_cands *c, pf_arena *a,
    pf_err *err)
{
	pf_stack_result *res = &r->m.stacks[k];
	int rc;

	if ((rc = pf_replay_stages(r, k, 0, r->scn->stacks[k].nstages, qi, c,
	    a, err)) != PF_OK)
		return rc;
	/* keep the ranking */
	res->n[qi] = c->n;
	if ((res->doc[qi] = malloc((c->n ? c->n : 1) * sizeof(uint32_t))) ==
	    NULL || (res->score[qi] = malloc((c->n ? c->n : 1) *
	    sizeof(double))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	memcpy(res->doc[qi], c->doc, c->n * sizeof(uint32_t));
	memcpy(res->score[qi], c->score, c->n * sizeof(double));
	uint32_t **row = &r->row[k][qi];
	if ((*row = malloc((c->n ? c->n : 1) * sizeof(uint32_t))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	memcpy(*row, c->row, c->n * sizeof(uint32_t));
	if (r->keep_feats && c->feats.x32 != NULL) {
		/* features may live in the scratch arena: copy the rows */
		size_t nf = c->feats.nf;
		float *x = malloc((c->n * nf + 1) * sizeof(*x));
		double *x64 = c->feats.x64 ? malloc((c->n * nf + 1) *
		    sizeof(*x64)) : NULL;
		if (x == NULL || (c->feats.x64 && x64 == NULL)) {
			free(x);
			free(x64);
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		}
		for (size_t i = 0; i < c->n; i++) {
			memcpy(x + i * nf, c->feats.x32 + (size_t)c->row[i] * nf,
			    nf * sizeof(*x));
			if (x64 != NULL)
				memcpy(x64 + i * nf, c->feats.x64 +
				    (size_t)c->row[i] * nf, nf * sizeof(*x64));
			(*row)[i] = (uint32_t)i;
		}
		r->feats[k][qi] = (pf_feats){x, x64, nf, c->feats.base,
		    c->feats.id, c->feats.names};
	}
	if (!r->m.judged[qi])
		return PF_OK;
	return pf_replay_measure(r, qi, c, a, res->values + qi * r->m.nv,
	    err);
}

int
pf_replay_grades(const pf_replay *r, size_t qi, const pf_cands *c,
    pf_arena *a, int32_t **out, pf_err *err)
{
	int32_t *rel = pf_arena_alloc(a, (c->n + 1) * sizeof(int32_t),
	    _Alignof(int32_t));

	if ((*out = rel) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	pf_replay_doc_grades(r, qi, c->doc, c->n, rel);
	return PF_OK;
}

void
pf_replay_doc_grades(const pf_replay *r, size_t qi, const uint32_t *doc,
    size_t n, int32_t *rel)
{
	const pf_golden *g = r->golden;
	size_t t = (size_t)g->topic[qi];

	for (size_t i = 0; i < n; i++) {
		const char *id = pf_golden_docid(g, doc[i]);
		size_t len = strlen(id);
		long p = pf_qrels_find(g->qrels, t, id, len,
		    pf_hash_bytes(id, len));
		int32_t gr = p < 0 ? PF_TE_NONPOOL :
		    pf_qrels_pair(g->qrels, t, (size_t)p)->grade_int;
		rel[i] = p >= 0 && gr < 0 ? PF_TE_UNJUDGED : gr;
	}
}

int
pf_replay_eval_grades(const pf_replay *r, size_t qi, const int32_t *rel,
    size_t n, double *values, pf_err *err)
{
	size_t t = (size_t)r->golden->topic[qi];
	char str[64];
	pf_te_topic tp = {.rel = rel, .nret = n, .qrels = r->qgrades +
	    r->qoff[t], .nqrels = r->qoff[t + 1] - r->qoff[t]};

	if (pf_te_eval_topic(r->m.spec, &r->m.te, &tp, values, str,
	    sizeof(str)) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	return PF_OK;
}

int
pf_replay_measure(const pf_replay *r, size_t qi, const pf_cands *c,
    pf_arena *a, double *values, pf_err *err)
{
	int32_t *rel;
	int rc;

	if ((rc = pf_replay_grades(r, qi, c, a, &rel, err)) != PF_OK)
		return rc;
	return pf_replay_eval_grades(r, qi, rel, c->n, values, err);
}

int
pf_replay_run(pf_replay *r, pf_err *err)
{
	size_t nq = r->m.nq, nstacks = r->m.nstacks, err_q = (size_t)-1;
	size_t q0 = r->ranged ? r->q0 : 0, q1 = r->ranged ? r->q1 : nq;
	pf_err first = {0};
	pf_progress pg = {0};

	for (size_t k = 0; k < nstacks; k++) {
		pf_stack_result *s = &r->m.stacks[k];
		if ((s->doc = calloc(nq + 1, sizeof(*s->doc))) == NULL ||
		    (s->score = calloc(nq + 1, sizeof(*s->score))) == NULL ||
		    (r->row[k] = calloc(nq + 1, sizeof(**r->row))) == NULL ||
		    (r->feats[k] = calloc(nq + 1, sizeof(**r->feats))) == NULL)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
	}
	if (q1 > nq || q0 > q1)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "queries %zu to %zu "
		    "of %zu", q0, q1, nq);
	pf_progress_start(&pg, r->progress, "replay", "queries", q1 - q0);
#pragma omp parallel
	{
		pf_cands c = {0};
		pf_arena *a = pf_arena_new(1 << 16);
		pf_err e = {0};

#pragma omp for schedule(dynamic, 4)
		for (size_t q = q0; q < q1; q++) {
			int bad = a == NULL;
			for (size_t k = 0; k < nstacks && !bad; k++) {
				pf_arena_reset(a);
				if (run_one(r, k, q, &c, a, &e) != PF_OK)
					bad = 1;
			}
			if (a == NULL)
				pf_err_set(&e, PF_ENOMEM, NULL, 0,
				    "out of memory");
			if (bad) {
#pragma omp critical(pf_replay_err)
				if (q < err_q) {	/* the first by query */
					err_q = q;
					pf_err_copy(&first, &e);
				}
			}
			pf_progress_step(&pg, 1);
		}
		pf_cands_free(&c);
		pf_arena_free(a);
	}
	pf_progress_end(&pg);
	if (err_q != (size_t)-1) {
		pf_err_copy(err, &first);
		return first.code ? first.code : PF_ESTAGE;
	}
	return pf_measured_summarize(&r->m, err);
}
