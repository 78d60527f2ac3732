/*
 * harness/history/append.c — one run into the history, in one write
 * transaction: the run's row (its id one more than the largest, under the
 * write lock), then every child table through batches. Any failure rolls
 * the whole run back, so the database holds complete runs only.
 *
 * Sizes: query_metrics holds stacks x judged queries x metrics rows and
 * rankings stacks x queries x 10; 10,000 queries, 3 stacks and 8 metrics
 * append in well under a second on SQLite (bench/history.sh).
 *
 * Test hook: PREFLIGHT_TEST_HISTORY_STALL=SECONDS makes an append stop
 * for that long halfway (the run's row and its per-query values written,
 * the rest not, nothing committed), after saying so on stderr, so the
 * tests can kill it there or run a second append beside it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "harness/history/internal.h"

static const char *const status_name[] = {"pass", "fail", "error",
    "skipped"};

void
pf_history__stall(const char *where)
{
	const char *v = getenv("PREFLIGHT_TEST_HISTORY_STALL");
	long s = v != NULL ? strtol(v, NULL, 10) : 0;
	struct timespec ts = {s > 0 ? s : 0, 0};

	if (s <= 0)
		return;
	fprintf(stderr, "preflight: test hook: history append stalled %s for "
	    "%ld s\n", where, s);
	fflush(stderr);
	while (nanosleep(&ts, &ts) != 0)
		;
}

/*
 * The golden set's fingerprint: sha256 over "role<TAB>sha256\n" of its
 * files (queries, docs, qrels, labels, expectations) in the inputs' order.
 */
static void
golden_sha256(const pf_report *rep, char hex[65])
{
	static const char *const roles[] = {"queries", "docs", "qrels",
	    "labels", "expectations"};
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	hex[0] = '\0';
	if (c == NULL || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		return;
	}
	for (size_t i = 0; i < rep->ninputs; i++)
		for (size_t j = 0; j < sizeof(roles) / sizeof(*roles); j++)
			if (strcmp(rep->inputs[i].role, roles[j]) == 0) {
				EVP_DigestUpdate(c, roles[j], strlen(roles[j]));
				EVP_DigestUpdate(c, "\t", 1);
				EVP_DigestUpdate(c, rep->inputs[i].sha256, 64);
				EVP_DigestUpdate(c, "\n", 1);
			}
	EVP_DigestFinal_ex(c, md, &n);
	EVP_MD_CTX_free(c);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* "key=value;key=value", malloc'd. */
static char *
labels_text(const pf_hist_run *run)
{
	size_t need = 1, len = 0;
	char *t;

	for (size_t i = 0; i < run->nlabels; i++)
		need += strlen(run->labels[i].key) +
		    strlen(run->labels[i].value) + 2;
	if ((t = malloc(need)) == NULL)
		return NULL;
	t[0] = '\0';
	for (size_t i = 0; i < run->nlabels; i++)
		len += (size_t)snprintf(t + len, need - len, "%s%s=%s",
		    i ? ";" : "", run->labels[i].key, run->labels[i].value);
	return t;
}

static long
gates_failed(const pf_report *rep)
{
	long n = 0;

	for (size_t i = 0; i < rep->ngates; i++)
		n += rep->gates[i].status == 1 || rep->gates[i].status == 2;
	return n;
}

static int
put_run(pf_history *h, int64_t id, const pf_hist_run *run, pf_err *err)
{
	const pf_report *rep = run->rep;
	char seed[24], gsha[65], *labels = labels_text(run);
	int rc;

	if (labels == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)rep->seed);
	golden_sha256(rep, gsha);
	const pf_hval v[] = {pf_hv_int(id), pf_hv_text(run->time),
	    pf_hv_text(rep->title), pf_hv_text(rep->scenario),
	    pf_hv_text(rep->scenario_sha256), pf_hv_text(run->golden_name ?
	    run->golden_name : rep->golden), pf_hv_text(gsha),
	    pf_hv_text(seed), pf_hv_text(rep->version), pf_hv_text(labels),
	    pf_hv_text(rep->primary_name), pf_hv_int((int64_t)rep->nstacks),
	    pf_hv_int((int64_t)rep->njudged), pf_hv_int((int64_t)rep->nmetrics),
	    pf_hv_text(rep->verdict), pf_hv_text(rep->verdict_why),
	    pf_hv_int(gates_failed(rep)), pf_hv_int(run->exit_code),
	    pf_hv_text(rep->command), pf_hv_real(rep->seconds)};
	rc = pf_hquery(h, "INSERT INTO runs (id, time_utc, scenario, "
	    "scenario_path, scenario_sha256, golden, golden_sha256, seed, "
	    "version, labels, primary_metric, nstacks, nqueries, nmetrics, "
	    "verdict, verdict_why, gates_failed, exit_code, command, seconds) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
	    "$14, $15, $16, $17, $18, $19, $20)", v, sizeof(v) / sizeof(*v),
	    NULL, err);
	free(labels);
	return rc;
}

