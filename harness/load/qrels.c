/*
 * qrels.c — the qrels loader. The file is read whole (qrels are small next
 * to runs: 1M judgments is ~20 MB), parsed in one pass into judgments in
 * file order, then grouped by topic with a counting sort and by document
 * with a per-topic open-addressing table of capacity >= 2 x judgments.
 */
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/util/arena.h"
#include "harness/load/qrels.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"
#include "metrics/labelboot.h"

typedef struct raw {
	uint32_t	topic, annotator;
	const char	*docid;		/* into the file buffer */
	uint32_t	docid_len;
	int32_t		grade;
	uint32_t	line;
} raw;

struct pf_qrels {
	char		*path;
	pf_strtab	*topics, *annotators;
	pf_arena	*docids;	/* docid strings; a topic's table dedupes */
	size_t		 ntopics;
	char		*buf;		/* the file: docids point into it */
	size_t		*poff;		/* ntopics + 1: first pair and first
					   judgment of topic t */
	size_t		*pn;		/* ntopics: pairs of topic t */
	pf_pair		*pairs;
	pf_judgment	*judg;		/* grouped by pair */
	size_t		*toff;		/* ntopics + 1: table slots of topic t */
	uint32_t	*slots;		/* tag | pair index within topic + 1, 0
					   empty (see pf_qrels_view) */
	int32_t		 max_grade;
};

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

static void
aggregate(pf_pair *p, const pf_judgment *j, pf_agg agg)
{
	int32_t g[64], *v = g, *heap = NULL;
	size_t n = p->nj;

	if (n == 1) {
		p->grade_int = j[0].grade;
		p->grade = j[0].grade;
		return;
	}
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

static size_t
pow2_at_least(size_t n)
{
	size_t c = 4;
	while (c < n)
		c *= 2;
	return c;
}

/*
 * Groups raw judgments (file order) into topics and pairs; reads r, whose
 * docids must be NUL-terminated and outlive q (the file buffer q keeps, or
 * q's arena). Topics are independent, so they are built in parallel: topic
 * t's judgments occupy [ts, te) of the topic-grouped order, and its pairs
 * are written from the same offset ts (a topic has at most as many pairs as
 * judgments), so no thread allocates and the result does not depend on the
 * schedule. On error q is left for the caller to free.
 */
static int
build(pf_qrels *q, const raw *r, size_t nraw, int mode, pf_agg agg,
    const char *path, pf_err *err)
{
	size_t *cnt = NULL;
	uint32_t *order = NULL, *pk = NULL, *dup = NULL;
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
	    (q->toff = calloc(nt + 1, sizeof(*q->toff))) == NULL)
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

	int32_t maxg = 0;
#pragma omp parallel for schedule(dynamic, 16) reduction(max: maxg)
	for (size_t t = 0; t < nt; t++) {
		size_t i0 = q->poff[t], i1 = cnt[t], np = 0;
		uint32_t *sl = q->slots + q->toff[t];
		uint32_t mask = (uint32_t)(q->toff[t + 1] - q->toff[t] - 1);
		pf_pair *pt = q->pairs + i0;

		memset(sl, 0, ((size_t)mask + 1) * sizeof(*sl));
		/* Pairs in first-seen order; nj counts their judgments. */
		for (size_t k = i0; k < i1; k++) {
			const raw *x = &r[order[k]];
			uint64_t h = pf_hash_bytes(x->docid, x->docid_len);
			pf_qrels_view v = {sl, mask, pt};
			long p = pf_qrels_view_find(&v, x->docid,
			    x->docid_len, h);

			if (p < 0) {
				pt[np] = (pf_pair){x->docid, x->docid_len, 0,
				    0, 0, 0};
				p = (long)np++;
				pf_slots_insert(sl, mask, (uint32_t)h & mask &
				    ~3u, pf_qrels_slot_tag(h, mask) |
				    (uint32_t)np);
			}
			pt[p].nj++;
			pk[k] = (uint32_t)p;
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
		for (size_t k = i0; k < i1 && dup[t] == 0; k++) {
			const raw *x = &r[order[k]];
			pf_pair *pp = &pt[pk[k]];
			/* Duplicates: same pair (strict) or same annotator. */
			for (uint32_t m = 0; m < pp->nj; m++) {
				const pf_judgment *o = &q->judg[pp->j0 + m];
				if (mode == PF_QRELS_STRICT ||
				    o->annotator == x->annotator) {
					dup[t] = (uint32_t)k + 1;
					pk[k] = o->line;	/* first line */
					break;
				}
			}
			if (dup[t] != 0)
				break;
			q->judg[pp->j0 + pp->nj++] = (pf_judgment){x->annotator,
			    x->grade, x->line};
		}
		for (size_t k = 0; k < np && dup[t] == 0; k++) {
			aggregate(&pt[k], &q->judg[pt[k].j0], agg);
			if (pt[k].grade_int > maxg)
				maxg = pt[k].grade_int;
		}
	}
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
		const raw *x = &r[order[best - 1]];
		rc = pf_err_set(err, PF_EFORMAT, path, (long)x->line,
		    "duplicate judgment for topic '%s' document '%s'%s (first "
		    "at line %u)", pf_strtab_str(q->topics, bt),
		    x->docid,
		    mode == PF_QRELS_STRICT ? "" : " by the same annotator",
		    pk[best - 1]);
		goto done;
	}
	q->max_grade = maxg;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
done:
	free(order);
	free(pk);
	free(cnt);
	free(dup);
	return rc;
}

