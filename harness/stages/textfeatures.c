/*
 * harness/stages/textfeatures.c — query-document features from text for a
 * learned ranker after a text retrieval stage. Numbered (file feature ids,
 * as in LETOR files, first id 1) and stable:
 *
 *   1  BM25 of the title          (k1 0.9, b 0.4, Lucene idf; as bm25)
 *   2  BM25 of the body
 *   3  BM25 of title + body
 *   4  TF-IDF cosine of query and title + body (log tf, Lucene idf)
 *   5  query term coverage: share of distinct query terms in the document
 *   6  sum of the idf of the query terms
 *   7  min idf of the query terms (0 when none is in the corpus)
 *   8  max idf of the query terms
 *   9  document length (title + body tokens)
 *  10  title length (tokens)
 *  11  the retrieval rank of the document (1 = first)
 *  12  the retrieval score (the previous stage's score)
 *  13  the dense score of the query and document embeddings (ip or cosine
 *      as harness/text/dense_search.h), only when dense-docs, dense-doc-ids,
 *      dense-queries and dense-query-ids are given (harness/stages/embeddings.h; e.g.
 *      preflight embed --lsa); missing (NaN) for a document without one
 *
 * Each has a name (tf_names below: bm25_title ... dense_score), shown
 * beside its id wherever a feature is shown; 6, 7 and 8 depend on the
 * query alone and are marked query-level.
 *
 * A term repeated in the query counts once in coverage and in the cosine
 * (both over the query's distinct terms) and as often as it occurs in the
 * BM25 features and the idf sum. Query terms missing from the corpus count
 * in coverage's denominator and nowhere else. Terms as harness/text/analyzer.h; stopwords= and stem= as bm25.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/stages/embeddings.h"
#include "harness/load/golden.h"
#include "harness/stages/stage.h"
#include "harness/stages/text_input.h"
#include "harness/util/strtab.h"

#define NFEAT	12		/* without the dense score */

/* The features' names, by id - 1; query-level ones (the query's idf). */
static const char *const tf_names[NFEAT + 1] = {
	"bm25_title", "bm25_body", "bm25_title_body", "tfidf_cosine",
	"query_coverage", "idf_sum", "idf_min", "idf_max", "doc_length",
	"title_length", "retrieval_rank", "retrieval_score", "dense_score",
};
static const unsigned char tf_query[NFEAT + 1] = {
	0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0,
};
#define MAXQ	64		/* distinct query terms used */

typedef struct field {
	size_t		*off;		/* nterms + 1 */
	uint32_t	*pdoc;		/* postings sorted by document */
	uint32_t	*ptf;
	double		*len, avg;
} field;

typedef struct tf_state {
	pf_strtab	*terms;
	size_t		 nterms, ndocs;
	pf_analyzer	*an;
	double		*idf;		/* over title + body */
	field		 f[3];		/* title, body, both */
	double		*norm;		/* TF-IDF vector norm of each document */
	size_t		 nf;		/* NFEAT, + 1 with the dense score */
	pf_emb		*emb;		/* dense-* embeddings, or NULL */
	pf_dense_metric	 emb_metric;
	int32_t		*emb_row;	/* ndocs: embedding row or -1 */
	pf_fnames	*names;		/* tf_names of the nf features */
} tf_state;

static void
tf_close(void *st)
{
	tf_state *s = st;

	if (s == NULL)
		return;
	pf_strtab_free(s->terms);
	pf_analyzer_free(s->an);
	free(s->idf);
	for (int k = 0; k < 3; k++) {
		free(s->f[k].off);
		free(s->f[k].pdoc);
		free(s->f[k].ptf);
		free(s->f[k].len);
	}
	free(s->norm);
	pf_emb_free(s->emb);
	pf_fnames_free(s->names);
	free(s->emb_row);
	free(s);
}

/* (term, doc) pairs of one field, in document order. */
typedef struct pairs {
	uint32_t	*t, *d;
	size_t		 n, cap;
} pairs;

