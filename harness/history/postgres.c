/*
 * harness/history/postgres.c — the PostgreSQL backend of the history store
 * (internal.h), through libpq: statements with PQexecParams (values sent
 * as text parameters, never pasted into SQL), a batch as one COPY ...
 * FROM STDIN in text format, writers serialised by a transaction-scoped
 * advisory lock (so concurrent appends, and the schema's creation on an
 * empty database, queue). A client killed midway leaves an open
 * transaction the server rolls back when the connection drops.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "harness/history/internal.h"
#include "harness/util/grow.h"

/* The advisory lock key every preflight writer takes ("pflt"). */
#define WRITE_LOCK	"SELECT pg_advisory_xact_lock(1885759604)"
/* COPY data is sent in chunks of about this size. */
#define COPY_CHUNK	(1 << 16)

typedef struct pg {
	PGconn	*db;
	char	 shown[512];
} pg;

typedef struct pg_batch {
	pg	*c;
	size_t	 ncols;
	char	*buf;
	size_t	 len, cap;
} pg_batch;

/* libpq's message, first line only (its messages end in newlines). */
static int
fail(pg *c, pf_err *err, const char *what, const PGresult *res)
{
	const char *m = res ? PQresultErrorMessage(res) : "";
	size_t n;

	if (m == NULL || m[0] == '\0')
		m = PQerrorMessage(c->db);
	n = strcspn(m, "\n");
	return pf_err_set(err, PF_EIO, c->shown, 0, "%s: %.*s", what, (int)n,
	    m);
}

static void
no_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int
pg_open(void **conn, const char *target, const char *shown, int create,
    pf_err *err)
{
	pg *c = calloc(1, sizeof(*c));

	(void)create;
	*conn = NULL;
	if (c == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	snprintf(c->shown, sizeof(c->shown), "%s", shown);
	c->db = PQconnectdb(target);
	if (c->db == NULL || PQstatus(c->db) != CONNECTION_OK) {
		int rc = c->db ? fail(c, err, "cannot connect", NULL) :
		    pf_err_set(err, PF_ENOMEM, shown, 0, "out of memory");
		PQfinish(c->db);
		free(c);
		return rc;
	}
	/* notices (e.g. "relation already exists, skipping") are not ours
	   to print */
	PQsetNoticeProcessor(c->db, no_notice, NULL);
	*conn = c;
	return PF_OK;
}

static void
pg_close(void *conn)
{
	pg *c = conn;

	if (c == NULL)
		return;
	PQfinish(c->db);
	free(c);
}

static int
pg_exec(pg *c, const char *sql, pf_err *err)
{
	PGresult *res = PQexec(c->db, sql);
	int st = PQresultStatus(res), rc = PF_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = fail(c, err, sql, res);
	PQclear(res);
	return rc;
}

static int
pg_begin(void *conn, int write, pf_err *err)
{
	pg *c = conn;
	int rc = pg_exec(c, "BEGIN", err);

	if (rc == PF_OK && write && (rc = pg_exec(c, WRITE_LOCK, err)) !=
	    PF_OK)
		pg_exec(c, "ROLLBACK", NULL);
	return rc;
}

static int
pg_commit(void *conn, pf_err *err)
{
	return pg_exec(conn, "COMMIT", err);
}

static void
pg_rollback(void *conn)
{
	pg *c = conn;

	if (PQtransactionStatus(c->db) != PQTRANS_IDLE)
		pg_exec(c, "ROLLBACK", NULL);
}

/* v as text for a parameter or a COPY field, into buf; NULL for NULL. */
static const char *
as_text(const pf_hval *v, char *buf, size_t bufsz)
{
	switch (v->type) {
	case PF_HV_INT:
		snprintf(buf, bufsz, "%" PRId64, v->i);
		return buf;
	case PF_HV_REAL:
		snprintf(buf, bufsz, "%.17g", v->d);
		return buf;
	case PF_HV_TEXT:
		return v->s;
	default:
		return NULL;
	}
}

static int
keep_rows(const PGresult *res, pf_hrows *out)
{
	size_t nr = (size_t)PQntuples(res), nc = (size_t)PQnfields(res);

	out->nrows = nr;
	out->ncols = nc;
	if ((out->cell = calloc(nr * nc + 1, sizeof(char *))) == NULL)
		return -1;
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++)
			if (!PQgetisnull(res, (int)i, (int)j) &&
			    (out->cell[i * nc + j] = strdup(PQgetvalue(res,
			    (int)i, (int)j))) == NULL)
				return -1;
	return 0;
}

