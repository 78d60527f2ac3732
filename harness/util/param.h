/*
 * harness/util/param.h — a key=value parameter with the line it came
 * from: a scenario stage element's attributes, read by the loader
 * (harness/load/scenario.h) and handed to the stage (harness/stages).
 */
#ifndef PF_HARNESS_UTIL_PARAM_H
#define PF_HARNESS_UTIL_PARAM_H

#include <stddef.h>

typedef struct pf_param {
	const char	*key;
	const char	*value;
	long		 line;
} pf_param;

/* The first of the n parameters named key (borrowed), or NULL. */
const pf_param	*pf_param_find(const pf_param *p, size_t n, const char *key);

#endif /* PF_HARNESS_UTIL_PARAM_H */