static int
push(pairs *p, uint32_t t, uint32_t d)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 4096;
		uint32_t *a = realloc(p->t, cap * sizeof(*a));
		if (a == NULL)
			return -1;
		p->t = a;
		if ((a = realloc(p->d, cap * sizeof(*a))) == NULL)
			return -1;
		p->d = a;
		p->cap = cap;
	}
	p->t[p->n] = t;
	p->d[p->n++] = d;
	return 0;
}

/* One field's tokens (k: 0 title, 1 body) into its pairs and into those
   of title + body (p[2]), each token interned once. */
static int
tokens_of(tf_state *s, const char *text, uint32_t d, int k, pairs *p)
{
	const char *x = text, *end = text + strlen(text);
	char tok[PF_TOKEN_MAX + 1];
	size_t n;

	while ((n = pf_analyze_next(s->an, &x, end, tok)) > 0) {
		long t = pf_strtab_intern(s->terms, tok, n);
		if (t < 0 || push(&p[k], (uint32_t)t, d) != 0 ||
		    push(&p[2], (uint32_t)t, d) != 0)
			return -1;
		s->f[k].len[d] += 1;
		s->f[2].len[d] += 1;
	}
	return 0;
}

/* Postings of a field from its (term, doc) pairs: counting sort by term,
   documents stay in order; repeated (term, doc) pairs become a tf. */
static int
build_field(field *f, const pairs *p, size_t nterms, size_t ndocs)
{
	size_t *fill;

	if ((f->off = calloc(nterms + 1, sizeof(*f->off))) == NULL ||
	    (f->pdoc = malloc((p->n + 1) * sizeof(*f->pdoc))) == NULL ||
	    (f->ptf = malloc((p->n + 1) * sizeof(*f->ptf))) == NULL ||
	    (fill = calloc(nterms + 1, sizeof(*fill))) == NULL)
		return -1;
	for (size_t i = 0; i < p->n; i++)
		f->off[p->t[i] + 1]++;
	for (size_t t = 0; t < nterms; t++)
		f->off[t + 1] += f->off[t];
	for (size_t i = 0; i < p->n; i++) {
		size_t t = p->t[i], at = f->off[t] + fill[t];
		if (fill[t] > 0 && f->pdoc[at - 1] == p->d[i]) {
			f->ptf[at - 1]++;	/* the same document again */
			continue;
		}
		f->pdoc[at] = p->d[i];
		f->ptf[at] = 1;
		fill[t]++;
	}
	/* close the gaps left by merged repeats */
	size_t w = 0;
	for (size_t t = 0; t < nterms; t++) {
		size_t b = f->off[t], n = fill[t];
		memmove(f->pdoc + w, f->pdoc + b, n * sizeof(*f->pdoc));
		memmove(f->ptf + w, f->ptf + b, n * sizeof(*f->ptf));
		f->off[t] = w;
		w += n;
	}
	f->off[nterms] = w;
	free(fill);
	f->avg = 0;
	for (size_t d = 0; d < ndocs; d++)
		f->avg += f->len[d];
	f->avg = ndocs ? f->avg / (double)ndocs : 0;
	return 0;
}

