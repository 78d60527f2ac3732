/*
 * harness/util/grow.c — see grow.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/grow.h"

size_t
pf_grow_cap(size_t cap, size_t need, size_t sz)
{
	size_t c = cap ? cap : PF_GROW_MIN, bytes;

	while (c < need) {
		if (c > SIZE_MAX / 2)
			return 0;
		c *= 2;
	}
	if (sz == 0 || __builtin_mul_overflow(c, sz, &bytes))
		return 0;
	return c;
}

void *
pf_realloc_n(void *arr, size_t n, size_t sz)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, sz, &bytes))
		return NULL;
	return realloc(arr, bytes ? bytes : 1);
}

void *
pf_grow(void *arr, size_t *cap, size_t need, size_t sz)
{
	size_t c;
	void *p;

	if (arr != NULL && need <= *cap)
		return arr;
	if ((c = pf_grow_cap(*cap, need, sz)) == 0 ||
	    (p = pf_realloc_n(arr, c, sz)) == NULL)
		return NULL;
	*cap = c;
	return p;
}

char *
pf_path_join(const char *dir, const char *rel)
{
	size_t a, b;
	char *p;

	if (rel == NULL)
		return NULL;
	if (rel[0] == '/' || dir == NULL || dir[0] == '\0' ||
	    strcmp(dir, ".") == 0)
		return strdup(rel);
	a = strlen(dir);
	b = strlen(rel);
	if ((p = malloc(a + b + 2)) == NULL)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, rel, b + 1);
	return p;
}
