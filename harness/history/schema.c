/*
 * harness/history/schema.c — opening a history (the backend chosen by
 * the name: a postgresql:// URI or a file path), and its schema: the DDL
 * written once in portable SQL (BIGINT, INTEGER, DOUBLE PRECISION, TEXT;
 * times as ISO-8601 UTC text, which sorts as time does), created on an
 * empty database and migrated forward one version at a time, all in one
 * write transaction, so two jobs opening a new database at once create it
 * once. The schema is documented table by table in README "History".
 *
 * Version 1: schema_version, runs, run_labels, inputs, stacks,
 * stack_metrics, query_metrics, segment_metrics, gate_results, rankings,
 * feature_stats, goals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/internal.h"

#define RUN	"run BIGINT NOT NULL REFERENCES runs (id)"

static const char *const v1[] = {
	"CREATE TABLE runs (id BIGINT PRIMARY KEY, time_utc TEXT NOT NULL, "
	    "scenario TEXT NOT NULL, scenario_path TEXT, "
	    "scenario_sha256 TEXT NOT NULL, golden TEXT NOT NULL, "
	    "golden_sha256 TEXT NOT NULL, seed TEXT NOT NULL, "
	    "version TEXT NOT NULL, labels TEXT NOT NULL, "
	    "primary_metric TEXT NOT NULL, nstacks INTEGER NOT NULL, "
	    "nqueries INTEGER NOT NULL, nmetrics INTEGER NOT NULL, "
	    "verdict TEXT NOT NULL, verdict_why TEXT, "
	    "gates_failed INTEGER NOT NULL, exit_code INTEGER NOT NULL, "
	    "command TEXT, seconds DOUBLE PRECISION)",
	"CREATE INDEX runs_scenario ON runs (scenario, id)",
	"CREATE TABLE run_labels (" RUN ", key TEXT NOT NULL, "
	    "value TEXT NOT NULL)",
	"CREATE INDEX run_labels_run ON run_labels (run)",
	"CREATE INDEX run_labels_key ON run_labels (key, value)",
	"CREATE TABLE inputs (" RUN ", role TEXT NOT NULL, path TEXT NOT NULL, "
	    "sha256 TEXT NOT NULL, bytes BIGINT NOT NULL)",
	"CREATE INDEX inputs_run ON inputs (run)",
	"CREATE TABLE stacks (" RUN ", stack TEXT NOT NULL, "
	    "position INTEGER NOT NULL, name TEXT, stages TEXT, verdict TEXT, "
	    "verdict_why TEXT)",
	"CREATE INDEX stacks_run ON stacks (run)",
	"CREATE TABLE stack_metrics (" RUN ", stack TEXT NOT NULL, "
	    "metric TEXT NOT NULL, mean DOUBLE PRECISION, "
	    "control_mean DOUBLE PRECISION, delta DOUBLE PRECISION, "
	    "ci_lo DOUBLE PRECISION, ci_hi DOUBLE PRECISION, "
	    "p_value DOUBLE PRECISION, p_adjusted DOUBLE PRECISION, "
	    "wins INTEGER, losses INTEGER, ties INTEGER)",
	"CREATE INDEX stack_metrics_run ON stack_metrics (run, stack, metric)",
	"CREATE TABLE query_metrics (" RUN ", stack TEXT NOT NULL, "
	    "qid TEXT NOT NULL, metric TEXT NOT NULL, value DOUBLE PRECISION)",
	"CREATE INDEX query_metrics_run ON query_metrics (run, stack, metric)",
	"CREATE TABLE segment_metrics (" RUN ", stack TEXT NOT NULL, "
	    "metric TEXT NOT NULL, dimension TEXT NOT NULL, "
	    "dim_value TEXT NOT NULL, n INTEGER NOT NULL, "
	    "control_mean DOUBLE PRECISION, delta DOUBLE PRECISION, "
	    "ci_lo DOUBLE PRECISION, ci_hi DOUBLE PRECISION, "
	    "p_bh DOUBLE PRECISION, too_few INTEGER NOT NULL, "
	    "flipped INTEGER NOT NULL)",
	"CREATE INDEX segment_metrics_run ON segment_metrics (run)",
	"CREATE TABLE gate_results (" RUN ", gate TEXT NOT NULL, "
	    "kind TEXT NOT NULL, what TEXT, status TEXT NOT NULL, message TEXT)",
	"CREATE INDEX gate_results_run ON gate_results (run)",
	"CREATE TABLE rankings (" RUN ", stack TEXT NOT NULL, "
	    "qid TEXT NOT NULL, rank INTEGER NOT NULL, docid TEXT NOT NULL, "
	    "score DOUBLE PRECISION)",
	"CREATE INDEX rankings_run ON rankings (run)",
	"CREATE TABLE feature_stats (" RUN ", stack TEXT NOT NULL, "
	    "feature INTEGER NOT NULL, name TEXT NOT NULL, "
	    "count BIGINT NOT NULL, missing BIGINT NOT NULL, "
	    "missing_rate DOUBLE PRECISION, mean DOUBLE PRECISION, "
	    "sd DOUBLE PRECISION, min DOUBLE PRECISION, max DOUBLE PRECISION, "
	    "quantiles TEXT)",
	"CREATE INDEX feature_stats_run ON feature_stats (run, stack)",
	"CREATE TABLE goals (" RUN ", metric TEXT NOT NULL, stack TEXT NOT NULL, "
	    "min DOUBLE PRECISION, max DOUBLE PRECISION, "
	    "value DOUBLE PRECISION, met INTEGER NOT NULL)",
	"CREATE INDEX goals_run ON goals (run)",
	NULL,
};

/* migrations[v] takes a version-v database to version v + 1. */
static const char *const *const migrations[PF_HISTORY_SCHEMA] = {v1};

