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
	g->id = pf_scn__attr(c, "id");
	g->stack = pf_scn__attr(c, "stack");
	g->reference = pf_scn__attr_path(c, "reference", s->dir);
	g->query_file = pf_scn__attr_path(c, "query-file", s->dir);
	g->max_psi = pf_scn__attr_real(c, "max-psi");
	g->max_mismatch = pf_scn__attr_real(c, "max-mismatch");
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
	s->freport_stack = pf_scn__attr(n, "stack");
	s->freport_ref = pf_scn__attr_path(n, "reference", s->dir);
	s->freport_qf = pf_scn__attr_path(n, "query-file", s->dir);
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
