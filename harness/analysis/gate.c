/*
 * harness/analysis/gate.c — see gate.h.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/gate.h"
#include "harness/util/grow.h"

pf_gate_result *
pf_gate_add(pf_gate_list *l)
{
	pf_gate_result *v = pf_grow(l->v, &l->cap, l->n + 1, sizeof(*v));

	if (v == NULL)
		return NULL;
	l->v = v;
	memset(&v[l->n], 0, sizeof(v[l->n]));
	return &v[l->n++];
}

size_t
pf_gate_count(const pf_gate_list *l, int st)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].status == st;
	return n;
}

void
pf_gate_list_clear(pf_gate_list *l)
{
	free(l->v);
	*l = (pf_gate_list){0};
}