static int
tf_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	const pf_golden *g = cfg->golden;
	tf_state *s;
	pairs p[3] = {{0}, {0}, {0}};
	int rc = PF_OK;

	*out = NULL;
	if (g->corpus.n == 0)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "textfeatures needs a "
		    "corpus: <docs file=\"docs.tsv\"/> in <golden>");
	if ((rc = pf_stage_query_text(g, "textfeatures", err)) != PF_OK)
		return rc;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->terms = pf_strtab_new()) == NULL)
		goto nomem;
	if ((rc = pf_stage_analyzer(&s->an, cfg, err)) != PF_OK) {
		tf_close(s);
		return rc;
	}
	s->ndocs = g->corpus.n;
	s->nf = NFEAT;
	if (pf_stage_param(cfg, "dense-docs") != NULL ||
	    pf_stage_param(cfg, "dense-doc-ids") != NULL ||
	    pf_stage_param(cfg, "dense-queries") != NULL ||
	    pf_stage_param(cfg, "dense-query-ids") != NULL ||
	    pf_stage_param(cfg, "dense-metric") != NULL) {
		if ((rc = pf_stage_embeddings(&s->emb, &s->emb_metric, cfg,
		    "dense-", err)) != PF_OK) {
			tf_close(s);
			return rc;
		}
		if ((s->emb_row = malloc((s->ndocs + 1) *
		    sizeof(*s->emb_row))) == NULL)
			goto nomem;
		for (size_t d = 0; d < s->ndocs; d++)
			s->emb_row[d] = -1;
		for (size_t j = 0; j < s->emb->nd; j++)	/* in the corpus */
			s->emb_row[s->emb->gdoc[j]] = (int32_t)j;
		s->nf = NFEAT + 1;
	}
	if ((s->names = pf_fnames_new("textfeatures")) == NULL)
		goto nomem;
	for (size_t j = 0; j < s->nf; j++)
		if (pf_fnames_add(s->names, (long)j + 1, tf_names[j],
		    strlen(tf_names[j]), tf_query[j], 0) != 0)
			goto nomem;
	for (int k = 0; k < 3; k++)
		if ((s->f[k].len = calloc(s->ndocs + 1, sizeof(double))) == NULL)
			goto nomem;
	for (size_t d = 0; d < s->ndocs; d++) {	/* p[2]: title, then body */
		if (tokens_of(s, g->corpus.title[d], (uint32_t)d, 0, p) != 0 ||
		    tokens_of(s, g->corpus.body[d], (uint32_t)d, 1, p) != 0)
			goto nomem;
	}
	s->nterms = pf_strtab_count(s->terms);
	for (int k = 0; k < 3; k++)
		if (build_field(&s->f[k], &p[k], s->nterms, s->ndocs) != 0)
			goto nomem;
	if ((s->idf = malloc((s->nterms + 1) * sizeof(*s->idf))) == NULL ||
	    (s->norm = calloc(s->ndocs + 1, sizeof(*s->norm))) == NULL)
		goto nomem;
	for (size_t t = 0; t < s->nterms; t++) {
		const field *f = &s->f[2];
		double df = (double)(f->off[t + 1] - f->off[t]);
		s->idf[t] = log(1.0 + ((double)s->ndocs - df + 0.5) / (df + 0.5));
		for (size_t i = f->off[t]; i < f->off[t + 1]; i++) {
			double w = (1.0 + log(f->ptf[i])) * s->idf[t];
			s->norm[f->pdoc[i]] += w * w;
		}
	}
	for (size_t d = 0; d < s->ndocs; d++)
		s->norm[d] = sqrt(s->norm[d]);
	*out = s;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	tf_close(s);
done:
	for (int k = 0; k < 3; k++) {
		free(p[k].t);
		free(p[k].d);
	}
	return rc;
}

