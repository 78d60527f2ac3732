/*
 * harness/analysis/featrun.c — see featrun.h. A stack's candidates are
 * the first <candidates> stage's file (with its query-file, names and
 * feature-base), read again here as `features stats` reads it: the
 * replay's lists keep only the rows it ranked.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/featrun.h"
#include "harness/check/featstats.h"
#include "harness/load/featnames.h"
#include "harness/util/grow.h"

#define TOP_DETAILS	5	/* features listed in a gate's details */

/* A stack's candidates file: the paths resolved against the scenario. */
typedef struct cands {
	size_t		 stack;
	char		*file, *qf, *names;
	int		 base;
} cands;

static void
cands_clear(cands *c)
{
	free(c->file);
	free(c->qf);
	free(c->names);
}

static const char *
param(const pf_scn_stage *g, const char *key)
{
	for (size_t i = 0; i < g->nparams; i++)
		if (strcmp(g->params[i].key, key) == 0)
			return g->params[i].value;
	return NULL;
}

/* The candidates of stack id (NULL: the first stack that has some). */
static int
find_cands(cands *out, const pf_scenario *s, const char *id, long line,
    const char *what, pf_err *err)
{
	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < s->nstacks; k++) {
		const pf_scn_stack *st = &s->stacks[k];
		if (id != NULL && strcmp(st->id, id) != 0)
			continue;
		for (size_t j = 0; j < st->nstages; j++) {
			const pf_scn_stage *g = &st->stages[j];
			if (strcmp(g->name, "candidates") != 0 ||
			    param(g, "file") == NULL)
				continue;
			const char *q = param(g, "query-file"), *n = param(g,
			    "names"), *b = param(g, "feature-base");
			out->stack = k;
			out->file = pf_path_join(s->dir, param(g, "file"));
			out->qf = q ? pf_path_join(s->dir, q) : NULL;
			out->names = n ? pf_path_join(s->dir, n) : NULL;
			out->base = b != NULL && strcmp(b, "0") == 0 ?
			    PF_SVM_BASE_ZERO : PF_SVM_BASE_ONE;
			if (out->file == NULL || (q && !out->qf) ||
			    (n && !out->names)) {
				cands_clear(out);
				return pf_err_set(err, PF_ENOMEM, NULL, 0,
				    "out of memory");
			}
			return PF_OK;
		}
		if (id != NULL)
			break;
	}
	return pf_err_set(err, PF_EINVAL, s->path, line, "%s: %s%s%s reads "
	    "no candidates file (a <candidates file=...> stage)", what,
	    id ? "stack '" : "no stack", id ? id : "", id ? "'" : "");
}

/* One file loaded and summarised (names: NULL or a names file). */
static int
load_stats(pf_svm **s, pf_fst **t, const char *file, const char *qf,
    const char *names, int base, int corr, pf_err *err)
{
	pf_svm_opts o = {qf, base, 1, 0};
	pf_fnames *nm = NULL;
	int rc;

	*s = NULL;
	*t = NULL;
	if ((names != NULL && (rc = pf_featnames_load(&nm, names, err)) !=
	    PF_OK) || (rc = pf_svm_load(s, file, &o, err)) != PF_OK ||
	    (rc = pf_fst_compute(t, *s, nm, corr, err)) != PF_OK) {
		pf_svm_free(*s);
		*s = NULL;
	}
	pf_fnames_free(nm);
	return rc;
}

/* The gate's verdict on skew k into r. */
static void
judge(pf_gate_result *r, const pf_scn_featgate *g, const pf_fsk *k,
    const pf_scenario *s, const cands *c)
{
	int psi_ok = pf_fsk_pass_psi(k, g->max_psi);
	int mis_ok = pf_fsk_pass_mismatch(k, g->max_mismatch);
	size_t len = 0;

	snprintf(r->id, sizeof(r->id), "%s", g->id);
	r->line = g->line;
	r->stack = c->stack;
	r->status = psi_ok && mis_ok ? PF_GATE_PASS : PF_GATE_FAIL;
	snprintf(r->name, sizeof(r->name), "%s: feature drift of %s's "
	    "candidates vs %s", g->id, s->stacks[c->stack].id, g->reference);
	if (!psi_ok)
		snprintf(r->message, sizeof(r->message), "%s's PSI %.4g "
		    "exceeds max-psi %g", k->f[0].name, k->f[0].psi,
		    g->max_psi);
	else if (!mis_ok)
		snprintf(r->message, sizeof(r->message), "%.4g of the %llu "
		    "shared rows differ: over max-mismatch %g",
		    k->mismatch_rate, (unsigned long long)k->shared,
		    g->max_mismatch);
	else
		snprintf(r->message, sizeof(r->message), "largest PSI %.4g "
		    "(%s), shared rows differing %.4g", k->nf ? k->f[0].psi :
		    0.0, k->nf ? k->f[0].name : "-", isnan(k->mismatch_rate) ?
		    0.0 : k->mismatch_rate);
	for (size_t i = 0; i < k->nf && i < TOP_DETAILS &&
	    len < sizeof(r->details); i++) {
		int w = snprintf(r->details + len, sizeof(r->details) - len,
		    "%s%s: psi %.4g, ks_d %.4g, q %.3g, missing %.3g -> "
		    "%.3g", i ? "\n" : "", k->f[i].name, k->f[i].psi,
		    k->f[i].ks_d, k->f[i].ks_q, k->f[i].miss_a,
		    k->f[i].miss_b);
		len += w > 0 ? (size_t)w : 0;
	}
}

