/*
 * harness/analysis/attrib_internal.h — shared by harness/analysis/attrib.c and
 * harness/analysis/attrib_oracle.c only.
 */
#ifndef PF_HARNESS_ANALYSIS_ATTRIB_INTERNAL_H
#define PF_HARNESS_ANALYSIS_ATTRIB_INTERNAL_H

#include <stddef.h>

#include "harness/analysis/attrib.h"
#include "harness/engine/replay.h"
#include "metrics/rng.h"
#include "reports/attrib.h"

#define MAXPLAYERS	5	/* exact Shapley: at most 2^5 hybrids */
#define MAXSLOTS	32	/* stages in the two stacks together */

/*
 * Fills p->slots (p->nslots) from the two stacks: 0, -1 when they have
 * more than MAXSLOTS stages, -2 out of memory.
 */
int	pf_attrib__align(pf_attrib_pair *p, const pf_scn_stack *c,
	    const pf_scn_stack *t);
/*
 * Sets each slot's player and fills p->players (p->nplayers) for
 * treatment stack k: 0; -1 more than MAXPLAYERS (nplayers says how
 * many); -2 out of memory.
 */
int	pf_attrib__players(pf_attrib_pair *p, const pf_replay *r, size_t k);

/* pf_rng_key purpose of the attribution bootstrap: "attr" */
#define PF_ATTRIB_RNG	UINT64_C(0x61747472)

/* Percentile CI of mean(x) over n_boot query resamples drawn from key. */
int	pf_attrib__ci(const double *x, size_t n, pf_key key, size_t n_boot,
	    double alpha, double *lo, double *hi);
/*
 * Fills a->oracle, one per stack, for value m over the judged queries jq;
 * in: the values gathered from the shares (nothing runs); out: a share,
 * the judged queries [xa, xb) of jq run and kept in out, a->oracle left.
 */
int	pf_attrib__oracle(pf_attrib *a, const pf_replay *r, size_t m,
	    const size_t *jq, size_t nj, size_t xa, size_t xb,
	    const pf_attrib_given *in, pf_attrib_given *out, pf_err *err);

#define CH_CTL		0	/* the control's stage in this slot */
#define CH_TRT		1	/* the treatment's */
#define CH_NONE		2	/* no stage: pass the list through */

/* The configurations of one treatment pair (attrib_cfgs.c). */
typedef struct cfgs {
	size_t		 nslots, ncfg, nshap;	/* nshap = 2^nplayers first */
	unsigned char	*ch;		/* ncfg x nslots, normalised */
	unsigned char	*skip;		/* ncfg: cannot run, not replayed */
	size_t		*ord;		/* the others, in choice order */
	size_t		 nord;
} cfgs;

/* Every configuration of pair p (treatment k) into cf: checked, sorted by
   choices; PF_OK or the error (err at the scenario's line). */
int	pf_attrib__build_cfgs(cfgs *cf, const pf_replay *r, size_t k,
	    pf_attrib_pair *p, pf_err *err);
/* Replays every configuration for judged queries [xa, xb) of jq into val
   (nj x ncfg, metric m); a configuration's failure on a query into
   failed, fail_q, fail_err (the first by query). */
int	pf_attrib__replay_cfgs(const pf_replay *r, size_t k, size_t m,
	    const pf_attrib_pair *p, const cfgs *cf, const size_t *jq,
	    size_t xa, size_t xb, double *val, unsigned char *failed,
	    size_t *fail_q, pf_err *fail_err, pf_err *err);

#endif /* PF_HARNESS_ANALYSIS_ATTRIB_INTERNAL_H */
