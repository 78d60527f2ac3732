/*
 * harness/history/diff_db.c — one side of a diff from a run kept in a
 * history (DB#ID, DB#last, DB#last-pass): the run's row, its stack means,
 * every stored per-query value, its top tens, gates, inputs, labels and
 * feature statistics, each table read in one statement. The database is
 * never created here (pf_history_open without create): a missing file is
 * bad input. Messages show the database as the store names it (a URI's
 * password left out).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/history/diff_internal.h"
#include "harness/history/internal.h"
#include "harness/history/reference.h"
#include "harness/util/strtab.h"

/* The text after spec's last '#' (pf_dside_is_db said there is one). */
static const char *
run_part(const char *spec)
{
	return strrchr(spec, '#') + 1;
}

/* The range of run ids, for a message about one that is not there. */
static void
ids_held(pf_history *h, char *b, size_t sz)
{
	pf_hrows r;

	snprintf(b, sz, "it holds no run");
	if (pf_hquery(h, "SELECT MIN(id), MAX(id), COUNT(*) FROM runs", NULL,
	    0, &r, NULL) != PF_OK)
		return;
	const char *lo = pf_hrows_get(&r, 0, 0), *hi = pf_hrows_get(&r, 0, 1);
	const char *n = pf_hrows_get(&r, 0, 2);
	if (lo != NULL && strcmp(n, "1") == 0)
		snprintf(b, sz, "it holds 1 run, id %s", lo);
	else if (lo != NULL)
		snprintf(b, sz, "it holds %s runs, ids %s to %s", n, lo, hi);
	pf_hrows_free(&r);
}

/* The newest run's id and scenario (id 0: none). */
static int
newest(pf_history *h, int64_t *id, char *scn, size_t sz, pf_err *err)
{
	pf_hrows r;
	int rc;

	*id = 0;
	if ((rc = pf_hquery(h, "SELECT id, scenario FROM runs WHERE id = "
	    "(SELECT MAX(id) FROM runs)", NULL, 0, &r, err)) != PF_OK)
		return rc;
	if (r.nrows == 1) {
		*id = strtoll(pf_hrows_get(&r, 0, 0), NULL, 10);
		snprintf(scn, sz, "%s", pf_hrows_get(&r, 0, 1));
	}
	pf_hrows_free(&r);
	return PF_OK;
}

/* The run id spec names; errors name the database. */
static int
resolve(pf_history *h, const char *spec, const pf_dside *other,
    int64_t *id, pf_err *err)
{
	const char *run = run_part(spec), *db = pf_history_shown(h);
	char scn[256] = "", held[128];
	int64_t before = 0;
	int rc;

	if (strcmp(run, "last") != 0 && strcmp(run, "last-pass") != 0) {
		*id = strtoll(run, NULL, 10);
		return PF_OK;
	}
	if ((rc = newest(h, id, scn, sizeof(scn), err)) != PF_OK)
		return rc;
	if (*id == 0)
		return pf_err_set(err, PF_EDATA, db, 0, "holds no run (%s)",
		    spec);
	if (strcmp(run, "last") == 0)
		return PF_OK;
	if (other != NULL && other->info.scenario != NULL)
		snprintf(scn, sizeof(scn), "%s", other->info.scenario);
	/* DB#last-pass beside DB#N: the last pass before N */
	if (other != NULL && other->info.run > 0 && strncmp(other->info.source,
	    db, strlen(db)) == 0 && other->info.source[strlen(db)] == '#')
		before = other->info.run;
	if ((rc = pf_history_reference(h, scn, "last-pass", before, id,
	    err)) != PF_OK)
		return rc;
	if (*id == 0) {
		ids_held(h, held, sizeof(held));
		return pf_err_set(err, PF_EDATA, db, 0, "no run of scenario "
		    "'%s' whose gates all passed%s (%s)", scn, before ?
		    " before the other side's" : "", held);
	}
	return PF_OK;
}

