/*
 * qrels.c — the qrels in memory: raw judgments in file order (from
 * qrels_parse.c, or parallel arrays) grouped by topic with a counting sort
 * and by document with a per-topic open-addressing table of capacity >= 2
 * x judgments, then aggregated per (topic, document); and the accessors.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/util/arena.h"
#include "harness/load/qrels.h"
#include "harness/load/qrels_internal.h"
#include "harness/util/strtab.h"
#include "metrics/labelboot.h"

void
pf_qrels_free(pf_qrels *q)
{
	if (q == NULL)
		return;
	free(q->path);
	pf_strtab_free(q->topics);
	pf_strtab_free(q->annotators);
	pf_arena_free(q->docids);
	free(q->buf);
	free(q->poff);
	free(q->pn);
	free(q->pairs);
	free(q->judg);
	free(q->toff);
	free(q->slots);
	free(q->dups);
	free(q);
}

static int
cmp_int32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* pf_agg's values are metrics/labelboot.h's PF_GRADE_* */
_Static_assert((int)PF_AGG_MEDIAN == (int)PF_GRADE_MEDIAN &&
    (int)PF_AGG_MEAN == (int)PF_GRADE_MEAN &&
    (int)PF_AGG_MAJORITY == (int)PF_GRADE_MAJORITY, "pf_agg");

/* Several judgments of a pair: sorted, then aggregated. */
static void
aggregate_many(pf_pair *p, const pf_judgment *j, pf_agg agg)
{
	int32_t g[64], *v = g, *heap = NULL;
	size_t n = p->nj;

	if (n > 64 && (heap = malloc(n * sizeof(*heap))) != NULL)
		v = heap;
	else if (n > 64)
		n = 64;		/* out of memory: aggregate the first 64 */
	for (size_t i = 0; i < n; i++)
		v[i] = j[i].grade;
	qsort(v, n, sizeof(*v), cmp_int32);
	p->grade = pf_grade_aggregate(v, n, (int)agg, &p->grade_int);
	free(heap);
}

/* The common case, one judgment a pair, stays inline in the build loop. */
static inline void
aggregate(pf_pair *p, const pf_judgment *j, pf_agg agg)
{
	if (p->nj == 1) {
		p->grade_int = j[0].grade;
		p->grade = j[0].grade;
		return;
	}
	aggregate_many(p, j, agg);
}

static size_t
pow2_at_least(size_t n)
{
	size_t c = 4;
	while (c < n)
		c *= 2;
	return c;
}

/* What build's per-topic passes share (read-only but for their topic). */
typedef struct build_ctx {
	pf_qrels		*q;
	const pf_qrels_raw	*r;
	const uint32_t		*order;	/* raw indices grouped by topic */
	const size_t		*end;	/* end of topic t in order */
	uint32_t		*pk;	/* pair (within its topic) of order[k] */
	int			 mode;
	pf_agg			 agg;
	pf_qrels_dup		*dups;	/* keep_duplicates: by raw index */
} build_ctx;

/* The judgment among j[0..n) that one by annotator a repeats, or NULL:
   any one in strict mode (one judgment per pair), else a's. */
static inline const pf_judgment *
earlier(const pf_judgment *j, uint32_t n, uint32_t a, int mode)
{
	for (uint32_t m = 0; m < n; m++)
		if (mode == PF_QRELS_STRICT || j[m].annotator == a)
			return &j[m];
	return NULL;
}

/* order[k] of topic t repeats line first: noted in dups (off the hot
   loop, so that its registers stay for the common case). */
static void __attribute__((cold, noinline))
keep_dup(const build_ctx *c, size_t t, size_t k, uint32_t first)
{
	const pf_qrels_raw *x = &c->r[c->order[k]];

	c->dups[c->order[k]] = (pf_qrels_dup){x->line, first, (uint32_t)t,
	    c->pk[k], x->annotator, x->grade};
}

/*
 * Topic t: its pairs in first-seen order and its docid table, its
 * judgments grouped by pair, their aggregated grades (the largest integer
 * one raises *maxg). A duplicate order[k] goes to dups[order[k]] when they
 * are kept; otherwise the first one stops the topic: the return value is
 * then k + 1 (0: none), and pk[k] the line that judgment repeats. Writes
 * only topic t's part of q, pk and dups, so topics can be built in
 * parallel.
 */
