/*
 * harness/stages/cutoff.c — the cutoff stage: keep the top k of the current
 * ranking.
 */
#include <stdlib.h>

#include "harness/stages/stage.h"

static int
cut_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	long k;
	int rc;

	*out = NULL;
	if ((rc = pf_stage_need(cfg, "cutoff", "k", err)) != PF_OK ||
	    (rc = pf_stage_long(cfg, "k", 0, 1, 100000000, &k, err)) != PF_OK)
		return rc;
	if ((*out = malloc(sizeof(long))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	*(long *)*out = k;
	return PF_OK;
}

static int
cut_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	size_t k = (size_t)*(long *)st;

	(void)q;
	(void)scratch;
	(void)err;
	if (io->n > k)
		io->n = k;	/* the list is sorted after every scorer */
	return PF_OK;
}

static const pf_stage_param_doc cut_params[] = {
	{"k", "int", 1, "keep the top k of the current ranking"},
	{NULL, NULL, 0, NULL}
};

const pf_stage_ops pf_stage_cutoff = {
	.abi = PF_STAGE_ABI,
	.name = "cutoff",
	.summary = "post: keep the top k",
	.params = cut_params,
	.open = cut_open,
	.process = cut_process,
	.close = free,
};
