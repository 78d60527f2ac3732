/*
 * harness/model/gbdt.c — loading dispatch and the scorers. XGBoost trees
 * are walked with the predicated step n = left + !(x < t) (right == left
 * + 1 in every XGBoost tree), several rows at a time per tree so the
 * node arrays stay in cache; each row still adds its leaves in tree order,
 * so the float32 sum is XGBoost's, bit for bit.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "harness/fileio.h"
#include "harness/model/internal.h"

#define BLOCK	16	/* rows walked together per tree */

void
pf_gbdt_free(pf_gbdt *m)
{
	if (m == NULL)
		return;
	free(m->toff);
	free(m->left);
	free(m->right);
	free(m->feat);
	free(m->cond);
	free(m->defl);
	free(m->tweight);
	free(m->w);
	free(m->ioff);
	free(m->loff);
	free(m->lchild);
	free(m->rchild);
	free(m->sfeat);
	free(m->thr);
	free(m->dtype);
	free(m->leafv);
	free(m->catb);
	free(m->catt);
	free(m->cboff);
	free(m->ctoff);
	free(m);
}

int
pf_gbdt_load(pf_gbdt **out, const char *path, pf_err *err)
{
	char *text = NULL;
	size_t len = 0, i = 0;
	pf_gbdt *m;
	int rc;

	*out = NULL;
	if ((rc = pf_read_file(&text, &len, path, err)) != PF_OK)
		return rc;
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		free(text);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	}
	while (i < len && (text[i] == ' ' || text[i] == '\n' ||
	    text[i] == '\r' || text[i] == '\t'))
		i++;
	if (i < len && text[i] == '{') {
		if (i + 1 < len && strchr("\"} \n\r\t", text[i + 1]) == NULL)
			rc = pf_err_set(err, PF_EFORMAT, path, 0, "looks like "
			    "UBJSON; save the model as .json text");
		else
			rc = pf_gbdt__load_xgb(m, path, text, len, err);
	} else if (len - i >= 4 && memcmp(text + i, "tree", 4) == 0) {
		rc = pf_gbdt__load_lgb(m, path, text, len, err);
	} else {
		rc = pf_err_set(err, PF_EFORMAT, path, 1, "neither an XGBoost "
		    "JSON model nor a LightGBM text model (first line "
		    "'tree')");
	}
	free(text);
	if (rc == PF_OK && m->ntrees == 0 && !m->linear)
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "the model has no "
		    "trees");
	if (rc != PF_OK) {
		pf_gbdt_free(m);
		return rc;
	}
	*out = m;
	return PF_OK;
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

const char *
pf_gbdt_objective(const pf_gbdt *m)
{
	return m->objective;
}

/* ---- XGBoost ---------------------------------------------------------- */

static inline float
xval(const float *row, size_t ncols, int32_t f)
{
	return (size_t)f < ncols ? row[f] : NAN;
}

static inline int32_t
xgb_step(const pf_gbdt *m, size_t o, int32_t n, float v)
{
	/* NaN: default direction; else left iff v < cond (equal: right) */
	int right = v != v ? !m->defl[o + (size_t)n] :
	    !(v < m->cond[o + (size_t)n]);
	return m->left[o + (size_t)n] + right;
}

static float
xgb_linear(const pf_gbdt *m, const float *row, size_t ncols)
{
	float s = m->bias + m->base;

	for (size_t j = 0; j < m->nfeat && j < ncols; j++)
		if (row[j] == row[j]) {
			float p = row[j] * m->w[j];	/* rounded, no FMA */
			s += p;
		}
	return s;
}

static void
xgb_block(const pf_gbdt *m, const float *x, size_t nr, size_t ld,
    size_t ncols, double *out)
{
	float acc[BLOCK];
	int32_t node[BLOCK];

	if (m->linear) {
		for (size_t r = 0; r < nr; r++)
			out[r] = xgb_linear(m, x + r * ld, ncols);
		return;
	}
	for (size_t r = 0; r < nr; r++)
		acc[r] = m->base;
	for (size_t t = 0; t < m->ntrees; t++) {
		size_t o = m->toff[t];
		int more = 1;
		for (size_t r = 0; r < nr; r++)
			node[r] = 0;
		while (more) {		/* one level for every row at a time */
			more = 0;
			for (size_t r = 0; r < nr; r++) {
				int32_t n = node[r];
				if (m->left[o + (size_t)n] == -1)
					continue;
				node[r] = xgb_step(m, o, n, xval(x + r * ld,
				    ncols, m->feat[o + (size_t)n]));
				more = 1;
			}
		}
		for (size_t r = 0; r < nr; r++) {
			float leaf = m->cond[o + (size_t)node[r]];
			if (m->tweight != NULL)
				leaf = leaf * m->tweight[t];
			acc[r] += leaf;
		}
	}
	for (size_t r = 0; r < nr; r++)
		out[r] = (double)acc[r];
}

/* ---- LightGBM --------------------------------------------------------- */

static int
lgb_cat_left(const pf_gbdt *m, size_t t, size_t node, double v)
{
	int c = (int)m->thr[m->ioff[t] + node];
	const int32_t *cb = m->catb + m->cboff[t];
	const uint32_t *ct = m->catt + m->ctoff[t];

	if (!(v >= 0) || v != v)
		return 0;		/* negative or NaN: right */
	long iv = (long)v;
	size_t lo = (size_t)cb[c], hi = (size_t)cb[c + 1];
	size_t w = (size_t)iv / 32;
	if (w >= hi - lo)
		return 0;
	return (ct[lo + w] >> (iv % 32)) & 1;
}

