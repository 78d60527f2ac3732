/*
 * harness/history/sqlite.c — the SQLite backend of the history store
 * (internal.h): a file database in WAL mode (readers never block the one
 * writer), a busy timeout so concurrent appends queue instead of failing,
 * writes under BEGIN IMMEDIATE (the write lock taken first, so two
 * appends never both read before either writes). Parameters $1..$n are
 * bound by those names; a batch reuses two prepared INSERTs, one of
 * BATCH_ROWS rows and one of one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "harness/history/internal.h"
#include "harness/util/grow.h"

/* How long a writer waits for another's transaction (a long append). */
#define BUSY_MS	120000

typedef struct lite {
	sqlite3	*db;
	char	 shown[512];
} lite;

/* Rows a multi-row INSERT takes at once (x 13 columns at most: well
   under SQLite's 32,766 parameters). */
#define BATCH_ROWS	64

typedef struct lite_batch {
	lite		*c;
	sqlite3_stmt	*one, *many;	/* 1 row, BATCH_ROWS rows */
	size_t		 ncols, n;	/* rows held */
	pf_hval		*v;		/* BATCH_ROWS x ncols */
	char		*text;		/* the held rows' text */
	size_t		 used, cap;
} lite_batch;

static int	lite_batch_close(void *b, int ok, pf_err *err);

static int
fail(lite *c, pf_err *err, const char *what)
{
	return pf_err_set(err, PF_EIO, c->shown, 0, "%s: %s", what,
	    sqlite3_errmsg(c->db));
}

static int
lite_open(void **conn, const char *target, const char *shown, int create,
    pf_err *err)
{
	lite *c = calloc(1, sizeof(*c));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	    (create ? SQLITE_OPEN_CREATE : 0);	/* one thread a handle */
	int rc;

	*conn = NULL;
	if (c == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	snprintf(c->shown, sizeof(c->shown), "%s", shown);
	if (!create && access(target, F_OK) != 0) {
		/* SQLite says only "unable to open database file" */
		rc = pf_err_set(err, PF_EIO, shown, 0, "cannot open: %s (a "
		    "history is made by preflight run --history)",
		    strerror(errno));
		free(c);
		return rc;
	}
	if ((rc = sqlite3_open_v2(target, &c->db, flags, NULL)) != SQLITE_OK) {
		pf_err_set(err, PF_EIO, shown, 0, "cannot open: %s",
		    c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		sqlite3_close(c->db);
		free(c);
		return PF_EIO;
	}
	sqlite3_busy_timeout(c->db, BUSY_MS);
	/* WAL: a killed writer leaves its frames uncommitted, ignored on the
	   next open; readers see the last commit while a writer works. */
	if (sqlite3_exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536", NULL, NULL,
	    NULL) != SQLITE_OK) {
		/* "file is not a database" shows here first */
		rc = fail(c, err, "cannot open");
		sqlite3_close(c->db);
		free(c);
		return rc;
	}
	*conn = c;
	return PF_OK;
}

static void
lite_close(void *conn)
{
	lite *c = conn;

	if (c == NULL)
		return;
	sqlite3_close(c->db);
	free(c);
}

static int
lite_exec(lite *c, const char *sql, pf_err *err)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(c, err, sql);
	return PF_OK;
}

