/*
 * gbdt.c — loading dispatch, accessors and the scorers of gbdt.h.
 *
 * Scorers, fastest first (the choice is made once at load):
 *   avx512  XGBoost trees padded to complete trees (internal.h), 3 x 16
 *           rows in flight per tree, node fields fetched by in-register
 *           permutes, features by loads (levels 0-3) and gathers from a
 *           block transposed per 16 rows (kernels.c);
 *   avx2    the same for AVX2 CPUs, 3 x 8 rows (kernels_avx2.c);
 *   scalar  the same predicated walk in portable C, 16 rows per tree;
 *   walk    node by node, any shape (XGBoost deeper than PF_GBDT_MAXPAD,
 *           LightGBM trees too large to compile, the leaf-index
 *           functions).
 * LightGBM trees are compiled instead (lgb_fast.c: slots per tree, float32
 * keys, the steps a rounded double cannot decide redone in double) and
 * scored by the avx512 (kernels_lgb.c) or avx2 (kernels_lgb_avx2.c)
 * kernel, else by the walk (the portable compiled kernel, as fast as the
 * walk, is kept for the tests), summed in double in tree order: the
 * walk's bits.
 * All of them add the same float32 leaves in the same tree order to the
 * same base, so they agree bit for bit (the tests check it).
 *
 * The SIMD kernels read a per-thread block buffer, the rows transposed
 * per 16 or 8 (absent columns NaN, doubles narrowed to float). The scalar
 * one reads rows in place when they hold every feature the trees use,
 * else a row-major copy. OpenMP splits blocks statically; a row's result depends
 * only on the row.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/model/internal.h"

#define PF_GBDT_PAR_ROWS	1024	/* fewer rows: no parallel region */

void
pf_gbdt_free(pf_gbdt *m)
{
	if (m == NULL)
		return;
	free(m->objective);
	free(m->toff);
	free(m->xn);
	free(m->lin_w);
	free(m->ct.feat);
	free(m->ct.thr);
	free(m->ct.dleft);
	free(m->ct.leaf);
	free(m->ln);
	free(m->loff);
	free(m->leaf);
	free(m->cbits);
	pf_lgb__compiled_free(&m->lt);
	for (size_t j = 0; j < m->nfname; j++)
		free(m->fname[j]);
	free(m->fname);
	free(m);
}

int
pf_gbdt_kind(const pf_gbdt *m)
{
	return m->kind;
}

size_t
pf_gbdt_nfeatures(const pf_gbdt *m)
{
	return m->nfeat;
}

size_t
pf_gbdt_ntrees(const pf_gbdt *m)
{
	return m->ntrees;
}

int
pf_gbdt_max_depth(const pf_gbdt *m)
{
	return m->maxdepth;
}

const char *
pf_gbdt_objective(const pf_gbdt *m)
{
	return m->objective != NULL ? m->objective : "";
}

const char *
pf_gbdt_booster(const pf_gbdt *m)
{
	return m->booster;
}

/* Fills heap slot h (level l) of tree t from XGBoost node i, padding. */
static void
pad_fill(pf_ctrees *ct, const pf_xnode *n, size_t t, int32_t i, size_t h,
    int l)
{
	size_t base = t * ct->stride;

	if (l == ct->depth) {
		size_t li = ct->depth <= 3 ? h : h - ((size_t)1 << ct->depth);
		ct->leaf[base + li] = n[i].val;
		return;
	}
	if (n[i].left < 0) {	/* a shallower leaf: same leaf on both sides */
		ct->feat[base + h] = 0;
		ct->thr[base + h] = 0.0f;
		ct->dleft[base + h] = 0;
		pad_fill(ct, n, t, i, 2 * h, l + 1);
		pad_fill(ct, n, t, i, 2 * h + 1, l + 1);
		return;
	}
	ct->feat[base + h] = (int32_t)n[i].feat;
	ct->thr[base + h] = n[i].val;
	ct->dleft[base + h] = n[i].dleft ? -1 : 0;
	pad_fill(ct, n, t, n[i].left, 2 * h, l + 1);
	pad_fill(ct, n, t, n[i].left + 1, 2 * h + 1, l + 1);
}

/*
 * Builds the complete-tree copy; leaves ct empty when it does not pay.
 * PF_ENOMEM names the file and the bytes asked for.
 */