static double
lgb_row(const pf_gbdt *m, const double *row, size_t ncols)
{
	double raw = 0.0;

	for (size_t t = 0; t < m->ntrees; t++) {
		size_t io = m->ioff[t], ni = m->ioff[t + 1] - io;
		int32_t n = 0;
		if (ni > 0) {
			while (n >= 0) {
				size_t k = io + (size_t)n;
				int32_t f = m->sfeat[k];
				int8_t dt = m->dtype[k];
				double v = (size_t)f < ncols ? row[f] : 0.0;
				int left;
				if (dt & 1) {
					left = lgb_cat_left(m, t, (size_t)n, v);
				} else {
					int mt = (dt >> 2) & 3;
					if (v != v && mt != 2)
						v = 0.0;
					if ((mt == 1 && v >= -1e-35f &&
					    v <= 1e-35f) || (mt == 2 && v != v))
						left = (dt & 2) != 0;
					else
						left = v <= m->thr[k];
				}
				n = left ? m->lchild[k] : m->rchild[k];
			}
			n = ~n;
		}
		raw += m->leafv[m->loff[t] + (size_t)n];
	}
	return raw;
}

/* ---- entry points ----------------------------------------------------- */

void
pf_gbdt_predict_f32(const pf_gbdt *m, const float *x, size_t nrows,
    size_t ld, size_t ncols, double *out)
{
	if (m->kind == PF_GBDT_LIGHTGBM) {
		double *row = malloc((ncols ? ncols : 1) * sizeof(*row));
		if (row == NULL) {
			for (size_t r = 0; r < nrows; r++)
				out[r] = NAN;	/* the engine refuses NaN */
			return;
		}
		for (size_t r = 0; r < nrows; r++) {
			for (size_t j = 0; j < ncols; j++)
				row[j] = (double)x[r * ld + j];
			out[r] = lgb_row(m, row, ncols);
		}
		free(row);
		return;
	}
	size_t nb = (nrows + BLOCK - 1) / BLOCK;
#pragma omp parallel for schedule(static) if (nrows >= 4096)
	for (size_t b = 0; b < nb; b++) {
		size_t r0 = b * BLOCK, nr = nrows - r0 < BLOCK ? nrows - r0 :
		    BLOCK;
		xgb_block(m, x + r0 * ld, nr, ld, ncols, out + r0);
	}
}

void
pf_gbdt_predict_f64(const pf_gbdt *m, const double *x, size_t nrows,
    size_t ld, size_t ncols, double *out)
{
	if (m->kind == PF_GBDT_XGBOOST) {
		float row[BLOCK * 64];
		/* narrow to float as XGBoost does with float64 input */
		for (size_t r = 0; r < nrows; r++) {
			float *tmp = ncols <= sizeof(row) / sizeof(*row) ? row :
			    malloc(ncols * sizeof(float));
			if (tmp == NULL) {
				out[r] = NAN;
				continue;
			}
			for (size_t j = 0; j < ncols; j++)
				tmp[j] = (float)x[r * ld + j];
			xgb_block(m, tmp, 1, ncols, ncols, out + r);
			if (tmp != row)
				free(tmp);
		}
		return;
	}
#pragma omp parallel for schedule(static) if (nrows >= 4096)
	for (size_t r = 0; r < nrows; r++)
		out[r] = lgb_row(m, x + r * ld, ncols);
}

void
pf_gbdt_leaves_f32(const pf_gbdt *m, const float *x, size_t ncols,
    int32_t *leaves)
{
	for (size_t t = 0; m->kind == PF_GBDT_XGBOOST && t < m->ntrees; t++) {
		size_t o = m->toff[t];
		int32_t n = 0;
		while (m->left[o + (size_t)n] != -1)
			n = xgb_step(m, o, n, xval(x, ncols,
			    m->feat[o + (size_t)n]));
		leaves[t] = n;
	}
}

void
pf_gbdt_leaves_f64(const pf_gbdt *m, const double *x, size_t ncols,
    int32_t *leaves)
{
	for (size_t t = 0; m->kind == PF_GBDT_LIGHTGBM && t < m->ntrees; t++) {
		size_t io = m->ioff[t];
		int32_t n = 0;
		if (m->ioff[t + 1] == io) {
			leaves[t] = 0;
			continue;
		}
		while (n >= 0) {
			size_t k = io + (size_t)n;
			int32_t f = m->sfeat[k];
			int8_t dt = m->dtype[k];
			double v = (size_t)f < ncols ? x[f] : 0.0;
			int left;
			if (dt & 1) {
				left = lgb_cat_left(m, t, (size_t)n, v);
			} else {
				int mt = (dt >> 2) & 3;
				if (v != v && mt != 2)
					v = 0.0;
				if ((mt == 1 && v >= -1e-35f && v <= 1e-35f) ||
				    (mt == 2 && v != v))
					left = (dt & 2) != 0;
				else
					left = v <= m->thr[k];
			}
			n = left ? m->lchild[k] : m->rchild[k];
		}
		leaves[t] = ~n;
	}
}
