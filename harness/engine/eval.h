/*
 * harness/engine/eval.h — evaluate a TREC run file against qrels with trec_eval's
 * semantics (the engine behind `preflight eval`).
 *
 * The run is streamed in chunks (never held whole: a 10M-line run is 363 MB)
 * and parsed in parallel with OpenMP. Lines of one topic that follow each
 * other form a segment; a topic that is one segment (the usual layout) is
 * sorted and evaluated as soon as its chunk is parsed. Topics split over
 * chunks or scattered through the file are gathered and evaluated after the
 * pass. Results are identical for any thread count: each topic's value
 * depends only on its set of lines, which sorting makes a total order.
 */
#ifndef PF_HARNESS_ENGINE_EVAL_H
#define PF_HARNESS_ENGINE_EVAL_H

#include <stddef.h>

#include "harness/load/qrels.h"
#include "metrics/err.h"
#include "metrics/treceval.h"

typedef struct pf_evalrun_opts {
	const pf_te_spec	*spec;
	const pf_te_opts	*te;
	int			 complete;	/* -c: score qrels topics absent from the run as 0 */
	size_t			 chunk_bytes;	/* 0 = default (8 MiB); tests use tiny chunks */
	int			 progress;	/* chunks read, on stderr */
} pf_evalrun_opts;

typedef struct pf_evalrun {
	size_t		 ntopics;	/* = pf_qrels_ntopics */
	size_t		 nvalues;	/* = pf_te_spec_nvalues */
	double		*values;	/* ntopics x nvalues */
	char		**str;		/* relstring per topic, or NULL */
	unsigned char	*in_run;	/* topic had run lines */
	size_t		*nret;		/* run lines of each topic */
	unsigned char	*evaluated;	/* topic is counted (in run, or -c) */
	size_t		 num_q;		/* topics evaluated */
	size_t		 nmissing;	/* qrels topics absent from the run */
	size_t		 nunknown_lines;	/* run lines whose topic the qrels lack */
	char		*runid;		/* tag of the last run line */
	int		 bom;		/* a UTF-8 byte-order mark was skipped */
} pf_evalrun;

/*
 * Evaluates the run at path ("-" = stdin). On bad input returns PF_EFORMAT
 * with err naming path:line of the first offending line in file order.
 */
int	pf_evalrun_file(pf_evalrun **out, const pf_qrels *q, const char *path,
	    const pf_evalrun_opts *o, pf_err *err);
void	pf_evalrun_free(pf_evalrun *r);

#endif /* PF_HARNESS_ENGINE_EVAL_H */