static pf_qrels *
qrels_new(const char *path)
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

/* One chunk of a qrels file, parsed by one thread. */
typedef struct pchunk {
	const char	*b, *e;		/* whole lines */
	size_t		 nlines, slot0;	/* its lines are slots slot0.. */
	pf_strtab	*topics, *annotators;	/* chunk-local ids */
	uint32_t	*map[2];	/* local id -> global id */
	size_t		 err_line;	/* global line of the first error */
	char		 err_msg[200];
	int		 oom;
} pchunk;

static void
parse_chunk(pchunk *c, raw *r, const char *path)
{
	const char *p = c->b;
	size_t slot = c->slot0;
	uint32_t lineno = (uint32_t)c->slot0;	/* one slot per line */

	(void)path;
	if ((c->topics = pf_strtab_new()) == NULL ||
	    (c->annotators = pf_strtab_new()) == NULL) {
		c->oom = 1;
		return;
	}
	while (p < c->e) {
		const char *line, *le = pf_take_line(&p, c->e, &line);
		const char *fs[5];
		size_t fl[5];
		int nf;
		long g;

		lineno++;
		r[slot].line = 0;	/* blank or comment unless filled */
		nf = pf_split_ws(line, le, fs, fl, 5);
		if (nf == 0 || fs[0][0] == '#') {
			slot++;
			continue;
		}
		if (nf != 4) {
			snprintf(c->err_msg, sizeof(c->err_msg), "expected 4 "
			    "fields (qid annotator docid grade), got %d", nf);
			c->err_line = lineno;
			return;
		}
		if (pf_parse_long(fs[3], fl[3], INT32_MIN, INT32_MAX, &g) != 0) {
			snprintf(c->err_msg, sizeof(c->err_msg), "grade '%.*s' "
			    "is not an integer", (int)fl[3] > 40 ? 40 :
			    (int)fl[3], fs[3]);
			c->err_line = lineno;
			return;
		}
		if (fl[2] > UINT32_MAX) {
			snprintf(c->err_msg, sizeof(c->err_msg), "docid too long");
			c->err_line = lineno;
			return;
		}
		/* The docid stays in the file buffer, which the qrels keep:
		   NUL-terminate it in place (the byte after it is a field
		   separator, and the line has been read). */
		((char *)fs[2])[fl[2]] = '\0';
		long t = pf_strtab_intern(c->topics, fs[0], fl[0]);
		long a = pf_strtab_intern(c->annotators, fs[1], fl[1]);
		if (t < 0 || a < 0) {
			c->oom = 1;
			return;
		}
		r[slot++] = (raw){(uint32_t)t, (uint32_t)a, fs[2],
		    (uint32_t)fl[2], (int32_t)g, lineno};
	}
}

