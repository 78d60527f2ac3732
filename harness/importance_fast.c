/*
 * harness/importance_fast.c — the changed-trees scorer (placeholder: the
 * stage's process() scores every task until this lands).
 */
#include <stdlib.h>

#include "harness/imp_internal.h"

int
pf_imp_fast_new(pf_imp_fast **out, const pf_imp_ctx *x, pf_err *err)
{
	(void)x;
	(void)err;
	*out = NULL;
	return PF_OK;
}

void
pf_imp_fast_free(pf_imp_fast *f)
{
	(void)f;
}

int
pf_imp_fast_ws_new(pf_imp_fast_ws **out, const pf_imp_fast *f, size_t maxn)
{
	(void)f;
	(void)maxn;
	*out = NULL;
	return PF_OK;
}

void
pf_imp_fast_ws_free(pf_imp_fast_ws *w)
{
	(void)w;
}

void
pf_imp_fast_score(const pf_imp_fast *f, pf_imp_fast_ws *w, size_t q,
    const float *b32, size_t n, const size_t *cols, size_t ncols,
    double *out)
{
	(void)f; (void)w; (void)q; (void)b32; (void)n; (void)cols; (void)ncols;
	(void)out;
}