/* Stacks (position order), metrics (first appearance) and means. */
static int
stacks_part(pf_dside *d, pf_history *h, int64_t id, pf_err *err)
{
	pf_hist_table t;
	int rc;

	if ((rc = pf_history_stack_metrics(h, id, &t, err)) != PF_OK)
		return rc;
	if ((d->stack = pf_diff_alloc(d->a, t.nrows, sizeof(char *))) == NULL ||
	    (d->metric = pf_diff_alloc(d->a, t.nrows, sizeof(char *))) == NULL ||
	    (d->mean = pf_diff_alloc(d->a, t.nrows + 1, sizeof(double))) ==
	    NULL)
		goto nomem;
	for (size_t i = 0; i < t.nrows; i++) {
		const char *s = pf_hist_cell(&t, i, 0), *m = pf_hist_cell(&t, i,
		    1);
		if (pf_dside_find(d->stack, d->ns, s) < 0 &&
		    (d->stack[d->ns++] = pf_diff_strdup(d->a, s)) == NULL)
			goto nomem;
		if (pf_dside_find(d->metric, d->nm, m) < 0 &&
		    (d->metric[d->nm++] = pf_diff_strdup(d->a, m)) == NULL)
			goto nomem;
	}
	for (size_t i = 0; i < d->ns * d->nm; i++)
		d->mean[i] = NAN;
	for (size_t i = 0; i < t.nrows; i++) {
		const char *v = pf_hist_cell(&t, i, 2);
		long s = pf_dside_find(d->stack, d->ns, pf_hist_cell(&t, i, 0));
		long m = pf_dside_find(d->metric, d->nm, pf_hist_cell(&t, i, 1));
		d->mean[(size_t)s * d->nm + (size_t)m] = v ? strtod(v, NULL) :
		    NAN;
	}
	pf_hist_table_free(&t);
	return PF_OK;
nomem:
	pf_hist_table_free(&t);
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

/* Every stored per-query value, the qids in qid order. */
static int
values_part(pf_dside *d, pf_history *h, int64_t id, pf_err *err)
{
	pf_hval p = pf_hv_int(id);
	pf_strtab *qs = pf_strtab_new();
	pf_hrows r = {0};
	int rc;

	if (qs == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((rc = pf_hquery(h, "SELECT qid, stack, metric, value FROM "
	    "query_metrics WHERE run = $1 ORDER BY qid", &p, 1, &r, err)) !=
	    PF_OK)
		goto done;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *q = pf_hrows_get(&r, i, 0);
		if (pf_strtab_intern(qs, q, strlen(q)) < 0)
			goto nomem;
	}
	d->nq = pf_strtab_count(qs);
	if ((d->qid = pf_diff_alloc(d->a, d->nq, sizeof(char *))) == NULL ||
	    (d->value = pf_diff_alloc(d->a, d->ns * d->nm * d->nq,
	    sizeof(double))) == NULL)
		goto nomem;
	for (size_t q = 0; q < d->nq; q++)
		if ((d->qid[q] = pf_diff_strdup(d->a, pf_strtab_str(qs, q))) ==
		    NULL)
			goto nomem;
	for (size_t i = 0; i < d->ns * d->nm * d->nq; i++)
		d->value[i] = NAN;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *q = pf_hrows_get(&r, i, 0), *v = pf_hrows_get(&r, i,
		    3);
		long s = pf_dside_find(d->stack, d->ns, pf_hrows_get(&r, i, 1));
		long m = pf_dside_find(d->metric, d->nm, pf_hrows_get(&r, i,
		    2));
		if (s >= 0 && m >= 0 && v != NULL)
			pf_dside_values(d, (size_t)s, (size_t)m)[pf_strtab_find(
			    qs, q, strlen(q))] = strtod(v, NULL);
	}
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	pf_hrows_free(&r);
	pf_strtab_free(qs);
	return rc;
}

