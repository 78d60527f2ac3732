/*
 * metrics/treceval.h — trec_eval's measures with trec_eval's exact semantics
 * (../shared/TREC_EVAL.md), on arrays. Pure: no I/O, no global state.
 *
 * A measure spec is built from `-m` arguments (pf_te_spec_add), finished
 * (pf_te_spec_finish), and then evaluates topics into a flat row of doubles
 * (pf_te_spec_nvalues per topic). Rows are averaged with pf_te_summarize and
 * printed in trec_eval's format and measure-table order with
 * pf_te_format_topic / pf_te_format_all.
 *
 * Conventions taken from trec_eval: ranks are the sorted retrieved list (the
 * caller sorts: score descending, docno descending on ties); a retrieved
 * document absent from the qrels is PF_TE_NONPOOL, one judged with a negative
 * grade is PF_TE_UNJUDGED; R counts qrels entries with grade >= level,
 * retrieved or not. Measures beyond trec_eval (ndcg_exp, ndcg_exp_cut, err,
 * judged, and ir_measures' RR@k, ERR@k, Judged@k) follow the same
 * conventions; see README "Measures" and "Measure names".
 */
#ifndef PF_METRICS_TRECEVAL_H
#define PF_METRICS_TRECEVAL_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/err.h"

#define PF_TE_NONPOOL	(-1)	/* retrieved, not in the qrels */
#define PF_TE_UNJUDGED	(-2)	/* in the qrels with a negative grade */

typedef struct pf_te_opts {
	int	level;		/* -l: relevance level, default 1 */
	long	max_ret;	/* -M: keep the first max_ret after sorting */
	int	judged_only;	/* -J: drop NONPOOL and UNJUDGED, re-rank */
	int	max_grade;	/* err's normaliser: the largest grade, >= 1 */
} pf_te_opts;

void	pf_te_opts_init(pf_te_opts *o);

/* One topic to evaluate. */
typedef struct pf_te_topic {
	const int32_t	*rel;		/* nret rel values in rank order */
	size_t		 nret;
	const int32_t	*qrels;		/* the topic's raw qrels grades, sorted
					   descending */
	size_t		 nqrels;
	int		 missing;	/* -c: topic absent from the run */
	int32_t		*scratch;	/* nret ints for -J, or NULL (allocated) */
	double		*dscratch;	/* nqrels doubles for custom ndcg gains,
					   or NULL (allocated) */
} pf_te_topic;

typedef struct pf_te_spec pf_te_spec;

int	pf_te_spec_new(pf_te_spec **out);
void	pf_te_spec_free(pf_te_spec *s);

/*
 * Adds one metric argument in any spelling (README "Measure names"):
 *   trec_eval's -m form    a measure ("map"), a measure with parameters
 *                          ("P.5,10", "ndcg.1=3,2=9",
 *                          "iprec_at_recall..1,.5") or "official";
 *                          parameters given again replace the earlier
 *                          ones, as in trec_eval; printed as trec_eval
 *                          prints them ("P_5");
 *   one value, spelled     trec_eval's printed name ("ndcg_cut_10"),
 *                          ir_measures' ("nDCG@10", "AP", "RR@10",
 *                          "nDCG(dcg='exp-log2')@10") or ranx's
 *                          ("ndcg@10", "map@100", "mrr"): adds that value
 *                          to the measure's and prints it as spelled.
 * A value asked for in several spellings is measured once. PF_EINVAL with
 * a message naming the argument on error (an unknown name gets "did you
 * mean" with the nearest valid spellings).
 */
int	pf_te_spec_add(pf_te_spec *s, const char *arg, pf_err *err);

/* Fixes the layout; with nothing added, the spec is "official". */
int	pf_te_spec_finish(pf_te_spec *s, pf_err *err);

/* Values per topic row (after finish). */
size_t	pf_te_spec_nvalues(const pf_te_spec *s);

/*
 * Evaluates one topic into values[nvalues]; the relstring, when requested,
 * goes to str (NUL-terminated, truncated to strsz). Returns PF_ENOMEM only
 * when scratch was needed, not given, and could not be allocated.
 */
int	pf_te_eval_topic(const pf_te_spec *s, const pf_te_opts *o,
	    const pf_te_topic *t, double *values, char *str, size_t strsz);

/*
 * Averages ntopics rows into all_out[nvalues]: means, except counts
 * (summed) and gm_map (geometric mean with trec_eval's 1e-5 floor).
 */
void	pf_te_summarize(const pf_te_spec *s, const double *values,
	    size_t ntopics, double *all_out);

/*
 * Formats one topic's block / the `all` block as trec_eval prints them.
 * Return the length the text needs (excluding NUL), as snprintf does.
 */
size_t	pf_te_format_topic(const pf_te_spec *s, const char *qid,
	    const double *values, const char *str, char *buf, size_t bufsz);
size_t	pf_te_format_all(const pf_te_spec *s, const char *runid,
	    size_t num_q, const double *all, char *buf, size_t bufsz);

/*
 * Value names: each value goes by the first spelling asked for it
 * ("nDCG@10" if that came first, else trec_eval's "ndcg_cut_10").
 * pf_te_value_index finds a value by any spelling of it ("nDCG@10",
 * "ndcg_cut.10", "ndcg_cut_10", "ndcg@10" are one value), -1 if the spec
 * does not measure it.
 */
long	pf_te_value_index(const pf_te_spec *s, const char *name);
size_t	pf_te_value_name(const pf_te_spec *s, size_t i, char *buf,
	    size_t bufsz);
/*
 * Like pf_te_value_index (after finish), and the value then goes by this
 * spelling, before any other (a scenario's primary metric names its value;
 * a -m form of one value gives trec_eval's printed name). Does not change
 * what pf_te_format_* print.
 */
long	pf_te_spec_prefer(pf_te_spec *s, const char *name);
/*
 * trec_eval's printed name of value i whatever the spelling that named it
 * ("ndcg_cut_10" for nDCG@10; "RR@10" for ir_measures' own measures): a
 * key that does not change with the spelling (random streams use it).
 */
size_t	pf_te_value_trec_name(const pf_te_spec *s, size_t i, char *buf,
	    size_t bufsz);
/* Whether spellings a and b name the same value ("nDCG@10", "ndcg_cut_10"). */
int	pf_te_same_value(const char *a, const char *b);

/* Whether value i is a count (summed in `all`, printed as an integer). */
int	pf_te_value_is_count(const pf_te_spec *s, size_t i);

#endif /* PF_METRICS_TRECEVAL_H */
