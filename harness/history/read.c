/*
 * harness/history/read.c — reading the history back (history.h): the runs
 * of a scenario, one run's per-query values, stack means, inputs, feature
 * statistics and goals, the last run whose gates all passed; and pruning
 * to the last N runs per scenario in one transaction. Every statement has
 * its values bound as parameters.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/internal.h"

/* The child tables, deleted before runs when a run is pruned. */
static const char *const children[] = {"run_labels", "inputs", "stacks",
    "stack_metrics", "query_metrics", "segment_metrics", "gate_results",
    "rankings", "feature_stats", "goals"};

#define RUN_COLS "id, time_utc, scenario, scenario_sha256, golden, " \
	"golden_sha256, seed, version, labels, primary_metric, verdict, " \
	"nstacks, nqueries, nmetrics, gates_failed, exit_code"

static long
num(const char *s)
{
	return s != NULL ? strtol(s, NULL, 10) : 0;
}

/* Rows of RUN_COLS into out (the rows kept as its strings' owner). */
static int
runs_of(pf_hrows *rows, pf_hist_runs *out, pf_err *err)
{
	pf_hrows *own = malloc(sizeof(*own));

	if (own == NULL || (out->v = calloc(rows->nrows + 1,
	    sizeof(*out->v))) == NULL) {
		free(own);
		pf_hrows_free(rows);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	*own = *rows;
	out->own = own;
	out->n = rows->nrows;
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *const *c = (const char *const *)own->cell +
		    i * own->ncols;
		out->v[i] = (pf_hist_runinfo){.id = strtoll(c[0], NULL, 10),
		    .time = c[1], .scenario = c[2], .scenario_sha256 = c[3],
		    .golden = c[4], .golden_sha256 = c[5], .seed = c[6],
		    .version = c[7], .labels = c[8], .primary = c[9],
		    .verdict = c[10], .nstacks = num(c[11]),
		    .nqueries = num(c[12]), .nmetrics = num(c[13]),
		    .gates_failed = num(c[14]), .exit_code = (int)num(c[15])};
	}
	return PF_OK;
}

int
pf_history_list(pf_history *h, const char *scenario, pf_hist_runs *out,
    pf_err *err)
{
	pf_hval p = pf_hv_text(scenario);
	pf_hrows rows;
	int rc;

	*out = (pf_hist_runs){0};
	rc = scenario != NULL ? pf_hquery(h, "SELECT " RUN_COLS " FROM runs "
	    "WHERE scenario = $1 ORDER BY id", &p, 1, &rows, err) :
	    pf_hquery(h, "SELECT " RUN_COLS " FROM runs ORDER BY id", NULL, 0,
	    &rows, err);
	return rc != PF_OK ? rc : runs_of(&rows, out, err);
}

int
pf_history_run(pf_history *h, int64_t id, pf_hist_runs *out, pf_err *err)
{
	pf_hval p = pf_hv_int(id);
	pf_hrows rows;
	int rc;

	*out = (pf_hist_runs){0};
	if ((rc = pf_hquery(h, "SELECT " RUN_COLS " FROM runs WHERE id = $1",
	    &p, 1, &rows, err)) != PF_OK)
		return rc;
	return runs_of(&rows, out, err);
}

void
pf_hist_runs_free(pf_hist_runs *r)
{
	if (r->own != NULL)
		pf_hrows_free(r->own);
	free(r->own);
	free(r->v);
	*r = (pf_hist_runs){0};
}

int
pf_history_last_pass(pf_history *h, const char *scenario, int64_t *id_out,
    pf_err *err)
{
	pf_hval p = pf_hv_text(scenario);
	pf_hrows rows;
	const char *v;
	int rc;

	*id_out = 0;
	if ((rc = pf_hquery(h, "SELECT MAX(id) FROM runs WHERE scenario = $1 "
	    "AND gates_failed = 0 AND exit_code = 0", &p, 1, &rows, err)) !=
	    PF_OK)
		return rc;
	if ((v = pf_hrows_get(&rows, 0, 0)) != NULL)
		*id_out = strtoll(v, NULL, 10);
	pf_hrows_free(&rows);
	return PF_OK;
}

