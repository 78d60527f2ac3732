/*
 * harness/check/features_evolve.c — what changed from one feature schema
 * to the next (features.h, `preflight features check --schema OLD
 * --against NEW`): features added, removed, retyped (the type column) and
 * re-ranged (the range column: bounds or categories), in id order; and,
 * given a scenario, which of its models split on a removed or retyped
 * feature (harness/model/splits.c: model feature j is file id j +
 * first-feature, 0 by default as the gbdt stage reads it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/check/features.h"
#include "harness/model/gbdt.h"
#include "harness/util/grow.h"
#include "harness/util/param.h"
#include "harness/util/scan.h"

void
pf_fevolve_free(pf_fevolve *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->nrd; i++) {
		free(e->rd[i].stack);
		free(e->rd[i].model);
	}
	free(e->rd);
	free(e->ch);
	free(e->old_path);
	free(e->new_path);
	free(e);
}

static int
add_change(pf_fevolve *e, size_t *cap, int kind, long id, const char *fmt,
    ...) __attribute__((format(printf, 5, 6)));

static int
add_change(pf_fevolve *e, size_t *cap, int kind, long id, const char *fmt,
    ...)
{
	va_list ap;

	if (e->nch == *cap) {
		pf_fev_change *g = pf_grow(e->ch, cap, e->nch + 1, sizeof(*g));
		if (g == NULL)
			return -1;
		e->ch = g;
	}
	pf_fev_change *c = &e->ch[e->nch++];
	c->kind = kind;
	c->id = id;
	va_start(ap, fmt);
	vsnprintf(c->text, sizeof(c->text), fmt, ap);
	va_end(ap);
	e->count[kind]++;
	return 0;
}

/* The changes, merging the two id-sorted row lists. */
static int
diff_rows(pf_fevolve *e, const pf_fschema *a, const pf_fschema *b)
{
	size_t i = 0, j = 0, cap = 0;
	char ra[256], rb[256];

	while (i < a->n || j < b->n) {
		const pf_fschema_row *x = i < a->n ? &a->row[i] : NULL;
		const pf_fschema_row *y = j < b->n ? &b->row[j] : NULL;
		int rc = 0;
		if (y == NULL || (x != NULL && x->id < y->id)) {
			rc = add_change(e, &cap, PF_FEV_REMOVED, x->id,
			    "feature %ld (%s): removed (%s:%ld)", x->id,
			    x->name, a->path, x->line);
			i++;
		} else if (x == NULL || y->id < x->id) {
			rc = add_change(e, &cap, PF_FEV_ADDED, y->id,
			    "feature %ld (%s): added, %s (%s:%ld)", y->id,
			    y->name, pf_fschema_type_name(y->type), b->path,
			    y->line);
			j++;
		} else {
			if (x->type != y->type)
				rc |= add_change(e, &cap, PF_FEV_RETYPED, x->id,
				    "feature %ld (%s): %s -> %s (%s:%ld)",
				    x->id, y->name,
				    pf_fschema_type_name(x->type),
				    pf_fschema_type_name(y->type), b->path,
				    y->line);
			pf_fschema_range_text(x, ra, sizeof(ra));
			pf_fschema_range_text(y, rb, sizeof(rb));
			if (strcmp(ra, rb) != 0)
				rc |= add_change(e, &cap, PF_FEV_RERANGED,
				    x->id, "feature %ld (%s): range %s -> %s "
				    "(%s:%ld)", x->id, y->name, ra, rb, b->path,
				    y->line);
			i++;
			j++;
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* The kind of change id had (removed or retyped), or -1. */
static int
breaking(const pf_fevolve *e, long id)
{
	for (size_t i = 0; i < e->nch; i++)
		if (e->ch[i].id == id && (e->ch[i].kind == PF_FEV_REMOVED ||
		    e->ch[i].kind == PF_FEV_RETYPED))
			return e->ch[i].kind;
	return -1;
}

/* The readers of removed or retyped features among one model's splits. */
static int
model_readers(pf_fevolve *e, size_t *cap, const char *stack,
    const char *model, long first, pf_err *err)
{
	pf_gbdt *m = NULL;
	pf_gbdt_splits *sp = NULL;
	int rc;

	if ((rc = pf_gbdt_load(&m, model, err)) != PF_OK ||
	    (rc = pf_gbdt_splits_get(&sp, m, err)) != PF_OK)
		goto done;
	e->nmodels++;
	for (size_t j = 0; j < sp->nfeat; j++) {
		long id = (long)j + first;
		int k = sp->nsplit[j] > 0 ? breaking(e, id) : -1;
		if (k < 0)
			continue;
		if (e->nrd == *cap) {
			pf_fev_reader *g = pf_grow(e->rd, cap, e->nrd + 1,
			    sizeof(*g));
			if (g == NULL) {
				rc = pf_err_set(err, PF_ENOMEM, model, 0,
				    "out of memory");
				goto done;
			}
			e->rd = g;
		}
		pf_fev_reader *r = &e->rd[e->nrd++];
		*r = (pf_fev_reader){strdup(stack), strdup(model), id, k,
		    sp->nsplit[j]};
		if (r->stack == NULL || r->model == NULL) {
			rc = pf_err_set(err, PF_ENOMEM, model, 0,
			    "out of memory");
			goto done;
		}
	}
done:
	pf_gbdt_splits_free(sp);
	pf_gbdt_free(m);
	return rc;
}

/* Every gbdt stage of s's stacks. */
static int
scenario_readers(pf_fevolve *e, const pf_scenario *s, pf_err *err)
{
	size_t cap = 0;

	e->scenario = 1;
	for (size_t k = 0; k < s->nstacks; k++)
		for (size_t i = 0; i < s->stacks[k].nstages; i++) {
			const pf_scn_stage *st = &s->stacks[k].stages[i];
			const pf_param *mp, *fp;
			long first = 0;
			if (strcmp(st->name, "gbdt") != 0 || (mp =
			    pf_param_find(st->params, st->nparams, "model")) ==
			    NULL)
				continue;
			fp = pf_param_find(st->params, st->nparams,
			    "first-feature");
			if (fp != NULL && pf_parse_long(fp->value,
			    strlen(fp->value), 0, INT32_MAX, &first) != 0)
				return pf_err_set(err, PF_EFORMAT, s->path,
				    fp->line, "first-feature '%s' is not an "
				    "integer 0..2147483647", fp->value);
			char *path = pf_path_join(s->dir, mp->value);
			if (path == NULL)
				return pf_err_set(err, PF_ENOMEM, s->path, 0,
				    "out of memory");
			int rc = model_readers(e, &cap, s->stacks[k].id, path,
			    first, err);
			free(path);
			if (rc != PF_OK)
				return rc;
		}
	return PF_OK;
}

int
pf_features_evolve(pf_fevolve **out, const pf_fschema *old,
    const pf_fschema *new, const pf_scenario *s, pf_err *err)
{
	pf_fevolve *e = calloc(1, sizeof(*e));
	int rc = PF_OK;

	*out = NULL;
	if (e == NULL || (e->old_path = strdup(old->path)) == NULL ||
	    (e->new_path = strdup(new->path)) == NULL ||
	    diff_rows(e, old, new) != 0) {
		pf_fevolve_free(e);
		return pf_err_set(err, PF_ENOMEM, new->path, 0,
		    "out of memory");
	}
	if (s != NULL && (rc = scenario_readers(e, s, err)) != PF_OK) {
		pf_fevolve_free(e);
		return rc;
	}
	*out = e;
	return PF_OK;
}