int
pf_history_is_uri(const char *db)
{
	return strncmp(db, "postgresql://", 13) == 0 ||
	    strncmp(db, "postgres://", 11) == 0;
}

/* db as messages show it: a URI's password (user:PASSWORD@, password=)
   left out. */
static void
shown_name(char *out, size_t outsz, const char *db)
{
	const char *a, *at, *colon, *end, *pw;

	snprintf(out, outsz, "%s", db);
	if (!pf_history_is_uri(db))
		return;
	a = strstr(db, "://") + 3;
	end = a + strcspn(a, "/?");
	at = memchr(a, '@', (size_t)(end - a));
	colon = at ? memchr(a, ':', (size_t)(at - a)) : NULL;
	if (colon != NULL)
		snprintf(out, outsz, "%.*s%s", (int)(colon - db), db, at);
	if ((pw = strstr(out, "password=")) != NULL) {
		size_t keep = (size_t)(pw - out) + 9;
		const char *rest = pw + 9 + strcspn(pw + 9, "&");
		char tail[512];
		snprintf(tail, sizeof(tail), "***%s", rest);
		if (keep < outsz)
			snprintf(out + keep, outsz - keep, "%s", tail);
	}
}

int
pf_hquery(pf_history *h, const char *sql, const pf_hval *p, size_t np,
    pf_hrows *out, pf_err *err)
{
	return h->ops->query(h->conn, sql, p, np, out, err);
}

/* The version a database holds; -1 when it has no schema_version table
   or the query fails (the message in err). */
static int
read_version(pf_history *h, pf_err *err)
{
	pf_hrows r;
	const char *v;
	int ver = -1;

	if (pf_hquery(h, "SELECT MAX(version) FROM schema_version", NULL, 0,
	    &r, err) != PF_OK)
		return -1;
	v = pf_hrows_get(&r, 0, 0);
	ver = v != NULL ? (int)strtol(v, NULL, 10) : 0;
	pf_hrows_free(&r);
	return ver;
}

static int
too_new(pf_history *h, int ver, pf_err *err)
{
	return pf_err_set(err, PF_EDATA, h->shown, 0, "the history's schema is "
	    "version %d, newer than this preflight %s knows (version %d): "
	    "use a newer preflight", ver, PF_VERSION, PF_HISTORY_SCHEMA);
}