static uint32_t
build_topic(const build_ctx *c, size_t t, int32_t *maxg)
{
	pf_qrels *q = c->q;
	size_t i0 = q->poff[t], i1 = c->end[t], np = 0;
	uint32_t *sl = q->slots + q->toff[t];
	uint32_t mask = (uint32_t)(q->toff[t + 1] - q->toff[t] - 1);
	pf_pair *pt = q->pairs + i0;

	memset(sl, 0, ((size_t)mask + 1) * sizeof(*sl));
	/* Pairs in first-seen order; nj counts their judgments. */
	for (size_t k = i0; k < i1; k++) {
		const pf_qrels_raw *x = &c->r[c->order[k]];
		uint64_t h = pf_hash_bytes(x->docid, x->docid_len);
		pf_qrels_view v = {sl, mask, pt};
		long p = pf_qrels_view_find(&v, x->docid, x->docid_len, h);

		if (p < 0) {
			pt[np] = (pf_pair){x->docid, x->docid_len, 0, 0, 0, 0};
			p = (long)np++;
			pf_slots_insert(sl, mask, (uint32_t)h & mask & ~3u,
			    pf_qrels_slot_tag(h, mask) | (uint32_t)np);
		}
		pt[p].nj++;
		c->pk[k] = (uint32_t)p;
	}
	q->pn[t] = np;
	/* Judgments grouped by pair, in file order within a pair
	   (order[i0..i1) is in file order). */
	size_t jo = i0;
	for (size_t k = 0; k < np; k++) {
		pt[k].j0 = (uint32_t)jo;
		jo += pt[k].nj;
		pt[k].nj = 0;
	}
	for (size_t k = i0; k < i1; k++) {
		const pf_qrels_raw *x = &c->r[c->order[k]];
		pf_pair *pp = &pt[c->pk[k]];
		const pf_judgment *o = earlier(&q->judg[pp->j0], pp->nj,
		    x->annotator, c->mode);

		if (o != NULL) {
			if (c->dups == NULL) {
				c->pk[k] = o->line;	/* first line */
				return (uint32_t)k + 1;
			}
			keep_dup(c, t, k, o->line);
			continue;
		}
		q->judg[pp->j0 + pp->nj++] = (pf_judgment){x->annotator,
		    x->grade, x->line};
	}
	for (size_t k = 0; k < np; k++) {
		aggregate(&pt[k], &q->judg[pt[k].j0], c->agg);
		if (pt[k].grade_int > *maxg)
			*maxg = pt[k].grade_int;
	}
	return 0;
}

/* The duplicates build_topic put at their raw index (file order, line 0:
   none) packed into q, which takes d. */
static void
keep_dups(pf_qrels *q, pf_qrels_dup *d, size_t nraw)
{
	pf_qrels_dup *shrunk;
	size_t n = 0;

	for (size_t i = 0; i < nraw; i++)
		if (d[i].line != 0)
			d[n++] = d[i];
	if ((shrunk = realloc(d, (n ? n : 1) * sizeof(*d))) != NULL)
		d = shrunk;
	q->dups = d;
	q->ndups = n;
}

/*
 * See qrels_internal.h. Topics are independent, so they are built in
 * parallel: topic t's judgments occupy [ts, te) of the topic-grouped
 * order, and its pairs are written from the same offset ts (a topic has at
 * most as many pairs as judgments), so no thread allocates and the result
 * does not depend on the schedule.
 */