/* A batch over table: open, the writer's rows, close (ok or not). */
typedef int (*rows_fn)(pf_hbatch *b, int64_t id, const pf_hist_run *run,
    pf_err *err);

static int
batch(pf_history *h, const char *table, const char *const *cols,
    size_t ncols, rows_fn fn, int64_t id, const pf_hist_run *run,
    pf_err *err)
{
	pf_hbatch b = {0};
	int rc;

	if ((rc = pf_hbatch_open(&b, h, table, cols, ncols, err)) != PF_OK)
		return rc;
	rc = fn(&b, id, run, err);
	if (rc != PF_OK) {
		pf_hbatch_close(&b, 0, NULL);
		return rc;
	}
	return pf_hbatch_close(&b, 1, err);
}
#define BATCH(h, table, cols, fn, id, run, err) \
	batch(h, table, cols, sizeof(cols) / sizeof(*cols), fn, id, run, err)

static int
labels_rows(pf_hbatch *b, int64_t id, const pf_hist_run *run, pf_err *err)
{
	int rc = PF_OK;

	for (size_t i = 0; i < run->nlabels && rc == PF_OK; i++) {
		pf_hval v[] = {pf_hv_int(id), pf_hv_text(run->labels[i].key),
		    pf_hv_text(run->labels[i].value)};
		rc = pf_hbatch_row(b, v, err);
	}
	return rc;
}

static int
inputs_rows(pf_hbatch *b, int64_t id, const pf_hist_run *run, pf_err *err)
{
	const pf_report *rep = run->rep;
	int rc = PF_OK;

	for (size_t i = 0; i < rep->ninputs && rc == PF_OK; i++) {
		const pf_rep_input *in = &rep->inputs[i];
		pf_hval v[] = {pf_hv_int(id), pf_hv_text(in->role),
		    pf_hv_text(in->path), pf_hv_text(in->sha256),
		    pf_hv_int((int64_t)in->bytes)};
		rc = pf_hbatch_row(b, v, err);
	}
	return rc;
}

static const pf_rep_verdict *
verdict_of(const pf_report *rep, const char *stack)
{
	for (size_t i = 0; i < rep->nverdicts; i++)
		if (strcmp(rep->verdicts[i].stack, stack) == 0)
			return &rep->verdicts[i];
	return NULL;
}

static int
stacks_rows(pf_hbatch *b, int64_t id, const pf_hist_run *run, pf_err *err)
{
	const pf_report *rep = run->rep;
	int rc = PF_OK;

	for (size_t k = 0; k < rep->nstacks && rc == PF_OK; k++) {
		const pf_rep_stack *s = &rep->stacks[k];
		const pf_rep_verdict *vd = verdict_of(rep, s->id);
		pf_hval v[] = {pf_hv_int(id), pf_hv_text(s->id),
		    pf_hv_int((int64_t)k), pf_hv_text(s->name),
		    pf_hv_text(s->stages), pf_hv_text(vd ? vd->verdict : NULL),
		    pf_hv_text(vd ? vd->why : NULL)};
		rc = pf_hbatch_row(b, v, err);
	}
	return rc;
}

