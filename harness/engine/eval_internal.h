/*
 * harness/engine/eval_internal.h — between eval.c (the pass over a run:
 * setup, errors in file order, totals) and eval_parse.c (parsing chunks in
 * parallel, sorting and evaluating topics, gathering split topics). Not for
 * other folders.
 */
#ifndef PF_HARNESS_ENGINE_EVAL_INTERNAL_H
#define PF_HARNESS_ENGINE_EVAL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/engine/eval.h"

#define DEFAULT_CHUNK	((size_t)8 << 20)
#define STRBUF		65536

typedef struct ent {
	double		 score;
	const char	*doc;
	uint32_t	 len;
	int32_t		 rel;
	uint32_t	 line;		/* chunk-local, or global in gather */
	uint32_t	 hash;		/* low half of pf_hash_bytes(doc) */
} ent;

typedef struct seg {
	long	topic;
	size_t	off, len;		/* bytes, absolute file offsets */
	size_t	line0;			/* chunk-local line of the first line - 1 */
} seg;

typedef struct chunk {
	size_t	 off, len;
	size_t	 nlines;		/* physical lines in the chunk */
	seg	*segs;
	size_t	 nsegs, capsegs;
	int	 err_code;
	size_t	 err_line, err_line2;	/* chunk-local; err_line2 0 = none */
	char	 err_msg[448];
	char	*last_tag;
	size_t	 ndata, nunknown;
	int	 oom;
} chunk;

typedef struct worker {
	char	*buf;
	size_t	 cap;
	ent	*ents, *tmp;
	size_t	 n, cap_ents;
	int32_t	*rel, *jrel;		/* ranked rel values; -J scratch */
	uint32_t *set;
	size_t	 cap_set;
	char	 str[STRBUF];
} worker;

typedef struct ctx {
	const pf_qrels		*q;
	const pf_evalrun_opts	*o;
	const char		*path;
	int			 fd;		/* -1: data in mem */
	const char		*mem;
	size_t			 size;
	const int32_t		*qgrades;	/* all pairs' grade_int, by topic */
	const size_t		*qoff;		/* ntopics + 1 */
	unsigned		*segcount;	/* per topic, atomic */
	pf_evalrun		*r;
} ctx;

/* A topic gathered from several segments. */
typedef struct gtopic {
	size_t	 topic;
	size_t	 s0, ns;	/* into the gathered segment list */
	int	 err_code;
	size_t	 err_line, err_line2;
	char	 err_msg[448];
} gtopic;

typedef struct gseg {
	seg	s;
	size_t	line_base;	/* global line of the chunk's line 0 */
} gseg;

/* At least n bytes of w's read buffer (contents not kept); 0 or -1. */
int	pf_eval__worker_buf(worker *w, size_t n);
/* Room for n entries in w->ents (and the sort's w->tmp): 0 or -1. */
int	pf_eval__worker_reserve(worker *w, size_t n);
/*
 * Checks, sorts and evaluates w->ents as topic t (eval_topic.c). On a
 * duplicate, fills msg and the two lines and returns -1.
 */
int	pf_eval__eval_topic(ctx *c, worker *w, size_t t, size_t *line,
	    size_t *line2, char *msg, size_t msgsz);
/* Chunk boundaries: just after a '\n' at or after each nominal offset. */
int	pf_eval__split_chunks(ctx *c, chunk **out, size_t *nout);
/* Parses chunk ch with worker w's buffers, evaluating whole topics. */
void	pf_eval__parse_chunk(ctx *c, worker *w, chunk *ch);
/* Re-reads topic g's segments, merges and evaluates them. */
void	pf_eval__gather_topic(ctx *c, worker *w, gtopic *g, const gseg *gs);

#endif /* PF_HARNESS_ENGINE_EVAL_INTERNAL_H */
