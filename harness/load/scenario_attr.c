/*
 * harness/load/scenario_attr.c — reading a scenario element's attributes
 * (the schema has checked their types: numbers are read without further
 * checks) for scenario_read.c and scenario_features.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/scenario_internal.h"
#include "harness/util/grow.h"

char *
pf_scn__attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

int
pf_scn__is(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* An unsigned attribute into *out; unchanged when absent. */
void
pf_scn__attr_size(xmlNode *n, const char *name, size_t *out)
{
	char *v = pf_scn__attr(n, name);

	if (v != NULL)
		*out = (size_t)strtoull(v, NULL, 10);
	free(v);
}

/* A number attribute into *out (*has set); unchanged when absent. */
void
pf_scn__attr_double(xmlNode *n, const char *name, int *has, double *out)
{
	char *v = pf_scn__attr(n, name);

	if (v != NULL) {
		if (has != NULL)
			*has = 1;
		*out = strtod(v, NULL);
	}
	free(v);
}

/* "true" or "1"; def when absent. */
int
pf_scn__attr_bool(xmlNode *n, const char *name, int def)
{
	char *v = pf_scn__attr(n, name);
	int b = v == NULL ? def : !strcmp(v, "true") || !strcmp(v, "1");

	free(v);
	return b;
}

/* A file attribute resolved against dir (NULL when absent). */
char *
pf_scn__attr_path(xmlNode *n, const char *name, const char *dir)
{
	char *v = pf_scn__attr(n, name), *p = pf_path_join(dir, v);

	free(v);
	return p;
}

double
pf_scn__attr_real(xmlNode *n, const char *name)
{
	char *v = pf_scn__attr(n, name);
	double x = v != NULL ? strtod(v, NULL) : NAN;

	free(v);
	return x;
}