static int
means_rows(pf_hbatch *b, int64_t id, const pf_hist_run *run, pf_err *err)
{
	const pf_report *rep = run->rep;
	const pf_hval none = pf_hv_text(NULL);
	int rc = PF_OK;

	for (size_t k = 0; k < rep->nstacks; k++)
		for (size_t m = 0; m < rep->nmetrics && rc == PF_OK; m++) {
			const pf_rep_delta *d = k > 0 && rep->deltas ?
			    &rep->deltas[(k - 1) * rep->nmetrics + m] : NULL;
			pf_hval v[] = {pf_hv_int(id), pf_hv_text(rep->stacks[k].id),
			    pf_hv_text(rep->metrics[m]),
			    pf_hv_real(rep->stacks[k].mean[m]),
			    d ? pf_hv_real(d->control) : none,
			    d ? pf_hv_real(d->delta) : none,
			    d ? pf_hv_real(d->lo) : none,
			    d ? pf_hv_real(d->hi) : none,
			    d ? pf_hv_real(d->p_perm) : none,
			    d ? pf_hv_real(d->p_adj) : none,
			    d ? pf_hv_int((int64_t)d->wins) : none,
			    d ? pf_hv_int((int64_t)d->losses) : none,
			    d ? pf_hv_int((int64_t)d->ties) : none};
			rc = pf_hbatch_row(b, v, err);
		}
	return rc;
}

/* Judged queries only: the others have no value. */
static int
values_rows(pf_hbatch *b, int64_t id, const pf_hist_run *run, pf_err *err)
{
	const pf_report *rep = run->rep;
	size_t nm = rep->nmetrics;
	int rc = PF_OK;

	for (size_t k = 0; k < rep->nstacks; k++)
		for (size_t m = 0; m < nm; m++)
			for (size_t q = 0; q < rep->nq && rc == PF_OK; q++) {
				if (!rep->judged[q])
					continue;
				pf_hval v[] = {pf_hv_int(id),
				    pf_hv_text(rep->stacks[k].id),
				    pf_hv_text(rep->qids[q]),
				    pf_hv_text(rep->metrics[m]),
				    pf_hv_real(rep->stacks[k].values[q * nm + m])};
				rc = pf_hbatch_row(b, v, err);
			}
	return rc;
}

static int
segments_rows(pf_hbatch *b, int64_t id, const pf_hist_run *run, pf_err *err)
{
	const pf_report *rep = run->rep;
	int rc = PF_OK;

	for (size_t i = 0; i < rep->nsegs && rc == PF_OK; i++) {
		const pf_rep_segment *s = &rep->segs[i];
		pf_hval v[] = {pf_hv_int(id), pf_hv_text(s->treatment),
		    pf_hv_text(rep->primary_name), pf_hv_text(s->dim),
		    pf_hv_text(s->value), pf_hv_int((int64_t)s->n),
		    pf_hv_real(s->control), pf_hv_real(s->delta),
		    pf_hv_real(s->lo), pf_hv_real(s->hi), pf_hv_real(s->p_bh),
		    pf_hv_int(s->too_few), pf_hv_int(s->flipped)};
		rc = pf_hbatch_row(b, v, err);
	}
	return rc;
}

static int
gates_rows(pf_hbatch *b, int64_t id, const pf_hist_run *run, pf_err *err)
{
	const pf_report *rep = run->rep;
	size_t first_exp = rep->ngates - run->nexpectations;
	int rc = PF_OK;

	for (size_t i = 0; i < rep->ngates && rc == PF_OK; i++) {
		const pf_rep_gate *g = &rep->gates[i];
		int st = g->status >= 0 && g->status <= 3 ? g->status : 2;
		pf_hval v[] = {pf_hv_int(id), pf_hv_text(g->id),
		    pf_hv_text(i < first_exp ? "gate" : "expectation"),
		    pf_hv_text(g->what), pf_hv_text(status_name[st]),
		    pf_hv_text(g->message)};
		rc = pf_hbatch_row(b, v, err);
	}
	return rc;
}

