/*
 * harness/engine/eval_topic.c — one topic of a TREC run evaluated (see
 * eval_parse.c for the layout of the work): its lines checked for
 * duplicates, put in trec_eval's order and measured into the topic's slot.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/engine/eval_internal.h"
#include "harness/util/grow.h"

/* trec_eval's order: score descending, then docno descending (strcmp). */
static inline int
ent_before(const ent *a, const ent *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->doc, b->doc, n);
	if (c != 0)
		return c > 0;
	return a->len > b->len;
}

static void
sort_ents(ent *a, ent *tmp, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (ent_before(&a[i], &a[i - 1]))
			break;
	if (i >= n)
		return;		/* already in order: the common case */
	/* Insertion sort on runs of 16, then bottom-up merges. */
	for (size_t lo = 0; lo < n; lo += 16) {
		size_t hi = lo + 16 < n ? lo + 16 : n;
		for (size_t k = lo + 1; k < hi; k++) {
			ent x = a[k];
			size_t j = k;
			while (j > lo && ent_before(&x, &a[j - 1])) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = x;
		}
	}
	ent *src = a, *dst = tmp;
	for (size_t w = 16; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t x = lo, y = mid, k = lo;
			while (x < mid && y < hi)
				dst[k++] = ent_before(&src[y], &src[x]) ?
				    src[y++] : src[x++];
			while (x < mid)
				dst[k++] = src[x++];
			while (y < hi)
				dst[k++] = src[y++];
		}
		ent *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}

int
pf_eval__worker_reserve(worker *w, size_t n)
{
	if (n <= w->cap_ents)
		return 0;
	/* ents, tmp, rel and jrel share cap_ents. It keeps its start of
	   1024 (TREC runs are usually 1000 deep), so this path allocates
	   what bench/eval.sh measured. */
	size_t cap = pf_grow_cap(w->cap_ents ? w->cap_ents : 1024, n,
	    sizeof(ent));
	if (cap == 0)
		return -1;
	ent *e = pf_realloc_n(w->ents, cap, sizeof(*e));
	if (e == NULL)
		return -1;
	w->ents = e;
	ent *t = pf_realloc_n(w->tmp, cap, sizeof(*t));
	if (t == NULL)
		return -1;
	w->tmp = t;
	int32_t *r = pf_realloc_n(w->rel, cap, sizeof(*r));
	if (r == NULL)
		return -1;
	w->rel = r;
	if ((r = pf_realloc_n(w->jrel, cap, sizeof(*r))) == NULL)
		return -1;
	w->jrel = r;
	w->cap_ents = cap;
	return 0;
}

/*
 * Finds a duplicate docid among w->ents[0..n). Returns the index of the
 * later entry (its earlier twin in *first), or -1.
 */
static long
find_duplicate(worker *w, size_t *first)
{
	size_t n = w->n, cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	if (cap > w->cap_set) {
		/* Both powers of two: pf_grow makes cap_set exactly cap. */
		uint32_t *s = pf_grow(w->set, &w->cap_set, cap, sizeof(*s));
		if (s == NULL)
			return -2;
		w->set = s;
	}
	memset(w->set, 0, cap * sizeof(*w->set));
	/* A tagged table as the qrels' (qrels.h): slot = the hash's bits
	   above mask | index + 1, probed in groups of 4. */
	uint32_t mask = (uint32_t)(cap - 1);
	for (size_t i = 0; i < n; i++) {
		const ent *e = &w->ents[i];
		uint32_t tag = e->hash & ~mask, g = e->hash & mask & ~3u;
		for (;; g = (g + 4) & mask) {
			unsigned m, em;
			pf_slots_group(w->set + g, tag, mask, &m, &em);
			for (; m != 0; m &= m - 1) {
				uint32_t k = (w->set[g + (unsigned)
				    __builtin_ctz(m)] & mask) - 1;
				const ent *o = &w->ents[k];
				if (o->len == e->len && memcmp(o->doc, e->doc,
				    e->len) == 0) {
					*first = k;
					return (long)i;
				}
			}
			if (em != 0) {	/* absent: it goes in the first empty */
				w->set[g + (unsigned)__builtin_ctz(em)] = tag |
				    (uint32_t)(i + 1);
				break;
			}
		}
	}
	return -1;
}

/*
 * Checks, sorts and evaluates w->ents as topic t. On a duplicate, fills
 * msg and the two lines and returns -1.
 */
int
pf_eval__eval_topic(ctx *c, worker *w, size_t t, size_t *line, size_t *line2,
    char *msg, size_t msgsz)
{
	size_t first = 0;
	long dup = find_duplicate(w, &first);

	if (dup == -2) {
		snprintf(msg, msgsz, "out of memory");
		*line = *line2 = 0;
		return -2;
	}
	if (dup >= 0) {
		const ent *e = &w->ents[dup];
		snprintf(msg, msgsz, "duplicate document '%.*s' in topic '%s'",
		    e->len > 200 ? 200 : (int)e->len, e->doc,
		    pf_qrels_qid(c->q, t));
		*line = e->line;
		*line2 = w->ents[first].line;
		return -1;
	}
	sort_ents(w->ents, w->tmp, w->n);
	for (size_t i = 0; i < w->n; i++)
		w->rel[i] = w->ents[i].rel;
	c->r->nret[t] = w->n;
	pf_te_topic tp = {
		.rel = w->rel,
		.nret = w->n,
		.qrels = c->qgrades + c->qoff[t],
		.nqrels = c->qoff[t + 1] - c->qoff[t],
		.missing = 0,
		.scratch = w->jrel,
	};
	w->str[0] = '\0';
	pf_te_eval_topic(c->o->spec, c->o->te, &tp,
	    c->r->values + t * c->r->nvalues, w->str, sizeof(w->str));
	free(c->r->str[t]);
	c->r->str[t] = w->str[0] != '\0' ? strdup(w->str) : NULL;
	return 0;
}
