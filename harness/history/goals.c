/*
 * harness/history/goals.c — a run's goals, evaluated as they are appended
 * (README "Goals"): one row per goal and stack it names (every stack when
 * it names none).
 *
 *  - absolute (min, max): value = the stack's mean; met when it lies
 *    within the bounds given;
 *  - relative (min-delta, max-delta, against="label:KEY=VALUE"): the
 *    reference is the latest run of the same scenario already in the
 *    history that carries the label KEY=VALUE (the run being appended is
 *    never its own reference); value = the paired mean delta, this run
 *    minus the reference, over the judged queries both have a finite value
 *    for (matched by qid); met when it lies within the bounds.
 *
 * status is "met", "missed" or "unknown": unknown when the value cannot
 * be computed (no labelled run, the stack or metric absent from it, no
 * common query, a mean that is not finite). Unknown is never met
 * (met = 0). The reads happen inside the append's transaction, before
 * any batch opens (a PostgreSQL COPY allows no other statement).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/internal.h"
#include "metrics/treceval.h"

static long
metric_index(const pf_report *rep, const char *metric)
{
	for (size_t m = 0; m < rep->nmetrics; m++)
		if (pf_te_same_value(rep->metrics[m], metric))
			return (long)m;
	return -1;
}

/* The latest run of scenario labelled key=value ("label:K=V"): 0 none. */
static int
labelled_run(pf_history *h, const char *scenario, const char *against,
    int64_t *id_out, pf_err *err)
{
	const char *kv, *eq;
	char key[128];
	pf_hrows r;
	int rc;

	*id_out = 0;
	if (strncmp(against, "label:", 6) != 0)
		return PF_OK;	/* refused at load; nothing to find */
	kv = against + 6;
	if ((eq = strchr(kv, '=')) == NULL || (size_t)(eq - kv) >= sizeof(key))
		return PF_OK;
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	pf_hval p[] = {pf_hv_text(scenario), pf_hv_text(key),
	    pf_hv_text(eq + 1)};
	if ((rc = pf_hquery(h, "SELECT MAX(r.id) FROM runs r JOIN run_labels "
	    "l ON l.run = r.id WHERE r.scenario = $1 AND l.key = $2 AND "
	    "l.value = $3", p, 3, &r, err)) != PF_OK)
		return rc;
	if (pf_hrows_get(&r, 0, 0) != NULL)
		*id_out = strtoll(pf_hrows_get(&r, 0, 0), NULL, 10);
	pf_hrows_free(&r);
	return PF_OK;
}

int
pf_hqv_cmp(const void *a, const void *b)
{
	return strcmp(((const pf_hqv *)a)->qid, ((const pf_hqv *)b)->qid);
}

/*
 * The paired mean of stack k's metric m minus the reference's values, the
 * differences summed in qid (strcmp) order; NaN when no query pairs. -1
 * on OOM.
 */
static int
paired_delta(const pf_report *rep, size_t k, size_t m,
    const pf_hist_qvalues *ref, double *out)
{
	size_t nm = rep->nmetrics, na = 0, nb = 0, n = 0;
	pf_hqv *a = malloc((rep->nq + 1) * sizeof(*a));
	pf_hqv *b = malloc((ref->n + 1) * sizeof(*b));
	double sum = 0.0;

	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return -1;
	}
	for (size_t q = 0; q < rep->nq; q++)
		if (rep->judged[q] && isfinite(rep->stacks[k].values[q * nm + m]))
			a[na++] = (pf_hqv){rep->qids[q],
			    rep->stacks[k].values[q * nm + m]};
	for (size_t i = 0; i < ref->n; i++)
		if (isfinite(ref->value[i]))
			b[nb++] = (pf_hqv){ref->qid[i], ref->value[i]};
	qsort(a, na, sizeof(*a), pf_hqv_cmp);
	qsort(b, nb, sizeof(*b), pf_hqv_cmp);
	for (size_t i = 0, j = 0; i < na && j < nb;) {
		int c = strcmp(a[i].qid, b[j].qid);
		if (c == 0) {
			sum += a[i++].v - b[j++].v;
			n++;
		} else if (c < 0)
			i++;
		else
			j++;
	}
	free(a);
	free(b);
	*out = n > 0 ? sum / (double)n : NAN;
	return 0;
}

