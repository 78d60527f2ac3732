/*
 * harness/analysis/attrib_align.c — the control and a treatment stack aligned into
 * stage slots, and the slots grouped into players (the rules are in
 * harness/analysis/attrib.h and README "Stage attribution").
 */
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/attrib_internal.h"

static int
same_stage(const pf_scn_stage *x, const pf_scn_stage *y)
{
	if (strcmp(x->name, y->name) != 0 || x->nparams != y->nparams)
		return 0;
	for (size_t i = 0; i < x->nparams; i++)
		if (strcmp(x->params[i].key, y->params[i].key) != 0 ||
		    strcmp(x->params[i].value, y->params[i].value) != 0)
			return 0;
	return 1;
}

static void
add_slot(pf_attrib_pair *p, const pf_scn_stack *c, const pf_scn_stack *t,
    long ci, long ti)
{
	pf_attrib_slot *s = &p->slots[p->nslots++];

	memset(s, 0, sizeof(*s));
	s->ctl = ci;
	s->trt = ti;
	s->player = -1;
	if (ci >= 0)
		snprintf(s->control, sizeof(s->control), "%s",
		    c->stages[ci].name);
	if (ti >= 0)
		snprintf(s->treatment, sizeof(s->treatment), "%s",
		    t->stages[ti].name);
}

/* The unmatched stages c[i..ie) and t[j..je): pair in order, then the rest. */
static void
add_gap(pf_attrib_pair *p, const pf_scn_stack *c, const pf_scn_stack *t,
    size_t i, size_t ie, size_t j, size_t je)
{
	while (i < ie && j < je)
		add_slot(p, c, t, (long)i++, (long)j++);
	while (i < ie)
		add_slot(p, c, t, (long)i++, -1);
	while (j < je)
		add_slot(p, c, t, -1, (long)j++);
}

/* Longest common subsequence of stage names, then the gaps. */
int
pf_attrib__align(pf_attrib_pair *p, const pf_scn_stack *c,
    const pf_scn_stack *t)
{
	size_t m = c->nstages, n = t->nstages;
	size_t (*L)[MAXSLOTS + 1];

	if (m > MAXSLOTS || n > MAXSLOTS || m + n > MAXSLOTS)
		return -1;
	if ((L = calloc(MAXSLOTS + 1, sizeof(*L))) == NULL ||
	    (p->slots = calloc(m + n + 1, sizeof(*p->slots))) == NULL) {
		free(L);
		return -2;
	}
	/* L[i][j]: LCS length of c[i..] and t[j..] */
	for (size_t i = m + 1; i-- > 0;)
		for (size_t j = n + 1; j-- > 0;) {
			if (i == m || j == n)
				L[i][j] = 0;
			else if (strcmp(c->stages[i].name, t->stages[j].name) ==
			    0)
				L[i][j] = L[i + 1][j + 1] + 1;
			else
				L[i][j] = L[i + 1][j] > L[i][j + 1] ?
				    L[i + 1][j] : L[i][j + 1];
		}
	size_t i = 0, j = 0, gi = 0, gj = 0;
	while (i < m && j < n) {
		if (strcmp(c->stages[i].name, t->stages[j].name) == 0 &&
		    L[i][j] == L[i + 1][j + 1] + 1) {
			add_gap(p, c, t, gi, i, gj, j);
			add_slot(p, c, t, (long)i, (long)j);
			gi = ++i;
			gj = ++j;
		} else if (L[i + 1][j] >= L[i][j + 1])
			i++;
		else
			j++;
	}
	add_gap(p, c, t, gi, m, gj, n);
	free(L);
	return 0;
}

/* Players from the differing slots (attrib.h: features join the scorer). */
int
pf_attrib__players(pf_attrib_pair *p, const pf_replay *r, size_t k)
{
	const pf_scn_stack *c = &r->scn->stacks[0], *t = &r->scn->stacks[k];
	size_t np = 0;
	int pending = -1;	/* a features-only slot waiting for a scorer */

	for (size_t j = 0; j < p->nslots; j++) {
		pf_attrib_slot *s = &p->slots[j];
		if (s->ctl >= 0 && s->trt >= 0 && same_stage(&c->stages[s->ctl],
		    &t->stages[s->trt]))
			continue;
		unsigned fl = 0;
		if (s->ctl >= 0)
			fl |= r->ops[0][s->ctl]->flags;
		if (s->trt >= 0)
			fl |= r->ops[k][s->trt]->flags;
		if (pending >= 0)
			s->player = pending;
		else
			s->player = (int)np++;
		/* features only: the next differing slot reads them */
		pending = (fl & PF_STAGE_FEATURES) && !(fl & (PF_STAGE_SCORES |
		    PF_STAGE_RETRIEVES)) ? s->player : -1;
	}
	p->nplayers = np;
	if (np > MAXPLAYERS)
		return -1;
	if ((p->players = calloc(np + 1, sizeof(*p->players))) == NULL)
		return -2;
	for (size_t j = 0; j < p->nslots; j++) {
		const pf_attrib_slot *s = &p->slots[j];
		if (s->player < 0)
			continue;
		pf_attrib_player *pl = &p->players[s->player];
		size_t l = strlen(pl->name);
		snprintf(pl->name + l, sizeof(pl->name) - l, "%s%s%s (%ld)",
		    l ? " + " : "", s->trt >= 0 ? "" : "no ",
		    s->trt >= 0 ? s->treatment : s->control,
		    (s->trt >= 0 ? s->trt : s->ctl) + 1);
		pl->nslots++;
	}
	return 0;
}