int
pf_qrels_load(pf_qrels **out, const char *path, int mode, pf_agg agg,
    pf_err *err)
{
	pf_qrels *q = NULL;
	char *buf = NULL;
	size_t len = 0, nraw = 0, capraw = 0;
	raw *r = NULL;
	int rc = PF_OK;

	*out = NULL;
	if ((rc = pf_read_file(&buf, &len, path, err)) != PF_OK)
		return rc;
	if ((q = qrels_new(path)) == NULL)
		goto nomem;

	/* Lines -> raw judgments in file order, one slot per line, parsed in
	   parallel chunks; ids are interned per chunk, then merged in chunk
	   order so first-seen order (and every message) is as if serial. */
	size_t nch = len < (1u << 20) ? 1 : (size_t)omp_get_max_threads() * 4;
	pchunk *ch = calloc(nch, sizeof(*ch));
	if (ch == NULL)
		goto nomem;
	for (size_t c = 0; c < nch; c++) {
		size_t o = len * c / nch;
		while (c > 0 && o < len && buf[o - 1] != '\n')
			o++;
		ch[c].b = buf + o;
	}
	for (size_t c = 0; c < nch; c++)
		ch[c].e = c + 1 < nch ? ch[c + 1].b : buf + len;
#pragma omp parallel for schedule(static, 1)
	for (size_t c = 0; c < nch; c++) {
		size_t n = 0;
		for (const char *x = ch[c].b; x < ch[c].e && (x = memchr(x, '\n',
		    (size_t)(ch[c].e - x))) != NULL; x++)
			n++;
		ch[c].nlines = n + (ch[c].e > ch[c].b && ch[c].e[-1] != '\n');
	}
	for (size_t c = 0; c < nch; c++) {
		ch[c].slot0 = capraw;
		capraw += ch[c].nlines;
	}
	if ((r = pf_malloc_big((capraw ? capraw : 1) * sizeof(*r))) == NULL) {
		free(ch);
		goto nomem;
	}
#pragma omp parallel for schedule(static, 1)
	for (size_t c = 0; c < nch; c++)
		parse_chunk(&ch[c], r, path);
	for (size_t c = 0; c < nch && rc == PF_OK; c++)
		if (ch[c].oom)
			rc = PF_ENOMEM;
		else if (ch[c].err_line != 0)
			rc = pf_err_set(err, PF_EFORMAT, path,
			    (long)ch[c].err_line, "%s", ch[c].err_msg);
	/* merge the chunks' ids into the global tables, in file order */
	for (size_t c = 0; c < nch && rc == PF_OK; c++) {
		pf_strtab *loc[2] = {ch[c].topics, ch[c].annotators};
		pf_strtab *glob[2] = {q->topics, q->annotators};
		for (int k = 0; k < 2 && rc == PF_OK; k++) {
			size_t n = loc[k] ? pf_strtab_count(loc[k]) : 0;
			if ((ch[c].map[k] = malloc((n + 1) * sizeof(uint32_t))) ==
			    NULL) {
				rc = PF_ENOMEM;
				break;
			}
			for (size_t i = 0; i < n; i++) {
				long g = pf_strtab_intern(glob[k], pf_strtab_str(
				    loc[k], i), pf_strtab_len(loc[k], i));
				if (g < 0) {
					rc = PF_ENOMEM;
					break;
				}
				ch[c].map[k][i] = (uint32_t)g;
			}
		}
	}
	if (rc == PF_OK) {
#pragma omp parallel for schedule(static, 1)
		for (size_t c = 0; c < nch; c++)
			for (size_t i = ch[c].slot0; i < ch[c].slot0 + ch[c].nlines;
			    i++)
				if (r[i].line != 0) {
					r[i].topic = ch[c].map[0][r[i].topic];
					r[i].annotator = ch[c].map[1][r[i].annotator];
				}
		for (size_t i = 0; i < capraw; i++)	/* drop blank lines */
			if (r[i].line != 0)
				r[nraw++] = r[i];
	}
	for (size_t c = 0; c < nch; c++) {
		pf_strtab_free(ch[c].topics);
		pf_strtab_free(ch[c].annotators);
		free(ch[c].map[0]);
		free(ch[c].map[1]);
	}
	free(ch);
	if (rc == PF_ENOMEM)
		goto nomem;
	if (rc != PF_OK)
		goto done;
	q->buf = buf;		/* the docids point into it */
	buf = NULL;
	if ((rc = build(q, r, nraw, mode, agg, path, err)) != PF_OK)
		goto done;
	*out = q;
	q = NULL;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
done:
	free(buf);
	free(r);
	pf_qrels_free(q);
	return rc;
}

int
pf_qrels_from_arrays(pf_qrels **out, const char *label, size_t n,
    const char *const *qids, const char *const *docids,
    const int32_t *grades, pf_err *err)
{
	pf_qrels *q = NULL;
	raw *r = NULL;
	int rc = PF_OK;

	*out = NULL;
	if ((q = qrels_new(label)) == NULL ||
	    (r = malloc((n ? n : 1) * sizeof(*r))) == NULL ||
	    pf_strtab_intern(q->annotators, "0", 1) < 0)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		long t = pf_strtab_intern(q->topics, qids[i], strlen(qids[i]));
		if (t < 0)
			goto nomem;
		size_t dl = strlen(docids[i]);
		const char *d = pf_arena_strndup(q->docids, docids[i], dl);
		if (t < 0 || d == NULL)
			goto nomem;
		r[i] = (raw){(uint32_t)t, 0, d, (uint32_t)dl, grades[i],
		    (uint32_t)(i + 1)};
	}
	if ((rc = build(q, r, n, PF_QRELS_STRICT, PF_AGG_MEDIAN, label,
	    err)) != PF_OK)
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
