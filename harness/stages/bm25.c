/*
 * harness/stages/bm25.c — the bm25 stage: an inverted index over the golden
 * set's corpus (docs.tsv), built once at open, and top-depth retrieval per
 * query.
 *
 * score(q, d) = sum over query tokens t (repeats count again) of
 *   idf(t) * tf(t, d) * (k1 + 1) / (tf(t, d) + k1 * (1 - b + b * dl / avgdl))
 * with idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)) (the Lucene / ATIRE
 * variant: never negative), tf and dl summed over the fields with their
 * weights (fields="title:1,body:1"), terms from harness/text/analyzer.h (its
 * stopwords= and stem= parameters).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/golden.h"
#include "harness/stages/stage.h"
#include "harness/stages/text_input.h"
#include "harness/text/termcount.h"
#include "harness/util/strtab.h"

typedef struct bm25 {
	double		 k1, b, avgdl;
	long		 depth;
	pf_analyzer	*an;
	double		 wtitle, wbody;
	size_t		 ndocs, nterms;
	pf_strtab	*terms;
	double		*idf;		/* nterms */
	size_t		*off;		/* nterms + 1: postings of term t */
	uint32_t	*pdoc;
	float		*ptf;		/* weighted tf */
	double		*dl;		/* ndocs weighted lengths */
} bm25;

static void
bm25_close(void *st)
{
	bm25 *s = st;

	if (s == NULL)
		return;
	pf_strtab_free(s->terms);
	pf_analyzer_free(s->an);
	free(s->idf);
	free(s->off);
	free(s->pdoc);
	free(s->ptf);
	free(s->dl);
	free(s);
}

static int
parse_fields(bm25 *s, const char *v)
{
	s->wtitle = s->wbody = 0.0;
	while (*v) {
		char name[16];
		double w = 1.0;
		size_t n = strcspn(v, ":,");
		if (n == 0 || n >= sizeof(name))
			return -1;
		memcpy(name, v, n);
		name[n] = '\0';
		v += n;
		if (*v == ':') {
			char *e;
			w = strtod(v + 1, &e);
			if (e == v + 1 || !(w >= 0) || !isfinite(w))
				return -1;
			v = e;
		}
		if (!strcmp(name, "title"))
			s->wtitle = w;
		else if (!strcmp(name, "body"))
			s->wbody = w;
		else
			return -1;
		if (*v == ',')
			v++;
		else if (*v != '\0')
			return -1;
	}
	return s->wtitle + s->wbody > 0 ? 0 : -1;
}

/* Adds one field's tokens (weight w) to the document's counts: O(1) per
   token, so one long document costs no more than many short ones. */
static int
count_field(bm25 *s, const char *text, double w, pf_termcount *tc,
    double *len)
{
	const char *p = text, *end = text + strlen(text);
	char tok[PF_TOKEN_MAX + 1];
	size_t k;

	if (w == 0)
		return 0;
	while ((k = pf_analyze_next(s->an, &p, end, tok)) > 0) {
		long t = pf_strtab_intern(s->terms, tok, k);
		if (t < 0 || pf_termcount_add(tc, (uint32_t)t, w) != PF_OK)
			return -1;
		*len += w;
	}
	return 0;
}