static int
build_complete(pf_gbdt *m, const char *path, pf_err *err)
{
	pf_ctrees *ct = &m->ct;
	size_t stride, total;

	if (m->maxdepth > PF_GBDT_MAXPAD || m->ntrees == 0 ||
	    m->nfeat > ((size_t)1 << 20))
		return PF_OK;
	stride = (size_t)1 << m->maxdepth;
	if (stride < 16)
		stride = 16;
	if (pf_mul_size(m->ntrees, stride, &total) != PF_OK ||
	    total > ((size_t)1 << 24))	/* > 256 MiB of padded trees */
		return PF_OK;
	ct->depth = m->maxdepth;
	ct->stride = stride;
	ct->feat = aligned_alloc(64, total * sizeof(int32_t));
	ct->thr = aligned_alloc(64, total * sizeof(float));
	ct->dleft = aligned_alloc(64, total * sizeof(int32_t));
	ct->leaf = aligned_alloc(64, total * sizeof(float));
	if (ct->feat == NULL || ct->thr == NULL || ct->dleft == NULL ||
	    ct->leaf == NULL)
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory: cannot "
		    "allocate the padded copy of %zu trees of depth %d (4 "
		    "arrays of %zu bytes)", m->ntrees, m->maxdepth, total * 4);
	memset(ct->feat, 0, total * sizeof(int32_t));
	memset(ct->thr, 0, total * sizeof(float));
	memset(ct->dleft, 0, total * sizeof(int32_t));
	memset(ct->leaf, 0, total * sizeof(float));
	for (size_t t = 0; t < m->ntrees; t++)
		pad_fill(ct, m->xn + m->toff[t], t, 0, 1, 0);
	ct->nused = 1;
	for (size_t i = 0; i < m->toff[m->ntrees]; i++)
		if (m->xn[i].left >= 0 && (size_t)m->xn[i].feat + 1 > ct->nused)
			ct->nused = (size_t)m->xn[i].feat + 1;
	return PF_OK;
}

static void
choose_path(pf_gbdt *m)
{
	if (m->kind == PF_GBDT_XGBOOST && m->xn == NULL && m->lin_w != NULL)
		m->best_path = PF_PATH_LINEAR;
	else if (m->kind == PF_GBDT_XGBOOST && m->ct.feat != NULL)
		m->best_path = pf_gbdt__have_avx512() ? PF_PATH_AVX512 :
		    pf_gbdt__have_avx2() ? PF_PATH_AVX2 : PF_PATH_SCALAR;
	else if (m->kind == PF_GBDT_LIGHTGBM && m->lt.feat != NULL)
		/* the portable compiled kernel is no faster than the walk
		   (bench/RESULTS.md): it stays for tests (PF_GBDT_PATH) */
		m->best_path = pf_gbdt__have_avx512() ? PF_PATH_AVX512 :
		    pf_gbdt__have_avx2() ? PF_PATH_AVX2 : PF_PATH_WALK;
	else
		m->best_path = PF_PATH_WALK;
	m->path = m->best_path;
	/* PF_GBDT_PATH=walk|scalar|avx2|avx512 forces another scorer (all
	   give the same bits): how the tests reach the portable paths on a
	   machine with AVX-512. An unavailable one keeps the default. */
	const char *force = getenv("PF_GBDT_PATH");
	if (force != NULL && force[0] != '\0' &&
	    pf_gbdt__set_path(m, force) == PF_OK)
		m->best_path = m->path;
}

int
pf_gbdt_load(pf_gbdt **out, const char *path, pf_err *err)
{
	pf_gbdt *m = NULL;
	char *buf = NULL;
	const char *p;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = pf_read_text(&buf, &len, path, err)) != PF_OK)
		return rc;
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory: cannot "
		    "allocate a model (%zu bytes)", sizeof(*m));
		goto done;
	}
	for (p = buf; p < buf + len && (*p == ' ' || *p == '\t' ||
	    *p == '\r' || *p == '\n'); p++)
		;
	if (p < buf + len && *p == '{')
		rc = pf_gbdt__load_xgb(m, buf, len, path, err);
	else if (len >= 4 && memcmp(buf, "tree", 4) == 0 &&
	    (len == 4 || buf[4] == '\n' || buf[4] == '\r'))
		rc = pf_gbdt__load_lgb(m, buf, len, path, err);
	else
		rc = pf_err_set(err, PF_EFORMAT, path, 1, "expected an XGBoost "
		    "JSON model (starting with '{') or a LightGBM text model "
		    "(starting with the line \"tree\")");
	if (rc == PF_OK && m->kind == PF_GBDT_XGBOOST && m->xn != NULL)
		rc = build_complete(m, path, err);
	if (rc == PF_OK && m->kind == PF_GBDT_LIGHTGBM)
		rc = pf_lgb__compile(m, path, err);
	if (rc != PF_OK)
		goto done;
	choose_path(m);
	*out = m;
	m = NULL;