/* The top tens (none stored: d->top stays NULL). */
static int
tops_part(pf_dside *d, pf_history *h, int64_t id, pf_err *err)
{
	pf_hval p = pf_hv_int(id);
	pf_hrows r = {0};
	pf_strtab *qs = pf_strtab_new();	/* qid -> index, as d->qid */
	int rc = PF_OK;

	for (size_t q = 0; qs != NULL && q < d->nq; q++)
		if (pf_strtab_intern(qs, d->qid[q], strlen(d->qid[q])) < 0)
			break;
	if (qs == NULL || pf_strtab_count(qs) != d->nq) {
		pf_strtab_free(qs);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	if ((rc = pf_hquery(h, "SELECT stack, qid, rank, docid FROM rankings "
	    "WHERE run = $1", &p, 1, &r, err)) != PF_OK) {
		pf_strtab_free(qs);
		return rc;
	}
	if (r.nrows > 0 && (d->top = pf_diff_alloc(d->a, d->ns * d->nq *
	    PF_DIFF_TOPK, sizeof(char *))) == NULL)
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; rc == PF_OK && i < r.nrows; i++) {
		const char *qid = pf_hrows_get(&r, i, 1);
		long s = pf_dside_find(d->stack, d->ns, pf_hrows_get(&r, i, 0));
		long q = pf_strtab_find(qs, qid, strlen(qid));
		long k = strtol(pf_hrows_get(&r, i, 2), NULL, 10);
		if (s < 0 || q < 0 || k < 1 || k > PF_DIFF_TOPK)
			continue;	/* an unjudged query: never a mover */
		d->top[((size_t)s * d->nq + (size_t)q) * PF_DIFF_TOPK +
		    (size_t)k - 1] = pf_diff_strdup(d->a, pf_hrows_get(&r, i, 3));
	}
	pf_hrows_free(&r);
	pf_strtab_free(qs);
	return rc;
}

/* Gates and expectations, inputs. */
static int
listed_part(pf_dside *d, pf_history *h, int64_t id, pf_err *err)
{
	pf_hval p = pf_hv_int(id);
	pf_hrows r = {0};
	pf_hist_table t;
	int rc;

	if ((rc = pf_hquery(h, "SELECT what, kind, status, message FROM "
	    "gate_results WHERE run = $1", &p, 1, &r, err)) != PF_OK)
		return rc;
	d->ng = r.nrows;
	if ((d->gate = pf_diff_alloc(d->a, d->ng, sizeof(*d->gate))) == NULL)
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; rc == PF_OK && i < d->ng; i++)
		d->gate[i] = (pf_dgate){pf_diff_strdup(d->a, pf_hrows_get(&r, i,
		    0)), pf_diff_strdup(d->a, pf_hrows_get(&r, i, 1)),
		    pf_diff_strdup(d->a, pf_hrows_get(&r, i, 2)),
		    pf_diff_strdup(d->a, pf_hrows_get(&r, i, 3))};
	pf_hrows_free(&r);
	if (rc != PF_OK || (rc = pf_history_inputs(h, id, &t, err)) != PF_OK)
		return rc;
	d->nin = t.nrows;
	if ((d->in = pf_diff_alloc(d->a, d->nin, sizeof(*d->in))) == NULL)
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; rc == PF_OK && i < d->nin; i++)
		d->in[i] = (pf_dinput){pf_diff_strdup(d->a, pf_hist_cell(&t, i,
		    0)), pf_diff_strdup(d->a, pf_hist_cell(&t, i, 1)),
		    pf_diff_strdup(d->a, pf_hist_cell(&t, i, 2))};
	pf_hist_table_free(&t);
	return rc;
}

static double
cell_num(const pf_hist_table *t, size_t i, size_t j)
{
	const char *v = pf_hist_cell(t, i, j);

	return v != NULL ? strtod(v, NULL) : NAN;
}

/* The quantile sketch's JSON array (null: NaN) into q. */
static void
sketch(const char *text, double *q)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL;

	for (size_t k = 0; k < PF_DIFF_NQUANT; k++) {
		json_t *v = json_array_get(a, k);
		q[k] = json_is_number(v) ? json_number_value(v) : NAN;
	}
	json_decref(a);
}

static int
features_part(pf_dside *d, pf_history *h, int64_t id, pf_err *err)
{
	pf_hist_table t;
	int rc;

	if ((rc = pf_history_feature_stats(h, id, NULL, &t, err)) != PF_OK)
		return rc;
	d->nfs = t.nrows;
	if ((d->fs = pf_diff_alloc(d->a, d->nfs, sizeof(*d->fs))) == NULL)
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; rc == PF_OK && i < d->nfs; i++) {
		pf_dfeat *f = &d->fs[i];
		f->stack = pf_diff_strdup(d->a, pf_hist_cell(&t, i, 0));
		f->feature = strtol(pf_hist_cell(&t, i, 1), NULL, 10);
		f->name = pf_diff_strdup(d->a, pf_hist_cell(&t, i, 2));
		f->count = cell_num(&t, i, 3);
		f->missing_rate = cell_num(&t, i, 5);
		f->mean = cell_num(&t, i, 6);
		sketch(pf_hist_cell(&t, i, 10), f->q);
	}
	pf_hist_table_free(&t);
	return rc;
}