static int
bm25_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	const pf_golden *g = cfg->golden;
	const pf_param *fp = pf_stage_param(cfg, "fields");
	bm25 *s;
	pf_termcount tc = PF_TERMCOUNT_INIT;
	long *tdoc = NULL;
	double *ttf = NULL;
	size_t npost = 0, cpost = 0;
	int rc;

	*out = NULL;
	if (g->corpus.n == 0)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "bm25 needs a corpus: "
		    "<docs file=\"docs.tsv\"/> in <golden>");
	if ((rc = pf_stage_query_text(g, "bm25", err)) != PF_OK)
		return rc;
	if ((s = calloc(1, sizeof(*s))) == NULL || (s->terms =
	    pf_strtab_new()) == NULL)
		goto nomem;
	if ((rc = pf_stage_double(cfg, "k1", 0.9, &s->k1, err)) != PF_OK ||
	    (rc = pf_stage_double(cfg, "b", 0.4, &s->b, err)) != PF_OK ||
	    (rc = pf_stage_long(cfg, "depth", 1000, 1, 100000000, &s->depth,
	    err)) != PF_OK)
		goto fail;
	if (s->k1 < 0 || s->b < 0 || s->b > 1) {
		rc = pf_err_set(err, PF_EINVAL, cfg->file, cfg->line, "bm25 "
		    "wants k1 >= 0 and 0 <= b <= 1");
		goto fail;
	}
	if (parse_fields(s, fp ? fp->value : "title:1,body:1") != 0) {
		rc = pf_err_set(err, PF_EINVAL, cfg->file, fp ? fp->line :
		    cfg->line, "fields='%s': expected title[:w],body[:w]",
		    fp ? fp->value : "");
		goto fail;
	}
	if ((rc = pf_stage_analyzer(&s->an, cfg, err)) != PF_OK)
		goto fail;
	s->ndocs = g->corpus.n;
	if ((s->dl = calloc(s->ndocs, sizeof(*s->dl))) == NULL)
		goto nomem;
	/* pass 1: (term, doc, tf) triples in document order */
	for (size_t d = 0; d < s->ndocs; d++) {
		pf_termcount_reset(&tc);
		if (count_field(s, g->corpus.title[d], s->wtitle, &tc,
		    &s->dl[d]) != 0 || count_field(s, g->corpus.body[d],
		    s->wbody, &tc, &s->dl[d]) != 0)
			goto nomem;
		size_t n = tc.n;
		if (npost + n > cpost) {
			cpost = (npost + n) * 2;
			long *a = realloc(tdoc, cpost * 2 * sizeof(*a));
			if (a == NULL)
				goto nomem;
			tdoc = a;
			double *b = realloc(ttf, cpost * sizeof(*b));
			if (b == NULL)
				goto nomem;
			ttf = b;
		}
		for (size_t i = 0; i < n; i++, npost++) {
			tdoc[2 * npost] = (long)tc.id[i];
			tdoc[2 * npost + 1] = (long)d;
			ttf[npost] = tc.tf[i];
		}
		s->avgdl += s->dl[d];
	}
	s->avgdl = s->ndocs ? s->avgdl / (double)s->ndocs : 0;
	/* pass 2: postings grouped by term (counting sort), idf */
	s->nterms = pf_strtab_count(s->terms);
	if ((s->off = calloc(s->nterms + 1, sizeof(*s->off))) == NULL ||
	    (s->idf = calloc(s->nterms + 1, sizeof(*s->idf))) == NULL ||
	    (s->pdoc = malloc((npost + 1) * sizeof(*s->pdoc))) == NULL ||
	    (s->ptf = malloc((npost + 1) * sizeof(*s->ptf))) == NULL)
		goto nomem;
	for (size_t i = 0; i < npost; i++)
		s->off[tdoc[2 * i] + 1]++;
	for (size_t t = 0; t < s->nterms; t++) {
		double df = (double)s->off[t + 1], N = (double)s->ndocs;
		s->idf[t] = log(1.0 + (N - df + 0.5) / (df + 0.5));
		s->off[t + 1] += s->off[t];
	}
	{
		size_t *fill = calloc(s->nterms + 1, sizeof(*fill));
		if (fill == NULL)
			goto nomem;
		for (size_t i = 0; i < npost; i++) {	/* doc order kept */
			size_t t = (size_t)tdoc[2 * i], k = s->off[t] + fill[t]++;
			s->pdoc[k] = (uint32_t)tdoc[2 * i + 1];
			s->ptf[k] = (float)ttf[i];
		}
		free(fill);
	}
	pf_termcount_free(&tc);
	free(tdoc);
	free(ttf);
	*out = s;
	return PF_OK;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