static int
lite_begin(void *conn, int write, pf_err *err)
{
	return lite_exec(conn, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

static int
lite_commit(void *conn, pf_err *err)
{
	return lite_exec(conn, "COMMIT", err);
}

static void
lite_rollback(void *conn)
{
	lite *c = conn;

	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Binds v to parameter i (1-based). */
static int
bind(sqlite3_stmt *st, int i, const pf_hval *v)
{
	switch (v->type) {
	case PF_HV_INT:
		return sqlite3_bind_int64(st, i, v->i);
	case PF_HV_REAL:
		return sqlite3_bind_double(st, i, v->d);
	case PF_HV_TEXT:
		return sqlite3_bind_text(st, i, v->s, -1, SQLITE_STATIC);
	default:
		return sqlite3_bind_null(st, i);
	}
}

/* p[0..np) bound to $1..$np, wherever the statement uses them. */
static int
bind_named(sqlite3_stmt *st, const pf_hval *p, size_t np)
{
	for (size_t i = 0; i < np; i++) {
		char name[24];
		int at;
		snprintf(name, sizeof(name), "$%zu", i + 1);
		if ((at = sqlite3_bind_parameter_index(st, name)) > 0 &&
		    bind(st, at, &p[i]) != SQLITE_OK)
			return -1;
	}
	return 0;
}

/*
 * d as the shortest text that reads back as d (SQLite's own text has 15
 * digits, not always enough; PostgreSQL sends the shortest exact text too).
 */
static const char *
shortest(char *buf, size_t bufsz, double d)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, bufsz, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return buf;
}

/* The current row's cells appended to out. */
static int
keep_row(sqlite3_stmt *st, pf_hrows *out, size_t *cap)
{
	size_t nc = out->ncols, at = out->nrows * nc;
	char **cell = pf_grow(out->cell, cap, at + nc + 1, sizeof(char *));

	if (cell == NULL)
		return -1;
	out->cell = cell;
	for (size_t j = 0; j < nc; j++) {
		const unsigned char *t;
		char num[32];
		cell[at + j] = NULL;
		if (sqlite3_column_type(st, (int)j) == SQLITE_FLOAT)
			t = (const unsigned char *)shortest(num, sizeof(num),
			    sqlite3_column_double(st, (int)j));
		else
			t = sqlite3_column_text(st, (int)j);
		if (t != NULL && (cell[at + j] = strdup((const char *)t)) ==
		    NULL)
			return -1;
	}
	out->nrows++;
	return 0;
}

static int
lite_query(void *conn, const char *sql, const pf_hval *p, size_t np,
    pf_hrows *out, pf_err *err)
{
	lite *c = conn;
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = PF_OK, s;

	if (out != NULL)
		*out = (pf_hrows){0};
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(c, err, "cannot prepare a statement");
	if (bind_named(st, p, np) != 0) {
		rc = fail(c, err, "cannot bind a value");
		goto done;
	}
	if (out != NULL)
		out->ncols = (size_t)sqlite3_column_count(st);
	while ((s = sqlite3_step(st)) == SQLITE_ROW)
		if (out != NULL && keep_row(st, out, &cap) != 0) {
			rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
			goto done;
		}
	if (s != SQLITE_DONE)
		rc = fail(c, err, "statement failed");
done:
	sqlite3_finalize(st);
	if (rc != PF_OK && out != NULL)
		pf_hrows_free(out);
	return rc;
}

/* "INSERT INTO table (cols) VALUES (?, ...), ..." for nrows rows. */
static char *
insert_sql(const char *table, const char *const *cols, size_t ncols,
    size_t nrows)
{
	size_t need = strlen(table) + 32 + nrows * (ncols * 3 + 4), len;
	char *sql;

	for (size_t j = 0; j < ncols; j++)
		need += strlen(cols[j]) + 2;
	if ((sql = malloc(need)) == NULL)
		return NULL;
	/* table and column names are the schema's constants, not data */
	len = (size_t)snprintf(sql, need, "INSERT INTO %s (", table);
	for (size_t j = 0; j < ncols; j++)
		len += (size_t)snprintf(sql + len, need - len, "%s%s",
		    j ? ", " : "", cols[j]);
	len += (size_t)snprintf(sql + len, need - len, ") VALUES ");
	for (size_t i = 0; i < nrows; i++)
		for (size_t j = 0; j < ncols; j++)
			len += (size_t)snprintf(sql + len, need - len, "%s?%s",
			    j ? ", " : i ? ", (" : "(", j + 1 == ncols ? ")" :
			    "");
	return sql;
}

static int
lite_batch_open(void *conn, void **b, const char *table,
    const char *const *cols, size_t ncols, pf_err *err)
{
	lite *c = conn;
	lite_batch *x = calloc(1, sizeof(*x));
	char *one = insert_sql(table, cols, ncols, 1);
	char *many = insert_sql(table, cols, ncols, BATCH_ROWS);
	int rc = PF_OK;

	*b = NULL;
	if (x == NULL || one == NULL || many == NULL || (x->v =
	    calloc(BATCH_ROWS * ncols, sizeof(*x->v))) == NULL)
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	else if (sqlite3_prepare_v2(c->db, one, -1, &x->one, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(c->db, many, -1, &x->many,
	    NULL) != SQLITE_OK)
		rc = fail(c, err, "cannot prepare an insert");
	free(one);
	free(many);
	if (x != NULL) {
		x->c = c;
		x->ncols = ncols;
	}
	if (rc != PF_OK) {
		lite_batch_close(x, 0, NULL);
		return rc;
	}
	*b = x;
	return PF_OK;
}

/* Binds the held rows [from, to) to st from parameter 1 and steps it. */
static int
step_rows(lite_batch *x, sqlite3_stmt *st, size_t from, size_t to,
    pf_err *err)
{
	int at = 1, s;

	for (size_t i = from * x->ncols; i < to * x->ncols; i++) {
		pf_hval v = x->v[i];
		if (v.type == PF_HV_TEXT)	/* an offset into the copies */
			v.s = x->text + v.i;
		if (bind(st, at++, &v) != SQLITE_OK)
			return fail(x->c, err, "cannot bind a value");
	}
	s = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return s == SQLITE_DONE ? PF_OK : fail(x->c, err, "insert failed");
}

/*
 * Rows are held (their text copied) until BATCH_ROWS of them go in one
 * multi-row INSERT: a fraction of the statement overhead of one row at a
 * time. What is left at the end goes in row by row.
 */
static int
lite_batch_row(void *b, const pf_hval *v, pf_err *err)
{
	lite_batch *x = b;
	pf_hval *h = x->v + x->n * x->ncols;
	int rc;

	for (size_t j = 0; j < x->ncols; j++) {
		h[j] = v[j];
		if (v[j].type != PF_HV_TEXT)
			continue;
		size_t n = strlen(v[j].s) + 1;
		char *t = pf_grow(x->text, &x->cap, x->used + n, 1);
		if (t == NULL)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		x->text = t;
		memcpy(t + x->used, v[j].s, n);
		h[j].s = NULL;
		h[j].i = (int64_t)x->used;
		x->used += n;
	}
	if (++x->n < BATCH_ROWS)
		return PF_OK;
	rc = step_rows(x, x->many, 0, BATCH_ROWS, err);
	x->n = x->used = 0;
	return rc;
}

static int
lite_batch_close(void *b, int ok, pf_err *err)
{
	lite_batch *x = b;
	int rc = PF_OK;

	if (x == NULL)
		return PF_OK;
	for (size_t i = 0; ok && rc == PF_OK && i < x->n; i++)
		rc = step_rows(x, x->one, i, i + 1, err);
	sqlite3_finalize(x->one);
	sqlite3_finalize(x->many);
	free(x->v);
	free(x->text);
	free(x);
	return rc;
}

const pf_hdb_ops pf_hdb_sqlite = {
	.name = "sqlite",
	.open = lite_open,
	.close = lite_close,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.query = lite_query,
	.batch_open = lite_batch_open,
	.batch_row = lite_batch_row,
	.batch_close = lite_batch_close,
};
