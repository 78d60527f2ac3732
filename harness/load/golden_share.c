/*
 * harness/load/golden_share.c — a golden set's candidate files read in
 * shares (pf_golden_set_share, golden.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/load/golden.h"
#include "harness/load/svmindex.h"

struct golden_sidx {
	char		*path, *qfile;	/* qfile: LightGBM layout, or NULL */
	pf_svm_index	*x;	/* NULL: the file is read whole */
};

/* The same query file, or both none. */
static int
same_q(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

void
pf_golden_set_share(pf_golden *g, size_t q0, size_t q1)
{
	g->share = 1;
	g->share_partial = 0;
	g->share_q0 = q0;
	g->share_q1 = q1;
}

void
pf_golden__sidx_free(pf_golden *g)
{
	for (size_t i = 0; i < g->nsidx; i++) {
		free(g->sidx[i].path);
		free(g->sidx[i].qfile);
		pf_svm_index_free(g->sidx[i].x);
	}
	free(g->sidx);
	g->sidx = NULL;
	g->nsidx = 0;
}

const struct pf_svm_index *
pf_golden__index_find(const pf_golden *g, const char *path,
    const char *qfile)
{
	for (size_t i = 0; i < g->nsidx; i++)
		if (strcmp(g->sidx[i].path, path) == 0 &&
		    same_q(g->sidx[i].qfile, qfile))
			return g->sidx[i].x;
	return NULL;
}

/* path's index (with qfile's groups), built on first request; *x NULL:
   read it whole. */
static int
index_of(pf_golden *g, const char *path, const char *qfile,
    const pf_svm_index **x, pf_err *err)
{
	struct golden_sidx *e;
	pf_svm_index *n;
	int rc;

	for (size_t i = 0; i < g->nsidx; i++)
		if (strcmp(g->sidx[i].path, path) == 0 &&
		    same_q(g->sidx[i].qfile, qfile)) {
			*x = g->sidx[i].x;
			return PF_OK;
		}
	if ((rc = pf_svm_index_build_groups(&n, path, qfile, err)) != PF_OK)
		return rc;
	struct golden_sidx add = {strdup(path), qfile != NULL ?
	    strdup(qfile) : NULL, n};
	if (add.path == NULL || (qfile != NULL && add.qfile == NULL) ||
	    (e = realloc(g->sidx, (g->nsidx + 1) * sizeof(*e))) == NULL) {
		free(add.path);
		free(add.qfile);
		pf_svm_index_free(n);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	}
	g->sidx = e;
	e[g->nsidx++] = add;
	*x = n;
	return PF_OK;
}

int
pf_golden__svm_share(pf_golden *g, const char *path, const char *qfile,
    const pf_svm_opts *o, pf_svm **out, pf_err *err)
{
	const pf_svm_index *x = NULL;
	size_t k0 = (size_t)-1, k1 = 0, nin = 0;
	int rc;

	*out = NULL;
	struct stat st;

	if (!g->share || (g->share_min > 0 &&
	    stat(path, &st) == 0 && (unsigned long long)st.st_size <=
	    g->share_min))
		return PF_OK;
	if ((rc = index_of(g, path, qfile, &x, err)) != PF_OK || x == NULL ||
	    (x->zero && o->feature_base == PF_SVM_BASE_ONE))
		return rc;	/* whole: its read says what is wrong */
	/* the file's queries of the range (each once: the index has no
	   qid twice): from the first to the last */
	for (size_t k = 0; k < x->nq; k++) {
		long q = pf_golden_query(g, x->qid[k]);
		if (q < 0 || (size_t)q < g->share_q0 ||
		    (size_t)q >= g->share_q1)
			continue;
		k0 = k < k0 ? k : k0;
		k1 = k + 1;
		nin++;
	}
	if (nin == 0)
		k0 = k1 = 0;
	g->share_partial = 1;
	/* tests (tests/e2e/dist_share.sh): the bytes each share parses */
	if (getenv("PF_DEBUG_SHARE") != NULL)
		fprintf(stderr, "preflight: debug: share read %s bytes %llu "
		    "to %llu of %llu\n", path, x->off[k0], x->off[k1],
		    x->size);
	return pf_svm_load_share(out, path, x, k0, k1, o, err);
}
