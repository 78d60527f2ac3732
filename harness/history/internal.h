/*
 * harness/history/internal.h — between the history store's files: the one
 * interface both database backends implement (sqlite.c, postgres.c), the
 * schema (schema.c) and the handle. Not for other folders.
 *
 * SQL is written once, portable: types both engines accept (BIGINT,
 * DOUBLE PRECISION, TEXT), parameters as $1..$n (the SQLite backend binds
 * them by those names), never a value pasted into SQL text. Rows are
 * inserted through a batch: SQLite reuses one prepared INSERT, PostgreSQL
 * streams COPY FROM STDIN — the same rows either way.
 */
#ifndef PF_HARNESS_HISTORY_INTERNAL_H
#define PF_HARNESS_HISTORY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/history/history.h"

/* A parameter or batch value. Non-finite doubles are stored as NULL. */
enum { PF_HV_NULL, PF_HV_INT, PF_HV_REAL, PF_HV_TEXT };
typedef struct pf_hval {
	int		 type;
	int64_t		 i;
	double		 d;
	const char	*s;
} pf_hval;

static inline pf_hval
pf_hv_int(int64_t i)
{
	return (pf_hval){PF_HV_INT, i, 0, NULL};
}

static inline pf_hval
pf_hv_real(double d)
{
	/* NaN and infinities have no portable SQL spelling: NULL */
	return d == d && d - d == 0.0 ? (pf_hval){PF_HV_REAL, 0, d, NULL} :
	    (pf_hval){PF_HV_NULL, 0, 0, NULL};
}

static inline pf_hval
pf_hv_text(const char *s)
{
	return s != NULL ? (pf_hval){PF_HV_TEXT, 0, 0, s} :
	    (pf_hval){PF_HV_NULL, 0, 0, NULL};
}

/* A query's result, every cell as text (NULL for SQL NULL), row-major. */
typedef struct pf_hrows {
	size_t	  nrows, ncols;
	char	**cell;
} pf_hrows;

void	pf_hrows_free(pf_hrows *r);
/* The cell (row, col), or NULL. */
const char	*pf_hrows_get(const pf_hrows *r, size_t row, size_t col);

/*
 * One backend. Every function reports errors in err naming the database
 * (its display name, passwords left out); none is thread-safe on one
 * connection.
 *   open	connect; create: a missing SQLite file is created (a read
 *		never creates one)
 *   begin	a transaction; write: one writer at a time (SQLite BEGIN
 *		IMMEDIATE under a busy timeout, PostgreSQL an advisory
 *		transaction lock), so concurrent appends queue
 *   query	one statement with parameters; rows into out when not NULL
 *   batch_*	rows into one table inside the open transaction
 */
typedef struct pf_hdb_ops {
	const char	*name;
	int	(*open)(void **conn, const char *target, const char *shown,
		    int create, pf_err *err);
	void	(*close)(void *conn);
	int	(*begin)(void *conn, int write, pf_err *err);
	int	(*commit)(void *conn, pf_err *err);
	void	(*rollback)(void *conn);
	int	(*query)(void *conn, const char *sql, const pf_hval *p,
		    size_t np, pf_hrows *out, pf_err *err);
	int	(*batch_open)(void *conn, void **b, const char *table,
		    const char *const *cols, size_t ncols, pf_err *err);
	int	(*batch_row)(void *b, const pf_hval *v, pf_err *err);
	/* ends the batch; with ok 0 it only frees it */
	int	(*batch_close)(void *b, int ok, pf_err *err);
} pf_hdb_ops;

extern const pf_hdb_ops pf_hdb_sqlite;
extern const pf_hdb_ops pf_hdb_postgres;

struct pf_history {
	const pf_hdb_ops	*ops;
	void			*conn;
	char			 shown[512];	/* for messages */
	int			 version;	/* the schema's, once checked */
	int			 in_tx;
};

/* The batch's table and columns, for the writers (append.c). */
typedef struct pf_hbatch {
	pf_history	*h;
	void		*b;
} pf_hbatch;

int	pf_hbatch_open(pf_hbatch *b, pf_history *h, const char *table,
	    const char *const *cols, size_t ncols, pf_err *err);
int	pf_hbatch_row(pf_hbatch *b, const pf_hval *v, pf_err *err);
int	pf_hbatch_close(pf_hbatch *b, int ok, pf_err *err);

/* h->ops->query on h's connection. */
int	pf_hquery(pf_history *h, const char *sql, const pf_hval *p, size_t np,
	    pf_hrows *out, pf_err *err);

/*
 * Creates the tables on an empty database or migrates an older schema, in
 * one write transaction; a newer schema than this binary knows is refused
 * (PF_EDATA, naming both versions). With create 0 nothing is created: a
 * database without the schema is PF_EDATA.
 */
int	pf_history__schema(pf_history *h, int create, pf_err *err);

/* The test hook (PREFLIGHT_TEST_HISTORY_STALL): see append.c. */
void	pf_history__stall(const char *where);

#endif /* PF_HARNESS_HISTORY_INTERNAL_H */