/* tf of term t in document d of field f (binary search of its postings). */
static double
tf_of(const field *f, size_t t, uint32_t d)
{
	size_t lo = f->off[t], hi = f->off[t + 1];

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (f->pdoc[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->off[t + 1] && f->pdoc[lo] == d ? f->ptf[lo] : 0.0;
}

static double
bm25(const field *f, double tf, double idf, uint32_t d)
{
	if (tf == 0)
		return 0;
	return idf * tf * 1.9 / (tf + 0.9 * (0.6 + 0.4 * f->len[d] / f->avg));
}

static int
tf_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	tf_state *s = st;
	long qt[MAXQ];
	size_t nq = 0, ntok = 0, nall = 0;
	char tok[PF_TOKEN_MAX + 1], uniq[MAXQ][PF_TOKEN_MAX + 1];
	size_t k;

	if (q->text == NULL)
		return pf_err_set(err, PF_ESTAGE, NULL, 0, "textfeatures needs "
		    "query text (queries.tsv)");
	const char *x = q->text, *end = q->text + strlen(q->text);
	while ((k = pf_analyze_next(s->an, &x, end, tok)) > 0 && ntok < MAXQ) {
		long t = pf_strtab_find(s->terms, tok, k);
		int again = 0;	/* coverage's denominator: distinct terms */
		for (size_t j = 0; j < nall && !again; j++)
			again = strcmp(uniq[j], tok) == 0;
		if (!again)
			memcpy(uniq[nall++], tok, k + 1);
		ntok++;
		if (t >= 0)
			qt[nq++] = t;
	}
	float *xf = pf_arena_alloc(scratch, (io->n ? io->n : 1) * s->nf *
	    sizeof(*xf), 64);
	if (xf == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	double sidf = 0, mn = nq ? INFINITY : 0, mx = 0, qnorm = 0;
	for (size_t i = 0; i < nq; i++) {
		int again = 0;	/* the cosine's query vector: distinct terms */
		for (size_t j = 0; j < i && !again; j++)
			again = qt[j] == qt[i];
		sidf += s->idf[qt[i]];
		mn = fmin(mn, s->idf[qt[i]]);
		mx = fmax(mx, s->idf[qt[i]]);
		if (!again)
			qnorm += s->idf[qt[i]] * s->idf[qt[i]];
	}
	qnorm = sqrt(qnorm);
	for (size_t c = 0; c < io->n; c++) {
		uint32_t d = io->doc[c];
		float *v = xf + c * s->nf;
		double b[3] = {0, 0, 0}, dot = 0, covered = 0;
		if (d < s->ndocs) {
			for (size_t i = 0; i < nq; i++) {
				int seen = 0;	/* repeated query terms count once */
				for (size_t j = 0; j < i && !seen; j++)
					seen = qt[j] == qt[i];
				double idf = s->idf[qt[i]];
				for (int f = 0; f < 3; f++)
					b[f] += bm25(&s->f[f], tf_of(&s->f[f],
					    (size_t)qt[i], d), idf, d);
				double tf = tf_of(&s->f[2], (size_t)qt[i], d);
				if (!seen && tf > 0) {
					dot += (1.0 + log(tf)) * idf * idf;
					covered++;
				}
			}
		}
		v[0] = (float)b[0];
		v[1] = (float)b[1];
		v[2] = (float)b[2];
		v[3] = (float)(d < s->ndocs && s->norm[d] > 0 && qnorm > 0 ?
		    dot / (s->norm[d] * qnorm) : 0.0);
		v[4] = (float)(nall ? covered / (double)nall : 0.0);
		v[5] = (float)sidf;
		v[6] = (float)mn;
		v[7] = (float)mx;
		v[8] = (float)(d < s->ndocs ? s->f[2].len[d] : 0);
		v[9] = (float)(d < s->ndocs ? s->f[0].len[d] : 0);
		v[10] = (float)(c + 1);
		v[11] = (float)io->score[c];
		if (s->emb != NULL) {
			const pf_emb *e = s->emb;
			int32_t r = d < s->ndocs ? s->emb_row[d] : -1;
			v[12] = r < 0 ? NAN : (float)pf_dense_score(e->q +
			    q->index * e->dim, e->doc + (size_t)r * e->dim,
			    e->dim, s->emb_metric);
		}
		io->row[c] = (uint32_t)c;
	}
	io->feats = (pf_feats){xf, NULL, s->nf, 1, NULL, s->names};
	return PF_OK;
}

/* The features every query gets (no values: those come per query). */
static int
tf_features(void *st, pf_feats *out)
{
	tf_state *s = st;

	*out = (pf_feats){NULL, NULL, s->nf, 1, NULL, s->names};
	return PF_OK;
}

static const pf_stage_param_doc tf_params[] = {
	{"stopwords", "string", 0, "none (default) or small, as bm25"},
	{"stem", "string", 0, "none (default) or a Snowball algorithm, as "
	    "bm25"},
	{"dense-docs", "path", 0, "document embeddings (.npy float32): adds "
	    "feature 13, the dense score"},
	{"dense-doc-ids", "path", 0, "their ids, one per line"},
	{"dense-queries", "path", 0, "query embeddings (.npy float32)"},
	{"dense-query-ids", "path", 0, "their ids, one per line"},
	{"dense-metric", "string", 0, "ip (default) or cosine"},
	{NULL, NULL, 0, NULL}
};

const pf_stage_ops pf_stage_textfeatures = {
	.abi = PF_STAGE_ABI,
	.name = "textfeatures",
	.summary = "features: 12 query-document text features for a learned "
	    "ranker "
	    "(13 with the dense score)",
	.flags = PF_STAGE_FEATURES,
	.params = tf_params,
	.open = tf_open,
	.process = tf_process,
	.close = tf_close,
	.features = tf_features,
};