/* One <feature-gate>: reference A, the stack's candidates B. */
static int
one_gate(pf_featrun *f, const pf_scenario *s, const pf_scn_featgate *g,
    pf_err *err)
{
	pf_svm *sa = NULL, *sb = NULL;
	pf_fst *ta = NULL, *tb = NULL;
	pf_fsk *k = NULL;
	pf_gate_result *r;
	cands c;
	char what[128];
	int rc;

	snprintf(what, sizeof(what), "feature-gate '%s'", g->id);
	if ((rc = find_cands(&c, s, g->stack, g->line, what, err)) != PF_OK)
		return rc;
	if ((rc = load_stats(&sa, &ta, g->reference, g->query_file, c.names,
	    c.base, 0, err)) != PF_OK || (rc = load_stats(&sb, &tb, c.file,
	    c.qf, c.names, c.base, 0, err)) != PF_OK ||
	    (rc = pf_fsk_compute(&k, ta, sa, tb, sb, err)) != PF_OK)
		goto done;
	if ((r = pf_gate_add(&f->gates)) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	judge(r, g, k, s, &c);
done:
	pf_fsk_free(k);
	pf_fst_free(ta);
	pf_fst_free(tb);
	pf_svm_free(sa);
	pf_svm_free(sb);
	cands_clear(&c);
	return rc;
}

/* <features-report>: {"stack", "stats": {files}, "skew": {...}|absent}. */
static int
report(pf_featrun *f, const pf_scenario *s, pf_err *err)
{
	pf_svm *sa = NULL, *sb = NULL;
	pf_fst *ta = NULL, *tb = NULL;
	pf_fsk *k = NULL;
	json_t *o = NULL, *st = NULL, *sk = NULL;
	cands c;
	int rc;

	if ((rc = find_cands(&c, s, s->freport_stack, s->freport_line,
	    "features-report", err)) != PF_OK)
		return rc;
	if ((rc = load_stats(&sb, &tb, c.file, c.qf, c.names, c.base, 1,
	    err)) != PF_OK)
		goto done;
	if (s->freport_ref != NULL && ((rc = load_stats(&sa, &ta,
	    s->freport_ref, s->freport_qf, c.names, c.base, 0, err)) !=
	    PF_OK || (rc = pf_fsk_compute(&k, ta, sa, tb, sb, err)) != PF_OK))
		goto done;
	const pf_fst *one[] = {tb};
	if ((o = json_object()) == NULL || (st = pf_fst_json(one, 1)) ==
	    NULL || (k != NULL && (sk = pf_fsk_json(k, sa, sb, NAN, NAN)) ==
	    NULL)) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	json_object_set_new(o, "stack", json_string(s->stacks[c.stack].id));
	json_object_set_new(o, "stats", st);
	st = NULL;
	if (sk != NULL)
		json_object_set_new(o, "skew", sk);
	sk = NULL;
	f->report = o;
	o = NULL;
done:
	json_decref(o);
	json_decref(st);
	json_decref(sk);
	pf_fsk_free(k);
	pf_fst_free(ta);
	pf_fst_free(tb);
	pf_svm_free(sa);
	pf_svm_free(sb);
	cands_clear(&c);
	return rc;
}

void
pf_featrun_free(pf_featrun *f)
{
	if (f == NULL)
		return;
	pf_gate_list_clear(&f->gates);
	json_decref(f->report);
	free(f);
}

int
pf_featrun_run(pf_featrun **out, const pf_scenario *s, pf_err *err)
{
	pf_featrun *f;
	int rc = PF_OK;

	*out = NULL;
	if (s->nfgates == 0 && s->freport_line == 0)
		return PF_OK;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < s->nfgates && rc == PF_OK; i++)
		rc = one_gate(f, s, &s->fgates[i], err);
	if (rc == PF_OK && s->freport_line != 0)
		rc = report(f, s, err);
	if (rc != PF_OK) {
		pf_featrun_free(f);
		return rc;
	}
	*out = f;
	return PF_OK;
}
