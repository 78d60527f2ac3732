/*
 * harness/load/qrels.h — TREC qrels: `qid annotator docid grade`.
 *
 * Column 2 names the annotator ("0" when there is one). Two modes:
 *   PF_QRELS_STRICT      trec_eval's meaning: one judgment per (qid, docid);
 *                        a second one is an error naming both lines.
 *   PF_QRELS_ANNOTATORS  several annotators per (qid, docid) are kept and
 *                        aggregated (mean, median, majority); one judgment
 *                        per (qid, annotator, docid).
 * Grades are integers (a fractional or non-numeric grade is an error, where
 * trec_eval's atol silently truncates); negative grades mean "pooled but
 * unjudged" as in trec_eval. Blank lines and lines starting with '#' are
 * skipped; CRLF is accepted.
 *
 * Topics are numbered 0..ntopics-1 in first-seen order; each topic's judged
 * documents ("pairs") are numbered in first-seen order and found by docid
 * through a small per-topic hash table (pf_qrels_find), which stays in cache
 * while a run's lines for that topic are matched.
 */
#ifndef PF_HARNESS_LOAD_QRELS_H
#define PF_HARNESS_LOAD_QRELS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "harness/util/diags.h"
#include "metrics/err.h"

enum {
	PF_QRELS_STRICT = 0,
	PF_QRELS_ANNOTATORS = 1,
};

typedef enum pf_agg {
	PF_AGG_MEDIAN = 0,	/* lower median for an even count (conservative) */
	PF_AGG_MEAN,		/* arithmetic mean; grade_int rounds half up */
	PF_AGG_MAJORITY,	/* most frequent grade; ties go to the lower grade */
} pf_agg;

typedef struct pf_qrels pf_qrels;

typedef struct pf_judgment {
	uint32_t	annotator;	/* index into the annotator table */
	int32_t		grade;
	uint32_t	line;		/* 1-based line in the file */
} pf_judgment;

typedef struct pf_pair {
	const char	*docid;		/* borrowed, NUL-terminated */
	uint32_t	 docid_len;
	int32_t		 grade_int;	/* aggregated grade, as an integer */
	double		 grade;		/* aggregated grade */
	uint32_t	 j0, nj;	/* its judgments: pf_qrels_judgment(q, j0 + i),
					   i < nj */
} pf_pair;

/* Loads path ("-" = stdin). mode is PF_QRELS_*; agg applies to ANNOTATORS. */
int	pf_qrels_load(pf_qrels **out, const char *path, int mode, pf_agg agg,
	    pf_err *err);

/*
 * How pf_qrels_load_opts reads; {mode, agg} alone is pf_qrels_load.
 * The two options are for a checker that reports every problem of a file
 * (`preflight validate`) rather than stopping at the first; both cost
 * nothing on a file that has none of those problems.
 */
typedef struct pf_qrels_opts {
	int		 mode;		/* PF_QRELS_* */
	pf_agg		 agg;		/* applies to PF_QRELS_ANNOTATORS */
	/*
	 * Nonzero: a judgment that repeats an earlier one (same qid and
	 * docid in strict mode; same qid, annotator and docid otherwise)
	 * is not an error. It is left out of its pair (nj, the aggregated
	 * grade, max_grade) and listed (pf_qrels_duplicate); the load goes
	 * on.
	 */
	int		 keep_duplicates;
	/*
	 * Not NULL: every malformed line is added here ("path:line: what",
	 * the message err gets for the first), not only the first. The load
	 * still fails with PF_EFORMAT and err names the first.
	 */
	pf_diags	*diags;
} pf_qrels_opts;

/* A judgment a keep_duplicates load left out. */
typedef struct pf_qrels_dup {
	uint32_t	line;		/* 1-based line of the duplicate */
	uint32_t	first_line;	/* the kept judgment it repeats */
	uint32_t	topic;
	uint32_t	pair;		/* pf_qrels_pair(q, topic, pair) */
	uint32_t	annotator;	/* index into the annotator table */
	int32_t		grade;		/* in no aggregate */
} pf_qrels_dup;

/* pf_qrels_load with options; o is read during the call only. */
int	pf_qrels_load_opts(pf_qrels **out, const char *path,
	    const pf_qrels_opts *o, pf_err *err);
/* The duplicates a keep_duplicates load left out, in file order (none
   otherwise); borrowed from q. */
size_t			 pf_qrels_nduplicates(const pf_qrels *q);
const pf_qrels_dup	*pf_qrels_duplicate(const pf_qrels *q, size_t i);
void	pf_qrels_free(pf_qrels *q);
/*
 * Builds strict qrels from n parallel arrays (grades taken from a candidate
 * file, say); label names the source in messages, "line" i + 1 is entry i.
 */
int	pf_qrels_from_arrays(pf_qrels **out, const char *label, size_t n,
	    const char *const *qids, const char *const *docids,
	    const int32_t *grades, pf_err *err);

