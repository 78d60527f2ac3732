/*
 * harness/load/svmlight_absorb.c — the chunks' rows put into the merged
 * matrix, batch by batch (svmlight_internal.h, pf_svm__mat_absorb): every
 * id of a chunk gets its column by the rule of svmlight.h (ascending, as
 * rows arriving one at a time would make it), then the rows are copied in
 * parallel through each chunk's map.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/svmlight_internal.h"
#include "harness/util/grow.h"

/* The file id of column c of chunk matrix m, or -1: no value there. */
static long
chunk_id(const pf_svm_mat *m, size_t c)
{
	if (m->colid != NULL)
		return m->colid[c];
	return m->seen[c] ? (long)c + m->base : -1;
}

/* Copies chunk matrix a's rows to g's rows row0.. through map (-1: no
   column). */
static void
copy_rows(pf_svm_mat *g, size_t row0, const pf_svm_mat *a, size_t nrows,
    const long *map)
{
	/* The common case: every id of the chunk has its column in g at one
	   shift sh (chunk column c is g's c - sh: 1 where the chunk read an
	   auto base from 0 and g from 1), and the chunk's rows are at least
	   as wide: each row is one copy (a column without a value, and one
	   past the chunk's width, is absent in both). */
	long sh = -1;
	int same = 1;
	for (size_t c = 0; c < a->w && same; c++) {
		if (map[c] < 0)
			continue;
		sh = sh < 0 ? (long)c - map[c] : sh;
		same = sh >= 0 && map[c] == (long)c - sh;
	}
	sh = sh < 0 ? 0 : sh;
	if (same && a->cap_w >= g->cap_w + (size_t)sh) {
		for (size_t i = 0; i < nrows; i++) {
			memcpy(g->x32 + (row0 + i) * g->cap_w, a->x32 + i *
			    a->cap_w + sh, g->cap_w * sizeof(*g->x32));
			if (g->dbl)
				memcpy(g->x64 + (row0 + i) * g->cap_w, a->x64 +
				    i * a->cap_w + sh, g->cap_w *
				    sizeof(*g->x64));
		}
		return;
	}
	for (size_t i = 0; i < nrows; i++) {
		pf_svm__mat_absent(g, row0 + i, 0, g->cap_w);
		float *x = g->x32 + (row0 + i) * g->cap_w;
		const float *src = a->x32 + i * a->cap_w;
		for (size_t c = 0; c < a->w; c++)
			if (map[c] >= 0)
				x[map[c]] = src[c];
		if (!g->dbl)
			continue;
		double *y = g->x64 + (row0 + i) * g->cap_w;
		const double *s64 = a->x64 + i * a->cap_w;
		for (size_t c = 0; c < a->w; c++)
			if (map[c] >= 0)
				y[map[c]] = s64[c];
	}
}

/*
 * A matrix read from base 1 until an id 0 came (auto_one): zero-based
 * after all, its dense columns move right by one (column 0 absent).
 */
static int
shift_zero(pf_svm_mat *m)
{
	m->base = 0;
	if (m->colid != NULL)
		return 0;
	if (pf_svm__mat_widen(m, m->w + 1) != 0)
		return -1;
	for (size_t i = 0; i < m->rows; i++) {
		float *x = m->x32 + i * m->cap_w;
		memmove(x + 1, x, m->w * sizeof(*x));
		x[0] = NAN;
		if (m->dbl) {
			double *y = m->x64 + i * m->cap_w;
			memmove(y + 1, y, m->w * sizeof(*y));
			y[0] = 0.0;
		}
	}
	memmove(m->seen + 1, m->seen, m->w);
	m->seen[0] = 0;
	m->w++;
	return 0;
}

int
pf_svm__mat_absorb(pf_svm_mat *g, pf_svm_chunk *ch, size_t n)
{
	size_t rows = g->rows, need = g->rows, cap;
	long **map = calloc(n + 1, sizeof(*map));
	int fail = 0;

	if (map == NULL)
		return -1;
	g->exact_w = 1;
	/* The columns of every id first (the layout may change on the
	   way: widened, remapped), then each chunk's map on the final one. */
	for (size_t k = 0; k < n && !fail; k++) {
		pf_svm_mat *a = &ch[k].m;
		need += ch[k].nrows;
		if (g->auto_one && a->zero) {
			fail = shift_zero(g) != 0;
			g->auto_one = 0;
		}
		g->zero |= a->zero;
		/* The stride for its widest id at once, when the rule could
		   keep it dense (the stride only: the rule still sees the
		   ids one by one, ascending). */
		long hi = -1;
		for (size_t c = 0; c < a->w; c++) {
			long id = chunk_id(a, c);
			hi = id > hi ? id : hi;
		}
		if (!fail && g->colid == NULL && hi >= g->base &&
		    pf_svm__dense_ok((size_t)(hi - g->base) + 1, g->d + a->d))
			fail = pf_svm__mat_widen(g, (size_t)(hi - g->base) + 1) != 0;
		for (size_t c = 0; c < a->w && !fail; c++) {
			long id = chunk_id(a, c);
			fail = id >= 0 && pf_svm__mat_col(g, id) < 0;
		}
	}
	for (size_t k = 0; k < n && !fail; k++) {
		pf_svm_mat *a = &ch[k].m;
		if ((map[k] = malloc((a->w + 1) * sizeof(**map))) == NULL) {
			fail = 1;
			break;
		}
		for (size_t c = 0; c < a->w; c++) {
			long id = chunk_id(a, c);
			map[k][c] = id < 0 ? -1 : pf_svm__mat_col(g, id);
		}
	}
	if (!fail && need > g->cap_rows && ((cap = pf_grow_cap(g->cap_rows,
	    need, sizeof(double))) == 0 || pf_svm__mat_reserve(g, cap) != 0))
		fail = 1;
	size_t *row0 = fail ? NULL : malloc((n + 1) * sizeof(*row0));
	if (row0 != NULL) {
		for (size_t k = 0; k < n; k++) {
			row0[k] = rows;
			rows += ch[k].nrows;
		}
		#pragma omp parallel for schedule(dynamic, 1)
		for (size_t k = 0; k < n; k++)
			copy_rows(g, row0[k], &ch[k].m, ch[k].nrows, map[k]);
		g->rows = rows;
	}
	fail |= row0 == NULL;
	free(row0);
	for (size_t k = 0; k < n; k++)
		free(map[k]);
	free(map);
	return fail ? -1 : 0;
}
