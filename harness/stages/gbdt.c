/*
 * harness/stages/gbdt.c — the gbdt stage: XGBoost JSON and LightGBM text
 * models (harness/model/gbdt.h), scored as their own predictors score
 * them: XGBoost from the float32 features (absent = missing), LightGBM from
 * the parsed doubles (absent = 0.0).
 *
 * first-feature names the file feature id of the model's feature 0: 1 for
 * a model trained on LETOR ids with 0-based feature names (XGBoost's f0 =
 * id 1), 0 for LightGBM, which keeps libsvm ids as they are.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/model/gbdt.h"
#include "harness/stages/stage.h"

typedef struct gbdt_state {
	pf_gbdt	*m;
	long	 first;
	size_t	 nf;		/* model features */
} gbdt_state;

static void
gbdt_close(void *st)
{
	gbdt_state *s = st;

	if (s == NULL)
		return;
	pf_gbdt_free(s->m);
	free(s);
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
	    1000000, &s->first, err)) != PF_OK ||
	    (rc = pf_gbdt_load(&s->m, path, err)) != PF_OK) {
		gbdt_close(s);
		return rc;
	}
	s->nf = pf_gbdt_nfeatures(s->m);
	*out = s;
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
	/* Gather the candidates' rows in model feature order. */
	if (dbl) {
		double *x = pf_arena_alloc(scratch, n * w * sizeof(*x), 64);
		if (x == NULL)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
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
		float *x = pf_arena_alloc(scratch, n * w * sizeof(*x), 64);
		if (x == NULL)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
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
	long file_last = (long)in->nf - 1 + in->base;
	long model_last = s->first + (long)s->nf - 1;

	if (in->nf > 0 && file_last > model_last)
		return pf_err_set(err, PF_EDATA, NULL, 0, "the candidates have "
		    "feature ids up to %ld but the model reads ids %ld..%ld "
		    "(%zu features from first-feature=%ld): wrong model, file "
		    "or first-feature", file_last, s->first, model_last, s->nf,
		    s->first);
	return PF_OK;
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
};