static int
rankings_rows(pf_hbatch *b, int64_t id, const pf_hist_run *run, pf_err *err)
{
	const pf_report *rep = run->rep;
	int rc = PF_OK;

	for (size_t k = 0; rep->top_id != NULL && k < rep->nstacks; k++)
		for (size_t q = 0; q < rep->nq; q++) {
			size_t at = (k * rep->nq + q) * PF_REP_TOPK;
			for (size_t i = 0; i < PF_REP_TOPK && rc == PF_OK &&
			    rep->top_id[at + i] != NULL; i++) {
				pf_hval v[] = {pf_hv_int(id),
				    pf_hv_text(rep->stacks[k].id),
				    pf_hv_text(rep->qids[q]),
				    pf_hv_int((int64_t)i + 1),
				    pf_hv_text(rep->top_id[at + i]),
				    run->top_score ?
				    pf_hv_real(run->top_score[at + i]) :
				    pf_hv_text(NULL)};
				rc = pf_hbatch_row(b, v, err);
			}
		}
	return rc;
}

/* The sketch as a JSON array of numbers (null where there is none). */
static void
quantiles_text(char *out, size_t outsz, const double *q)
{
	size_t len = (size_t)snprintf(out, outsz, "[");

	for (size_t i = 0; i < PF_HIST_NQUANT && len < outsz; i++)
		len += (size_t)(q[i] == q[i] ? snprintf(out + len, outsz - len,
		    "%s%.17g", i ? "," : "", q[i]) : snprintf(out + len,
		    outsz - len, "%snull", i ? "," : ""));
	if (len < outsz)
		snprintf(out + len, outsz - len, "]");
}

static int
features_rows(pf_hbatch *b, int64_t id, const pf_hist_run *run, pf_err *err)
{
	char qt[PF_HIST_NQUANT * 26 + 4];
	int rc = PF_OK;

	for (size_t i = 0; i < run->nfs && rc == PF_OK; i++) {
		const pf_hist_featstat *f = &run->fs[i];
		quantiles_text(qt, sizeof(qt), f->q);
		pf_hval v[] = {pf_hv_int(id), pf_hv_text(f->stack),
		    pf_hv_int(f->feature), pf_hv_text(f->name),
		    pf_hv_int((int64_t)f->count), pf_hv_int((int64_t)f->missing),
		    pf_hv_real(f->count ? (double)f->missing /
		    (double)f->count : NAN), pf_hv_real(f->mean),
		    pf_hv_real(f->sd), pf_hv_real(f->min), pf_hv_real(f->max),
		    pf_hv_text(qt)};
		rc = pf_hbatch_row(b, v, err);
	}
	return rc;
}

static long
metric_index(const pf_report *rep, const char *metric)
{
	for (size_t m = 0; m < rep->nmetrics; m++)
		if (strcmp(rep->metrics[m], metric) == 0)
			return (long)m;
	return -1;
}

/* One row per goal and stack it names (every stack when it names none):
   the stack's mean and whether it lies within [min, max]. */
static int
goals_rows(pf_hbatch *b, int64_t id, const pf_hist_run *run, pf_err *err)
{
	const pf_report *rep = run->rep;
	int rc = PF_OK;

	for (size_t i = 0; i < run->ngoals; i++) {
		const pf_hist_goal *g = &run->goals[i];
		long m = metric_index(rep, g->metric);
		for (size_t k = 0; k < rep->nstacks && rc == PF_OK; k++) {
			if (g->stack != NULL && strcmp(g->stack,
			    rep->stacks[k].id) != 0)
				continue;
			double x = m >= 0 ? rep->stacks[k].mean[m] : NAN;
			int met = x == x && (!g->has_min || x >= g->min) &&
			    (!g->has_max || x <= g->max);
			pf_hval v[] = {pf_hv_int(id), pf_hv_text(g->metric),
			    pf_hv_text(rep->stacks[k].id),
			    g->has_min ? pf_hv_real(g->min) : pf_hv_text(NULL),
			    g->has_max ? pf_hv_real(g->max) : pf_hv_text(NULL),
			    pf_hv_real(x), pf_hv_int(met)};
			rc = pf_hbatch_row(b, v, err);
		}
	}
	return rc;
}