done:
	pf_gbdt_free(m);
	free(buf);
	return rc;
}

const char *
pf_gbdt__path(const pf_gbdt *m)
{
	static const char *const names[] = {"walk", "scalar", "avx512",
	    "avx2", "linear"};

	return names[m->path];
}

int
pf_gbdt__set_path(pf_gbdt *m, const char *name)
{
	if (name == NULL) {
		m->path = m->best_path;
		return PF_OK;
	}
	if (m->best_path == PF_PATH_LINEAR)
		return strcmp(name, "linear") == 0 ? PF_OK : PF_EINVAL;
	if (strcmp(name, "walk") == 0)
		m->path = PF_PATH_WALK;
	else if (strcmp(name, "scalar") == 0 && (m->ct.feat != NULL ||
	    m->lt.feat != NULL))
		m->path = PF_PATH_SCALAR;
	else if (strcmp(name, "avx512") == 0 && (m->ct.feat != NULL ||
	    m->lt.feat != NULL) && pf_gbdt__have_avx512())
		m->path = PF_PATH_AVX512;
	else if (strcmp(name, "avx2") == 0 && (m->ct.feat != NULL ||
	    m->lt.krec != NULL) && pf_gbdt__have_avx2())
		m->path = PF_PATH_AVX2;
	else
		return PF_EINVAL;
	return PF_OK;
}

/*
 * Feature j of a row, as the model's library reads it: XGBoost float32
 * (absent = NaN), LightGBM double (absent = 0.0).
 */
static inline float
xfeat(const void *x, int dbl, size_t j, size_t ncols)
{
	if (j >= ncols)
		return NAN;
	return dbl ? (float)((const double *)x)[j] : ((const float *)x)[j];
}

static inline double
lfeat(const void *x, int dbl, size_t j, size_t ncols)
{
	if (j >= ncols)
		return 0.0;
	return dbl ? ((const double *)x)[j] : (double)((const float *)x)[j];
}

/* XGBoost: the node id of the leaf row x reaches (predict_fn.h). */
static inline int32_t
xwalk(const pf_xnode *n, const void *x, int dbl, size_t ncols)
{
	int32_t i = 0;

	while (n[i].left >= 0) {
		float v = xfeat(x, dbl, n[i].feat, ncols);
		if (isnan(v))
			i = n[i].left + (n[i].dleft ? 0 : 1);
		else
			i = n[i].left + !(v < n[i].val);	/* equal: right */
	}
	return i;
}

/* LightGBM: the leaf index row x reaches (tree.h GetLeaf / *Decision). */
static inline int32_t
lwalk(const pf_lnode *n, size_t ni, const uint32_t *cbits, const void *x,
    int dbl, size_t ncols)
{
	int32_t i = 0;

	if (ni == 0)
		return 0;
	do {
		const pf_lnode *p = &n[i];
		i = p->child[!pf_lgb__decide(p, lfeat(x, dbl, p->feat, ncols),
		    cbits)];
	} while (i >= 0);
	return ~i;
}

double
pf_gbdt__walk_lgb(const pf_gbdt *m, const void *x, int dbl, size_t ncols)
{
	double acc = 0.0;

	for (size_t t = 0; t < m->ntrees; t++) {
		int32_t l = lwalk(m->ln + m->toff[t], m->toff[t + 1] - m->toff[t],
		    m->cbits, x, dbl, ncols);
		acc += m->leaf[m->loff[t] + (size_t)l];
	}
	return acc;
}

static float
score_xgb_walk(const pf_gbdt *m, const void *x, int dbl, size_t ncols)
{
	float acc = m->base;

	for (size_t t = 0; t < m->ntrees; t++) {
		const pf_xnode *n = m->xn + m->toff[t];
		acc += n[xwalk(n, x, dbl, ncols)].val;
	}
	return acc;
}