static const char *
status_of(double v, int has_lo, double lo, int has_hi, double hi)
{
	if (!isfinite(v))
		return "unknown";
	return (!has_lo || v >= lo) && (!has_hi || v <= hi) ? "met" :
	    "missed";
}

/* Evaluates goal g on stack k into row (relative: reads the reference). */
static int
eval_one(pf_history *h, const pf_hist_run *run, const pf_hist_goal *g,
    size_t k, pf_hgoal_row *row, pf_err *err)
{
	const pf_report *rep = run->rep;
	long m = metric_index(rep, g->metric);
	pf_hist_qvalues ref = {0};
	int rc;

	*row = (pf_hgoal_row){g, rep->stacks[k].id, NAN, 0, "unknown"};
	if (g->against == NULL) {
		row->value = m >= 0 ? rep->stacks[k].mean[m] : NAN;
		row->status = status_of(row->value, g->has_min, g->min,
		    g->has_max, g->max);
		return PF_OK;
	}
	if ((rc = labelled_run(h, rep->title, g->against, &row->against_run,
	    err)) != PF_OK || row->against_run == 0 || m < 0)
		return rc;
	if ((rc = pf_history_query_values(h, row->against_run,
	    rep->stacks[k].id, g->metric, &ref, err)) != PF_OK)
		return rc;
	rc = paired_delta(rep, k, (size_t)m, &ref, &row->value);
	pf_hist_qvalues_free(&ref);
	if (rc != 0)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	row->status = status_of(row->value, g->has_min_delta, g->min_delta,
	    g->has_max_delta, g->max_delta);
	return PF_OK;
}

int
pf_hist__goal_rows(pf_history *h, const pf_hist_run *run,
    pf_hgoal_row **out, size_t *n, pf_err *err)
{
	const pf_report *rep = run->rep;
	pf_hgoal_row *rows;
	size_t nr = 0;
	int rc = PF_OK;

	*out = NULL;
	*n = 0;
	if ((rows = calloc(run->ngoals * rep->nstacks + 1,
	    sizeof(*rows))) == NULL)
		return pf_err_nomem(err, NULL, run->ngoals * rep->nstacks + 1,
		    sizeof(*rows), "goal rows");
	for (size_t i = 0; i < run->ngoals && rc == PF_OK; i++) {
		const pf_hist_goal *g = &run->goals[i];
		for (size_t k = 0; k < rep->nstacks && rc == PF_OK; k++)
			if (g->stack == NULL || strcmp(g->stack,
			    rep->stacks[k].id) == 0)
				rc = eval_one(h, run, g, k, &rows[nr++], err);
	}
	if (rc != PF_OK) {
		free(rows);
		return rc;
	}
	*out = rows;
	*n = nr;
	return PF_OK;
}

static pf_hval
opt_real(int has, double v)
{
	return has ? pf_hv_real(v) : pf_hv_text(NULL);
}

int
pf_hist__goal_put(pf_history *h, int64_t id, const pf_hgoal_row *rows,
    size_t n, pf_err *err)
{
	static const char *const cols[] = {"run", "metric", "stack", "min",
	    "max", "value", "met", "min_delta", "max_delta", "against",
	    "against_run", "status"};
	pf_hbatch b = {0};
	int rc;

	if ((rc = pf_hbatch_open(&b, h, "goals", cols,
	    sizeof(cols) / sizeof(*cols), err)) != PF_OK)
		return rc;
	for (size_t i = 0; i < n && rc == PF_OK; i++) {
		const pf_hist_goal *g = rows[i].g;
		pf_hval v[] = {pf_hv_int(id), pf_hv_text(g->metric),
		    pf_hv_text(rows[i].stack), opt_real(g->has_min, g->min),
		    opt_real(g->has_max, g->max), pf_hv_real(rows[i].value),
		    pf_hv_int(strcmp(rows[i].status, "met") == 0),
		    opt_real(g->has_min_delta, g->min_delta),
		    opt_real(g->has_max_delta, g->max_delta),
		    pf_hv_text(g->against), rows[i].against_run > 0 ?
		    pf_hv_int(rows[i].against_run) : pf_hv_text(NULL),
		    pf_hv_text(rows[i].status)};
		rc = pf_hbatch_row(&b, v, err);
	}
	if (rc != PF_OK) {
		pf_hbatch_close(&b, 0, NULL);
		return rc;
	}
	return pf_hbatch_close(&b, 1, err);
}
