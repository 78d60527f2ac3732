/*
 * harness/util/param.c — see param.h.
 */
#include <string.h>

#include "harness/util/param.h"

const pf_param *
pf_param_find(const pf_param *p, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].key, key) == 0)
			return &p[i];
	return NULL;
}