/* Migrates from ver to PF_HISTORY_SCHEMA inside the open transaction. */
static int
migrate(pf_history *h, int ver, pf_err *err)
{
	pf_hval v = pf_hv_int(PF_HISTORY_SCHEMA);
	int rc;

	for (int from = ver; from < PF_HISTORY_SCHEMA; from++)
		for (const char *const *s = migrations[from]; *s != NULL; s++)
			if ((rc = pf_hquery(h, *s, NULL, 0, NULL, err)) !=
			    PF_OK)
				return rc;
	if ((rc = pf_hquery(h, "DELETE FROM schema_version", NULL, 0, NULL,
	    err)) != PF_OK)
		return rc;
	return pf_hquery(h, "INSERT INTO schema_version (version) VALUES ($1)",
	    &v, 1, NULL, err);
}

int
pf_history__schema(pf_history *h, int create, pf_err *err)
{
	int ver, rc;

	if (!create) {
		/* a reader takes no write lock unless it must migrate */
		if ((ver = read_version(h, err)) < 0)
			return pf_err_set(err, PF_EDATA, h->shown, 0, "not a "
			    "preflight history (no schema_version table)");
		if (ver > PF_HISTORY_SCHEMA)
			return too_new(h, ver, err);
		if ((h->version = ver) == PF_HISTORY_SCHEMA)
			return PF_OK;
	}
	if ((rc = h->ops->begin(h->conn, 1, err)) != PF_OK)
		return rc;
	if ((rc = pf_hquery(h, "CREATE TABLE IF NOT EXISTS schema_version "
	    "(version INTEGER NOT NULL)", NULL, 0, NULL, err)) != PF_OK ||
	    (ver = read_version(h, err)) < 0) {
		h->ops->rollback(h->conn);
		return rc != PF_OK ? rc : PF_EIO;
	}
	if (ver > PF_HISTORY_SCHEMA) {
		h->ops->rollback(h->conn);
		return too_new(h, ver, err);
	}
	if (ver < PF_HISTORY_SCHEMA && (rc = migrate(h, ver, err)) != PF_OK) {
		h->ops->rollback(h->conn);
		return rc;
	}
	if ((rc = h->ops->commit(h->conn, err)) != PF_OK) {
		h->ops->rollback(h->conn);
		return rc;
	}
	h->version = PF_HISTORY_SCHEMA;
	return PF_OK;
}

int
pf_history_open(pf_history **out, const char *db, int create, pf_err *err)
{
	pf_history *h = calloc(1, sizeof(*h));
	int rc;

	*out = NULL;
	if (h == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	h->ops = pf_history_is_uri(db) ? &pf_hdb_postgres : &pf_hdb_sqlite;
	shown_name(h->shown, sizeof(h->shown), db);
	if ((rc = h->ops->open(&h->conn, db, h->shown, create, err)) !=
	    PF_OK || (rc = pf_history__schema(h, create, err)) != PF_OK) {
		pf_history_close(h);
		return rc;
	}
	*out = h;
	return PF_OK;
}

void
pf_history_close(pf_history *h)
{
	if (h == NULL)
		return;
	if (h->conn != NULL)
		h->ops->close(h->conn);
	free(h);
}

const char *
pf_history_shown(const pf_history *h)
{
	return h->shown;
}

int
pf_history_version(const pf_history *h)
{
	return h->version;
}

void
pf_hrows_free(pf_hrows *r)
{
	for (size_t i = 0; r->cell != NULL && i < r->nrows * r->ncols; i++)
		free(r->cell[i]);
	free(r->cell);
	*r = (pf_hrows){0};
}

const char *
pf_hrows_get(const pf_hrows *r, size_t row, size_t col)
{
	return row < r->nrows && col < r->ncols ? r->cell[row * r->ncols +
	    col] : NULL;
}

int
pf_hbatch_open(pf_hbatch *b, pf_history *h, const char *table,
    const char *const *cols, size_t ncols, pf_err *err)
{
	b->h = h;
	return h->ops->batch_open(h->conn, &b->b, table, cols, ncols, err);
}

int
pf_hbatch_row(pf_hbatch *b, const pf_hval *v, pf_err *err)
{
	return b->h->ops->batch_row(b->b, v, err);
}

int
pf_hbatch_close(pf_hbatch *b, int ok, pf_err *err)
{
	int rc = b->h != NULL ? b->h->ops->batch_close(b->b, ok, err) : PF_OK;

	b->b = NULL;
	return rc;
}