int
pf_qrels__build(pf_qrels *q, const pf_qrels_raw *r, size_t nraw,
    const pf_qrels_opts *o, const char *path, pf_err *err)
{
	size_t *cnt = NULL;
	uint32_t *order = NULL, *pk = NULL, *dup = NULL;
	pf_qrels_dup *dups = NULL;
	int rc = PF_OK;

	/* Group by topic (stable counting sort). */
	q->ntopics = pf_strtab_count(q->topics);
	size_t nt = q->ntopics;
	if ((cnt = calloc(nt + 1, sizeof(*cnt))) == NULL ||
	    (order = pf_malloc_big((nraw ? nraw : 1) * sizeof(*order))) ==
	    NULL ||
	    (pk = pf_malloc_big((nraw ? nraw : 1) * sizeof(*pk))) == NULL ||
	    (dup = calloc(nt + 1, sizeof(*dup))) == NULL ||
	    (q->poff = calloc(nt + 1, sizeof(*q->poff))) == NULL ||
	    (q->pn = calloc(nt + 1, sizeof(*q->pn))) == NULL ||
	    (q->toff = calloc(nt + 1, sizeof(*q->toff))) == NULL ||
	    (o->keep_duplicates && (dups = calloc(nraw ? nraw : 1,
	    sizeof(*dups))) == NULL))
		goto nomem;
	for (size_t i = 0; i < nraw; i++)
		cnt[r[i].topic + 1]++;
	for (size_t t = 0; t < nt; t++) {
		if (cnt[t + 1] > ((size_t)1 << 30)) {
			rc = pf_err_set(err, PF_EFORMAT, path, 0, "topic '%s' "
			    "has more than 2^30 judgments",
			    pf_strtab_str(q->topics, t));
			goto done;
		}
		q->toff[t + 1] = q->toff[t] + pow2_at_least(2 * cnt[t + 1]);
		cnt[t + 1] += cnt[t];
		q->poff[t] = cnt[t];	/* topic t's first judgment and pair */
	}
	q->poff[nt] = nraw;
	for (size_t i = 0; i < nraw; i++)
		order[cnt[r[i].topic]++] = (uint32_t)i;
	/* cnt[t] is now the end of topic t; order is grouped by topic. */
	if ((q->slots = pf_malloc_big((q->toff[nt] ? q->toff[nt] : 1) *
	    sizeof(*q->slots))) == NULL ||
	    (q->pairs = pf_malloc_big((nraw ? nraw : 1) *
	    sizeof(*q->pairs))) == NULL ||
	    (q->judg = pf_malloc_big((nraw ? nraw : 1) *
	    sizeof(*q->judg))) == NULL)
		goto nomem;

	build_ctx c = {q, r, order, cnt, pk, o->mode, o->agg, dups};
	int32_t maxg = 0;
#pragma omp parallel for schedule(dynamic, 16) reduction(max: maxg)
	for (size_t t = 0; t < nt; t++)
		dup[t] = build_topic(&c, t, &maxg);
	/* The first duplicate in file order, as a serial scan finds it. */
	uint32_t best = 0;
	size_t bt = 0;
	for (size_t t = 0; t < nt; t++)
		if (dup[t] != 0 && (best == 0 ||
		    r[order[dup[t] - 1]].line < r[order[best - 1]].line)) {
			best = dup[t];
			bt = t;
		}
	if (best != 0) {
		const pf_qrels_raw *x = &r[order[best - 1]];
		rc = pf_err_set(err, PF_EFORMAT, path, (long)x->line,
		    "duplicate judgment for topic '%s' document '%s'%s (first "
		    "at line %u)", pf_strtab_str(q->topics, bt),
		    x->docid,
		    o->mode == PF_QRELS_STRICT ? "" : " by the same annotator",
		    pk[best - 1]);
		goto done;
	}
	q->max_grade = maxg;
	if (dups != NULL)
		keep_dups(q, dups, nraw);
	dups = NULL;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
done:
	free(order);
	free(pk);
	free(cnt);
	free(dup);
	free(dups);
	return rc;
}

pf_qrels *
pf_qrels__new(const char *path)
{
	pf_qrels *q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	if ((q->path = strdup(path)) == NULL ||
	    (q->topics = pf_strtab_new()) == NULL ||
	    (q->annotators = pf_strtab_new()) == NULL ||
	    (q->docids = pf_arena_new(1 << 20)) == NULL) {
		pf_qrels_free(q);
		return NULL;
	}
	return q;
}


int
pf_qrels_from_arrays(pf_qrels **out, const char *label, size_t n,
    const char *const *qids, const char *const *docids,
    const int32_t *grades, pf_err *err)
{
	pf_qrels *q = NULL;
	pf_qrels_raw *r = NULL;
	int rc = PF_OK;

	*out = NULL;
	if ((q = pf_qrels__new(label)) == NULL ||
	    (r = malloc((n ? n : 1) * sizeof(*r))) == NULL ||
	    pf_strtab_intern(q->annotators, "0", 1) < 0)
		goto nomem;
	long t = -1;
	for (size_t i = 0; i < n; i++) {
		/* A query's rows share one qid pointer (labels_from_svm):
		   interned once a query, not once a row. */
		if (i == 0 || qids[i] != qids[i - 1])
			t = pf_strtab_intern(q->topics, qids[i],
			    strlen(qids[i]));
		if (t < 0)
			goto nomem;
		size_t dl = strlen(docids[i]);
		const char *d = pf_arena_strndup(q->docids, docids[i], dl);
		if (t < 0 || d == NULL)
			goto nomem;
		r[i] = (pf_qrels_raw){(uint32_t)t, 0, d, (uint32_t)dl, grades[i],
		    (uint32_t)(i + 1)};
	}
	pf_qrels_opts o = {.mode = PF_QRELS_STRICT, .agg = PF_AGG_MEDIAN};
	if ((rc = pf_qrels__build(q, r, n, &o, label, err)) != PF_OK)
		goto done;
	*out = q;
	q = NULL;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, label, 0, "out of memory");
