/*
 * harness/load/golden_svm.c — a golden set's candidate files (golden.h
 * pf_golden_svm and what goes with it): each file read once and shared by
 * every stack and the labels that name it (doubles when any reader needs
 * them), its rows' documents interned once, dropped between --mem blocks.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/load/golden.h"
#include "harness/load/svmindex.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/util/strtab.h"

struct golden_svm {
	char	*path, *qfile;
	int	 need_double, feature_base;
	pf_svm	*svm;
	uint32_t *doc;		/* row -> golden document, or NULL: not yet
				   asked (pf_golden_svm_docs) */
};

/* The same file however spelled ("dir/./f" and "dir/f"), or both NULL. */
static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && (strcmp(a, b) == 0 ||
	    pf_same_file(a, b)));
}

int
pf_golden_svm(pf_golden *g, const char *path, const char *qfile,
    int need_double, const pf_svm **out, pf_err *err)
{
	return pf_golden_svm_base(g, path, qfile, need_double,
	    PF_SVM_BASE_AUTO, out, err);
}

int
pf_golden_svm_base(pf_golden *g, const char *path, const char *qfile,
    int need_double, int feature_base, const pf_svm **out, pf_err *err)
{
	struct golden_svm *e;
	pf_svm *s;
	pf_svm_opts o = {.query_file = qfile, .feature_base = feature_base,
	    .need_double = need_double, .progress = g->progress};
	int rc;

	for (size_t i = 0; i < g->nsvm; i++)
		if (same(g->svm[i].path, path) &&
		    same(g->svm[i].qfile, qfile) &&
		    g->svm[i].feature_base == feature_base &&
		    g->svm[i].need_double >= need_double) {
			*out = g->svm[i].svm;
			return PF_OK;
		}
	/* New, or needed with doubles now: load it (a share, or whole). */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = pf_golden__svm_share(g, path, qfile, &o, &s, err)) != PF_OK ||
	    (s == NULL && (rc = pf_svm_load_cached(&s, path, &o, g->cache_dir,
	    err)) != PF_OK))
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	g->svm_seconds += (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	if (s->map != NULL)
		g->svm_mapped++;
	else
		g->svm_parsed++;
	/* Stages opened before may point into an earlier float32-only
	   copy: it stays, and takes the doubles (the same rows and columns:
	   the same file and base), so the float32 matrix, grades and
	   docids are held once. A copy mapped from the cache is kept as
	   it is. */
	for (size_t i = 0; i < g->nsvm && need_double && s->map == NULL; i++) {
		pf_svm *old = g->svm[i].svm;
		if (same(g->svm[i].path, path) && same(g->svm[i].qfile, qfile) &&
		    g->svm[i].feature_base == feature_base &&
		    old->map == NULL && old->x64 == NULL &&
		    old->nrows == s->nrows && old->nf == s->nf &&
		    old->base == s->base && (old->id == NULL) == (s->id == NULL) &&
		    (old->id == NULL || memcmp(old->id, s->id, s->nf *
		    sizeof(*s->id)) == 0)) {
			old->x64 = s->x64;
			s->x64 = NULL;
			pf_svm_free(s);
			g->svm[i].need_double = need_double;
			*out = old;
			return PF_OK;
		}
	}
	e = realloc(g->svm, (g->nsvm + 1) * sizeof(*e));
	if (e == NULL) {
		pf_svm_free(s);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	}
	g->svm = e;
	e = &g->svm[g->nsvm];
	*e = (struct golden_svm){strdup(path), qfile ? strdup(qfile) : NULL,
	    need_double, feature_base, s, NULL};
	g->nsvm++;
	*out = s;
	return PF_OK;
}

/*
 * The rows' docids interned in g->docs in row order, as each stack reading
 * the file used to do on its own: the second stack's lookups all hit, so
 * interning once gives every stack the same indices. The hashes are
 * computed in parallel; the table is filled serially, so the indices do not
 * depend on the thread count.
 */
int
pf_golden_svm_docs(pf_golden *g, const pf_svm *v, const uint32_t **out,
    pf_err *err)
{
	struct golden_svm *e = NULL;
	uint64_t *h = NULL;
	size_t *len = NULL;
	uint32_t *doc = NULL;
	size_t n = v->nrows;

	*out = NULL;
	for (size_t i = 0; i < g->nsvm && e == NULL; i++)
		if (g->svm[i].svm == v)
			e = &g->svm[i];
	assert(e != NULL);
	if (e->doc != NULL) {
		*out = e->doc;
		return PF_OK;
	}
	if ((doc = malloc((n ? n : 1) * sizeof(*doc))) == NULL ||
	    (h = pf_malloc_big((n ? n : 1) * sizeof(*h))) == NULL ||
	    (len = pf_malloc_big((n ? n : 1) * sizeof(*len))) == NULL)
		goto nomem;
	#pragma omp parallel for schedule(static, 4096)
	for (size_t r = 0; r < n; r++) {
		len[r] = strlen(v->docid[r]);
		h[r] = pf_hash_bytes(v->docid[r], len[r]);
	}
	if (pf_strtab_intern_many(g->docs, (const char *const *)v->docid, len,
	    h, n, doc) != 0)
		goto nomem;
	free(h);
	free(len);
	*out = e->doc = doc;
	return PF_OK;
nomem:
	free(h);
	free(len);
	free(doc);
	return pf_err_set(err, PF_ENOMEM, v->path, 0, "out of memory");
}

void
pf_golden_drop_svm(pf_golden *g)
{
	for (size_t i = 0; i < g->nsvm; i++) {
		pf_svm_free(g->svm[i].svm);
		free(g->svm[i].path);
		free(g->svm[i].qfile);
		free(g->svm[i].doc);
	}
	free(g->svm);
	g->svm = NULL;
	g->nsvm = 0;
}

void
pf_golden_share_bytes(const pf_golden *g, size_t *share, size_t *whole)
{
	pf_svm_mem m = {0};

	*share = 0;
	for (size_t i = 0; i < g->nsvm; i++) {
		const pf_svm *s = g->svm[i].svm;
		const struct pf_svm_index *x = pf_golden__index_find(g,
		    g->svm[i].path, g->svm[i].qfile);
		if (x == NULL || !g->share) {
			pf_svm_mem_add(s, &m);
			continue;
		}
		/* the whole file's rows, as a whole read holds them */
		size_t per = s->nf * (sizeof(float) + (s->x64 != NULL ?
		    sizeof(double) : 0)) + 3 * sizeof(void *) + 24;
		*share += pf_svm_index_rows(x) * per;
	}
	*whole = m.x32 + m.x64 + m.other;
}

void
pf_golden_svm_mem(const pf_golden *g, pf_svm_mem *m)
{
	for (size_t i = 0; i < g->nsvm; i++)
		pf_svm_mem_add(g->svm[i].svm, m);
}
