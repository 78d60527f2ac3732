/*
 * harness/load/scenario_features.c — the scenario's feature elements
 * (README "Know your features"): <gates><feature-gate> (a stack's
 * candidates against a reference file: max-psi, max-mismatch) and
 * <features-report> (a features section in the outputs). The schema
 * checked the attributes; here what it cannot: a feature gate needs one
 * threshold at least, and a named stack must exist (checked where the run
 * opens the stacks: harness/check/featrun.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/scenario_internal.h"
#include "harness/util/grow.h"

static char *
attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

/* A file attribute resolved against dir (NULL when absent). */
static char *
attr_path(xmlNode *n, const char *name, const char *dir)
{
	char *v = attr(n, name), *p = v != NULL ? pf_path_join(dir, v) : NULL;

	free(v);
	return p;
}

static double
attr_real(xmlNode *n, const char *name)
{
	char *v = attr(n, name);
	double x = v != NULL ? strtod(v, NULL) : NAN;

	free(v);
	return x;
}

int
pf_scenario__read_feature_gate(pf_scenario *s, xmlNode *c, pf_diags *d)
{
	size_t cap = s->nfgates;
	pf_scn_featgate *g = pf_grow(s->fgates, &cap, s->nfgates + 1,
	    sizeof(*g));

	if (g == NULL)
		return -1;
	s->fgates = g;
	g = &s->fgates[s->nfgates++];
	memset(g, 0, sizeof(*g));
	g->line = xmlGetLineNo(c);
	g->id = attr(c, "id");
	g->stack = attr(c, "stack");
	g->reference = attr_path(c, "reference", s->dir);
	g->query_file = attr_path(c, "query-file", s->dir);
	g->max_psi = attr_real(c, "max-psi");
	g->max_mismatch = attr_real(c, "max-mismatch");
	if (g->id == NULL || g->reference == NULL)
		return -1;	/* required by the schema: only OOM */
	if (isnan(g->max_psi) && isnan(g->max_mismatch))
		pf_diags_add(d, s->path, g->line, "feature-gate '%s' needs "
		    "max-psi, max-mismatch or both", g->id);
	return 0;
}

int
pf_scenario__read_features_report(pf_scenario *s, xmlNode *n, long line,
    pf_diags *d)
{
	(void)d;
	s->freport_line = line > 0 ? line : 1;
	s->freport_stack = attr(n, "stack");
	s->freport_ref = attr_path(n, "reference", s->dir);
	s->freport_qf = attr_path(n, "query-file", s->dir);
	return 0;
}

void
pf_scenario__free_features(pf_scenario *s)
{
	for (size_t i = 0; s->fgates != NULL && i < s->nfgates; i++) {
		free(s->fgates[i].id);
		free(s->fgates[i].stack);
		free(s->fgates[i].reference);
		free(s->fgates[i].query_file);
	}
	free(s->fgates);
	free(s->freport_stack);
	free(s->freport_ref);
	free(s->freport_qf);
}