static const char *const labels_cols[] = {"run", "key", "value"};
static const char *const inputs_cols[] = {"run", "role", "path", "sha256",
    "bytes"};
static const char *const stacks_cols[] = {"run", "stack", "position", "name",
    "stages", "verdict", "verdict_why"};
static const char *const means_cols[] = {"run", "stack", "metric", "mean",
    "control_mean", "delta", "ci_lo", "ci_hi", "p_value", "p_adjusted",
    "wins", "losses", "ties"};
static const char *const values_cols[] = {"run", "stack", "qid", "metric",
    "value"};
static const char *const segments_cols[] = {"run", "stack", "metric",
    "dimension", "dim_value", "n", "control_mean", "delta", "ci_lo", "ci_hi",
    "p_bh", "too_few", "flipped"};
static const char *const gates_cols[] = {"run", "gate", "kind", "what",
    "status", "message"};
static const char *const rankings_cols[] = {"run", "stack", "qid", "rank",
    "docid", "score"};
static const char *const features_cols[] = {"run", "stack", "feature",
    "name", "count", "missing", "missing_rate", "mean", "sd", "min", "max",
    "quantiles"};
static const char *const goals_cols[] = {"run", "metric", "stack", "min",
    "max", "value", "met"};

/* Every row of the run, inside the open transaction. */
static int
put_all(pf_history *h, int64_t id, const pf_hist_run *run, pf_err *err)
{
	int rc;

	if ((rc = put_run(h, id, run, err)) != PF_OK ||
	    (rc = BATCH(h, "query_metrics", values_cols, values_rows, id, run,
	    err)) != PF_OK)
		return rc;
	pf_history__stall("halfway");
	if ((rc = BATCH(h, "run_labels", labels_cols, labels_rows, id, run,
	    err)) != PF_OK ||
	    (rc = BATCH(h, "inputs", inputs_cols, inputs_rows, id, run,
	    err)) != PF_OK ||
	    (rc = BATCH(h, "stacks", stacks_cols, stacks_rows, id, run,
	    err)) != PF_OK ||
	    (rc = BATCH(h, "stack_metrics", means_cols, means_rows, id, run,
	    err)) != PF_OK ||
	    (rc = BATCH(h, "segment_metrics", segments_cols, segments_rows, id,
	    run, err)) != PF_OK ||
	    (rc = BATCH(h, "gate_results", gates_cols, gates_rows, id, run,
	    err)) != PF_OK ||
	    (rc = BATCH(h, "rankings", rankings_cols, rankings_rows, id, run,
	    err)) != PF_OK ||
	    (rc = BATCH(h, "feature_stats", features_cols, features_rows, id,
	    run, err)) != PF_OK)
		return rc;
	return BATCH(h, "goals", goals_cols, goals_rows, id, run, err);
}

int
pf_history_append(pf_history *h, const pf_hist_run *run, int64_t *id_out,
    pf_err *err)
{
	pf_hrows r = {0};
	int64_t id;
	int rc;

	*id_out = 0;
	if ((rc = h->ops->begin(h->conn, 1, err)) != PF_OK)
		return rc;
	/* under the write lock: no other append can take the same id */
	if ((rc = pf_hquery(h, "SELECT COALESCE(MAX(id), 0) + 1 FROM runs",
	    NULL, 0, &r, err)) != PF_OK)
		goto fail;
	id = pf_hrows_get(&r, 0, 0) ? strtoll(pf_hrows_get(&r, 0, 0), NULL,
	    10) : 1;
	pf_hrows_free(&r);
	if ((rc = put_all(h, id, run, err)) != PF_OK ||
	    (rc = h->ops->commit(h->conn, err)) != PF_OK)
		goto fail;
	*id_out = id;
	return PF_OK;
fail:
	h->ops->rollback(h->conn);
	return rc;
}
