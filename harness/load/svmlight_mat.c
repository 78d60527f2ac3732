/*
 * harness/load/svmlight_mat.c — the SVMlight loader's feature matrix
 * (svmlight_internal.h): rows arrive one at a time, the layout is chosen
 * by the rule of svmlight.h at the end.
 *
 * Dense while the ids allow it: a value lands at column id - base, one byte
 * (seen) counts the distinct ids. A new id beyond the width that would
 * break the rule turns the matrix remapped, once: the columns become the
 * ids seen so far, then each new id takes the next column (first-seen
 * order) through an open-addressing hash (multiplicative, linear probing,
 * at most half full). The width grows by doubling and re-lays the rows out
 * (amortised O(1) per value); rows grow by realloc at the same stride.
 * finish: dense stays dense (the rule held at every growth, and d only
 * grew); remapped becomes dense when the rule holds at the end (its ids
 * filled in), else its columns are sorted by id. So the layout depends on
 * the ids present only, never on the order of the rows.
 */
#define _DEFAULT_SOURCE	/* madvise */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness/load/svmlight_internal.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"

#define HASH_EMPTY	UINT32_MAX

int
pf_svm__dense_ok(size_t w, size_t d)
{
	return w <= 2 * d + PF_SVM_SLACK;
}

int
pf_svm__mat_reset(pf_svm_mat *m, size_t hint_w)
{
	if (hint_w > 0 && m->cap_w != hint_w) {
		/* the next chunk's rows at the merged stride, exactly */
		int b = m->base, a = m->auto_base, d = m->dbl;
		pf_svm__mat_free(m);
		*m = (pf_svm_mat){.base = b, .auto_base = a, .dbl = d,
		    .hint_w = hint_w};
		return 0;
	}
	if (m->colid != NULL) {
		free(m->colid);
		free(m->hkey);
		free(m->hcol);
		m->colid = m->hkey = m->hcol = NULL;
		m->hcap = 0;
		m->hbits = 0;
		if ((m->seen = calloc(m->cap_w + 1, 1)) == NULL) {
			pf_svm__mat_free(m);
			return -1;
		}
	} else if (m->seen != NULL)
		memset(m->seen, 0, m->cap_w);
	m->rows = m->w = m->d = 0;
	m->zero = 0;
	return 0;
}

void
pf_svm__mat_free(pf_svm_mat *m)
{
	free(m->x32);
	free(m->x64);
	free(m->seen);
	free(m->colid);
	free(m->hkey);
	free(m->hcol);
	memset(m, 0, sizeof(*m));
}

/* Marks columns [from, to) of row r absent. */
void
pf_svm__mat_absent(pf_svm_mat *m, size_t r, size_t from, size_t to)
{
	for (size_t j = from; j < to; j++)
		m->x32[r * m->cap_w + j] = NAN;
	for (size_t j = from; m->dbl && j < to; j++)
		m->x64[r * m->cap_w + j] = 0.0;
}

/* Transparent huge pages for the whole 2 MiB pages of [p, p + n): a
   big matrix faults 512 times less. */