const char	*pf_qrels_path(const pf_qrels *q);
size_t		 pf_qrels_ntopics(const pf_qrels *q);
const char	*pf_qrels_qid(const pf_qrels *q, size_t topic);
/* Topic index of qid[0..len), or -1 when the qrels do not know it. */
long		 pf_qrels_topic(const pf_qrels *q, const char *qid, size_t len);
size_t		 pf_qrels_npairs(const pf_qrels *q, size_t topic);
const pf_pair	*pf_qrels_pair(const pf_qrels *q, size_t topic, size_t i);
const pf_judgment *pf_qrels_judgment(const pf_qrels *q, size_t j);
size_t		 pf_qrels_nannotators(const pf_qrels *q);
const char	*pf_qrels_annotator(const pf_qrels *q, size_t a);
/* Largest aggregated integer grade in the file (0 when none is positive). */
int32_t		 pf_qrels_max_grade(const pf_qrels *q);

/*
 * Every topic's grades (grade_int of its pairs) sorted descending, as
 * pf_te_topic wants them: topic t's are grades[off[t]..off[t+1]). The
 * caller frees both arrays. PF_OK or PF_ENOMEM.
 */
int	pf_qrels_grades_desc(const pf_qrels *q, int32_t **grades_out,
	    size_t **off_out);
/*
 * Index (within the topic) of the pair for docid[0..len) whose hash is h
 * (pf_hash_bytes), or -1 when unjudged. Thread-safe.
 */
long	pf_qrels_find(const pf_qrels *q, size_t topic, const char *docid,
	    size_t len, uint64_t h);

/*
 * One topic's docid table, for loops that look up many documents of one
 * topic (a run's lines): pf_qrels_view once per topic, then the inline
 * pf_qrels_view_find per document, which equals pf_qrels_find.
 *
 * The table is open addressing over 2^k slots (at least twice the topic's
 * judgments, at least 4), probed in aligned groups of 4 from the group of
 * the hash's low bits (pf_slots_group): a lookup ends at the first group
 * with an empty slot, and an insert takes that group's first empty slot.
 * A slot holds the pair index + 1 in its low k bits (0: empty) and bits
 * 32+k..63 of the docid's hash in the rest, so a lookup compares only the
 * pairs whose tag matches: a miss, the common case for a run's lines,
 * rarely reads a pair and takes no branch that depends on the slot order.
 */
typedef struct pf_qrels_view {
	const uint32_t	*slots;
	uint32_t	 mask;		/* 2^k - 1 */
	const pf_pair	*pairs;
} pf_qrels_view;

void	pf_qrels_view_of(const pf_qrels *q, size_t topic, pf_qrels_view *v);

static inline uint32_t
pf_qrels_slot_tag(uint64_t h, uint32_t mask)
{
	return (uint32_t)(h >> 32) & ~mask;
}

/*
 * The 4 slots g[0..4) of a tagged table (low bits under mask: index + 1,
 * 0 empty; the rest: a tag): bit i of *match is set when slot i is used
 * and carries tag, bit i of *empty when slot i is empty.
 */
static inline void
pf_slots_group(const uint32_t *g, uint32_t tag, uint32_t mask,
    unsigned *match, unsigned *empty)
{
#ifdef __SSE2__
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)g);
	__m128i z = _mm_cmpeq_epi32(v, _mm_setzero_si128());
	__m128i t = _mm_cmpeq_epi32(_mm_and_si128(v,
	    _mm_set1_epi32((int)~mask)), _mm_set1_epi32((int)tag));
	*empty = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(z));
	*match = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(
	    _mm_andnot_si128(z, t)));
#else
	unsigned m = 0, e = 0;
	for (unsigned i = 0; i < 4; i++) {
		e |= (unsigned)(g[i] == 0) << i;
		m |= (unsigned)(g[i] != 0 && (g[i] & ~mask) == tag) << i;
	}
	*match = m;
	*empty = e;
#endif
}

/*
 * Puts v in the first empty slot of the groups from g on (g: the hash's
 * low bits under mask, rounded down to a multiple of 4): where a lookup
 * of the same hash stops. The table must have an empty slot.
 */
static inline void
pf_slots_insert(uint32_t *slots, uint32_t mask, uint32_t g, uint32_t v)
{
	for (;; g = (g + 4) & mask) {
		unsigned match, empty;
		pf_slots_group(slots + g, 0, mask, &match, &empty);
		if (empty != 0) {
			slots[g + (unsigned)__builtin_ctz(empty)] = v;
			return;
		}
	}
}

static inline long
pf_qrels_view_find(const pf_qrels_view *v, const char *docid, size_t len,
    uint64_t h)
{
	uint32_t tag = pf_qrels_slot_tag(h, v->mask);
	uint32_t g = (uint32_t)h & v->mask & ~3u;

	for (;;) {
		unsigned match, empty;
		pf_slots_group(v->slots + g, tag, v->mask, &match, &empty);
		while (match != 0) {
			uint32_t k = (v->slots[g + (unsigned)__builtin_ctz(
			    match)] & v->mask) - 1;
			const pf_pair *pp = &v->pairs[k];
			if (pp->docid_len == len &&
			    memcmp(pp->docid, docid, len) == 0)
				return (long)k;
			match &= match - 1;
		}
		if (empty != 0)
			return -1;
		g = (g + 4) & v->mask;
	}
}

#endif /* PF_HARNESS_LOAD_QRELS_H */
