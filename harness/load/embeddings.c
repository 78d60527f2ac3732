/*
 * harness/load/embeddings.c — see embeddings.h; pf_golden_embeddings of
 * golden.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/embeddings.h"
#include "harness/load/golden.h"
#include "harness/load/npy.h"
#include "harness/util/strtab.h"

/* A 2-D, finite embedding file and its ids, one per row. */
static int
load_side(const char *path, const char *ipath, pf_npy **x, pf_ids **ids,
    pf_err *err)
{
	int rc;

	if ((rc = pf_npy_read(x, path, err)) != PF_OK ||
	    (rc = pf_ids_read(ids, ipath, err)) != PF_OK)
		return rc;
	if ((*x)->ndim != 2)
		return pf_err_set(err, PF_EFORMAT, path, 0, "1-D array of %zu "
		    "values: expected 2-D (rows, dimension)", (*x)->rows);
	if ((*ids)->n != (*x)->rows)
		return pf_err_set(err, PF_EDATA, ipath, 0, "%zu ids for the %zu "
		    "rows of %s", (*ids)->n, (*x)->rows, path);
	const float *v = (*x)->data;
	for (size_t i = 0; i < (*x)->rows * (*x)->cols; i++)
		if (!isfinite(v[i]))
			return pf_err_set(err, PF_EDATA, path, 0, "row %zu "
			    "(id '%s'), column %zu: %g is not a finite number",
			    i / (*x)->cols, (*ids)->id[i / (*x)->cols],
			    i % (*x)->cols, (double)v[i]);
	return PF_OK;
}

/* Interns the ids of a file; a repeated one is an error at its line. */
static int
unique_ids(const pf_ids *ids, const char *path, const char *what,
    pf_strtab *seen, pf_err *err)
{
	for (size_t j = 0; j < ids->n; j++) {
		size_t before = pf_strtab_count(seen);
		if (pf_strtab_intern(seen, ids->id[j], strlen(ids->id[j])) < 0)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		if (pf_strtab_count(seen) == before)
			return pf_err_set(err, PF_EDATA, path, (long)j + 1,
			    "duplicate %s id '%s'", what, ids->id[j]);
	}
	return PF_OK;
}

void
pf_emb_free(pf_emb *e)
{
	if (e == NULL)
		return;
	pf_npy_free(e->npy);
	free(e->gdoc);
	free(e->q);
	free(e);
}

int
pf_golden_embeddings(pf_golden *g, const pf_emb_files *f, pf_emb **out,
    pf_err *err)
{
	const char *dpath = f->docs, *qpath = f->queries;
	const char *dipath = f->doc_ids, *qipath = f->query_ids;
	pf_npy *D = NULL, *Q = NULL;
	pf_ids *did = NULL, *qid = NULL;
	pf_strtab *seen = NULL;
	pf_emb *e = NULL;
	int rc;

	*out = NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		goto nomem;
	if ((rc = load_side(dpath, dipath, &D, &did, err)) != PF_OK ||
	    (rc = load_side(qpath, qipath, &Q, &qid, err)) != PF_OK)
		goto done;
	if (Q->cols != D->cols) {
		rc = pf_err_set(err, PF_EDATA, qpath, 0, "dimension %zu: the "
		    "document embeddings (%s) have dimension %zu", Q->cols,
		    dpath, D->cols);
		goto done;
	}
	e->dim = D->cols;
	e->nd = D->rows;
	e->nq = g->nq;
	if ((e->gdoc = malloc((e->nd + 1) * sizeof(*e->gdoc))) == NULL ||
	    (seen = pf_strtab_new()) == NULL)
		goto nomem;
	if ((rc = unique_ids(did, dipath, "document", seen, err)) != PF_OK)
		goto done;
	/* documents: golden indices */
	for (size_t j = 0; j < e->nd; j++) {
		const char *id = did->id[j];
		size_t len = strlen(id);
		long d;
		if (g->corpus.n > 0) {
			d = pf_strtab_find(g->docs, id, len);
			if (d < 0 || (size_t)d >= g->corpus.n) {
				rc = pf_err_set(err, PF_EDATA, dipath, (long)j +
				    1, "document '%s' is not in the corpus "
				    "(%s)", id, g->corpus.path);
				goto done;
			}
		} else if ((d = pf_golden_doc(g, id, len)) < 0) {
			goto nomem;
		}
		e->gdoc[j] = (uint32_t)d;
	}
	/* queries: the golden set's, in its order */
	pf_strtab_free(seen);
	if ((seen = pf_strtab_new()) == NULL)
		goto nomem;
	if ((rc = unique_ids(qid, qipath, "query", seen, err)) != PF_OK)
		goto done;
	size_t nqd;
	if (pf_mul_size(e->nq, e->dim, &nqd) != PF_OK ||
	    (e->q = malloc((nqd + 1) * sizeof(*e->q))) == NULL)
		goto nomem;
	for (size_t i = 0; i < e->nq; i++) {
		long r = pf_strtab_find(seen, g->qid[i], strlen(g->qid[i]));
		if (r < 0) {
			rc = pf_err_set(err, PF_EDATA, qipath, 0, "query '%s' of "
			    "the golden set has no embedding", g->qid[i]);
			goto done;
		}
		memcpy(e->q + i * e->dim, Q->data + (size_t)r * e->dim,
		    e->dim * sizeof(*e->q));
	}
	e->doc = D->data;
	e->npy = D;
	D = NULL;
	*out = e;
	e = NULL;
	rc = PF_OK;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	pf_emb_free(e);
	pf_npy_free(D);
	pf_npy_free(Q);
	pf_ids_free(did);
	pf_ids_free(qid);
	pf_strtab_free(seen);
	return rc;
}
