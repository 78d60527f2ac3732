/*
 * harness/load/qrels_internal.h — what the qrels loader's two files share:
 * qrels_parse.c reads a file into raw judgments, qrels.c groups them (and
 * the arrays of pf_qrels_from_arrays) into topics and pairs. Not for other
 * modules: use qrels.h.
 */
#ifndef PF_HARNESS_LOAD_QRELS_INTERNAL_H
#define PF_HARNESS_LOAD_QRELS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/load/qrels.h"
#include "harness/util/arena.h"
#include "harness/util/strtab.h"
#include "metrics/err.h"

/* One judgment as read, in file order. */
typedef struct pf_qrels_raw {
	uint32_t	topic, annotator;
	const char	*docid;		/* NUL-terminated; outlives the qrels */
	uint32_t	docid_len;
	int32_t		grade;
	uint32_t	line;
} pf_qrels_raw;

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
	pf_qrels_dup	*dups;		/* keep_duplicates: in file order */
	size_t		 ndups;
};

/* An empty qrels named path (topics, annotators, arena); NULL: no memory. */
pf_qrels	*pf_qrels__new(const char *path);

/*
 * Groups the raw judgments r[0..nraw) (file order, topic and annotator ids
 * of q's tables) into q's topics and pairs as o says (its mode, agg and
 * keep_duplicates; not diags); r's docids must outlive q. path names the
 * source in messages. On error q is left for the caller to free.
 */
int	pf_qrels__build(pf_qrels *q, const pf_qrels_raw *r, size_t nraw,
	    const pf_qrels_opts *o, const char *path, pf_err *err);

#endif /* PF_HARNESS_LOAD_QRELS_INTERNAL_H */
