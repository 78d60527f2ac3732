/*
 * harness/stages/registry.c — the stage registry (one table: the scenario
 * schema, `preflight stages` and the loader read it), the checks of a
 * stage element against it, the parameter helpers stages open with, and
 * the candidate list's storage. Each stage is one file of this folder.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/stages/stage.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"

/* The stages, one file each in this folder. */
extern const pf_stage_ops pf_stage_bm25, pf_stage_dense, pf_stage_candidates,
    pf_stage_textfeatures, pf_stage_linear, pf_stage_gbdt, pf_stage_plugin,
    pf_stage_rules, pf_stage_cutoff;

/* ---- parameters ------------------------------------------------------ */

const pf_param *
pf_stage_param(const pf_stage_cfg *cfg, const char *key)
{
	return pf_param_find(cfg->params, cfg->nparams, key);
}

int
pf_stage_need(const pf_stage_cfg *cfg, const char *stage, const char *key,
    pf_err *err)
{
	if (pf_stage_param(cfg, key) != NULL)
		return PF_OK;
	return pf_err_set(err, PF_EINVAL, cfg->file, cfg->line, "%s needs "
	    "%s=", stage, key);
}

int
pf_stage_path(const pf_stage_cfg *cfg, const char *key, char *buf,
    size_t bufsz, pf_err *err)
{
	const pf_param *p = pf_stage_param(cfg, key);
	char *j;

	if (p == NULL) {
		buf[0] = '\0';
		return PF_OK;
	}
	if ((j = pf_path_join(cfg->base_dir, p->value)) == NULL)
		return pf_err_set(err, PF_ENOMEM, cfg->file, cfg->line,
		    "out of memory");
	if (strlen(j) >= bufsz) {
		free(j);
		return pf_err_set(err, PF_EINVAL, cfg->file, cfg->line,
		    "path in '%s' is too long", key);
	}
	strcpy(buf, j);
	free(j);
	return PF_OK;
}

int
pf_stage_long(const pf_stage_cfg *cfg, const char *key, long def, long min,
    long max, long *out, pf_err *err)
{
	const pf_param *p = pf_stage_param(cfg, key);

	*out = def;
	if (p == NULL)
		return PF_OK;
	if (pf_parse_long(p->value, strlen(p->value), min, max, out) != 0)
		return pf_err_set(err, PF_EINVAL, cfg->file, p->line,
		    "%s='%s': expected an integer in [%ld, %ld]", key,
		    p->value, min, max);
	return PF_OK;
}

int
pf_stage_double(const pf_stage_cfg *cfg, const char *key, double def,
    double *out, pf_err *err)
{
	const pf_param *p = pf_stage_param(cfg, key);

	*out = def;
	if (p == NULL)
		return PF_OK;
	if (pf_parse_double(p->value, strlen(p->value), out) != 0 ||
	    !isfinite(*out))
		return pf_err_set(err, PF_EINVAL, cfg->file, p->line,
		    "%s='%s': expected a finite number", key, p->value);
	return PF_OK;
}

int
pf_cands_reserve(pf_cands *c, size_t n)
{
	if (n <= c->cap)
		return PF_OK;
	size_t cap = c->cap ? c->cap : 256;
	while (cap < n)
		cap *= 2;
	uint32_t *d = realloc(c->doc, cap * sizeof(*d));
	if (d == NULL)
		return PF_ENOMEM;
	c->doc = d;
	uint32_t *r = realloc(c->row, cap * sizeof(*r));
	if (r == NULL)
		return PF_ENOMEM;
	c->row = r;
	double *s = realloc(c->score, cap * sizeof(*s));
	if (s == NULL)
		return PF_ENOMEM;
	c->score = s;
	c->cap = cap;
	return PF_OK;
}

void
pf_cands_free(pf_cands *c)
{
	free(c->doc);
	free(c->row);
	free(c->score);
	*c = (pf_cands){0};
}

/* In documentation order: retrieval, features, ranking, post. */
const pf_stage_ops *const pf_stage_registry[] = {
	&pf_stage_bm25,
	&pf_stage_dense,
	&pf_stage_candidates,
	&pf_stage_textfeatures,
	&pf_stage_linear,
	&pf_stage_gbdt,
	&pf_stage_plugin,
	&pf_stage_rules,
	&pf_stage_cutoff,
	NULL
};

const pf_stage_ops *
pf_stage_find(const char *name)
{
	for (size_t i = 0; pf_stage_registry[i] != NULL; i++)
		if (strcmp(pf_stage_registry[i]->name, name) == 0)
			return pf_stage_registry[i];
	return NULL;
}

const pf_stage_ops *
pf_stage_check(const char *name, const pf_param *params, size_t nparams,
    const char *file, long line, pf_diags *d)
{
	const pf_stage_ops *ops = pf_stage_find(name);
	int bad = 0;

	if (ops == NULL) {
		pf_diags_add(d, file, line, "stage '%s' is not in this build's "
		    "registry (see `preflight stages`)", name);
		return NULL;
	}
	for (const pf_stage_param_doc *pd = ops->params;
	    pd != NULL && pd->name != NULL; pd++)
		if (pd->required && pf_param_find(params, nparams, pd->name) ==
		    NULL) {
			pf_diags_add(d, file, line, "stage '%s' needs %s=",
			    name, pd->name);
			bad = 1;
		}
	for (size_t j = 0; j < nparams; j++) {
		int known = 0;
		for (const pf_stage_param_doc *pd = ops->params;
		    pd != NULL && pd->name != NULL; pd++)
			known |= strcmp(pd->name, params[j].key) == 0;
		if (!known) {
			pf_diags_add(d, file, params[j].line, "stage '%s' has "
			    "no parameter '%s'", name, params[j].key);
			bad = 1;
		}
	}
	return bad ? NULL : ops;
}