/*
 * gblinear.cc Pred(): psum = bias + base, then psum += x * w over present
 * features in index order, the product rounded to float first (the
 * library builds with -std=c11, so nothing contracts it into an FMA).
 */
static float
score_linear(const pf_gbdt *m, const void *x, int dbl, size_t ncols)
{
	float acc = m->lin_bias + m->base;
	size_t nf = m->nfeat < ncols ? m->nfeat : ncols;

	for (size_t j = 0; j < nf; j++) {
		float v = xfeat(x, dbl, j, ncols);
		if (!isnan(v)) {
			float p = v * m->lin_w[j];
			acc += p;
		}
	}
	return acc;
}

static inline const void *
row_of(const void *x, int dbl, size_t r, size_t ld)
{
	return dbl ? (const void *)((const double *)x + r * ld) :
	    (const void *)((const float *)x + r * ld);
}

/* One row through the node-walk scorers. */
static double
score_row(const pf_gbdt *m, const void *xr, int dbl, size_t ncols)
{
	if (m->kind == PF_GBDT_LIGHTGBM)
		return pf_gbdt__walk_lgb(m, xr, dbl, ncols);
	if (m->path == PF_PATH_LINEAR)
		return score_linear(m, xr, dbl, ncols);
	return score_xgb_walk(m, xr, dbl, ncols);
}

/*
 * Copies rows [r0, r0 + nb) into buf (B rows of width w, float32, absent
 * = NaN); the lanes past nb repeat row r0 so they compute something valid.
 */
static void
fill_block(float *buf, size_t B, size_t w, const void *x, int dbl,
    size_t r0, size_t nb, size_t ld, size_t ncols)
{
	size_t nc = ncols < w ? ncols : w;

	for (size_t i = 0; i < B; i++) {
		const void *xr = row_of(x, dbl, r0 + (i < nb ? i : 0), ld);
		float *dst = buf + i * w;
		if (dbl)
			for (size_t j = 0; j < nc; j++)
				dst[j] = (float)((const double *)xr)[j];
		else
			memcpy(dst, xr, nc * sizeof(float));
		for (size_t j = nc; j < w; j++)
			dst[j] = NAN;
	}
}

/*
 * Copies rows [r0, r0 + nb) into xt transposed per group of V rows:
 * xt[(g * w + f) * V + lane]; absent columns are NaN, lanes past nb
 * repeat row r0. Returns whether any value is NaN.
 */
static int
fill_transposed(float *xt, size_t B, size_t V, size_t w, const void *x,
    int dbl, size_t r0, size_t nb, size_t ld, size_t ncols)
{
	size_t nc = ncols < w ? ncols : w;
	int nan = nc < w;

	for (size_t i = 0; i < B; i++) {
		const void *xr = row_of(x, dbl, r0 + (i < nb ? i : 0), ld);
		float *dst = xt + (i / V) * w * V + i % V;
		int any = 0;
		if (dbl)
			for (size_t j = 0; j < nc; j++) {
				float v = (float)((const double *)xr)[j];
				dst[j * V] = v;
				any |= v != v;
			}
		else
			for (size_t j = 0; j < nc; j++) {
				float v = ((const float *)xr)[j];
				dst[j * V] = v;
				any |= v != v;
			}
		for (size_t j = nc; j < w; j++)
			dst[j * V] = NAN;
		nan |= any;
	}
	return nan;
}

