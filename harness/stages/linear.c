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
#include "harness/util/grow.h"
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

/* The weight lines' ids and line numbers, to find a repeated id. */
typedef struct idline {
	long	id, line;
} idline;

static int
cmp_idline(const void *a, const void *b)
{
	const idline *x = a, *y = b;

	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->line > y->line) - (x->line < y->line);
}

/*
 * A feature id given twice: the error at the line of its second weight
 * (the earliest such line in the file). Sorting keeps it O(n log n) for
 * hashed-feature models with millions of weights.
 */
static int
check_repeats(const lin_state *s, const long *line, const char *path,
    pf_err *err)
{
	idline *v = malloc((s->nw + 1) * sizeof(*v));
	long at = -1, first = 0, id = 0;

	if (v == NULL)
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	for (size_t k = 0; k < s->nw; k++)
		v[k] = (idline){s->id[k], line[k]};
	qsort(v, s->nw, sizeof(*v), cmp_idline);
	for (size_t k = 1; k < s->nw; k++)
		if (v[k].id == v[k - 1].id && (at < 0 || v[k].line < at)) {
			at = v[k].line;
			first = v[k - 1].line;
			id = v[k].id;
		}
	free(v);
	if (at < 0)
		return PF_OK;
	return pf_err_set(err, PF_EFORMAT, path, at, "feature %ld given twice "
	    "(first at line %ld)", id, first);
}

/* Appends weight w of feature id, read at line. */
static int
add_weight(lin_state *s, long **line, size_t *cap, long id, double w,
    long at)
{
	if (s->nw == *cap) {
		size_t c = pf_grow_cap(*cap, s->nw + 1, sizeof(double));
		long *ni, *nl;
		double *nw;
		if (c == 0 || (ni = pf_realloc_n(s->id, c, sizeof(*ni))) == NULL)
			return -1;
		s->id = ni;
		if ((nw = pf_realloc_n(s->w, c, sizeof(*nw))) == NULL)
			return -1;
		s->w = nw;
		if ((nl = pf_realloc_n(*line, c, sizeof(*nl))) == NULL)
			return -1;
		*line = nl;
		*cap = c;
	}
	s->id[s->nw] = id;
	(*line)[s->nw] = at;
	s->w[s->nw++] = w;
	return 0;
}

/*
 * Weights file: "bias B" and "<feature id> <weight>" lines, # comments.
 * Refused at path:line: a malformed line, a second bias line, a feature
 * id given twice, and a file with neither (a constant ranker).
 */
static int
lin_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	char path[4096], *buf = NULL;
	size_t len, cap = 0;
	long lineno = 0, bias_line = 0, *line = NULL;
	lin_state *s;
	int rc;

	*out = NULL;
	if ((rc = pf_stage_need(cfg, "linear", "weights", err)) != PF_OK ||
	    (rc = pf_stage_path(cfg, "weights", path, sizeof(path), err)) !=
	    PF_OK || (rc = pf_read_text(&buf, &len, path, err)) != PF_OK)
		return rc;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto nomem;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *ln, *le = pf_take_line(&p, end, &ln), *f[3];
		size_t fl[3];
		double w;
		long id = 0;

		lineno++;
		int nf = pf_split_ws(ln, le, f, fl, 3);
		if (nf == 0 || f[0][0] == '#')
			continue;
		int bias = fl[0] == 4 && memcmp(f[0], "bias", 4) == 0;
		if (nf != 2 || pf_parse_double(f[1], fl[1], &w) != 0 ||
		    !isfinite(w) || (!bias && pf_parse_long(f[0], fl[0], 0,
		    INT32_MAX, &id) != 0)) {
			rc = pf_err_set(err, PF_EFORMAT, path, lineno,
			    "expected '<feature id> <weight>' or 'bias "
			    "<value>' with finite numbers");
			goto fail;
		}
		if (bias && bias_line > 0) {
			rc = pf_err_set(err, PF_EFORMAT, path, lineno, "a second "
			    "bias line (the first is line %ld)", bias_line);
			goto fail;
		}
		if (bias) {
			s->bias = w;
			bias_line = lineno;
		} else if (add_weight(s, &line, &cap, id, w, lineno) != 0)
			goto nomem;
	}
	if (s->nw == 0 && bias_line == 0) {
		rc = pf_err_set(err, PF_EFORMAT, path, lineno > 0 ? lineno : 1,
		    "no weights and no bias: every candidate would score the "
		    "same (expected '<feature id> <weight>' lines)");
		goto fail;
	}
	if ((rc = check_repeats(s, line, path, err)) != PF_OK)
		goto fail;
	free(line);
	free(buf);
	*out = s;
	return PF_OK;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
fail:
	free(line);
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