/* The labels "k=v;k=v" of the run's row. */
static int
labels_part(pf_dside *d, const char *labels)
{
	size_t n = 1;
	char *copy = pf_diff_strdup(d->a, labels ? labels : "");

	for (const char *c = copy; c && *c; c++)
		n += *c == ';';
	if (copy == NULL || (d->lkey = pf_diff_alloc(d->a, n,
	    sizeof(char *))) == NULL || (d->lval = pf_diff_alloc(d->a, n,
	    sizeof(char *))) == NULL)
		return -1;
	for (char *item = copy, *next; item != NULL && *item; item = next) {
		char *eq;
		if ((next = strchr(item, ';')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(item, '=')) == NULL)
			continue;
		*eq = '\0';
		d->lkey[d->nl] = item;
		d->lval[d->nl++] = eq + 1;
	}
	return 0;
}

/* The run's row: d->info, and the labels. */
static int
info_part(pf_dside *d, pf_history *h, const char *spec, int64_t id,
    pf_err *err)
{
	pf_hist_runs runs;
	char src[600], held[128];
	int rc;

	if ((rc = pf_history_run(h, id, &runs, err)) != PF_OK)
		return rc;
	if (runs.n == 0) {
		ids_held(h, held, sizeof(held));
		pf_hist_runs_free(&runs);
		return pf_err_set(err, PF_EDATA, pf_history_shown(h), 0, "no run "
		    "%s (%s; preflight history lists them)", run_part(spec),
		    held);
	}
	const pf_hist_runinfo *x = &runs.v[0];
	snprintf(src, sizeof(src), "%s#%s", pf_history_shown(h),
	    run_part(spec));
	d->info = (pf_diff_runinfo){.source = pf_diff_strdup(d->a, src),
	    .run = (long long)id, .scenario = pf_diff_strdup(d->a, x->scenario),
	    .time = pf_diff_strdup(d->a, x->time), .version = pf_diff_strdup(d->a,
	    x->version), .labels = pf_diff_strdup(d->a, x->labels),
	    .verdict = pf_diff_strdup(d->a, x->verdict), .seed = x->seed ?
	    strtoull(x->seed, NULL, 10) : 0, .nqueries = (size_t)x->nqueries};
	d->primary = pf_diff_strdup(d->a, x->primary);
	rc = labels_part(d, x->labels);
	pf_hist_runs_free(&runs);
	return rc == 0 ? PF_OK : pf_err_set(err, PF_ENOMEM, NULL, 0, "out of "
	    "memory");
}

int
pf_dside_from_db(pf_dside *d, const char *spec, const pf_dside *other,
    pf_err *err)
{
	size_t len = (size_t)(strrchr(spec, '#') - spec);
	char *db = strndup(spec, len);
	pf_history *h = NULL;
	int64_t id = 0;
	int rc;

	*d = (pf_dside){0};
	if (db == NULL || (d->a = pf_arena_new(1 << 16)) == NULL) {
		free(db);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	if ((rc = pf_history_open(&h, db, 0, err)) != PF_OK ||
	    (rc = resolve(h, spec, other, &id, err)) != PF_OK ||
	    (rc = info_part(d, h, spec, id, err)) != PF_OK ||
	    (rc = stacks_part(d, h, id, err)) != PF_OK ||
	    (rc = values_part(d, h, id, err)) != PF_OK ||
	    (rc = tops_part(d, h, id, err)) != PF_OK ||
	    (rc = listed_part(d, h, id, err)) != PF_OK ||
	    (rc = features_part(d, h, id, err)) != PF_OK)
		pf_dside_free(d);
	pf_history_close(h);
	free(db);
	return rc;
}
