/*
 * harness/stages/linear.c — the linear stage: bias + the sum of weight x
 * feature from a weights file ("bias B" and "<feature id> <weight>"
 * lines); an absent feature adds nothing. The weights' file ids are
 * resolved to columns once per query (stage.h's column map), so the sum
 * over a row reads its columns directly, in the weights file's order.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/stages/stage.h"
#include "harness/util/fileio.h"
#include "harness/util/scan.h"

typedef struct lin_state {
	double	 bias;
	size_t	 nw;
	long	*id;		/* file feature ids */
	double	*w;
} lin_state;

static void
lin_close(void *st)
{
	lin_state *s = st;

	if (s == NULL)
		return;
	free(s->id);
	free(s->w);
	free(s);
}

/* Weights file: "bias B" and "<feature id> <weight>" lines, # comments. */
static int
lin_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	char path[4096], *buf = NULL;
	size_t len, lineno = 0;
	lin_state *s;
	int rc;

	*out = NULL;
	if ((rc = pf_stage_need(cfg, "linear", "weights", err)) != PF_OK ||
	    (rc = pf_stage_path(cfg, "weights", path, sizeof(path), err)) !=
	    PF_OK || (rc = pf_read_file(&buf, &len, path, err)) != PF_OK)
		return rc;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto nomem;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *line, *le = pf_take_line(&p, end, &line), *f[3];
		size_t fl[3];
		double w;
		long id = 0;

		lineno++;
		int nf = pf_split_ws(line, le, f, fl, 3);
		if (nf == 0 || f[0][0] == '#')
			continue;
		if (nf != 2 || pf_parse_double(f[1], fl[1], &w) != 0 ||
		    !isfinite(w) || ((fl[0] != 4 || memcmp(f[0], "bias", 4)) &&
		    pf_parse_long(f[0], fl[0], 0, INT32_MAX, &id) != 0)) {
			rc = pf_err_set(err, PF_EFORMAT, path, (long)lineno,
			    "expected '<feature id> <weight>' or 'bias "
			    "<value>' with finite numbers");
			goto fail;
		}
		if (fl[0] == 4 && memcmp(f[0], "bias", 4) == 0) {
			s->bias = w;
			continue;
		}
		long *ni = realloc(s->id, (s->nw + 1) * sizeof(*ni));
		if (ni == NULL)
			goto nomem;
		s->id = ni;
		double *nw = realloc(s->w, (s->nw + 1) * sizeof(*nw));
		if (nw == NULL)
			goto nomem;
		s->w = nw;
		s->id[s->nw] = id;
		s->w[s->nw++] = w;
	}
	free(buf);
	*out = s;
	return PF_OK;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
fail:
	free(buf);
	lin_close(s);
	return rc;
}

static int
lin_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	lin_state *s = st;
	const pf_feats *f = &io->feats;
	size_t np = 0;

	(void)q;
	if (io->n == 0)
		return PF_OK;
	if (f->x32 == NULL)
		return pf_err_set(err, PF_ESTAGE, NULL, 0, "linear needs a "
		    "stage before it that provides features");
	/* The columns of the weights the rows have, once per query, in the
	   file's order (the order of the additions); the others add
	   nothing. */
	size_t *col = pf_arena_alloc(scratch, (s->nw + 1) * sizeof(*col),
	    _Alignof(size_t));
	double *wt = pf_arena_alloc(scratch, (s->nw + 1) * sizeof(*wt),
	    _Alignof(double));
	if (col == NULL || wt == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t k = 0; k < s->nw; k++) {
		long c = pf_feats_col(f, s->id[k]);
		if (c >= 0) {
			col[np] = (size_t)c;
			wt[np++] = s->w[k];
		}
	}
	for (size_t i = 0; i < io->n; i++) {
		const float *x = f->x32 + (size_t)io->row[i] * f->nf;
		double sc = s->bias;
		for (size_t k = 0; k < np; k++) {
			float v = x[col[k]];	/* absent (NaN) adds nothing */
			if (v == v)
				sc += wt[k] * (double)v;
		}
		io->score[i] = sc;
	}
	return PF_OK;
}

static const pf_stage_param_doc lin_params[] = {
	{"weights", "path", 1, "lines '<feature id> <weight>' and 'bias <b>'"},
	{NULL, NULL, 0, NULL}
};

const pf_stage_ops pf_stage_linear = {
	.abi = PF_STAGE_ABI,
	.name = "linear",
	.summary = "rank: bias + sum of weight x feature (absent features add "
	    "nothing)",
	.flags = PF_STAGE_SCORES,
	.params = lin_params,
	.open = lin_open,
	.process = lin_process,
	.close = lin_close,
};
