/*
 * harness/analysis/importance_plan.c — which stack, stage and metric a
 * <features> element asks for, resolved for the run (importance.c) and
 * checked before anything is replayed (`run` and `run --check`), and the
 * names its items' features go by.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/importance_internal.h"

static int
scores_from_features(const char *name)
{
	return strcmp(name, "gbdt") == 0 || strcmp(name, "plugin") == 0;
}

int
pf_imp__resolve(pf_imp_ctx *x, const pf_replay *r, const pf_scn_featimp *fi,
    pf_err *err)
{
	const pf_scenario *s = r->scn;
	const char *path = s->path;
	long k = -1;

	x->r = r;
	if (fi->stack == NULL)
		k = s->nstacks > 1 ? 1 : 0;
	else
		for (size_t i = 0; i < s->nstacks; i++)
			if (strcmp(s->stacks[i].id, fi->stack) == 0)
				k = (long)i;
	if (k < 0)
		return pf_err_set(err, PF_EDATA, path, fi->line, "<features "
		    "stack=\"%s\">: no stack has this id", fi->stack);
	x->k = (size_t)k;
	x->st = &s->stacks[k];
	if (fi->stage == 0) {
		size_t i = x->st->nstages;
		while (i > 0 && !scores_from_features(x->st->stages[i - 1].name))
			i--;
		if (i == 0)
			return pf_err_set(err, PF_EDATA, path, fi->line,
			    "<features>: stack '%s' has no stage that scores "
			    "from features (gbdt, plugin)", x->st->id);
		x->si = i - 1;
	} else {
		if (fi->stage > x->st->nstages)
			return pf_err_set(err, PF_EDATA, path, fi->line,
			    "<features stage=\"%zu\">: stack '%s' has %zu "
			    "stages", fi->stage, x->st->id, x->st->nstages);
		x->si = fi->stage - 1;
		if (!scores_from_features(x->st->stages[x->si].name))
			return pf_err_set(err, PF_EDATA, path, fi->line,
			    "<features stage=\"%zu\">: stage %zu of stack "
			    "'%s' is '%s', which does not score from features "
			    "(importance needs gbdt or plugin)", fi->stage,
			    fi->stage, x->st->id, x->st->stages[x->si].name);
	}
	x->ops = r->ops[k][x->si];
	x->state = r->state[k][x->si];
	const char *mname = s->imp_metric ? s->imp_metric : s->primary;
	long m = pf_te_value_index(r->m.spec, mname);
	if (m < 0 || pf_te_value_is_count(r->m.spec, (size_t)m))
		return pf_err_set(err, PF_EDATA, path, s->imp_line, "<importance "
		    "metric=\"%s\">: not one of the scenario's metrics (or a "
		    "count)", mname);
	x->m = (size_t)m;
	return PF_OK;
}

int
pf_importance_check(const pf_replay *r, pf_diags *d)
{
	const pf_scenario *s = r->scn;
	int bad = 0;

	for (size_t i = 0; i < s->nfimp; i++) {
		pf_imp_ctx x = {0};
		pf_err err = {0};
		if (pf_imp__resolve(&x, r, &s->fimp[i], &err) != PF_OK) {
			pf_diags_add(d, NULL, 0, "%s%s%s", err.where,
			    err.where[0] ? ": " : "", err.msg);
			bad = 1;
		}
	}
	return bad ? PF_EFORMAT : PF_OK;
}

/* The name of file id: the input's (a names file, a feature stage's),
   else the scored stage's model's; NULL when neither has one. */
const char *
pf_imp__feat_name(const pf_imp_ctx *x, long id)
{
	const char *n = pf_fnames_get(x->names, id);

	if (n == NULL && x->ops->names != NULL)
		n = pf_fnames_get(x->ops->names(x->state), id);
	return n;
}

/* Each feature's name beside its id (NULL where none is known). */
int
pf_imp__item_names(pf_rep_imp_item *it, const pf_imp_ctx *x)
{
	if ((it->fname = calloc(it->nfeat + 1, sizeof(char *))) == NULL)
		return -1;
	for (size_t i = 0; i < it->nfeat; i++) {
		const char *n = pf_imp__feat_name(x, it->feat[i]);
		if (n != NULL && (it->fname[i] = strdup(n)) == NULL)
			return -1;
	}
	return 0;
}