done:
	free(r);
	pf_qrels_free(q);
	return rc;
}

const char *
pf_qrels_path(const pf_qrels *q)
{
	return q->path;
}

size_t
pf_qrels_ntopics(const pf_qrels *q)
{
	return q->ntopics;
}

const char *
pf_qrels_qid(const pf_qrels *q, size_t topic)
{
	return pf_strtab_str(q->topics, topic);
}

long
pf_qrels_topic(const pf_qrels *q, const char *qid, size_t len)
{
	return pf_strtab_find(q->topics, qid, len);
}

size_t
pf_qrels_npairs(const pf_qrels *q, size_t topic)
{
	return q->pn[topic];
}

const pf_pair *
pf_qrels_pair(const pf_qrels *q, size_t topic, size_t i)
{
	return &q->pairs[q->poff[topic] + i];
}

const pf_judgment *
pf_qrels_judgment(const pf_qrels *q, size_t j)
{
	return &q->judg[j];
}

size_t
pf_qrels_nannotators(const pf_qrels *q)
{
	return pf_strtab_count(q->annotators);
}

const char *
pf_qrels_annotator(const pf_qrels *q, size_t a)
{
	return pf_strtab_str(q->annotators, a);
}

int32_t
pf_qrels_max_grade(const pf_qrels *q)
{
	return q->max_grade;
}

size_t
pf_qrels_nduplicates(const pf_qrels *q)
{
	return q->ndups;
}

const pf_qrels_dup *
pf_qrels_duplicate(const pf_qrels *q, size_t i)
{
	return &q->dups[i];
}

void
pf_qrels_view_of(const pf_qrels *q, size_t topic, pf_qrels_view *v)
{
	v->slots = q->slots + q->toff[topic];
	v->mask = (uint32_t)(q->toff[topic + 1] - q->toff[topic] - 1);
	v->pairs = q->pairs + q->poff[topic];
}

long
pf_qrels_find(const pf_qrels *q, size_t topic, const char *docid, size_t len,
    uint64_t h)
{
	pf_qrels_view v;

	pf_qrels_view_of(q, topic, &v);
	return pf_qrels_view_find(&v, docid, len, h);
}

static int
cmp_grade_desc(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x < y) - (x > y);
}

int
pf_qrels_grades_desc(const pf_qrels *q, int32_t **grades_out,
    size_t **off_out)
{
	size_t nt = q->ntopics;
	size_t *off = malloc((nt + 1) * sizeof(*off));
	int32_t *g = NULL;

	if (off == NULL)
		return PF_ENOMEM;
	off[0] = 0;
	for (size_t t = 0; t < nt; t++)
		off[t + 1] = off[t] + q->pn[t];
	if ((g = pf_malloc_big((off[nt] ? off[nt] : 1) * sizeof(*g))) == NULL) {
		free(off);
		return PF_ENOMEM;
	}
#pragma omp parallel for schedule(dynamic, 64)
	for (size_t t = 0; t < nt; t++) {
		int32_t *v = g + off[t];
		size_t n = q->pn[t];
		const pf_pair *pt = q->pairs + q->poff[t];
		int32_t lo = INT32_MAX, hi = INT32_MIN;
		for (size_t k = 0; k < n; k++) {
			lo = pt[k].grade_int < lo ? pt[k].grade_int : lo;
			hi = pt[k].grade_int > hi ? pt[k].grade_int : hi;
		}
		if (n > 0 && (int64_t)hi - lo < 64) {
			/* Counting sort: grades are a few small integers. */
			uint32_t c[64] = {0};
			for (size_t k = 0; k < n; k++)
				c[pt[k].grade_int - lo]++;
			size_t o = 0;
			for (int64_t x = hi; x >= lo; x--)
				for (uint32_t m = 0; m < c[x - lo]; m++)
					v[o++] = (int32_t)x;
		} else {
			for (size_t k = 0; k < n; k++)
				v[k] = pt[k].grade_int;
			qsort(v, n, sizeof(*v), cmp_grade_desc);
		}
	}
	*grades_out = g;
	*off_out = off;
	return PF_OK;
}
