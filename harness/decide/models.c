/*
 * harness/decide/models.c — the "models" cell of report.html's "What was
 * compared": every gbdt stage's model file described from the model as
 * loaded (file name, sha256 prefix, format, trees, depth, features).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/decide/outputs.h"
#include "harness/model/gbdt.h"
#include "harness/util/grow.h"

/* The sha256 that inputs hashed for path, or "" (not hashed). */
static const char *
sha_of(const char *path, const pf_rep_input *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (in[i].path != NULL && strcmp(in[i].path, path) == 0)
			return in[i].sha256;
	return "";
}

/* Appends one model's description to buf (size cap) at *len. */
static void
describe(char *buf, size_t cap, size_t *len, const char *path,
    const char *sha)
{
	const char *base = strrchr(path, '/');
	char one[512], what[160] = "", hash[32] = "";
	pf_gbdt *m = NULL;
	pf_err err = {0};
	int w;

	base = base != NULL ? base + 1 : path;
	if (sha[0] != '\0')
		snprintf(hash, sizeof(hash), ", sha256 %.12s", sha);
	if (pf_gbdt_load(&m, path, &err) == PF_OK) {
		snprintf(what, sizeof(what), ", %s %s, %zu trees, depth %d, "
		    "%zu features", pf_gbdt_kind(m) == PF_GBDT_XGBOOST ?
		    "XGBoost" : "LightGBM", pf_gbdt_booster(m),
		    pf_gbdt_ntrees(m), pf_gbdt_max_depth(m),
		    pf_gbdt_nfeatures(m));
		pf_gbdt_free(m);
	}
	snprintf(one, sizeof(one), "%s%.200s%s%s", *len > 0 ? "; " : "", base,
	    hash, what);
	w = snprintf(buf + *len, cap - *len, "%s", one);
	if (w > 0)
		*len += (size_t)w < cap - *len ? (size_t)w : cap - *len - 1;
}

char *
pf_report_models(const pf_scenario *s, size_t k, const pf_rep_input *in,
    size_t nin)
{
	char buf[2048];
	size_t len = 0;

	buf[0] = '\0';
	if (s == NULL || k >= s->nstacks)
		return NULL;
	for (size_t i = 0; i < s->stacks[k].nstages; i++) {
		const pf_scn_stage *g = &s->stacks[k].stages[i];
		if (strcmp(g->name, "gbdt") != 0)
			continue;
		for (size_t j = 0; j < g->nparams; j++) {
			char *path;
			if (strcmp(g->params[j].key, "model") != 0)
				continue;
			if ((path = pf_path_join(s->dir, g->params[j].value)) ==
			    NULL)
				return NULL;
			describe(buf, sizeof(buf), &len, path,
			    sha_of(path, in, nin));
			free(path);
		}
	}
	return len > 0 ? strdup(buf) : NULL;
}
