/*
 * harness/decide/files.c — see files.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/decide/files.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"

void
pf_inputs_free(pf_inputs *in)
{
	for (size_t i = 0; i < in->nown; i++)
		free(in->owned[i]);
	free(in->owned);
	free(in->v);
}

static int
add_input(pf_inputs *in, const char *role, const char *path, pf_err *err)
{
	pf_rep_input *v;
	unsigned long long b;
	int rc;

	if (path == NULL)
		return PF_OK;
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].path, path) == 0)
			return PF_OK;
	if ((v = pf_grow(in->v, &in->cap, in->n + 1, sizeof(*v))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	in->v = v;
	v = &in->v[in->n];
	memset(v, 0, sizeof(*v));
	v->role = role;
	v->path = path;
	rc = in->hash ? pf_sha256_file(path, v->sha256, &b, err) : PF_OK;
	v->bytes = in->hash ? b : 0;
	if (rc == PF_OK)
		in->n++;
	return rc;
}

/* A stage parameter of type path, resolved as the stage resolves it. */
static int
add_stage_input(pf_inputs *in, const pf_scenario *s, const char *stage,
    const char *rel, pf_err *err)
{
	char *path = pf_path_join(s->dir, rel), **o;

	if (path == NULL || (o = pf_grow(in->owned, &in->owncap, in->nown + 1,
	    sizeof(*o))) == NULL) {
		free(path);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	in->owned = o;
	o[in->nown++] = path;
	return add_input(in, stage, path, err);
}

int
pf_inputs_collect(pf_inputs *in, const pf_outputs_cfg *cfg, int hash,
    pf_err *err)
{
	const pf_scenario *s = cfg->scn;
	int rc;

	in->hash = hash;
	if (s != NULL && ((rc = add_input(in, "scenario", s->path, err)) !=
	    PF_OK || (rc = add_input(in, "queries", s->queries, err)) !=
	    PF_OK || (rc = add_input(in, "qrels", s->qrels, err)) != PF_OK ||
	    (rc = add_input(in, "labels", s->labels, err)) != PF_OK ||
	    (rc = add_input(in, "labels", s->labels_qfile, err)) != PF_OK ||
	    (rc = add_input(in, "docs", s->docs, err)) != PF_OK ||
	    (rc = add_input(in, "expectations", s->expectations, err)) !=
	    PF_OK || (rc = add_input(in, "lift-history", s->lift_history,
	    err)) != PF_OK))
		return rc;
	for (size_t i = 0; i < cfg->nin; i++)
		if ((rc = add_input(in, cfg->in_role[i], cfg->in_path[i], err)) !=
		    PF_OK)
			return rc;
	for (size_t k = 0; s != NULL && k < s->nstacks; k++)
		for (size_t i = 0; i < s->stacks[k].nstages; i++) {
			const pf_scn_stage *g = &s->stacks[k].stages[i];
			const pf_stage_ops *ops = pf_stage_find(g->name);
			for (size_t j = 0; ops && j < g->nparams; j++)
				for (const pf_stage_param_doc *p = ops->params;
				    p->name != NULL; p++)
					if (strcmp(p->name, g->params[j].key) ==
					    0 && strcmp(p->type, "path") == 0 &&
					    (rc = add_stage_input(in, s, g->name,
					    g->params[j].value, err)) != PF_OK)
						return rc;
		}
	return PF_OK;
}


/* The outputs of cfg, named for messages. */
typedef struct outs {
	char		*path[64 + 3];
	const char	*what[64 + 3];
	size_t		 n;
} outs;

static int
add_out(outs *o, char *path, const char *what)
{
	if (path == NULL)
		return PF_ENOMEM;
	if (o->n == sizeof(o->path) / sizeof(o->path[0])) {
		free(path);
		return PF_OK;	/* checked up to 64 stacks */
	}
	o->path[o->n] = path;
	o->what[o->n++] = what;
	return PF_OK;
}

static int
list_outputs(outs *o, const pf_outputs_cfg *cfg, const char *const *ids,
    size_t nids, const char *const *extra, const char *const *extra_what,
    size_t nextra)
{
	int rc = PF_OK;

	if (cfg->dir != NULL) {
		rc |= add_out(o, pf_path_join(cfg->dir, cfg->results),
		    "results");
		rc |= add_out(o, pf_path_join(cfg->dir, cfg->report), "report");
		if (cfg->junit_path == NULL)
			rc |= add_out(o, pf_path_join(cfg->dir, cfg->junit),
			    "junit");
	}
	if (cfg->junit_path != NULL)
		rc |= add_out(o, strdup(cfg->junit_path), "--junit");
	for (size_t k = 0; cfg->runs && cfg->dir != NULL && k < nids; k++) {
		size_t n = strlen(cfg->dir) + strlen(ids[k]) + 6;
		char *p = malloc(n);
		if (p != NULL)
			snprintf(p, n, "%s/%s.run", cfg->dir, ids[k]);
		rc |= add_out(o, p, "the run file of a stack");
	}
	for (size_t i = 0; i < nextra; i++)
		rc |= add_out(o, strdup(extra[i]), extra_what[i]);
	return rc ? PF_ENOMEM : PF_OK;
}

int
pf_outputs_check(const pf_outputs_cfg *cfg, const char *const *ids,
    size_t nids, const char *const *extra, const char *const *extra_what,
    size_t nextra, pf_diags *d)
{
	pf_inputs in = {0};
	outs o = {0};
	pf_err err = {0};
	int bad = 0, rc;

	if ((rc = pf_inputs_collect(&in, cfg, 0, &err)) != PF_OK ||
	    (rc = list_outputs(&o, cfg, ids, nids, extra, extra_what,
	    nextra)) != PF_OK) {
		pf_diags_add(d, NULL, 0, "out of memory");
		bad = 1;
	}
	for (size_t i = 0; !bad && i < o.n; i++) {
		for (size_t j = 0; j < in.n; j++)
			if (pf_same_file(o.path[i], in.v[j].path)) {
				pf_diags_add(d, o.path[i], 0, "an output (%s) "
				    "would overwrite an input (%s: %s): refused",
				    o.what[i], in.v[j].role, in.v[j].path);
				bad = 1;
			}
		for (size_t j = 0; j < i; j++)
			if (pf_same_file(o.path[i], o.path[j])) {
				pf_diags_add(d, o.path[i], 0, "two outputs are "
				    "this one file (%s and %s): refused",
				    o.what[j], o.what[i]);
				bad = 1;
			}
	}
	for (size_t i = 0; i < o.n; i++)
		free(o.path[i]);
	pf_inputs_free(&in);
	return rc != PF_OK ? rc : bad ? PF_EFORMAT : PF_OK;
}