static void
predict_blocks(const pf_gbdt *m, const void *x, int dbl, size_t nrows,
    size_t ld, size_t ncols, double *out)
{
	int avx = m->path == PF_PATH_AVX512 || m->path == PF_PATH_AVX2;
	size_t V = m->path == PF_PATH_AVX512 ? 16 : 8;
	size_t B = m->path == PF_PATH_AVX512 ? PF_GBDT_BLOCK :
	    m->path == PF_PATH_AVX2 ? PF_GBDT_BLOCK8 : PF_GBDT_LANES;
	size_t w = m->ct.nused, nblk = (nrows + B - 1) / B;
	/* In place: float rows holding every feature used, int32 offsets. */
	int direct = !avx && !dbl && ncols >= w &&
	    ld <= (size_t)INT32_MAX / (B + 1);

#pragma omp parallel if (nrows >= PF_GBDT_PAR_ROWS)
	{
		float acc[PF_GBDT_BLOCK > PF_GBDT_BLOCK8 ? PF_GBDT_BLOCK :
		    PF_GBDT_BLOCK8], *buf = NULL;
		int nobuf = 0;

#pragma omp for schedule(static)
		for (size_t b = 0; b < nblk; b++) {
			size_t r0 = b * B, nb = nrows - r0 < B ? nrows - r0 : B;
			const float *xb;
			size_t ldb;
			int nan;

			if (direct && nb == B) {
				xb = (const float *)x + r0 * ld;
				ldb = ld;
				nan = pf_gbdt__any_nan(xb, ldb, B, w);
			} else {
				if (buf == NULL && !nobuf) {
					buf = aligned_alloc(64, (B * w *
					    sizeof(float) + 63) / 64 * 64);
					nobuf = buf == NULL;
				}
				if (buf == NULL) {	/* no memory: walk */
					for (size_t i = 0; i < nb; i++)
						out[r0 + i] = score_row(m,
						    row_of(x, dbl, r0 + i, ld),
						    dbl, ncols);
					continue;
				}
				if (avx) {
					nan = fill_transposed(buf, B, V, w, x,
					    dbl, r0, nb, ld, ncols);
					if (V == 16)
						pf_gbdt__kern_avx512(m, buf, w,
						    nan, acc);
					else
						pf_gbdt__kern_avx2(m, buf, w,
						    nan, acc);
					for (size_t i = 0; i < nb; i++)
						out[r0 + i] = acc[i];
					continue;
				}
				fill_block(buf, B, w, x, dbl, r0, nb, ld, ncols);
				xb = buf;
				ldb = w;
				nan = pf_gbdt__any_nan(xb, ldb, B, w);
			}
			pf_gbdt__kern_scalar(m, xb, ldb, nan, acc);
			for (size_t i = 0; i < nb; i++)
				out[r0 + i] = acc[i];
		}
		free(buf);
	}
}

static void
predict(const pf_gbdt *m, const void *x, int dbl, size_t nrows, size_t ld,
    size_t ncols, double *out)
{
	if (nrows == 0)
		return;
	if (m->kind == PF_GBDT_LIGHTGBM && (m->path == PF_PATH_SCALAR ||
	    m->path == PF_PATH_AVX512 || m->path == PF_PATH_AVX2)) {
		pf_lgb__predict(m, x, dbl, nrows, ld, ncols, m->path, out);
		return;
	}
	if (m->path == PF_PATH_SCALAR || m->path == PF_PATH_AVX512 ||
	    m->path == PF_PATH_AVX2) {
		predict_blocks(m, x, dbl, nrows, ld, ncols, out);
		return;
	}
#pragma omp parallel for schedule(static) if (nrows >= PF_GBDT_PAR_ROWS)
	for (size_t r = 0; r < nrows; r++)
		out[r] = score_row(m, row_of(x, dbl, r, ld), dbl, ncols);
}

void
pf_gbdt_predict_f32(const pf_gbdt *m, const float *x, size_t nrows,
    size_t ld, size_t ncols, double *out)
{
	predict(m, x, 0, nrows, ld, ncols, out);
}

void
pf_gbdt_predict_f64(const pf_gbdt *m, const double *x, size_t nrows,
    size_t ld, size_t ncols, double *out)
{
	predict(m, x, 1, nrows, ld, ncols, out);
}

static void
leaves(const pf_gbdt *m, const void *x, int dbl, size_t ncols, int32_t *out)
{
	if (m->kind == PF_GBDT_XGBOOST && m->xn == NULL)
		return;		/* gblinear: no trees */
	for (size_t t = 0; t < m->ntrees; t++)
		out[t] = m->kind == PF_GBDT_LIGHTGBM ? lwalk(m->ln + m->toff[t],
		    m->toff[t + 1] - m->toff[t], m->cbits, x, dbl, ncols) :
		    xwalk(m->xn + m->toff[t], x, dbl, ncols);
}

void
pf_gbdt_leaves_f32(const pf_gbdt *m, const float *x, size_t ncols,
    int32_t *out)
{
	leaves(m, x, 0, ncols, out);
}

void
pf_gbdt_leaves_f64(const pf_gbdt *m, const double *x, size_t ncols,
    int32_t *out)
{
	leaves(m, x, 1, ncols, out);
}
