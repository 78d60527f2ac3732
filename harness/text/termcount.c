/*
 * harness/text/termcount.c — see termcount.h. The slot array at[] is
 * indexed by term id and grown (zero-filled) by doubling as new ids
 * arrive; id[] and tf[] grow by doubling with the document's distinct
 * terms.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/text/termcount.h"
#include "harness/util/grow.h"
#include "metrics/err.h"

int
pf_termcount_add(pf_termcount *c, uint32_t term, double w)
{
	if (term >= c->nat) {
		size_t old = c->nat, nat = c->nat;
		uint32_t *a = pf_grow(c->at, &nat, (size_t)term + 1,
		    sizeof(*a));
		if (a == NULL)
			return PF_ENOMEM;
		memset(a + old, 0, (nat - old) * sizeof(*a));
		c->at = a;
		c->nat = nat;
	}
	uint32_t i = c->at[term];
	if (i == 0) {
		if (c->n >= UINT32_MAX)	/* 1 + index must fit a slot */
			return PF_ENOMEM;
		if (c->n == c->cap) {
			size_t cap = pf_grow_cap(c->cap, c->n + 1,
			    sizeof(double));
			uint32_t *id;
			double *tf;
			/* id and tf share cap: a failed second realloc
			   leaves the first larger, which is harmless. */
			if (cap == 0 || (id = pf_realloc_n(c->id, cap,
			    sizeof(*id))) == NULL)
				return PF_ENOMEM;
			c->id = id;
			if ((tf = pf_realloc_n(c->tf, cap, sizeof(*tf))) == NULL)
				return PF_ENOMEM;
			c->tf = tf;
			c->cap = cap;
		}
		c->id[c->n] = term;
		c->tf[c->n] = 0.0;
		i = (uint32_t)++c->n;
		c->at[term] = i;
	}
	c->tf[i - 1] += w;
	return PF_OK;
}

void
pf_termcount_reset(pf_termcount *c)
{
	for (size_t i = 0; i < c->n; i++)
		c->at[c->id[i]] = 0;
	c->n = 0;
}

void
pf_termcount_free(pf_termcount *c)
{
	if (c == NULL)
		return;
	free(c->id);
	free(c->tf);
	free(c->at);
	*c = (pf_termcount)PF_TERMCOUNT_INIT;
}