fail:
	pf_termcount_free(&tc);
	free(tdoc);
	free(ttf);
	bm25_close(s);
	return rc;
}

typedef struct hit {
	double		score;
	uint32_t	doc;
} hit;

/* min-heap on score (ties: larger doc index first out, kept stable) */
static int
worse(const hit *a, const hit *b)
{
	return a->score < b->score || (a->score == b->score && a->doc > b->doc);
}

static void
sift_down(hit *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && worse(&h[l], &h[m]))
			m = l;
		if (r < n && worse(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		hit t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static int
bm25_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	bm25 *s = st;
	double *acc;
	hit *heap;
	size_t nh = 0, k = (size_t)s->depth;
	char tok[PF_TOKEN_MAX + 1];
	size_t len;

	io->n = 0;
	if (q->text == NULL)
		return pf_err_set(err, PF_ESTAGE, NULL, 0, "bm25 needs query "
		    "text (queries.tsv)");
	if ((acc = pf_arena_alloc(scratch, s->ndocs * sizeof(*acc), 64)) ==
	    NULL || (heap = pf_arena_alloc(scratch, (k < s->ndocs ? k :
	    s->ndocs) * sizeof(*heap) + 1, 64)) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	memset(acc, 0, s->ndocs * sizeof(*acc));
	const char *p = q->text, *end = q->text + strlen(q->text);
	while ((len = pf_analyze_next(s->an, &p, end, tok)) > 0) {
		long t = pf_strtab_find(s->terms, tok, len);
		if (t < 0)
			continue;
		double idf = s->idf[t];
		for (size_t i = s->off[t]; i < s->off[t + 1]; i++) {
			double tf = s->ptf[i], dl = s->dl[s->pdoc[i]];
			acc[s->pdoc[i]] += idf * tf * (s->k1 + 1) / (tf + s->k1 *
			    (1 - s->b + s->b * dl / s->avgdl));
		}
	}
	size_t cap = k < s->ndocs ? k : s->ndocs;
	for (size_t d = 0; d < s->ndocs; d++) {
		if (!(acc[d] > 0))
			continue;
		hit h = {acc[d], (uint32_t)d};
		if (nh < cap) {
			size_t i = nh++;
			heap[i] = h;
			while (i > 0 && worse(&heap[i], &heap[(i - 1) / 2])) {
				hit t = heap[i];
				heap[i] = heap[(i - 1) / 2];
				heap[(i - 1) / 2] = t;
				i = (i - 1) / 2;
			}
		} else if (worse(&heap[0], &h)) {
			heap[0] = h;
			sift_down(heap, nh, 0);
		}
	}
	if (pf_cands_reserve(io, nh) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < nh; i++) {	/* the engine sorts */
		io->doc[i] = heap[i].doc;	/* corpus index = doc index */
		io->row[i] = 0;
		io->score[i] = heap[i].score;
	}
	io->n = nh;
	io->feats = (pf_feats){NULL, NULL, 0, 0, NULL, NULL};
	return PF_OK;
}

static const pf_stage_param_doc bm25_params[] = {
	{"k1", "number", 0, "term frequency saturation (default 0.9)"},
	{"b", "number", 0, "length normalisation in [0, 1] (default 0.4)"},
	{"depth", "int", 0, "documents retrieved per query (default 1000)"},
	{"fields", "string", 0, "fields and weights (default title:1,body:1)"},
	{"stopwords", "string", 0, "none (default) or small"},
	{"stem", "string", 0, "none (default), english, porter or another "
	    "Snowball algorithm"},
	{NULL, NULL, 0, NULL}
};

const pf_stage_ops pf_stage_bm25 = {
	.abi = PF_STAGE_ABI,
	.name = "bm25",
	.summary = "retrieve: BM25 over the golden set's corpus (an "
	    "inverted index)",
	.flags = PF_STAGE_RETRIEVES | PF_STAGE_SCORES,
	.params = bm25_params,
	.open = bm25_open,
	.process = bm25_process,
	.close = bm25_close,
};
