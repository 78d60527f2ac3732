/*
 * harness/load/scenario_internal.h — between the scenario loader
 * (scenario.c: parse, validate against the schema, free) and the tree
 * readers (scenario_read.c: one function per element). Not for other
 * folders.
 */
#ifndef PF_HARNESS_LOAD_SCENARIO_INTERNAL_H
#define PF_HARNESS_LOAD_SCENARIO_INTERNAL_H

#include <libxml/tree.h>

#include "harness/load/scenario.h"

/*
 * Reads the validated tree under root into s (s->path and s->dir set),
 * with the defaults; the checks the schema cannot express go to d.
 * 0, or -1 when out of memory.
 */
int	pf_scenario__read(pf_scenario *s, xmlNode *root, pf_diags *d);

/* The <gate> children of a <gates> element n into s->gates. 0 or -1. */
int	pf_scenario__read_gates(pf_scenario *s, xmlNode *n, pf_diags *d);

/* One <feature-gate> (scenario_features.c) into s->fgates. 0 or -1. */
int	pf_scenario__read_feature_gate(pf_scenario *s, xmlNode *c,
	    pf_diags *d);
/* <features-report> into s->freport_*. 0 or -1. */
int	pf_scenario__read_features_report(pf_scenario *s, xmlNode *n,
	    long line, pf_diags *d);
/* Frees what those two read. */
void	pf_scenario__free_features(pf_scenario *s);

/* Attributes of element n (scenario_attr.c); "absent" leaves *out as is. */
char	*pf_scn__attr(xmlNode *n, const char *name);	/* strdup'd, NULL */
int	 pf_scn__is(xmlNode *n, const char *name);	/* element named */
void	 pf_scn__attr_size(xmlNode *n, const char *name, size_t *out);
void	 pf_scn__attr_double(xmlNode *n, const char *name, int *has,
	    double *out);
int	 pf_scn__attr_bool(xmlNode *n, const char *name, int def);
/* resolved against dir; NULL when absent */
char	*pf_scn__attr_path(xmlNode *n, const char *name, const char *dir);
double	 pf_scn__attr_real(xmlNode *n, const char *name);	/* NaN */

#endif /* PF_HARNESS_LOAD_SCENARIO_INTERNAL_H */
