/*
 * harness/decide/partial.h — a partial result: what the replay measured
 * for one contiguous range of the golden set's queries (a shard of `run
 * --shard I/N`, an MPI rank), serialised so that `preflight merge` (or
 * rank 0) puts the ranges back in query order and runs the rest of the
 * pipeline unchanged: the outputs are then those of one process.
 *
 * Why this is exact: the replay computes each (stack, query) from its
 * inputs alone (engine/replay.h); everything after it (the statistics,
 * interleaving, the label bootstrap, the decision, the outputs) reads the
 * per-query values and rankings in query order, and the analyses that
 * replay stages again (attribution, importance) run in the shares, each
 * (task, query) value from the query's rows, its per-query RNG stream and
 * (importance) the summary of every query's rows that all shares combine
 * to the same bytes; the merge summarises their values. Scores and
 * metric values travel as IEEE-754 binary64 bits, never as text.
 *
 * The format (README "Running on a cluster"), one file part.pfp:
 *   8 bytes   "PFPART\0\2" (the format, version 2)
 *   u32       0x01020304 in the writer's byte order (a reader of the
 *             other order refuses the part)
 *   u32       H, then H bytes: the header, a JSON object:
 *             {"format": "preflight.partial/2", "preflight": VERSION,
 *              "scenario": PATH, "scenario_sha256": HEX,
 *              "shard": I, "shards": N, "queries": [Q0, Q1], "nq": NQ,
 *              "stacks": [ID...], "metrics": NV,
 *              "inputs": [{"role", "path", "sha256", "bytes"}...]}
 *   the body, for each query q of [Q0, Q1): u32 length and bytes of its
 *   qid, then for each stack: u64 n, n times (u32 length, bytes) of the
 *   ranked documents' ids, n binary64 scores, NV binary64 metric values
 *   (0 for an unjudged query); then u32 F, the scenario's <importance>
 *   <features> elements, and for each u64 T (its items x repeats, 0 for an
 *   empty range) and T x (Q1 - Q0) binary64 per-query task values, task
 *   major (analysis/importance.h pf_importance_share), when T > 0 the
 *   (Q1 - Q0) binary64 baseline values of the queries, and u64 I and I
 *   bytes, each item's query-level flag (0 or 1); then u32 P, the
 *   stage attribution's treatment pairs (analysis/attrib.h), and for each
 *   u64 C (configurations), u64 J (judged queries of the whole set), u64
 *   X0, X1 (the judged queries of the range), (X1 - X0) x C binary64
 *   values, and per configuration u64 its first failing judged query
 *   (2^64 - 1: none), then, when it failed, i32 the error code and the
 *   error's where and message (u32 length and bytes each); then u32 O, 1
 *   when the oracle split ran, and then u64 J, u64 S (stacks), u64 X0, X1
 *   and (X1 - X0) x S x 4 binary64: per judged query and stack the ideal,
 *   oracle, recall and candidate count (attrib.h pf_attrib_given).
 */
#ifndef PF_HARNESS_DECIDE_PARTIAL_H
#define PF_HARNESS_DECIDE_PARTIAL_H

#include <stddef.h>

#include "harness/analysis/attrib.h"
#include "harness/analysis/importance.h"
#include "harness/engine/replay.h"
#include "reports/model.h"

/* Queries [*q0, *q1) of shard i of n over nq queries: contiguous, in
   order, sizes as equal as possible (the first nq % n one larger). */
void	pf_part_range(size_t nq, size_t i, size_t n, size_t *q0, size_t *q1);

/*
 * Serialises shard i of n of the replay r (which ran queries [r->q0,
 * r->q1)) into a new buffer *out of *len bytes; in: the run's inputs with
 * their sha256 (decide/files.h), the first the scenario.
 */
int	pf_part_encode(const pf_replay *r, size_t i, size_t n,
	    const pf_rep_input *in, size_t nin, const pf_imp_given *imp,
	    const pf_attrib_given *ag, char **out, size_t *len, pf_err *err);

/* A part read back. */
typedef struct pf_part {
	char		*where;		/* its file, for messages */
	char		*buf;		/* the whole part (owned) */
	size_t		 len, body;	/* bytes; where the body starts */
	struct json_t	*hdr;
	size_t		 shard, nshards, q0, q1;
} pf_part;

/* Parses buf (taken, freed by pf_part_clear) read from where. Errors
   name where. */
int	pf_part_parse(pf_part *p, char *buf, size_t len, const char *where,
	    pf_err *err);
/* Reads and parses a part: PATH/part.pfp when PATH is a folder. */
int	pf_part_read(pf_part *p, const char *path, pf_err *err);
void	pf_part_clear(pf_part *p);

/*
 * The np parts are one set: the same header but for shard and queries
 * (differences name both parts and the member), every shard 0..N-1
 * exactly once (a missing or duplicated shard is named), and the ranges
 * those of pf_part_range. Sorts p by shard. PF_EFORMAT.
 */
int	pf_part_check_set(pf_part *p, size_t np, pf_err *err);
/*
 * The part comes from this scenario and these inputs (sha256 and path,
 * each), this version and this replay's queries, stacks and metrics.
 */
int	pf_part_check_inputs(const pf_part *p, const pf_replay *r,
	    const pf_rep_input *in, size_t nin, pf_err *err);
/*
 * Fills r's rankings and metric values of p's queries (r ran as
 * pf_replay_run over an empty range, so its lists are allocated and
 * empty), and p's importance and attribution values into imp and ag
 * (zeroed before the first part: their arrays are allocated for every
 * query then; a configuration's failure is the first by query). Documents are
 * matched by id in r's golden set.
 */
int	pf_part_fill(pf_replay *r, const pf_part *p, pf_imp_given *imp,
	    pf_attrib_given *ag, pf_err *err);
/* Frees what pf_part_fill gathered into imp (not imp itself). */
void	pf_imp_given_clear(pf_imp_given *imp);

#endif /* PF_HARNESS_DECIDE_PARTIAL_H */