static int
pg_query(void *conn, const char *sql, const pf_hval *p, size_t np,
    pf_hrows *out, pf_err *err)
{
	pg *c = conn;
	char (*buf)[32] = calloc(np + 1, sizeof(*buf));
	const char **vals = calloc(np + 1, sizeof(*vals));
	PGresult *res = NULL;
	int rc = PF_OK, st;

	if (out != NULL)
		*out = (pf_hrows){0};
	if (buf == NULL || vals == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < np; i++)
		vals[i] = as_text(&p[i], buf[i], sizeof(buf[i]));
	res = PQexecParams(c->db, sql, (int)np, NULL, vals, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = fail(c, err, "statement failed", res);
	else if (out != NULL && keep_rows(res, out) != 0)
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	PQclear(res);
	free(buf);
	free(vals);
	if (rc != PF_OK && out != NULL)
		pf_hrows_free(out);
	return rc;
}

/* Room for n more bytes in the batch's buffer. */
static int
reserve(pg_batch *x, size_t n)
{
	char *b = pf_grow(x->buf, &x->cap, x->len + n + 1, 1);

	if (b == NULL)
		return -1;
	x->buf = b;
	return 0;
}

/* One COPY text field after sep (0: none): backslash, tab, newline and
   CR escaped; \N is NULL. */
static int
put_field(pg_batch *x, char sep, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (reserve(x, 2 * n + 4) != 0)
		return -1;
	if (sep != '\0')
		x->buf[x->len++] = sep;
	if (s == NULL) {
		memcpy(x->buf + x->len, "\\N", 2);
		x->len += 2;
		return 0;
	}
	for (; *s != '\0'; s++) {
		char e = *s == '\\' ? '\\' : *s == '\t' ? 't' : *s == '\n' ?
		    'n' : *s == '\r' ? 'r' : '\0';
		if (e != '\0') {
			x->buf[x->len++] = '\\';
			x->buf[x->len++] = e;
		} else
			x->buf[x->len++] = *s;
	}
	return 0;
}

static int
flush(pg_batch *x, pf_err *err)
{
	if (x->len > 0 && PQputCopyData(x->c->db, x->buf, (int)x->len) != 1)
		return fail(x->c, err, "copy failed", NULL);
	x->len = 0;
	return PF_OK;
}

static int
pg_batch_open(void *conn, void **b, const char *table,
    const char *const *cols, size_t ncols, pf_err *err)
{
	pg *c = conn;
	pg_batch *x = calloc(1, sizeof(*x));
	char sql[1024];
	size_t len;
	PGresult *res;
	int rc = PF_OK;

	*b = NULL;
	if (x == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	/* table and column names are the schema's constants, not data */
	len = (size_t)snprintf(sql, sizeof(sql), "COPY %s (", table);
	for (size_t j = 0; j < ncols && len < sizeof(sql); j++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s%s",
		    j ? ", " : "", cols[j]);
	if (len < sizeof(sql))
		snprintf(sql + len, sizeof(sql) - len, ") FROM STDIN");
	res = PQexec(c->db, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN)
		rc = fail(c, err, "cannot start a copy", res);
	PQclear(res);
	if (rc != PF_OK) {
		free(x);
		return rc;
	}
	x->c = c;
	x->ncols = ncols;
	*b = x;
	return PF_OK;
}

static int
pg_batch_row(void *b, const pf_hval *v, pf_err *err)
{
	pg_batch *x = b;

	for (size_t j = 0; j < x->ncols; j++) {
		char num[32];
		if (put_field(x, j ? '\t' : '\0', as_text(&v[j], num,
		    sizeof(num))) != 0)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
	}
	if (reserve(x, 1) != 0)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	x->buf[x->len++] = '\n';
	return x->len >= COPY_CHUNK ? flush(x, err) : PF_OK;
}

static int
pg_batch_close(void *b, int ok, pf_err *err)
{
	pg_batch *x = b;
	PGresult *res;
	int rc = PF_OK;

	if (x == NULL)
		return PF_OK;
	if (ok)
		rc = flush(x, err);
	if (PQputCopyEnd(x->c->db, ok && rc == PF_OK ? NULL :
	    "preflight: append abandoned") != 1 && rc == PF_OK)
		rc = fail(x->c, err, "copy failed", NULL);
	while ((res = PQgetResult(x->c->db)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == PF_OK &&
		    ok)
			rc = fail(x->c, err, "copy failed", res);
		PQclear(res);
	}
	free(x->buf);
	free(x);
	return rc;
}

const pf_hdb_ops pf_hdb_postgres = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.query = pg_query,
	.batch_open = pg_batch_open,
	.batch_row = pg_batch_row,
	.batch_close = pg_batch_close,
};
