/*
 * harness/stages/gbdt.c — the gbdt stage: XGBoost JSON and LightGBM text
 * models (harness/model/gbdt.h), scored as their own predictors score
 * them: XGBoost from the float32 features (absent = missing), LightGBM from
 * the parsed doubles (absent = 0.0).
 *
 * first-feature names the file feature id of the model's feature 0: 1 for
 * a model trained on LETOR ids with 0-based feature names (XGBoost's f0 =
 * id 1), 0 for LightGBM, which keeps libsvm ids as they are. Dense
 * features are gathered by column arithmetic; remapped ones (stage.h) by
 * scattering the columns whose ids the model reads, found once per query.
 *
 * A model's own feature names (pf_gbdt_feature_name) name file id j +
 * first-feature (the names op); the replay compares them with the names
 * of the features the stage gets (a names file, textfeatures) before any
 * query runs and warns of the first disagreements (engine/replay.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/model/gbdt.h"
#include "harness/stages/stage.h"

typedef struct gbdt_state {
	pf_gbdt		*m;
	long		 first;
	size_t		 nf;		/* model features */
	pf_fnames	*names;		/* the model's, by file id, or NULL */
} gbdt_state;

static void
gbdt_close(void *st)
{
	gbdt_state *s = st;

	if (s == NULL)
		return;
	pf_gbdt_free(s->m);
	pf_fnames_free(s->names);
	free(s);
}

/* The model's names by file id (feature j is id j + first), or none. */
static int
model_names(gbdt_state *s, const char *path)
{
	if (pf_gbdt_feature_name(s->m, 0) == NULL)
		return PF_OK;
	if ((s->names = pf_fnames_new(path)) == NULL)
		return PF_ENOMEM;
	for (size_t j = 0; j < s->nf; j++) {
		const char *nm = pf_gbdt_feature_name(s->m, j);
		if (nm != NULL && pf_fnames_add(s->names, (long)j + s->first, nm,
		    strlen(nm), 0, 0) != 0)
			return PF_ENOMEM;
	}
	return PF_OK;
}

static int
gbdt_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	char path[4096];
	gbdt_state *s;
	int rc;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((rc = pf_stage_need(cfg, "gbdt", "model", err)) != PF_OK ||
	    (rc = pf_stage_path(cfg, "model", path, sizeof(path), err)) !=
	    PF_OK || (rc = pf_stage_long(cfg, "first-feature", 0, 0,
	    INT32_MAX, &s->first, err)) != PF_OK ||
	    (rc = pf_gbdt_load(&s->m, path, err)) != PF_OK) {
		gbdt_close(s);
		return rc;
	}
	s->nf = pf_gbdt_nfeatures(s->m);
	if (model_names(s, path) != PF_OK) {
		gbdt_close(s);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	}
	*out = s;
	return PF_OK;
}

/* The per-query rows could not be had: how many, how wide. */
static int
rows_nomem(size_t n, size_t w, size_t es, pf_err *err)
{
	char what[64];

	snprintf(what, sizeof(what), "candidate rows of %zu features", w);
	return pf_err_nomem(err, NULL, n, w * es, what);
}

/*
 * Remapped features (stage.h): the rows in model feature order by scatter,
 * each row's columns with ids in [first, first + w) written to model
 * feature id - first, the others left absent (NaN; 0.0 for LightGBM's
 * doubles, into x64 when it is not NULL, else into x32).
 */
static void
gather_remapped(const pf_feats *f, const pf_cands *io, long first, size_t w,
    float *x32, double *x64)
{
	size_t c0 = pf_feats_lower(f, first);
	size_t c1 = pf_feats_lower(f, first + (long)w);

	for (size_t i = 0; i < io->n; i++) {
		size_t r = (size_t)io->row[i] * f->nf;
		for (size_t j = 0; j < w; j++)
			if (x64 != NULL)
				x64[i * w + j] = 0.0;
			else
				x32[i * w + j] = NAN;
		for (size_t c = c0; c < c1; c++) {
			size_t j = (size_t)((long)f->id[c] - first);
			if (x64 != NULL)
				x64[i * w + j] = f->x64[r + c];
			else
				x32[i * w + j] = f->x32[r + c];
		}
	}
}

