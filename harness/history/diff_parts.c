/*
 * harness/history/diff_parts.c — the parts of a diff beside the metrics:
 * the inputs (matched by role and path, then a leftover of one role
 * paired with the other side's leftover of that role: a model file that
 * was replaced), the labels that differ, the gates and expectations
 * whose outcome differs (matched by their stable name), and the features
 * whose statistics drifted (metrics/drift.h). Each list is sorted, so
 * both sides' read order (a results.json's, a database's) never shows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/diff_internal.h"
#include "harness/util/strtab.h"
#include "metrics/drift.h"

#define MISSING_JUMP	0.05	/* a missing rate that moved 5 points */

static int
nomem(pf_err *err)
{
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

static int
by_role_path(const void *x, const void *y)
{
	const pf_dinput *a = x, *b = y;
	int c = strcmp(a->role, b->role);

	return c != 0 ? c : strcmp(a->path, b->path);
}

static int
by_input(const void *x, const void *y)
{
	const pf_diff_input *a = x, *b = y;
	int c = strcmp(a->role, b->role);

	return c != 0 ? c : strcmp(a->path_b ? a->path_b : a->path_a,
	    b->path_b ? b->path_b : b->path_a);
}

/* A sorted copy of side d's inputs in ar. */
static pf_dinput *
sorted_inputs(pf_arena *ar, const pf_dside *d)
{
	pf_dinput *v = pf_diff_alloc(ar, d->nin, sizeof(*v));

	if (v != NULL && d->nin > 0) {
		memcpy(v, d->in, d->nin * sizeof(*v));
		qsort(v, d->nin, sizeof(*v), by_role_path);
	}
	return v;
}

static pf_diff_input
paired(const pf_dinput *a, const pf_dinput *b)
{
	return (pf_diff_input){b->role, a->path, a->sha, b->path, b->sha,
	    strcmp(a->sha, b->sha) == 0 ? PF_DIFF_SAME : PF_DIFF_CHANGED};
}

int
pf_diff_part_inputs(pf_diff *x, pf_err *err)
{
	size_t na = x->a.nin, nb = x->b.nin, n = 0;
	pf_dinput *a = sorted_inputs(x->ar, &x->a);
	pf_dinput *b = sorted_inputs(x->ar, &x->b);
	unsigned char *ua = pf_diff_alloc(x->ar, na, 1);
	unsigned char *ub = pf_diff_alloc(x->ar, nb, 1);
	pf_diff_input *out = pf_diff_alloc(x->ar, na + nb, sizeof(*out));

	if (a == NULL || b == NULL || ua == NULL || ub == NULL || out == NULL)
		return nomem(err);
	for (size_t j = 0; j < nb; j++)	/* the same role and path */
		for (size_t i = 0; i < na && !ub[j]; i++)
			if (!ua[i] && by_role_path(&a[i], &b[j]) == 0) {
				out[n++] = paired(&a[i], &b[j]);
				ua[i] = ub[j] = 1;
			}
	for (size_t j = 0; j < nb; j++)	/* a file of that role replaced */
		for (size_t i = 0; i < na && !ub[j]; i++)
			if (!ua[i] && strcmp(a[i].role, b[j].role) == 0) {
				out[n++] = paired(&a[i], &b[j]);
				ua[i] = ub[j] = 1;
			}
	for (size_t j = 0; j < nb; j++)
		if (!ub[j])
			out[n++] = (pf_diff_input){b[j].role, NULL, NULL,
			    b[j].path, b[j].sha, PF_DIFF_ADDED};
	for (size_t i = 0; i < na; i++)
		if (!ua[i])
			out[n++] = (pf_diff_input){a[i].role, a[i].path,
			    a[i].sha, NULL, NULL, PF_DIFF_REMOVED};
	qsort(out, n, sizeof(*out), by_input);
	x->rep.inputs = out;
	x->rep.ninputs = n;
	return PF_OK;
}

static const char *
label_of(const pf_dside *d, const char *key)
{
	long i = pf_dside_find(d->lkey, d->nl, key);

	return i >= 0 ? d->lval[i] : NULL;
}

static int
by_key(const void *x, const void *y)
{
	return strcmp(((const pf_diff_label *)x)->key,
	    ((const pf_diff_label *)y)->key);
}

int
pf_diff_part_labels(pf_diff *x, pf_err *err)
{
	const pf_dside *a = &x->a, *b = &x->b;
	pf_diff_label *out;
	size_t n = 0;

	if (a->lkey == NULL || b->lkey == NULL)
		return PF_OK;	/* a results.json keeps none */
	x->rep.labels_known = 1;
	if ((out = pf_diff_alloc(x->ar, a->nl + b->nl, sizeof(*out))) == NULL)
		return nomem(err);
	for (size_t i = 0; i < b->nl; i++) {
		const char *va = label_of(a, b->lkey[i]);
		if (va == NULL || strcmp(va, b->lval[i]) != 0)
			out[n++] = (pf_diff_label){b->lkey[i], va, b->lval[i]};
	}
	for (size_t i = 0; i < a->nl; i++)
		if (label_of(b, a->lkey[i]) == NULL)
			out[n++] = (pf_diff_label){a->lkey[i], a->lval[i], NULL};
	qsort(out, n, sizeof(*out), by_key);
	x->rep.labels = out;
	x->rep.nlabels = n;
	return PF_OK;
}

static int
by_flip(const void *x, const void *y)
{
	return strcmp(((const pf_diff_flip *)x)->name,
	    ((const pf_diff_flip *)y)->name);
}

int
pf_diff_part_flips(pf_diff *x, pf_err *err)
{
	const pf_dside *a = &x->a, *b = &x->b;
	pf_strtab *names = pf_strtab_new();
	unsigned char *seen = pf_diff_alloc(x->ar, a->ng, 1);
	pf_diff_flip *out = pf_diff_alloc(x->ar, a->ng + b->ng,
	    sizeof(*out));
	size_t n = 0;

	if (names == NULL || seen == NULL || out == NULL) {
		pf_strtab_free(names);
		return nomem(err);
	}
	for (size_t i = 0; i < a->ng; i++)	/* ids in a's order */
		if (pf_strtab_intern(names, a->gate[i].name,
		    strlen(a->gate[i].name)) < 0) {
			pf_strtab_free(names);
			return nomem(err);
		}
	for (size_t j = 0; j < b->ng; j++) {
		const pf_dgate *g = &b->gate[j];
		long i = pf_strtab_find(names, g->name, strlen(g->name));
		const pf_dgate *o = i >= 0 ? &a->gate[i] : NULL;
		if (o != NULL)
			seen[i] = 1;
		if (o == NULL || strcmp(o->status, g->status) != 0)
			out[n++] = (pf_diff_flip){g->name, g->kind, o ?
			    o->status : NULL, g->status, o ? o->message : NULL,
			    g->message};
	}
	for (size_t i = 0; i < a->ng; i++)
		if (!seen[i])
			out[n++] = (pf_diff_flip){a->gate[i].name, a->gate[i].kind,
			    a->gate[i].status, NULL, a->gate[i].message, NULL};
	pf_strtab_free(names);
	qsort(out, n, sizeof(*out), by_flip);
	x->rep.flips = out;
	x->rep.nflips = n;
	return PF_OK;
}

static int
by_drift(const void *x, const void *y)
{
	const pf_diff_drift *a = x, *b = y;
	int c;

	if (a->flagged != b->flagged)
		return b->flagged - a->flagged;
	if (isnan(a->psi) != isnan(b->psi))
		return isnan(a->psi) - isnan(b->psi);
	if (!isnan(a->psi) && a->psi != b->psi)
		return a->psi < b->psi ? 1 : -1;
	if ((c = strcmp(a->stack, b->stack)) != 0)
		return c;
	return (a->feature > b->feature) - (a->feature < b->feature);
}

/* Side d's statistics of (stack, feature), or NULL. */
static const pf_dfeat *
feature_of(const pf_dside *d, const char *stack, long feature)
{
	for (size_t i = 0; i < d->nfs; i++)
		if (d->fs[i].feature == feature && strcmp(d->fs[i].stack,
		    stack) == 0)
			return &d->fs[i];
	return NULL;
}

int
pf_diff_part_drift(pf_diff *x, pf_err *err)
{
	const pf_dside *a = &x->a, *b = &x->b;
	pf_diff_drift *out;
	size_t n = 0;

	if (a->fs == NULL || b->fs == NULL) {
		x->rep.drift_note = "feature statistics are kept only in a "
		    "history (run --history): not compared";
		return PF_OK;
	}
	if ((out = pf_diff_alloc(x->ar, b->nfs, sizeof(*out))) == NULL)
		return nomem(err);
	for (size_t j = 0; j < b->nfs; j++) {
		const pf_dfeat *fb = &b->fs[j];
		const pf_dfeat *fa = feature_of(a, fb->stack, fb->feature);
		if (fa == NULL || !(fa->count > 0) || !(fb->count > 0))
			continue;
		pf_diff_drift *d = &out[n++];
		*d = (pf_diff_drift){fb->stack, fb->name, fb->feature,
		    pf_drift_psi(fa->q, fa->missing_rate, fb->q,
		    fb->missing_rate, PF_DIFF_NQUANT), fa->missing_rate,
		    fb->missing_rate, fa->mean, fb->mean, fa->count, fb->count,
		    fa->q, fb->q, 0};
		d->flagged = d->psi >= PF_DRIFT_MODERATE ||
		    fabs(d->miss_b - d->miss_a) >= MISSING_JUMP;
	}
	if (n == 0)
		x->rep.drift_note = "no feature of a stack both runs have has "
		    "statistics in both";
	qsort(out, n, sizeof(*out), by_drift);
	x->rep.drift = out;
	x->rep.ndrift = n;
	return PF_OK;
}