int
pf_history_query_values(pf_history *h, int64_t run, const char *stack,
    const char *metric, pf_hist_qvalues *out, pf_err *err)
{
	pf_hval p[] = {pf_hv_int(run), pf_hv_text(stack), pf_hv_text(metric)};
	pf_hrows *own = malloc(sizeof(*own));
	int rc;

	*out = (pf_hist_qvalues){0};
	if (own == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((rc = pf_hquery(h, "SELECT qid, value FROM query_metrics WHERE "
	    "run = $1 AND stack = $2 AND metric = $3 ORDER BY qid", p, 3, own,
	    err)) != PF_OK) {
		free(own);
		return rc;
	}
	out->own = own;
	out->n = own->nrows;
	if ((out->qid = calloc(own->nrows + 1, sizeof(*out->qid))) == NULL ||
	    (out->value = calloc(own->nrows + 1, sizeof(double))) == NULL) {
		pf_hist_qvalues_free(out);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t i = 0; i < own->nrows; i++) {
		const char *v = pf_hrows_get(own, i, 1);
		out->qid[i] = pf_hrows_get(own, i, 0);
		out->value[i] = v != NULL ? strtod(v, NULL) : NAN;
	}
	return PF_OK;
}

void
pf_hist_qvalues_free(pf_hist_qvalues *q)
{
	if (q->own != NULL)
		pf_hrows_free(q->own);
	free(q->own);
	free(q->qid);
	free(q->value);
	*q = (pf_hist_qvalues){0};
}

/* A generic read: sql's rows with the column names cols. */
static int
table(pf_history *h, const char *sql, const pf_hval *p, size_t np,
    const char *const *cols, pf_hist_table *out, pf_err *err)
{
	pf_hrows rows;
	int rc;

	*out = (pf_hist_table){0};
	if ((rc = pf_hquery(h, sql, p, np, &rows, err)) != PF_OK)
		return rc;
	*out = (pf_hist_table){rows.nrows, rows.ncols,
	    (const char **)cols, rows.cell};
	return PF_OK;
}

int
pf_history_inputs(pf_history *h, int64_t run, pf_hist_table *out,
    pf_err *err)
{
	static const char *const cols[] = {"role", "path", "sha256", "bytes"};
	pf_hval p = pf_hv_int(run);

	return table(h, "SELECT role, path, sha256, bytes FROM inputs WHERE "
	    "run = $1 ORDER BY role, path", &p, 1, cols, out, err);
}

int
pf_history_stack_metrics(pf_history *h, int64_t run, pf_hist_table *out,
    pf_err *err)
{
	static const char *const cols[] = {"stack", "metric", "mean",
	    "control_mean", "delta", "ci_lo", "ci_hi", "p_value", "p_adjusted"};
	pf_hval p = pf_hv_int(run);

	return table(h, "SELECT m.stack, m.metric, m.mean, m.control_mean, "
	    "m.delta, m.ci_lo, m.ci_hi, m.p_value, m.p_adjusted FROM "
	    "stack_metrics m JOIN stacks s ON s.run = m.run AND s.stack = "
	    "m.stack WHERE m.run = $1 ORDER BY s.position, m.metric", &p, 1,
	    cols, out, err);
}

int
pf_history_feature_stats(pf_history *h, int64_t run, const char *stack,
    pf_hist_table *out, pf_err *err)
{
	static const char *const cols[] = {"stack", "feature", "name", "count",
	    "missing", "missing_rate", "mean", "sd", "min", "max",
	    "quantiles"};
	pf_hval p[] = {pf_hv_int(run), pf_hv_text(stack)};

	return table(h, "SELECT stack, feature, name, count, missing, "
	    "missing_rate, mean, sd, min, max, quantiles FROM feature_stats "
	    "WHERE run = $1 AND (CAST($2 AS TEXT) IS NULL OR stack = "
	    "CAST($2 AS TEXT)) ORDER BY stack, "
	    "feature", p, 2, cols, out, err);
}

int
pf_history_goals(pf_history *h, int64_t run, pf_hist_table *out,
    pf_err *err)
{
	static const char *const cols[] = {"metric", "stack", "min", "max",
	    "value", "met"};
	pf_hval p = pf_hv_int(run);

	return table(h, "SELECT metric, stack, min, max, value, met FROM goals "
	    "WHERE run = $1 ORDER BY metric, stack", &p, 1, cols, out, err);
}

const char *
pf_hist_cell(const pf_hist_table *t, size_t row, size_t col)
{
	return row < t->nrows && col < t->ncols ? t->cell[row * t->ncols +
	    col] : NULL;
}

void
pf_hist_table_free(pf_hist_table *t)
{
	pf_hrows r = {t->nrows, t->ncols, t->cell};

	pf_hrows_free(&r);
	*t = (pf_hist_table){0};
}

/* Deletes run id and its rows (inside the open transaction). */
static int
delete_run(pf_history *h, const char *id, pf_err *err)
{
	pf_hval p = pf_hv_int(strtoll(id, NULL, 10));
	char sql[64];
	int rc = PF_OK;

	for (size_t i = 0; i < sizeof(children) / sizeof(*children) &&
	    rc == PF_OK; i++) {
		/* the table names are constants of this file */
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE run = $1",
		    children[i]);
		rc = pf_hquery(h, sql, &p, 1, NULL, err);
	}
	return rc != PF_OK ? rc : pf_hquery(h, "DELETE FROM runs WHERE id = $1",
	    &p, 1, NULL, err);
}

int
pf_history_prune(pf_history *h, const char *scenario, size_t keep,
    size_t *ndeleted, pf_err *err)
{
	/* a run goes when keep or more later runs share its scenario */
	pf_hval p[] = {pf_hv_int((int64_t)keep), pf_hv_text(scenario)};
	pf_hrows rows = {0};
	int rc;

	*ndeleted = 0;
	if ((rc = h->ops->begin(h->conn, 1, err)) != PF_OK)
		return rc;
	if ((rc = pf_hquery(h, "SELECT r.id FROM runs r WHERE "
	    "(CAST($2 AS TEXT) IS NULL OR r.scenario = CAST($2 AS TEXT)) AND "
	    "(SELECT COUNT(*) FROM runs n WHERE n.scenario = r.scenario AND "
	    "n.id > r.id) >= $1 ORDER BY r.id", p, 2, &rows, err)) != PF_OK)
		goto fail;
	for (size_t i = 0; i < rows.nrows; i++)
		if ((rc = delete_run(h, pf_hrows_get(&rows, i, 0), err)) !=
		    PF_OK)
			goto fail;
	if ((rc = h->ops->commit(h->conn, err)) != PF_OK)
		goto fail;
	*ndeleted = rows.nrows;
	pf_hrows_free(&rows);
	return PF_OK;
fail:
	pf_hrows_free(&rows);
	h->ops->rollback(h->conn);
	return rc;
}