/* gbdt_process on remapped features: gathered by scatter, then scored. */
static int
process_remapped(gbdt_state *s, pf_cands *io, int dbl, pf_arena *scratch,
    pf_err *err)
{
	size_t w = s->nf ? s->nf : 1, n = io->n, nw;
	size_t es = dbl ? sizeof(double) : sizeof(float);
	void *x = pf_mul_size(n, w, &nw) == PF_OK && nw <= SIZE_MAX / es ?
	    pf_arena_alloc(scratch, nw * es, 64) : NULL;

	if (x == NULL)
		return rows_nomem(n, w, es, err);
	gather_remapped(&io->feats, io, s->first, w, dbl ? NULL : x,
	    dbl ? x : NULL);
	if (dbl)
		pf_gbdt_predict_f64(s->m, x, n, w, w, io->score);
	else
		pf_gbdt_predict_f32(s->m, x, n, w, w, io->score);
	return PF_OK;
}

static int
gbdt_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	gbdt_state *s = st;
	const pf_feats *f = &io->feats;
	size_t w = s->nf ? s->nf : 1, n = io->n;
	long shift = s->first - f->base;
	int dbl = pf_gbdt_kind(s->m) == PF_GBDT_LIGHTGBM;

	(void)q;
	if (n == 0)
		return PF_OK;
	if (f->x32 == NULL || (dbl && f->x64 == NULL))
		return pf_err_set(err, PF_ESTAGE, NULL, 0, "gbdt needs a stage "
		    "before it that provides features");
	if (f->id != NULL)
		return process_remapped(s, io, dbl, scratch, err);
	/* Gather the candidates' rows in model feature order. */
	size_t nw, es = dbl ? sizeof(double) : sizeof(float);
	if (pf_mul_size(n, w, &nw) != PF_OK || nw > SIZE_MAX / es)
		return rows_nomem(n, w, es, err);
	if (dbl) {
		double *x = pf_arena_alloc(scratch, nw * sizeof(*x), 64);
		if (x == NULL)
			return rows_nomem(n, w, es, err);
		for (size_t i = 0; i < n; i++) {
			const double *src = f->x64 + (size_t)io->row[i] * f->nf;
			for (size_t j = 0; j < w; j++) {
				long c = (long)j + shift;
				x[i * w + j] = c >= 0 && (size_t)c < f->nf ?
				    src[c] : 0.0;
			}
		}
		pf_gbdt_predict_f64(s->m, x, n, w, w, io->score);
	} else {
		float *x = pf_arena_alloc(scratch, nw * sizeof(*x), 64);
		if (x == NULL)
			return rows_nomem(n, w, es, err);
		for (size_t i = 0; i < n; i++) {
			const float *src = f->x32 + (size_t)io->row[i] * f->nf;
			for (size_t j = 0; j < w; j++) {
				long c = (long)j + shift;
				x[i * w + j] = c >= 0 && (size_t)c < f->nf ?
				    src[c] : NAN;
			}
		}
		pf_gbdt_predict_f32(s->m, x, n, w, w, io->score);
	}
	return PF_OK;
}

static const pf_stage_param_doc gbdt_params[] = {
	{"model", "path", 1, "XGBoost JSON (gbtree, dart, gblinear) or "
	    "LightGBM text model"},
	{"first-feature", "int", 0, "file feature id of the model's feature "
	    "0 (default 0; 1 for XGBoost models trained with f0 = id 1)"},
	{NULL, NULL, 0, NULL}
};

/*
 * The model must be able to read every feature the file has: a file
 * feature id beyond the model's last (first-feature + features - 1) means
 * the wrong model, the wrong file or the wrong first-feature. The reverse
 * (the model knows ids the file never has) is normal for sparse LETOR
 * files, whose width is their largest id.
 */
static int
gbdt_check(void *st, const pf_feats *in, pf_err *err)
{
	gbdt_state *s = st;
	long file_last = pf_feats_last_id(in);
	long model_last = s->first + (long)s->nf - 1;

	if (in->nf > 0 && file_last > model_last)
		return pf_err_set(err, PF_EDATA, NULL, 0, "the candidates have "
		    "feature ids up to %ld but the model reads ids %ld..%ld "
		    "(%zu features from first-feature=%ld): wrong model, file "
		    "or first-feature", file_last, s->first, model_last, s->nf,
		    s->first);
	return PF_OK;
}

static const pf_fnames *
gbdt_names(void *st)
{
	return ((gbdt_state *)st)->names;
}

const pf_stage_ops pf_stage_gbdt = {
	.abi = PF_STAGE_ABI,
	.name = "gbdt",
	.summary = "rank: gradient-boosted trees, scored exactly as "
	    "XGBoost / LightGBM",
	.flags = PF_STAGE_SCORES,
	.params = gbdt_params,
	.open = gbdt_open,
	.process = gbdt_process,
	.close = gbdt_close,
	.check = gbdt_check,
	.names = gbdt_names,
};