static void
advise_huge(void *p, size_t n)
{
	uintptr_t a = ((uintptr_t)p + ((1u << 21) - 1)) & ~(uintptr_t)((1u << 21) - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)((1u << 21) - 1);

	if (n >= (1u << 22) && e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
}

/*
 * Re-lays the begun rows out at stride width (>= m->w): column c of the
 * new matrix is column src[c] of the old (src NULL: the same column), for
 * c < ncols; the rest absent. The row capacity stays. Frees src.
 */
static int
relayout(pf_svm_mat *m, size_t width, uint32_t *src, size_t ncols)
{
	size_t n;
	float *x = NULL;
	double *y = NULL;

	if (pf_mul_size(m->cap_rows ? m->cap_rows : 1, width, &n) != PF_OK ||
	    (x = pf_realloc_n(NULL, n, sizeof(*x))) == NULL ||
	    (m->dbl && (y = pf_realloc_n(NULL, n, sizeof(*y))) == NULL)) {
		free(x);
		free(src);
		return -1;
	}
	advise_huge(x, n * sizeof(*x));
	if (y != NULL)
		advise_huge(y, n * sizeof(*y));
	for (size_t i = 0; i < m->rows; i++) {
		for (size_t c = 0; c < ncols; c++) {
			size_t o = i * m->cap_w + (src ? src[c] : c);
			x[i * width + c] = m->x32[o];
			if (m->dbl)
				y[i * width + c] = m->x64[o];
		}
		for (size_t c = ncols; c < width; c++) {
			x[i * width + c] = NAN;
			if (m->dbl)
				y[i * width + c] = 0.0;
		}
	}
	free(src);
	free(m->x32);
	free(m->x64);
	m->x32 = x;
	m->x64 = y;
	m->cap_w = width;
	return 0;
}

/* Room for cap rows at the current stride (contents kept). */
static int
rows_to(pf_svm_mat *m, size_t cap)
{
	float *x;
	double *y;
	size_t n;

	if (cap <= m->cap_rows)
		return 0;
	if (pf_mul_size(cap, m->cap_w ? m->cap_w : 1, &n) != PF_OK ||
	    (x = pf_realloc_n(m->x32, n, sizeof(*x))) == NULL)
		return -1;
	m->x32 = x;
	advise_huge(x, n * sizeof(*x));
	if (m->dbl) {
		if ((y = pf_realloc_n(m->x64, n, sizeof(*y))) == NULL)
			return -1;
		m->x64 = y;
		advise_huge(y, n * sizeof(*y));
	}
	m->cap_rows = cap;
	return 0;
}

int
pf_svm__mat_reserve(pf_svm_mat *m, size_t rows)
{
	return rows_to(m, rows);
}

int
pf_svm__mat_row(pf_svm_mat *m)
{
	size_t r = m->rows, cap;

	if (r >= m->cap_rows && ((cap = pf_grow_cap(m->cap_rows, r + 1,
	    sizeof(double))) == 0 || rows_to(m, cap) != 0))
		return -1;
	pf_svm__mat_absent(m, r, 0, m->cap_w);
	m->rows++;
	return 0;
}

/* The hash slot of id: its own, or the empty one where it would go. */
static size_t
hash_slot(const pf_svm_mat *m, uint32_t id)
{
	size_t h = (size_t)(((uint64_t)id * UINT64_C(0x9e3779b97f4a7c15)) >>
	    (64 - m->hbits));

	while (m->hcol[h] != HASH_EMPTY && m->hkey[h] != id)
		h = (h + 1) & (m->hcap - 1);
	return h;
}

/* A hash of at least 2 * need slots, holding colid[0 .. m->w). */
static int
hash_build(pf_svm_mat *m, size_t need)
{
	unsigned bits = 6;

	while (((size_t)1 << bits) < 2 * need)
		bits++;
	free(m->hkey);
	free(m->hcol);
	m->hcap = (size_t)1 << bits;
	m->hbits = bits;
	m->hkey = malloc(m->hcap * sizeof(*m->hkey));
	m->hcol = malloc(m->hcap * sizeof(*m->hcol));
	if (m->hkey == NULL || m->hcol == NULL)
		return -1;
	memset(m->hcol, 0xff, m->hcap * sizeof(*m->hcol));
	for (size_t c = 0; c < m->w; c++) {
		size_t h = hash_slot(m, m->colid[c]);
		m->hkey[h] = m->colid[c];
		m->hcol[h] = (uint32_t)c;
	}
	return 0;
}

/* Makes room for width columns (keeps the aux arrays in step). */
int
pf_svm__mat_widen(pf_svm_mat *m, size_t width)
{
	size_t cap;

	if (width <= m->cap_w)
		return 0;
	/* The first width exactly (a merged matrix is widened to its
	   chunk's ids at once: no stride to compact away), then doubling. */
	if (m->cap_w == 0 && m->hint_w >= width)
		cap = m->hint_w;
	else if (m->cap_w == 0 && m->exact_w)
		cap = width;
	else if ((cap = pf_grow_cap(m->cap_w, width, sizeof(double))) == 0)
		return -1;
	if (m->colid == NULL) {
		unsigned char *s = realloc(m->seen, cap);
		if (s == NULL)
			return -1;
		memset(s + m->cap_w, 0, cap - m->cap_w);
		m->seen = s;
	} else {
		uint32_t *c = pf_realloc_n(m->colid, cap, sizeof(*c));
		if (c == NULL)
			return -1;
		m->colid = c;
	}
	return relayout(m, cap, NULL, m->w);
}

/* Dense to remapped: the columns become the ids seen so far. */
static int
to_remapped(pf_svm_mat *m)
{
	size_t cap = pf_grow_cap(0, m->d + 1, sizeof(double)), k = 0;
	uint32_t *src = malloc((m->d + 1) * sizeof(*src));

	if (cap == 0 || src == NULL ||
	    (m->colid = malloc(cap * sizeof(*m->colid))) == NULL) {
		free(src);
		return -1;
	}
	for (size_t c = 0; c < m->w; c++)
		if (m->seen[c]) {
			src[k] = (uint32_t)c;
			m->colid[k++] = (uint32_t)((long)c + m->base);
		}
	if (relayout(m, cap, src, k) != 0)
		return -1;
	free(m->seen);
	m->seen = NULL;
	m->w = k;
	return hash_build(m, m->w + 1);
}

/* The column of id in a remapped matrix, added when new; -1 on OOM. */
static long
remapped_col(pf_svm_mat *m, uint32_t id)
{
	size_t h = hash_slot(m, id);

	if (m->hcol[h] != HASH_EMPTY)
		return m->hcol[h];
	if (pf_svm__mat_widen(m, m->w + 1) != 0)
		return -1;
	m->colid[m->w] = id;
	m->w++;
	m->d++;
	if (2 * m->w > m->hcap) {
		if (hash_build(m, m->w) != 0)
			return -1;
	} else {
		m->hkey[h] = id;
		m->hcol[h] = (uint32_t)(m->w - 1);
	}
	return (long)m->w - 1;
}

/* The column of id (>= base), made when new; -1 when out of memory. */
long
pf_svm__mat_col(pf_svm_mat *m, long id)
{
	size_t c = (size_t)(id - m->base);

	m->zero |= id == 0;
	if (m->colid == NULL) {
		if (c < m->w) {
			m->d += !m->seen[c];
			m->seen[c] = 1;
		} else if (pf_svm__dense_ok(c + 1, m->d + 1)) {
			if (pf_svm__mat_widen(m, c + 1) != 0)
				return -1;
			m->w = c + 1;
			m->seen[c] = 1;
			m->d++;
		} else if (to_remapped(m) != 0) {
			return -1;
		}
	}
	if (m->colid != NULL)
		return remapped_col(m, (uint32_t)id);
	return (long)c;
}

int
pf_svm__mat_set(pf_svm_mat *m, size_t r, long id, double v)
{
	long c = pf_svm__mat_col(m, id);

	if (c < 0)
		return -1;
	m->x32[r * m->cap_w + (size_t)c] = (float)v;
	if (m->dbl)
		m->x64[r * m->cap_w + (size_t)c] = v;
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Rows at stride cap_w to stride w, in place (row i moves to i * w). */
static void
compact(pf_svm_mat *m)
{
	for (size_t i = 0; i < m->rows && m->w != m->cap_w; i++) {
		memmove(m->x32 + i * m->w, m->x32 + i * m->cap_w,
		    m->w * sizeof(float));
		if (m->dbl)
			memmove(m->x64 + i * m->w, m->x64 + i * m->cap_w,
			    m->w * sizeof(double));
	}
	m->cap_w = m->w;
}

/* A remapped matrix whose ids fill in: dense of width w after all. */
static int
remapped_to_dense(pf_svm_mat *m, size_t w)
{
	uint32_t *src = malloc((w + 1) * sizeof(*src));
	size_t have = m->w;

	if (src == NULL)
		return -1;
	/* Column c of the dense matrix is id c + base: absent unless some
	   column holds it (relayout reads src[c] < have; others absent). */
	for (size_t c = 0; c < w; c++)
		src[c] = UINT32_MAX;
	for (size_t k = 0; k < have; k++)
		src[m->colid[k] - (uint32_t)m->base] = (uint32_t)k;
	/* Column have is absent in every row (columns w .. cap_w are):
	   the ids no column holds read it. */
	if (pf_svm__mat_widen(m, have + 1) != 0) {
		free(src);
		return -1;
	}
	for (size_t c = 0; c < w; c++)
		if (src[c] == UINT32_MAX)
			src[c] = (uint32_t)have;
	if (relayout(m, w, src, w) != 0)
		return -1;
	free(m->colid);
	m->colid = NULL;
	m->w = w;
	return 0;
}

/* A remapped matrix's columns sorted by id; colid becomes the map. */
static int
sort_columns(pf_svm_mat *m)
{
	uint64_t *key = malloc((m->w + 1) * sizeof(*key));
	uint32_t *src = malloc((m->w + 1) * sizeof(*src));

	if (key == NULL || src == NULL) {
		free(key);
		free(src);
		return -1;
	}
	for (size_t c = 0; c < m->w; c++)
		key[c] = (uint64_t)m->colid[c] << 32 | c;
	qsort(key, m->w, sizeof(*key), cmp_u64);
	for (size_t c = 0; c < m->w; c++) {
		src[c] = (uint32_t)key[c];
		m->colid[c] = (uint32_t)(key[c] >> 32);
	}
	free(key);
	return relayout(m, m->w, src, m->w);
}

/*
 * A file read from base 0 with no id 0 is one-based after all: the dense
 * matrix loses its column 0 (absent in every row), so the layout is the
 * one a one-based read gives (the rule holds for the narrower width too).
 */
static int
rebase_to_one(pf_svm_mat *m)
{
	uint32_t *src;

	if (m->colid == NULL && m->w > 0) {
		if ((src = malloc(m->w * sizeof(*src))) == NULL)
			return -1;
		for (size_t c = 0; c + 1 < m->w; c++)
			src[c] = (uint32_t)(c + 1);
		if (relayout(m, m->w - 1, src, m->w - 1) != 0)
			return -1;
		m->w--;
	}
	m->base = 1;
	return 0;
}

int
pf_svm__mat_finish(pf_svm_mat *m, pf_svm *s)
{
	if (m->auto_base && !m->zero && rebase_to_one(m) != 0)
		return -1;
	if (m->colid != NULL) {
		uint32_t hi = 0;
		for (size_t c = 0; c < m->w; c++)
			hi = m->colid[c] > hi ? m->colid[c] : hi;
		size_t w = (size_t)hi - (size_t)m->base + 1;
		if (pf_svm__dense_ok(w, m->d) ? remapped_to_dense(m, w) :
		    sort_columns(m))
			return -1;
	}
	compact(m);
	if (m->rows * m->w > 0) {	/* give the spare rows back */
		float *x = realloc(m->x32, m->rows * m->w * sizeof(*x));
		double *y = m->dbl ? realloc(m->x64, m->rows * m->w *
		    sizeof(*y)) : NULL;
		m->x32 = x != NULL ? x : m->x32;
		m->x64 = y != NULL ? y : m->x64;
	}
	s->nf = m->w;
	s->base = m->base;
	s->id = m->colid;
	s->x32 = m->x32;
	s->x64 = m->x64;
	m->colid = NULL;
	m->x32 = NULL;
	m->x64 = NULL;
	pf_svm__mat_free(m);
	return 0;
}
